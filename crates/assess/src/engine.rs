//! Facts + advisories + answers → findings, checks, score, light, actions, KBV coverage.
//!
//! The scoring model (documented in `ARCHITECTURE.md` and the crate docs):
//! * every applicable check has points; passed earns them, failed, accepted and not checked
//!   earn nothing, not applicable leaves the total (`score = earned / possible`);
//! * the light is red when a critical finding is open (not accepted) — for a component, only
//!   when it can run (loaded by a process, installed, or of unknown placement; a copy in an
//!   installer, download, backup or build cache counts as high); green only when nothing at
//!   or above medium is open and at least 80 % of the applicable automated checks ran;
//!   yellow otherwise;
//! * actions are ranked by value over effort: severity weight × where it sits × how sure,
//!   divided by the effort.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use praxcheck_advisories::{AdvisorySet, Facts, RuleOutcome, match_components, match_products};
use praxcheck_i18n::{Arg, Catalog, Lang};
use praxcheck_model::{
    Acceptance, Action, AdvisoryAge, AdvisorySetRef, Assessment, CheckResult, CheckState,
    CollectorId, Component, Coverage, Document, Effort, Finding, KbvAnlageCount, KbvCoverage,
    KbvRequirementStatus, KbvStatus, Light, MachineSummary, Placement, ProductRef, Score, Severity,
    Status, Text,
};

use crate::answers::{Answers, Profile, Reply, profile_questions};
use crate::kbv::{Automation, Catalogue, Requirement};

/// Share of applicable automated checks that must have run for green.
pub const GREEN_COVERAGE_PERCENT: u32 = 80;

/// Points of the built-in check "no Java component with a known flaw".
pub const JAVA_CHECK_POINTS: u32 = 15;
/// Points of the built-in check "no installed practice or device software with a known flaw".
pub const SOFTWARE_CHECK_POINTS: u32 = 10;

/// KBV requirements a component finding touches when its advisory names none: prompt
/// updates (A1-14) and identifying missing updates (A1-16).
pub const COMPONENT_KBV: [&str; 2] = ["A1-14", "A1-16"];

/// What the assessment needs besides the documents.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The advisory set.
    pub set: &'a AdvisorySet,
    /// The KBV catalogue.
    pub catalogue: &'a Catalogue,
    /// The practice's answers and accepted risks.
    pub answers: &'a Answers,
    /// Today (decides expiry of accepted risks and the set's age).
    pub today: time::Date,
}

/// One machine after its findings and checks were computed.
#[derive(Debug, Clone)]
struct Machine {
    host: String,
    os: String,
    scanned_at: String,
    /// Rule id → outcome kind on this machine.
    rules: HashMap<String, CheckState>,
    checks: Vec<CheckResult>,
    products: Vec<ProductRef>,
    /// The machine's findings, in the canonical order of a document.
    findings: Vec<Finding>,
}

/// A machine with its (already assessed) document, for summarising.
struct Seen<'a> {
    m: &'a Machine,
    findings: &'a [Finding],
    /// The components findings refer to (only those: an inventory can hold 100,000).
    components: HashMap<&'a str, &'a Component>,
}

impl<'a> Seen<'a> {
    fn new(m: &'a Machine, doc: &'a Document) -> Self {
        let wanted: std::collections::HashSet<&str> = m
            .findings
            .iter()
            .filter_map(|f| f.subject.component.as_deref())
            .collect();
        let components = doc
            .inventory
            .components
            .iter()
            .filter(|c| wanted.contains(c.id.as_str()))
            .map(|c| (c.id.as_str(), c))
            .collect();
        Self {
            m,
            findings: &m.findings,
            components,
        }
    }

    fn component(&self, f: &Finding) -> Option<&'a Component> {
        f.subject
            .component
            .as_deref()
            .and_then(|id| self.components.get(id).copied())
    }
}

fn ymd(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Whether a component can run: loaded by a process, part of installed software, or of
/// unknown placement (assumed installed).
#[must_use]
pub fn is_live(c: &Component) -> bool {
    !c.open_by.is_empty() || matches!(c.placement, Placement::Installed | Placement::Unknown)
}

/// The severity a finding has for the light: a critical component finding in a copy that
/// cannot run (installer, download, backup, build cache, distribution archive) counts as
/// high.
#[must_use]
pub fn light_severity(f: &Finding, comp: Option<&Component>) -> Severity {
    match comp {
        Some(c) if f.severity == Severity::Critical && !is_live(c) => Severity::High,
        _ => f.severity,
    }
}

fn text(de: &Catalog, en: &Catalog, key: &str, args: &[(&str, Arg)]) -> Text {
    Text::new(de.t_args(key, args), en.t_args(key, args))
}

/// An action title for a component (`{ $name } { $version } …`).
fn component_action(de: &Catalog, en: &Catalog, key: &str, c: &Component) -> Text {
    let args = [
        ("name", Arg::from(short_name(&c.name))),
        ("version", Arg::from(c.version_display())),
    ];
    text(de, en, key, &args)
}

fn apply_acceptances(findings: &mut [Finding], host: &str, answers: &Answers, today: time::Date) {
    for f in findings.iter_mut().filter(|f| f.status.is_open()) {
        let Some(acc) = answers.accepted.iter().find(|a| {
            let what = a.finding.as_deref() == Some(f.id.as_str())
                || a.rule.as_deref() == Some(f.rule_id.as_str());
            let where_ = a.host.as_deref().is_none_or(|h| h == host);
            what && where_
        }) else {
            continue;
        };
        let expired = praxcheck_advisories::parse_date(&acc.expires).is_none_or(|e| e < today);
        if expired {
            let de = Catalog::new(Lang::De);
            let en = Catalog::new(Lang::En);
            let args = [("date", Arg::from(acc.expires.clone()))];
            for (s, cat) in [(&mut f.explanation.de, &de), (&mut f.explanation.en, &en)] {
                s.push(' ');
                s.push_str(&cat.t_args("assess-acceptance-expired", &args));
            }
        } else {
            f.status = Status::Accepted;
            f.accepted = Some(Acceptance {
                reason: acc.reason.clone(),
                expires: acc.expires.clone(),
                by: acc.by.clone(),
            });
        }
    }
}

/// Recomputes a document's findings from its inventory and facts.
fn evaluate_machine(doc: &Document, extra: &Facts, opts: &Options<'_>) -> Machine {
    let de = Catalog::new(Lang::De);
    let en = Catalog::new(Lang::En);
    let host = doc.scan.hostname.clone();
    let mut facts = crate::facts::from_document(doc, opts.today);
    facts.extend(extra.clone());
    let comps = &doc.inventory.components;
    let mut findings = match_components(opts.set, comps);
    for f in &mut findings {
        if f.kbv.is_empty() {
            f.kbv = COMPONENT_KBV.iter().map(|s| (*s).to_owned()).collect();
        }
        if f.effort.is_none() {
            f.effort = Some(Effort::Medium);
        }
    }
    let (product_findings, recognized) = match_products(opts.set.products(), comps);
    let products = recognized
        .iter()
        .map(|r| ProductRef {
            product: r.product.id.clone(),
            name: format!("{} {}", r.product.vendor, r.product.name),
            component: r.component.id.clone(),
            version: r.component.version.clone(),
            host: host.clone(),
        })
        .collect();
    findings.extend(product_findings);
    let mut rules = HashMap::new();
    let mut rule_checks = Vec::new();
    for rule in opts.set.rules() {
        let outcome = rule.evaluate(&facts);
        let (state, finding, missing) = match outcome {
            RuleOutcome::NotApplicable => (CheckState::NotApplicable, None, Vec::new()),
            RuleOutcome::NotChecked { missing } => (CheckState::NotChecked, None, missing),
            RuleOutcome::Passed => (CheckState::Passed, None, Vec::new()),
            RuleOutcome::Failed(f) => (CheckState::Failed, Some(*f), Vec::new()),
        };
        rules.insert(rule.id.clone(), state);
        rule_checks.push((rule, state, finding.as_ref().map(|f| f.id.clone()), missing));
        findings.extend(finding);
    }
    apply_acceptances(&mut findings, &host, opts.answers, opts.today);
    praxcheck_model::sort_findings(&mut findings);

    let by_id: HashMap<&str, &Finding> = findings.iter().map(|f| (f.id.as_str(), f)).collect();
    let maven_of: HashMap<&str, bool> = doc
        .inventory
        .components
        .iter()
        .map(|c| (c.id.as_str(), c.ecosystem == "Maven"))
        .collect();
    let mut checks = Vec::new();
    // Built-in component checks.
    let java_ran = doc.ran(CollectorId::Java);
    let software_ran = doc.ran(CollectorId::Host) || maven_of.values().any(|m| !m);
    for (id, topic, points, key, ran, maven) in [
        (
            "java.components",
            "java",
            JAVA_CHECK_POINTS,
            "assess-check-java",
            java_ran,
            true,
        ),
        (
            "software.components",
            "software",
            SOFTWARE_CHECK_POINTS,
            "assess-check-software",
            software_ran,
            false,
        ),
    ] {
        let relevant: Vec<&Finding> = findings
            .iter()
            .filter(|f| {
                f.subject
                    .component
                    .as_deref()
                    .and_then(|c| maven_of.get(c))
                    .is_some_and(|m| *m == maven)
                    && f.severity >= Severity::Medium
            })
            .collect();
        let open: Vec<&&Finding> = relevant.iter().filter(|f| f.status.is_open()).collect();
        let accepted: Vec<&&Finding> = relevant
            .iter()
            .filter(|f| f.status == Status::Accepted)
            .collect();
        let state = if !open.is_empty() {
            CheckState::Failed
        } else if !accepted.is_empty() {
            CheckState::Accepted
        } else if ran {
            CheckState::Passed
        } else {
            CheckState::NotChecked
        };
        let ids = open
            .iter()
            .chain(accepted.iter())
            .map(|f| f.id.clone())
            .collect();
        checks.push(CheckResult {
            id: id.to_owned(),
            topic: topic.to_owned(),
            title: text(&de, &en, key, &[]),
            state,
            points,
            earned: if state == CheckState::Passed {
                points
            } else {
                0
            },
            automated: true,
            host: host.clone(),
            findings: ids,
            missing: if state == CheckState::NotChecked {
                vec![format!(
                    "collector.{}",
                    if maven {
                        CollectorId::Java
                    } else {
                        CollectorId::Host
                    }
                )]
            } else {
                Vec::new()
            },
        });
    }
    for (rule, state, fid, missing) in rule_checks {
        let state = match (&fid, state) {
            (Some(id), CheckState::Failed)
                if by_id
                    .get(id.as_str())
                    .is_some_and(|f| f.status == Status::Accepted) =>
            {
                CheckState::Accepted
            }
            (_, s) => s,
        };
        checks.push(CheckResult {
            id: rule.id.clone(),
            topic: rule.check.topic.clone(),
            title: rule.check.passed.clone(),
            state,
            points: rule.check.points,
            earned: if state == CheckState::Passed {
                rule.check.points
            } else {
                0
            },
            automated: true,
            host: host.clone(),
            findings: fid.into_iter().collect(),
            missing,
        });
    }
    Machine {
        host,
        os: doc.scan.os.clone(),
        scanned_at: doc.scan.started_at.clone(),
        rules,
        checks,
        products,
        findings,
    }
}

/// Applicability of a requirement: `Some(false)` not applicable, `Some(true)` applicable,
/// `None` the profile does not tell yet. The basis names what decided it.
fn applicability(
    req: &Requirement,
    cat: &Catalogue,
    profile: &Profile,
) -> (Option<bool>, Option<String>) {
    let mut unknown = false;
    let conds = cat
        .anlage(req.anlage)
        .and_then(|a| a.applies_if.as_ref())
        .into_iter()
        .chain(req.applies_if.as_ref());
    for c in conds {
        match profile.flag(&c.profile) {
            Some(false) => return (Some(false), Some(format!("profile:{}=no", c.profile))),
            Some(true) => {}
            None => unknown = true,
        }
    }
    if unknown {
        (None, None)
    } else {
        (Some(true), None)
    }
}

fn anlage_applies(n: u8, cat: &Catalogue, profile: &Profile) -> Option<bool> {
    match cat.anlage(n).and_then(|a| a.applies_if.as_ref()) {
        None => Some(true),
        Some(c) => profile.flag(&c.profile),
    }
}

/// Findings that speak against KBV requirements: by requirement id and by rule id, each
/// with its basis string. Built once per summary (92 requirements × many findings otherwise).
struct Against {
    by_kbv: HashMap<String, Vec<String>>,
    by_rule: HashMap<String, Vec<String>>,
}

impl Against {
    fn new(machines: &[Seen<'_>]) -> Self {
        let mut by_kbv: HashMap<String, Vec<String>> = HashMap::new();
        let mut by_rule: HashMap<String, Vec<String>> = HashMap::new();
        for m in machines {
            for f in m.findings {
                let counts = f.status.is_open() || f.status == Status::Accepted;
                if !counts || f.severity < Severity::Low {
                    continue;
                }
                let tag = if f.status == Status::Accepted {
                    "accepted"
                } else {
                    "finding"
                };
                let basis = format!("{tag}:{}@{}", f.rule_id, m.m.host);
                for k in &f.kbv {
                    by_kbv.entry(k.clone()).or_default().push(basis.clone());
                }
                by_rule.entry(f.rule_id.clone()).or_default().push(basis);
            }
        }
        Self { by_kbv, by_rule }
    }
}

fn kbv_status(
    req: &Requirement,
    cat: &Catalogue,
    profile: &Profile,
    answers: &Answers,
    machines: &[Seen<'_>],
    evidence: &Against,
) -> KbvRequirementStatus {
    let status = |s, basis| KbvRequirementStatus {
        id: req.id.clone(),
        status: s,
        basis,
    };
    let (applies, why) = applicability(req, cat, profile);
    if applies == Some(false) {
        return status(KbvStatus::NotApplicable, why.into_iter().collect());
    }
    let answer = answers.requirements.get(&req.id).and_then(|a| a.reply);
    if answer == Some(Reply::NotApplicable) {
        return status(
            KbvStatus::NotApplicable,
            vec!["answer:not_applicable".to_owned()],
        );
    }
    // Evidence against: findings that name the requirement or come from its rules.
    let mut against: Vec<String> = evidence
        .by_kbv
        .get(&req.id)
        .into_iter()
        .flatten()
        .chain(
            req.rules
                .iter()
                .filter_map(|r| evidence.by_rule.get(r))
                .flatten(),
        )
        .cloned()
        .collect();
    if !against.is_empty() {
        against.sort();
        against.dedup();
        return status(KbvStatus::NotFulfilled, against);
    }
    if answer == Some(Reply::No) {
        return status(KbvStatus::NotFulfilled, vec!["answer:no".to_owned()]);
    }
    // Evidence for: the mapped host rules passed on every machine where they apply.
    let host_rules: Vec<&String> = req
        .rules
        .iter()
        .filter(|r| machines.iter().any(|m| m.m.rules.contains_key(*r)))
        .collect();
    let mut passed = Vec::new();
    let mut all_ran = !host_rules.is_empty() && !machines.is_empty();
    for m in machines {
        for r in &host_rules {
            match m.m.rules.get(*r) {
                Some(CheckState::Passed) => passed.push(format!("passed:{r}@{}", m.m.host)),
                Some(CheckState::NotApplicable) => {}
                _ => all_ran = false,
            }
        }
    }
    let automated_ok = all_ran && !passed.is_empty();
    if applies.is_none() {
        return status(KbvStatus::NotChecked, vec!["profile:unknown".to_owned()]);
    }
    match (req.automated, automated_ok, answer) {
        (Automation::Full, true, _) => status(KbvStatus::Fulfilled, passed),
        (_, _, Some(Reply::Yes)) => {
            let mut b = vec!["answer:yes".to_owned()];
            if automated_ok {
                b.extend(passed);
            }
            status(KbvStatus::Fulfilled, b)
        }
        _ => status(KbvStatus::NotChecked, Vec::new()),
    }
}

fn question_checks(opts: &Options<'_>, profile: &Profile) -> Vec<CheckResult> {
    let mut out = Vec::new();
    for req in &opts.catalogue.requirements {
        let Some(sc) = &req.scored else { continue };
        let (applies, _) = applicability(req, opts.catalogue, profile);
        let answer = opts.answers.requirements.get(&req.id).and_then(|a| a.reply);
        let state = match (applies, answer) {
            (Some(false), _) | (_, Some(Reply::NotApplicable)) => CheckState::NotApplicable,
            (_, Some(Reply::Yes)) => CheckState::Passed,
            (_, Some(Reply::No)) => CheckState::Failed,
            (_, None) => CheckState::NotChecked,
        };
        out.push(CheckResult {
            id: format!("kbv.{}", req.id),
            topic: sc.topic.clone(),
            title: req.title.clone(),
            state,
            points: sc.points,
            earned: if state == CheckState::Passed {
                sc.points
            } else {
                0
            },
            automated: false,
            host: String::new(),
            findings: Vec::new(),
            missing: if state == CheckState::NotChecked {
                vec![format!("answer:{}", req.id)]
            } else {
                Vec::new()
            },
        });
    }
    out
}

fn severity_weight(s: Severity) -> f64 {
    match s {
        Severity::Critical => 100.0,
        Severity::High => 40.0,
        Severity::Medium => 12.0,
        Severity::Low => 3.0,
        Severity::Info => 0.0,
    }
}

fn effort_weight(e: Effort) -> f64 {
    match e {
        Effort::Low => 1.0,
        Effort::Medium => 2.0,
        Effort::High => 4.0,
    }
}

fn placement_factor(c: Option<&Component>) -> f64 {
    match c {
        None => 1.0,
        Some(c) if !c.open_by.is_empty() => 1.5,
        Some(c) => match c.placement {
            Placement::Installed => 1.2,
            Placement::Unknown => 1.0,
            Placement::Distribution => 0.5,
            Placement::Installer
            | Placement::Backup
            | Placement::Download
            | Placement::BuildCache => 0.4,
        },
    }
}

fn status_factor(s: Status) -> f64 {
    if s == Status::Undetermined { 0.7 } else { 1.0 }
}

fn short_name(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

#[allow(clippy::too_many_lines)]
fn actions(
    machines: &[Seen<'_>],
    checks: &[CheckResult],
    opts: &Options<'_>,
    profile_missing: usize,
    de: &Catalog,
    en: &Catalog,
) -> Vec<Action> {
    struct Group<'c> {
        title: Text,
        why: Text,
        detail: Text,
        severity: Severity,
        effort: Effort,
        values: Vec<f64>,
        location: Option<String>,
        hosts: BTreeSet<String>,
        findings: Vec<String>,
        kbv: BTreeSet<String>,
        all_undetermined: bool,
        /// The component, when the action updates one.
        component: Option<&'c Component>,
    }
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for m in machines {
        for f in m.findings.iter().filter(|f| f.status.is_open()) {
            if f.severity == Severity::Info {
                continue;
            }
            let comp = m.component(f);
            let key = match comp {
                Some(c) => format!("c\u{0}{}\u{0}{}", m.m.host, c.id),
                None => format!("r\u{0}{}", f.rule_id),
            };
            let value = severity_weight(light_severity(f, comp))
                * placement_factor(comp)
                * status_factor(f.status);
            let effort = f.effort.unwrap_or(Effort::Medium);
            let g = groups.entry(key).or_insert_with(|| {
                let (title, location) = match comp {
                    Some(c) => (
                        component_action(de, en, "action-update-component", c),
                        Some(c.location.display.clone()),
                    ),
                    None => (
                        opts.set
                            .rules()
                            .iter()
                            .find(|r| r.id == f.rule_id)
                            .map_or_else(|| f.title.clone(), |r| r.action.clone()),
                        f.subject.location.as_ref().map(|l| l.display.clone()),
                    ),
                };
                Group {
                    title,
                    why: f.title.clone(),
                    detail: f.remediation.clone(),
                    severity: f.severity,
                    effort,
                    values: Vec::new(),
                    location,
                    hosts: BTreeSet::new(),
                    findings: Vec::new(),
                    kbv: BTreeSet::new(),
                    all_undetermined: true,
                    component: comp,
                }
            });
            if f.severity > g.severity
                || (f.severity == g.severity
                    && value > g.values.iter().copied().fold(0.0, f64::max))
            {
                g.why = f.title.clone();
                g.detail = f.remediation.clone();
                g.severity = f.severity;
            }
            g.effort = g.effort.max(effort);
            g.values.push(value);
            g.hosts.insert(m.m.host.clone());
            g.findings.push(f.id.clone());
            g.kbv.extend(f.kbv.iter().cloned());
            g.all_undetermined &= f.status == Status::Undetermined;
        }
    }
    let mut out: Vec<Action> = groups
        .into_values()
        .map(|mut g| {
            g.values.sort_by(|a, b| b.total_cmp(a));
            let top = g.values.first().copied().unwrap_or(0.0);
            let rest: f64 = g.values.iter().skip(1).sum();
            let priority = (top + 0.1 * rest) / effort_weight(g.effort);
            // When no finding could decide the version, the action is to check first.
            if g.all_undetermined
                && let Some(c) = g.component
            {
                g.title = component_action(de, en, "action-check-or-update-component", c);
            }
            Action {
                rank: 0,
                title: g.title,
                why: g.why,
                detail: g.detail,
                severity: g.severity,
                effort: g.effort,
                priority: (priority * 100.0).round() / 100.0,
                location: g.location,
                hosts: g.hosts.into_iter().collect(),
                findings: g.findings,
                kbv: g.kbv.into_iter().collect(),
            }
        })
        .collect();
    // Organisational requirements the practice answered with "no".
    for c in checks
        .iter()
        .filter(|c| !c.automated && c.state == CheckState::Failed)
    {
        let id = c.id.trim_start_matches("kbv.");
        let Some(req) = opts.catalogue.get(id) else {
            continue;
        };
        let value = severity_weight(Severity::Medium) * f64::from(c.points) / 5.0;
        out.push(Action {
            rank: 0,
            title: req.title.clone(),
            why: text(de, en, "action-kbv-why", &[("id", Arg::from(id))]),
            detail: req.demand.clone(),
            severity: Severity::Medium,
            effort: Effort::Medium,
            priority: ((value / effort_weight(Effort::Medium)) * 100.0).round() / 100.0,
            location: None,
            hosts: Vec::new(),
            findings: Vec::new(),
            kbv: vec![id.to_owned()],
        });
    }
    let unanswered = checks
        .iter()
        .filter(|c| !c.automated && c.state == CheckState::NotChecked)
        .count()
        + profile_missing;
    if unanswered > 0 {
        out.push(Action {
            rank: 0,
            title: text(de, en, "action-questionnaire", &[]),
            why: text(
                de,
                en,
                "action-questionnaire-why",
                &[("count", Arg::from(unanswered))],
            ),
            detail: text(de, en, "action-questionnaire-detail", &[]),
            severity: Severity::Low,
            effort: Effort::Low,
            priority: 2.0,
            location: None,
            hosts: Vec::new(),
            findings: Vec::new(),
            kbv: Vec::new(),
        });
    }
    out.sort_by(|a, b| {
        b.priority
            .total_cmp(&a.priority)
            .then(b.severity.cmp(&a.severity))
            .then(a.title.de.cmp(&b.title.de))
    });
    for (i, a) in out.iter_mut().enumerate() {
        a.rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }
    out
}

fn percent(part: u32, whole: u32) -> u32 {
    if whole == 0 {
        0
    } else {
        u32::try_from(u64::from(part) * 100 / u64::from(whole)).unwrap_or(100)
    }
}

#[allow(clippy::too_many_lines)]
fn summarize(
    machines: &[Seen<'_>],
    question_checks: &[CheckResult],
    opts: &Options<'_>,
    profile: &Profile,
) -> Assessment {
    let de = Catalog::new(Lang::De);
    let en = Catalog::new(Lang::En);
    let mut checks: Vec<CheckResult> = machines.iter().flat_map(|m| m.m.checks.clone()).collect();
    checks.extend(question_checks.iter().cloned());
    let possible: u32 = checks
        .iter()
        .filter(|c| c.state != CheckState::NotApplicable)
        .map(|c| c.points)
        .sum();
    let earned: u32 = checks.iter().map(|c| c.earned).sum();
    let auto: Vec<&CheckResult> = checks
        .iter()
        .filter(|c| c.automated && c.state != CheckState::NotApplicable)
        .collect();
    let ran = auto
        .iter()
        .filter(|c| {
            matches!(
                c.state,
                CheckState::Passed | CheckState::Failed | CheckState::Accepted
            )
        })
        .count();
    let coverage = Coverage {
        applicable: u32::try_from(auto.len()).unwrap_or(u32::MAX),
        ran: u32::try_from(ran).unwrap_or(u32::MAX),
        percent: percent(
            u32::try_from(ran).unwrap_or(u32::MAX),
            u32::try_from(auto.len()).unwrap_or(u32::MAX),
        ),
    };
    // The light.
    let mut critical: Vec<(String, String)> = Vec::new();
    let mut medium_or_worse = 0u32;
    let mut incident = false;
    for m in machines {
        for f in m.findings.iter().filter(|f| f.status.is_open()) {
            let comp = m.component(f);
            let s = light_severity(f, comp);
            if s == Severity::Critical {
                let what = match (comp, machines.len() > 1) {
                    (Some(c), true) => {
                        format!(
                            "{} {}, {}",
                            short_name(&c.name),
                            c.version_display(),
                            m.m.host
                        )
                    }
                    (Some(c), false) => format!("{} {}", short_name(&c.name), c.version_display()),
                    (None, _) => m.m.host.clone(),
                };
                critical.push((f.title.de.clone() + "\u{0}" + &f.title.en, what));
            }
            if s >= Severity::Medium {
                medium_or_worse += 1;
            }
            if opts
                .set
                .rules()
                .iter()
                .any(|r| r.id == f.rule_id && r.incident)
            {
                incident = true;
            }
        }
    }
    critical.sort();
    critical.dedup();
    // One reason per place: the worst advisory of a component names it.
    let mut seen = BTreeSet::new();
    critical.retain(|(_, what)| seen.insert(what.clone()));
    let (light, light_reasons) = if !critical.is_empty() {
        let reasons = critical
            .iter()
            .take(3)
            .map(|(t, what)| {
                let (tde, ten) = t.split_once('\u{0}').unwrap_or((t, t));
                Text::new(
                    de.t_args(
                        "assess-reason-critical",
                        &[("title", Arg::from(tde)), ("where", Arg::from(what))],
                    ),
                    en.t_args(
                        "assess-reason-critical",
                        &[("title", Arg::from(ten)), ("where", Arg::from(what))],
                    ),
                )
            })
            .collect();
        (Light::Red, reasons)
    } else {
        let mut reasons = Vec::new();
        if medium_or_worse > 0 {
            reasons.push(text(
                &de,
                &en,
                "assess-reason-open",
                &[("count", Arg::from(medium_or_worse))],
            ));
        }
        if coverage.percent < GREEN_COVERAGE_PERCENT {
            reasons.push(text(
                &de,
                &en,
                "assess-reason-coverage",
                &[
                    ("percent", Arg::from(coverage.percent)),
                    ("ran", Arg::from(coverage.ran)),
                    ("applicable", Arg::from(coverage.applicable)),
                ],
            ));
        }
        if reasons.is_empty() {
            (
                Light::Green,
                vec![text(
                    &de,
                    &en,
                    "assess-reason-green",
                    &[("percent", Arg::from(coverage.percent))],
                )],
            )
        } else {
            (Light::Yellow, reasons)
        }
    };
    // KBV coverage.
    let mut requirements = Vec::new();
    let mut counts: BTreeMap<u8, KbvAnlageCount> = BTreeMap::new();
    let evidence = Against::new(machines);
    for req in &opts.catalogue.requirements {
        let st = kbv_status(
            req,
            opts.catalogue,
            profile,
            opts.answers,
            machines,
            &evidence,
        );
        let c = counts.entry(req.anlage).or_insert(KbvAnlageCount {
            anlage: req.anlage,
            applies: anlage_applies(req.anlage, opts.catalogue, profile),
            fulfilled: 0,
            not_fulfilled: 0,
            not_checked: 0,
            not_applicable: 0,
        });
        match st.status {
            KbvStatus::Fulfilled => c.fulfilled += 1,
            KbvStatus::NotFulfilled => c.not_fulfilled += 1,
            KbvStatus::NotChecked => c.not_checked += 1,
            KbvStatus::NotApplicable => c.not_applicable += 1,
        }
        requirements.push(st);
    }
    let profile_missing: Vec<String> = profile_questions()
        .unwrap_or_default()
        .iter()
        .filter(|q| {
            let asked = q
                .requires
                .as_ref()
                .is_none_or(|r| profile.flag(r) == Some(true));
            asked
                && !opts.answers.profile.contains_key(&q.id)
                && !(q.id == "windows" && profile.flag("windows").is_some())
        })
        .map(|q| q.id.clone())
        .collect();
    let actions = actions(machines, &checks, opts, profile_missing.len(), &de, &en);
    let age = opts.set.age_days(opts.today).unwrap_or(i64::MAX);
    Assessment {
        date: ymd(opts.today),
        light,
        light_reasons,
        score: Score {
            earned,
            possible,
            percent: percent(earned, possible),
        },
        coverage,
        advisories: AdvisoryAge {
            age_days: age,
            stale: opts.set.is_stale(opts.today),
            stale_after_days: praxcheck_advisories::STALE_AFTER_DAYS,
        },
        checks,
        actions,
        kbv: KbvCoverage {
            anlagen: counts.into_values().collect(),
            requirements,
            profile_missing,
        },
        incident,
        products: machines.iter().flat_map(|m| m.m.products.clone()).collect(),
        machines: Vec::new(),
        answers: opts.answers.count(),
        comparison: None,
    }
}

fn machine_summary(m: &Seen<'_>, a: &Assessment) -> MachineSummary {
    MachineSummary {
        hostname: m.m.host.clone(),
        os: m.m.os.clone(),
        scanned_at: m.m.scanned_at.clone(),
        light: a.light,
        score: a.score.percent,
        open_findings: u32::try_from(m.findings.iter().filter(|f| f.status.is_open()).count())
            .unwrap_or(u32::MAX),
    }
}

/// One machine's verdict: what [`assess`] computed for one input document.
#[derive(Debug, Clone)]
pub struct MachineVerdict {
    /// The document's findings under the set, in canonical order.
    pub findings: Vec<Finding>,
    /// The advisory set the findings were computed with.
    pub advisory_set: AdvisorySetRef,
    /// The machine's own assessment.
    pub assessment: Assessment,
}

/// The result of [`assess`]: one verdict per input document (same order) and the practice
/// view of all of them together.
#[derive(Debug, Clone)]
pub struct Assessed {
    /// Per document, in input order.
    pub machines: Vec<MachineVerdict>,
    /// All documents together (for one document it equals that document's assessment).
    pub practice: Assessment,
}

impl Assessed {
    /// Writes each verdict into its document (findings, advisory set, assessment, canonical
    /// order) — the caller's explicit step; [`assess`] itself never changes a document.
    /// `docs` must be the documents that were assessed, in the same order. Returns the
    /// practice view.
    pub fn write_into(self, docs: &mut [Document]) -> Assessment {
        for (doc, m) in docs.iter_mut().zip(self.machines) {
            doc.findings = m.findings;
            doc.advisory_set = m.advisory_set;
            doc.assessment = Some(m.assessment);
            doc.canonicalize();
        }
        self.practice
    }
}

/// Assesses documents: computes each document's findings from its inventory (plus the
/// extra facts given for it, same order; missing entries mean none) and each machine's own
/// assessment, and the assessment of all of them together (the practice view; for one
/// document it equals that document's). Pure: the documents are only read (findings and
/// assessments stored in them are ignored), nothing is read from the machine.
#[must_use]
pub fn assess(docs: &[Document], extra: &[Facts], opts: &Options<'_>) -> Assessed {
    let empty = Facts::new();
    let mut machines: Vec<Machine> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| evaluate_machine(d, extra.get(i).unwrap_or(&empty), opts))
        .collect();
    let profile = Profile::new(opts.answers, &docs.iter().collect::<Vec<_>>());
    let questions = question_checks(opts, &profile);
    let (singles, practice) = {
        let seen: Vec<Seen<'_>> = machines
            .iter()
            .zip(docs.iter())
            .map(|(m, d)| Seen::new(m, d))
            .collect();
        let mut singles = Vec::new();
        let mut summaries = Vec::new();
        for m in &seen {
            let mut a = summarize(std::slice::from_ref(m), &questions, opts, &profile);
            let s = machine_summary(m, &a);
            a.machines = vec![s.clone()];
            summaries.push(s);
            singles.push(a);
        }
        let practice = if seen.len() == 1 {
            singles[0].clone()
        } else {
            let mut p = summarize(&seen, &questions, opts, &profile);
            p.machines = summaries;
            p
        };
        (singles, practice)
    };
    let machines = machines
        .iter_mut()
        .zip(singles)
        .map(|(m, assessment)| MachineVerdict {
            findings: std::mem::take(&mut m.findings),
            advisory_set: opts.set.reference(),
            assessment,
        })
        .collect();
    Assessed { machines, practice }
}
