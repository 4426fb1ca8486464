//! Components × advisories → findings.

use std::collections::HashMap;
use std::str::FromStr as _;

use praxcheck_i18n::{Arg, Catalog, Lang};
use praxcheck_model::{
    Component, Evidence, EvidenceKind, Finding, Said, Severity, Status, Subject, Text,
};
use praxcheck_versions::{Relation, Scheme, VersionSet, relate};

use crate::AdvisorySet;
use crate::osv::{ClassAbsence, OsvAffected, OsvRecord};

/// Matches every component against the set and returns one finding per component and
/// rule (the rule is the CVE id where the record has one), worst status first when two
/// records describe the same CVE.
#[must_use]
pub fn match_components(set: &AdvisorySet, components: &[Component]) -> Vec<Finding> {
    let de = Catalog::new(Lang::De);
    let en = Catalog::new(Lang::En);
    let mut out: HashMap<(String, String), Finding> = HashMap::new();
    for comp in components {
        let entries = set.lookup(&comp.ecosystem, &comp.name);
        if entries.is_empty() {
            continue;
        }
        let scheme = Scheme::for_ecosystem(&comp.ecosystem);
        // An exact version is parsed once and tested against pre-parsed bounds (the common
        // case, and the hot loop on large inventories); other evidence goes through the
        // version-set algebra.
        let exact_key = match (&comp.version, scheme) {
            (Some(v), Scheme::Maven) => Some(praxcheck_versions::MavenKey::new(v)),
            _ => None,
        };
        let possible = match &comp.version {
            Some(v) => VersionSet::exact(scheme, v),
            None if !comp.version_range.is_empty() => {
                VersionSet::from_intervals(scheme, &comp.version_range)
            }
            // Nothing known about the version: every version is possible.
            None => VersionSet::all(scheme),
        };
        for entry in entries {
            let Some(rec) = set.record(entry.record) else {
                continue;
            };
            let affs: Vec<&OsvAffected> = entry
                .affected
                .iter()
                .filter_map(|&i| rec.affected.get(i))
                .collect();
            if affs.is_empty() {
                continue;
            }
            let relation = match exact_key.as_ref().and_then(|k| entry.contains_key(k)) {
                Some(true) => Relation::All,
                Some(false) => Relation::None,
                None => relate(&possible, &entry.versions),
            };
            if relation == Relation::None {
                continue;
            }
            let Some(finding) = judge(rec, &affs, &entry.fixed, comp, relation, &de, &en) else {
                continue;
            };
            let key = (finding.rule_id.clone(), comp.id.clone());
            match out.get(&key) {
                Some(prev) if rank(prev) >= rank(&finding) => {}
                _ => {
                    out.insert(key, finding);
                }
            }
        }
    }
    let mut v: Vec<Finding> = out.into_values().collect();
    v.sort_by(|a, b| (b.severity, &a.rule_id, &a.id).cmp(&(a.severity, &b.rule_id, &b.id)));
    v
}

fn rank(f: &Finding) -> (u8, Severity) {
    let s = match f.status {
        Status::Vulnerable | Status::Detected => 3,
        Status::Undetermined => 2,
        Status::Mitigated | Status::Accepted => 1,
    };
    (s, f.severity)
}

/// The rule id of a record: its first CVE alias, else its own id.
#[must_use]
pub fn rule_id(rec: &OsvRecord) -> String {
    rec.aliases
        .iter()
        .find(|a| a.starts_with("CVE-"))
        .cloned()
        .unwrap_or_else(|| rec.id.clone())
}

/// The CVSS base score of a record (the first vector that parses).
#[must_use]
pub fn cvss_score(rec: &OsvRecord) -> Option<f32> {
    rec.severity.iter().find_map(|s| {
        cvss::Cvss::from_str(&s.score).ok().map(|c| {
            #[allow(clippy::cast_possible_truncation)]
            let v = c.score() as f32;
            v
        })
    })
}

/// The severity of a record: praxcheck's override, else CVSS, else GitHub's word.
#[must_use]
pub fn record_severity(rec: &OsvRecord) -> Severity {
    let ann = rec.database_specific.as_ref();
    if let Some(s) = ann
        .and_then(|d| d.praxcheck.as_ref())
        .and_then(|p| p.severity.as_deref())
        .and_then(Severity::parse)
    {
        return s;
    }
    if let Some(score) = cvss_score(rec) {
        return Severity::from_cvss(score);
    }
    match ann
        .and_then(|d| d.severity.as_deref())
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        Some("CRITICAL") => Severity::Critical,
        Some("HIGH") => Severity::High,
        Some("MODERATE" | "MEDIUM") => Severity::Medium,
        Some("LOW") => Severity::Low,
        _ => Severity::Medium,
    }
}

/// Fixed versions named by the ranges of the affected entries.
pub(crate) fn fixed_versions(affs: &[&OsvAffected]) -> Vec<String> {
    let mut v: Vec<String> = affs
        .iter()
        .flat_map(|a| a.ranges.iter())
        .flat_map(|r| r.events.iter().filter_map(|e| e.fixed.clone()))
        .collect();
    v.sort_by(|a, b| praxcheck_versions::compare_maven(b, a));
    v.dedup();
    v
}

fn class_short(canonical: &str) -> &str {
    canonical.rsplit('.').next().unwrap_or(canonical)
}

fn judge(
    rec: &OsvRecord,
    affs: &[&OsvAffected],
    fixed: &[String],
    comp: &Component,
    relation: Relation,
    de: &Catalog,
    en: &Catalog,
) -> Option<Finding> {
    let rule = rule_id(rec);
    let ann = rec
        .database_specific
        .as_ref()
        .and_then(|d| d.praxcheck.as_ref());
    let aff_ann = affs.iter().find_map(|a| {
        a.ecosystem_specific
            .as_ref()
            .and_then(|e| e.praxcheck.as_ref())
    });
    let mut evidence: Vec<Evidence> = comp.evidence.clone();

    let mut status = match relation {
        Relation::All => Status::Vulnerable,
        Relation::Some => Status::Undetermined,
        Relation::None => return None,
    };
    let mut class_note: Option<&str> = None;
    let examined = comp
        .java
        .as_ref()
        .filter(|j| j.classes_examined || !j.classes.is_empty());
    if let (Some(ann), Some(java)) = (aff_ann, examined) {
        // A backported fix: the flaw is gone although the version says otherwise.
        if ann
            .fixed_by_any_class
            .iter()
            .any(|c| java.classes.iter().any(|f| &f.canonical == c))
        {
            return None;
        }
        if !ann.requires_any_class.is_empty() {
            match ann
                .requires_any_class
                .iter()
                .find_map(|c| java.classes.iter().find(|f| &f.canonical == c))
            {
                Some(found) => evidence.push(Evidence {
                    kind: EvidenceKind::ClassPresence,
                    path: Some(found.path.clone()),
                    detail: format!("{} present", found.canonical),
                    says: Some(Said::Class {
                        class: found.canonical.clone(),
                        needle: None,
                        found: true,
                        allows: None,
                    }),
                }),
                None => {
                    let class = ann.requires_any_class[0].as_str();
                    match ann.when_class_absent.unwrap_or(ClassAbsence::Mitigated) {
                        ClassAbsence::NotAffected => return None,
                        ClassAbsence::Mitigated => {
                            evidence.push(Evidence {
                                kind: EvidenceKind::ClassPresence,
                                path: None,
                                detail: format!("{class} absent"),
                                says: Some(Said::Class {
                                    class: class.to_owned(),
                                    needle: None,
                                    found: false,
                                    allows: None,
                                }),
                            });
                            status = Status::Mitigated;
                            class_note = Some(class);
                        }
                    }
                }
            }
        }
    }

    let fixed = fixed.to_vec();
    let version = comp.version_display();
    let short_name = comp
        .name
        .rsplit(':')
        .next()
        .unwrap_or(&comp.name)
        .to_owned();
    let fixed_list = fixed.join(", ");
    let explain = |cat: &Catalog| -> String {
        let source = comp
            .version_source
            .map(|k| cat.t(&format!("evidence-kind-{}", evidence_key(k))))
            .unwrap_or_else(|| cat.t("evidence-kind-unknown"));
        let args: Vec<(&str, Arg)> = vec![
            ("name", short_name.clone().into()),
            ("version", version.clone().into()),
            ("source", source.into()),
            ("rule", rule.clone().into()),
            ("fixed", fixed_list.clone().into()),
            ("class", class_note.map(class_short).unwrap_or("").into()),
        ];
        let key = match status {
            Status::Mitigated => "finding-explain-mitigated",
            Status::Undetermined => "finding-explain-undetermined",
            _ => "finding-explain-vulnerable",
        };
        let mut s = cat.t_args(key, &args);
        if !fixed_list.is_empty() && status != Status::Mitigated {
            s.push(' ');
            s.push_str(&cat.t_args("finding-explain-fixed-in", &args));
        }
        s
    };
    let title = ann.and_then(|a| a.title.clone()).unwrap_or_else(|| {
        let s = rec.summary.clone().unwrap_or_else(|| rule.clone());
        Text::new(s.clone(), s)
    });
    let remediation = ann.and_then(|a| a.remediation.clone()).unwrap_or_else(|| {
        let args = [("fixed", Arg::from(fixed_list.clone()))];
        Text::new(
            de.t_args("finding-remediation-update", &args),
            en.t_args("finding-remediation-update", &args),
        )
    });
    let mut references: Vec<String> = rec.references.iter().map(|r| r.url.clone()).collect();
    references.truncate(5);
    let mut aliases: Vec<String> = rec.aliases.clone();
    if rec.id != rule {
        aliases.insert(0, rec.id.clone());
    }
    aliases.retain(|a| a != &rule);
    Some(Finding {
        id: Finding::derive_id(&rule, &comp.id),
        rule_id: rule.clone(),
        advisory_id: rec.id.clone(),
        aliases,
        subject: Subject {
            component: Some(comp.id.clone()),
            fact: None,
            location: Some(comp.location.clone()),
        },
        severity: record_severity(rec),
        status,
        cvss: cvss_score(rec),
        title,
        explanation: Text::new(explain(de), explain(en)),
        evidence,
        remediation,
        fixed_versions: fixed,
        effort: ann.and_then(|a| a.effort),
        kbv: ann.map(|a| a.kbv.clone()).unwrap_or_default(),
        references,
        accepted: None,
    })
}

/// The catalogue key suffix for an evidence kind.
#[must_use]
pub fn evidence_key(k: EvidenceKind) -> &'static str {
    match k {
        EvidenceKind::PomProperties => "pom-properties",
        EvidenceKind::Manifest => "manifest",
        EvidenceKind::FileName => "file-name",
        EvidenceKind::ClassFingerprint => "class-fingerprint",
        EvidenceKind::ClassMarker => "class-marker",
        EvidenceKind::ClassPresence => "class-presence",
        EvidenceKind::PackageDatabase => "package-database",
        EvidenceKind::Registry => "registry",
        EvidenceKind::Other => "other",
    }
}
