//! The hand-curated list of practice products: practice software (KBV test module XPM, HÄVG
//! test module), TI components (connectors) and medical-device software from the vendors'
//! Log4Shell statements (CISA and NCSC-NL lists, see `data/products/SOURCES.md`).
//!
//! Each entry names explicit match patterns for installed-program names (case-insensitive,
//! `*` matches any run of characters, `?` one character) and, per advisory, the affected
//! versions (OSV-style ranges or version patterns). Every entry has a fixture in
//! `tests/fixtures/products/<id>.json` with names that must and must not match.
//!
//! Matching looks only at installed programs and packages (anything but Maven
//! components, which the OSV records judge).

use serde::{Deserialize, Serialize};

use praxcheck_model::{
    Component, Effort, Evidence, EvidenceKind, Finding, Severity, Status, Subject, Text,
};
use praxcheck_versions::{Relation, Scheme, VersionSet, relate};

use crate::osv::OsvRange;

/// What kind of product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductCategory {
    /// Practice software and its modules (PVS, KBV test module, HÄVG test module).
    PracticeSoftware,
    /// Components of the telematics infrastructure (connector, card terminals).
    TiComponent,
    /// Software of medical devices (viewers, modality workstations).
    MedicalDevice,
    /// Remote-maintenance tools.
    RemoteMaintenance,
}

/// Which versions an advisory affects.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionMatch {
    /// Every version.
    #[serde(default)]
    pub all: bool,
    /// OSV-style ranges (`introduced` / `fixed` / `last_affected`), compared with Maven's
    /// ordering, which handles dotted versions and qualifiers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<OsvRange>,
    /// Version patterns (`7.*`, `VB20A*`), case-insensitive, for vendor version names that
    /// no ordering handles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<String>,
}

/// One advisory about a product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductAdvisory {
    /// Rule id, e.g. `PRAX-PROD-ZEISS-FORUM-LOG4SHELL`.
    pub id: String,
    /// CVE ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Affected versions.
    pub versions: VersionMatch,
    /// `vulnerable` when the version alone proves it; `undetermined` when a patch may have
    /// been applied without changing the version, or the statement is uncertain.
    pub status: Status,
    /// How bad.
    pub severity: Severity,
    /// How much work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<Effort>,
    /// KBV requirements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kbv: Vec<String>,
    /// Title.
    pub title: Text,
    /// Explanation; `{name}` and `{version}` are replaced.
    pub explanation: Text,
    /// What to do.
    pub remediation: Text,
    /// Vendor statement and dataset rows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// Whether the affected versions were checked against the vendor's own statement
    /// (false: taken from a secondary source or inferred; the report says so).
    #[serde(default)]
    pub verified: bool,
}

/// One product of the curated list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Entry id, e.g. `zeiss-forum`.
    pub id: String,
    /// Vendor.
    pub vendor: String,
    /// Product name for people.
    pub name: String,
    /// Kind of product.
    pub category: ProductCategory,
    /// Installed-program name patterns; any may match. Empty in the file when `catalogue`
    /// names the host catalogue's entry, whose patterns are then used (one definition).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_names: Vec<String>,
    /// The id of the host catalogue's entry (`data/catalogue.json`) that defines this
    /// product's name patterns, for products the host collector also recognises.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<String>,
    /// Names that look alike but are other products.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_names: Vec<String>,
    /// Ecosystems of components to consider (`Windows`, `Debian`, `RPM`, `Product`);
    /// empty = every ecosystem but Maven.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ecosystems: Vec<String>,
    /// Advisories about it (none: the product is recognised and listed only).
    #[serde(default)]
    pub advisories: Vec<ProductAdvisory>,
    /// Where the entry comes from.
    pub sources: Vec<String>,
    /// Whether the name patterns come from real installed-program entries (true) or from
    /// the product name in the vendor's statement (false).
    #[serde(default)]
    pub names_verified: bool,
    /// Notes for maintainers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A product recognised in an inventory.
#[derive(Debug, Clone, PartialEq)]
pub struct Recognized<'a> {
    /// The list entry.
    pub product: &'a Product,
    /// The component it was recognised in.
    pub component: &'a Component,
}

/// Case-insensitive wildcard match: `*` any run, `?` one character, `\b` a word boundary
/// (between a letter or digit and anything else, or at either end). The one pattern
/// language of the product advisories and of the host catalogue (`known`).
///
/// Written by hand: the glob crates match paths (separators, brace sets), not product
/// names, and this is a few lines of dynamic programming without backtracking blow-up.
#[must_use]
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    enum Tok {
        Star,
        One,
        Boundary,
        Char(char),
    }
    let mut toks = Vec::new();
    let mut it = pattern.chars().flat_map(char::to_lowercase).peekable();
    while let Some(c) = it.next() {
        toks.push(match c {
            '*' => Tok::Star,
            '?' => Tok::One,
            '\\' if it.peek() == Some(&'b') => {
                it.next();
                Tok::Boundary
            }
            c => Tok::Char(c),
        });
    }
    let t: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    let word = |j: usize| j < t.len() && t[j].is_alphanumeric();
    let boundary = |j: usize| (j > 0 && t[j - 1].is_alphanumeric()) != word(j);
    // dp[j] = pattern so far matches text[..j]
    let mut dp = vec![false; t.len() + 1];
    dp[0] = true;
    for tok in &toks {
        let mut next = vec![false; t.len() + 1];
        match tok {
            Tok::Star => {
                let mut seen = false;
                for j in 0..=t.len() {
                    seen |= dp[j];
                    next[j] = seen;
                }
            }
            Tok::Boundary => {
                for j in 0..=t.len() {
                    next[j] = dp[j] && boundary(j);
                }
            }
            Tok::One | Tok::Char(_) => {
                for j in 1..=t.len() {
                    next[j] = dp[j - 1]
                        && match tok {
                            Tok::Char(c) => *c == t[j - 1],
                            _ => true,
                        };
                }
            }
        }
        dp = next;
    }
    dp[t.len()]
}

impl Product {
    /// Takes the name patterns from the host catalogue when the entry names one, so a
    /// product the host collector also recognises is defined once (issue 10 step 4).
    ///
    /// # Errors
    /// When the catalogue has no such entry, or the entry also lists patterns of its own
    /// that differ from the catalogue's.
    pub fn resolve_names(&mut self) -> Result<(), String> {
        let Some(id) = &self.catalogue else {
            return Ok(());
        };
        let Some(entry) = crate::known::Known::embedded()
            .products
            .iter()
            .find(|k| &k.id == id)
        else {
            return Err(format!("catalogue entry {id} not found"));
        };
        if !self.match_names.is_empty() && self.match_names != entry.names {
            return Err(format!(
                "match_names differ from catalogue entry {id}: define the names once, there"
            ));
        }
        self.match_names.clone_from(&entry.names);
        Ok(())
    }

    /// Checks the entry's shape.
    ///
    /// # Errors
    /// The first problem, in words.
    pub fn validate(&self) -> Result<(), String> {
        if self.match_names.is_empty() {
            return Err("no match_names".to_owned());
        }
        if self.sources.is_empty() {
            return Err("no sources".to_owned());
        }
        for a in &self.advisories {
            let v = &a.versions;
            if !v.all && v.ranges.is_empty() && v.patterns.is_empty() {
                return Err(format!("{}: no affected versions", a.id));
            }
            if !matches!(a.status, Status::Vulnerable | Status::Undetermined) {
                return Err(format!(
                    "{}: status must be vulnerable or undetermined",
                    a.id
                ));
            }
            for (what, t) in [
                ("title", &a.title),
                ("explanation", &a.explanation),
                ("remediation", &a.remediation),
            ] {
                if t.de.trim().is_empty() || t.en.trim().is_empty() {
                    return Err(format!("{}: {what} needs German and English", a.id));
                }
            }
            crate::ranges_to_set(&v.ranges, &[], "Product")?;
        }
        Ok(())
    }

    /// Whether an installed program or package is this product. The host collector's own
    /// component for a program it recognised (ecosystem `Product`, named by the catalogue
    /// id) is not matched: the installed program beside it is, so nothing counts twice.
    #[must_use]
    pub fn matches(&self, comp: &Component) -> bool {
        if comp.ecosystem == "Product" && self.catalogue.as_deref() == Some(comp.name.as_str()) {
            return false;
        }
        let eco_ok = if self.ecosystems.is_empty() {
            comp.ecosystem != "Maven"
        } else {
            self.ecosystems
                .iter()
                .any(|e| e.eq_ignore_ascii_case(&comp.ecosystem))
        };
        eco_ok
            && self
                .match_names
                .iter()
                .any(|p| wildcard_match(p, &comp.name))
            && !self
                .exclude_names
                .iter()
                .any(|p| wildcard_match(p, &comp.name))
    }
}

/// How a component's version relates to an advisory's affected versions.
fn version_relation(adv: &ProductAdvisory, version: Option<&str>) -> Relation {
    let v = &adv.versions;
    if v.all {
        return Relation::All;
    }
    let Some(version) = version else {
        // Unknown version against a versioned advisory: it may or may not be affected.
        return Relation::Some;
    };
    if v.patterns.iter().any(|p| wildcard_match(p, version)) {
        return Relation::All;
    }
    if v.ranges.is_empty() {
        return Relation::None;
    }
    match crate::ranges_to_set(&v.ranges, &[], "Product") {
        Ok(set) => relate(&VersionSet::exact(Scheme::Maven, version), &set),
        Err(_) => Relation::None,
    }
}

/// Recognises products among the components and judges their advisories.
#[must_use]
pub fn match_products<'a>(
    products: &'a [Product],
    components: &'a [Component],
) -> (Vec<Finding>, Vec<Recognized<'a>>) {
    let mut findings = Vec::new();
    let mut recognized = Vec::new();
    for comp in components.iter().filter(|c| c.ecosystem != "Maven") {
        for p in products.iter().filter(|p| p.matches(comp)) {
            recognized.push(Recognized {
                product: p,
                component: comp,
            });
            for adv in &p.advisories {
                let status = match version_relation(adv, comp.version.as_deref()) {
                    Relation::None => continue,
                    Relation::All => adv.status,
                    Relation::Some => Status::Undetermined,
                };
                let version = comp.version.clone().unwrap_or_else(|| "?".to_owned());
                let fill = |s: &str| {
                    s.replace("{name}", &comp.name)
                        .replace("{version}", &version)
                };
                let mut evidence = vec![Evidence {
                    kind: EvidenceKind::Other,
                    path: None,
                    detail: format!(
                        "{} {version} ({}) = {} / {}",
                        comp.name, comp.ecosystem, p.vendor, p.name
                    ),
                    says: None,
                }];
                evidence.extend(comp.evidence.iter().cloned());
                findings.push(Finding {
                    id: Finding::derive_id(&adv.id, &comp.id),
                    rule_id: adv.id.clone(),
                    advisory_id: adv.id.clone(),
                    aliases: adv.aliases.clone(),
                    subject: Subject {
                        component: Some(comp.id.clone()),
                        fact: None,
                        location: Some(comp.location.clone()),
                    },
                    severity: adv.severity,
                    status,
                    cvss: None,
                    title: adv.title.clone(),
                    explanation: Text::new(fill(&adv.explanation.de), fill(&adv.explanation.en)),
                    evidence,
                    remediation: adv.remediation.clone(),
                    fixed_versions: fixed_versions(&adv.versions),
                    effort: adv.effort,
                    kbv: adv.kbv.clone(),
                    references: adv.references.clone(),
                    accepted: None,
                });
            }
        }
    }
    (findings, recognized)
}

fn fixed_versions(v: &VersionMatch) -> Vec<String> {
    v.ranges
        .iter()
        .flat_map(|r| r.events.iter().filter_map(|e| e.fixed.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard_match("*forum*", "ZEISS FORUM Viewer"));
        assert!(wildcard_match("syngo.via*", "syngo.via VB40A"));
        assert!(!wildcard_match("syngo.via", "syngo.via VB40A"));
        assert!(wildcard_match("KBV*Pr?fmodul*", "KBV Prüfmodul XPM"));
        // `\b`: a word boundary, at either end or next to a non-alphanumeric character.
        assert!(wildcard_match("*\\bXPM\\b*", "KVDT XPM 2026"));
        assert!(wildcard_match("*\\bXPM\\b*", "xpm"));
        assert!(wildcard_match("*\\bXPM\\b*", "XPM_KVDT"));
        assert!(!wildcard_match("*\\bXPM\\b*", "XPMKVDT"));
        assert!(!wildcard_match("*\\bHPM\\b*", "SHPM Tool"));
        assert!(wildcard_match("*\\bKIM\\b*client*", "KIM Client 1.2"));
        assert!(wildcard_match("7.*", "7.2"));
        assert!(!wildcard_match("7.*", "17.2"));
        assert!(wildcard_match("*", ""));
        assert!(!wildcard_match("?", ""));
        // No exponential backtracking on many stars.
        assert!(!wildcard_match(&"*a".repeat(40), &"a".repeat(39)));
    }
}
