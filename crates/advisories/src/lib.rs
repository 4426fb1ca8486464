//! Advisories as data, and the judgement of inventory components against them.
//!
//! An [`AdvisorySet`] is a versioned bundle of OSV records with praxcheck's annotations
//! (see [`osv`]). One set is compiled into the binary (built from `data/set.json` and
//! `data/osv/*.json`), so the scan works offline. Matching turns inventory facts into
//! [`praxcheck_model::Finding`]s; the collectors never do.
//!
//! Matching rule, per affected package of a record:
//! 1. the component's possible versions (exact, or the set the evidence allows) are related
//!    to the affected versions: all affected → `vulnerable`, some → `undetermined`, none →
//!    no finding;
//! 2. when the record names a class the vulnerability needs and the component's classes
//!    were examined, a missing class turns the finding into `mitigated` (or drops it, when
//!    the record says its absence means "not affected").

pub mod facts;
pub mod known;
pub mod matcher;
pub mod network;
pub mod osv;
pub mod products;
pub mod rules;
pub mod update;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use praxcheck_model::AdvisorySetRef;
use praxcheck_versions::{Scheme, VersionSet};

pub use facts::{Cond, Fact, FactValue, Facts, Truth};
pub use matcher::match_components;
pub use osv::OsvRecord;
pub use products::{Product, Recognized, match_products};
pub use rules::{Rule, RuleKind, RuleOutcome};
pub use update::{StateDir, UpdateError, UpdateOutcome};

/// The embedded set, bundled by `build.rs`.
const EMBEDDED: &str = include_str!(concat!(env!("OUT_DIR"), "/embedded-set.json"));

/// The embedded set being parsed ahead ([`AdvisorySet::prepare_embedded`]).
type Prepared = std::thread::JoinHandle<Result<AdvisorySet, AdvisoryError>>;
static PREPARED: std::sync::Mutex<Option<Prepared>> = std::sync::Mutex::new(None);

/// Errors loading an advisory set.
#[derive(Debug, thiserror::Error)]
pub enum AdvisoryError {
    /// The bundle is not valid JSON of the expected shape.
    #[error("advisory set {what}: {error}")]
    Parse {
        /// Which set (file name or `embedded`).
        what: String,
        /// Parser error (in the message; not a `source`, so that a chain printed with
        /// `{:#}` does not repeat it).
        error: serde_json::Error,
    },
    /// The set's version is outside [`MIN_SET_VERSION`]..=[`MAX_SET_VERSION`].
    #[error("advisory set {what}: {}", version_range_reason(*version))]
    Version {
        /// Which set.
        what: String,
        /// The version in the set.
        version: u64,
    },
    /// A record is malformed.
    #[error("advisory set {what}: record {id}: {reason}")]
    Record {
        /// Which set.
        what: String,
        /// Record id.
        id: String,
        /// What is wrong.
        reason: String,
    },
}

/// Lowest valid set version.
pub const MIN_SET_VERSION: u64 = 1;
/// Highest valid set version: 2^53 − 1, the largest integer every JSON reader and every
/// number formatter (which may go through a double) keeps exact. A set of version 2^64 − 1
/// would otherwise block every later update and print rounded.
pub const MAX_SET_VERSION: u64 = (1 << 53) - 1;

/// Why a set version is refused.
#[must_use]
pub fn version_range_reason(version: u64) -> String {
    format!("version {version} is outside the valid range {MIN_SET_VERSION} to {MAX_SET_VERSION}")
}

/// Identity and validity of a set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetMeta {
    /// Identifier, e.g. `praxcheck-default`.
    pub id: String,
    /// Monotonic version; an update must be newer than the installed set.
    pub version: u64,
    /// Publication date (YYYY-MM-DD).
    pub published: String,
    /// Date after which the set must not be accepted as an update (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

/// After this many days without an update the set counts as old and every report says so.
pub const STALE_AFTER_DAYS: i64 = 30;

#[derive(Debug, Serialize, Deserialize)]
struct Bundle {
    #[serde(flatten)]
    meta: SetMeta,
    records: Vec<OsvRecord>,
    #[serde(default)]
    rules: Vec<Rule>,
    #[serde(default)]
    products: Vec<Product>,
}

/// One affected package of one record, with its affected versions precomputed.
#[derive(Debug, Clone)]
pub(crate) struct IndexedAffected {
    pub(crate) record: usize,
    /// Every affected entry of the record that names this package (GitHub's records often
    /// list one entry per range).
    pub(crate) affected: Vec<usize>,
    pub(crate) versions: VersionSet,
    /// `versions` as intervals with bounds parsed once (Maven scheme only), so an exact
    /// component version is tested without re-parsing every bound.
    pub(crate) bounds: Option<Vec<ParsedInterval>>,
    /// Fixed versions named by the entries, newest first.
    pub(crate) fixed: Vec<String>,
}

/// An interval with parsed bounds: (lower, inclusive), (upper, inclusive).
pub(crate) type ParsedInterval = (
    Option<(praxcheck_versions::MavenKey, bool)>,
    Option<(praxcheck_versions::MavenKey, bool)>,
);

impl IndexedAffected {
    /// Whether an exact (parsed) version lies in the affected versions; `None` when the
    /// bounds were not precomputed (another scheme).
    pub(crate) fn contains_key(&self, k: &praxcheck_versions::MavenKey) -> Option<bool> {
        let bounds = self.bounds.as_ref()?;
        Some(bounds.iter().any(|(lo, hi)| {
            let above = lo.as_ref().is_none_or(|(b, inc)| match k.cmp(b) {
                std::cmp::Ordering::Greater => true,
                std::cmp::Ordering::Equal => *inc,
                std::cmp::Ordering::Less => false,
            });
            let below = hi.as_ref().is_none_or(|(b, inc)| match k.cmp(b) {
                std::cmp::Ordering::Less => true,
                std::cmp::Ordering::Equal => *inc,
                std::cmp::Ordering::Greater => false,
            });
            above && below
        }))
    }
}

/// A loaded, indexed advisory set.
#[derive(Debug, Clone)]
pub struct AdvisorySet {
    meta: SetMeta,
    source: String,
    records: Vec<OsvRecord>,
    rules: Vec<Rule>,
    products: Vec<Product>,
    /// ecosystem → package name → affected entries (nested so a lookup by `&str` needs no
    /// allocation: this runs once per inventory component).
    index: HashMap<String, HashMap<String, Vec<IndexedAffected>>>,
}

impl AdvisorySet {
    /// The set compiled into this binary. The first call after
    /// [`AdvisorySet::prepare_embedded`] takes the set that thread parsed (waiting for it
    /// when it is not done yet); every other call parses it.
    ///
    /// # Errors
    /// Only if the embedded data is broken (the crate's tests prevent that).
    pub fn embedded() -> Result<Self, AdvisoryError> {
        let prepared = PREPARED.lock().ok().and_then(|mut p| p.take());
        if let Some(Ok(set)) = prepared.map(std::thread::JoinHandle::join) {
            return set;
        }
        Self::from_bundle_json(EMBEDDED, "embedded")
    }

    /// Starts parsing the embedded set on a thread of its own, so that the next
    /// [`AdvisorySet::embedded`] finds it ready: a scan calls this before it walks, and the
    /// set (a few milliseconds of parsing and indexing) is ready when the assessment needs
    /// it. Does nothing when a prepared set is waiting already.
    pub fn prepare_embedded() {
        if let Ok(mut p) = PREPARED.lock()
            && p.is_none()
        {
            *p = std::thread::Builder::new()
                .name("praxcheck-advisories".to_owned())
                .spawn(|| Self::from_bundle_json(EMBEDDED, "embedded"))
                .ok();
        }
    }

    /// The identity of the embedded set (id, version, dates) without parsing its records,
    /// for `--version`.
    ///
    /// # Errors
    /// Only if the embedded data is broken.
    pub fn embedded_meta() -> Result<SetMeta, AdvisoryError> {
        serde_json::from_str(EMBEDDED).map_err(|e| AdvisoryError::Parse {
            what: "embedded".to_owned(),
            error: e,
        })
    }

    /// The embedded bundle as JSON text (for tools that build updates from it).
    #[must_use]
    pub fn embedded_json() -> &'static str {
        EMBEDDED
    }

    /// Loads a bundle (`{id, version, published, expires, records: [...]}`).
    ///
    /// # Errors
    /// When the JSON is malformed or a record is invalid.
    pub fn from_bundle_json(json: &str, source: &str) -> Result<Self, AdvisoryError> {
        let bundle: Bundle = serde_json::from_str(json).map_err(|e| AdvisoryError::Parse {
            what: source.to_owned(),
            error: e,
        })?;
        if !(MIN_SET_VERSION..=MAX_SET_VERSION).contains(&bundle.meta.version) {
            return Err(AdvisoryError::Version {
                what: source.to_owned(),
                version: bundle.meta.version,
            });
        }
        let mut set = Self::from_parts(bundle.meta, bundle.records, source)?;
        set.with_rules(bundle.rules, bundle.products, source)?;
        Ok(set)
    }

    /// Adds host/log rules and practice products, checking each.
    ///
    /// # Errors
    /// When a rule or product is malformed or an id repeats.
    pub fn with_rules(
        &mut self,
        rules: Vec<Rule>,
        products: Vec<Product>,
        source: &str,
    ) -> Result<(), AdvisoryError> {
        let bad = |id: &str, reason: String| AdvisoryError::Record {
            what: source.to_owned(),
            id: id.to_owned(),
            reason,
        };
        let mut ids = std::collections::HashSet::new();
        for r in &rules {
            r.validate().map_err(|e| bad(&r.id, e))?;
            if !ids.insert(r.id.clone()) {
                return Err(bad(&r.id, "duplicate rule id".to_owned()));
            }
        }
        let mut products = products;
        for p in &mut products {
            p.resolve_names().map_err(|e| bad(&p.id, e))?;
            p.validate().map_err(|e| bad(&p.id, e))?;
            if !ids.insert(p.id.clone()) {
                return Err(bad(&p.id, "duplicate product id".to_owned()));
            }
            for a in &p.advisories {
                if !ids.insert(a.id.clone()) {
                    return Err(bad(&a.id, "duplicate advisory id".to_owned()));
                }
            }
        }
        self.rules = rules;
        self.products = products;
        Ok(())
    }

    /// Builds a set from its parts.
    ///
    /// # Errors
    /// When a record has no id or a range has no events.
    pub fn from_parts(
        meta: SetMeta,
        records: Vec<OsvRecord>,
        source: &str,
    ) -> Result<Self, AdvisoryError> {
        let mut index: HashMap<String, HashMap<String, Vec<IndexedAffected>>> = HashMap::new();
        for (ri, rec) in records.iter().enumerate() {
            if rec.id.trim().is_empty() {
                return Err(AdvisoryError::Record {
                    what: source.to_owned(),
                    id: format!("#{ri}"),
                    reason: "empty id".to_owned(),
                });
            }
            if rec.withdrawn.is_some() {
                continue;
            }
            for (ai, aff) in rec.affected.iter().enumerate() {
                let versions = affected_versions(aff).map_err(|reason| AdvisoryError::Record {
                    what: source.to_owned(),
                    id: rec.id.clone(),
                    reason,
                })?;
                let list = index
                    .entry(aff.package.ecosystem.clone())
                    .or_default()
                    .entry(aff.package.name.clone())
                    .or_default();
                match list.iter_mut().find(|e| e.record == ri) {
                    Some(e) => {
                        e.affected.push(ai);
                        e.versions = e.versions.union(&versions);
                    }
                    None => list.push(IndexedAffected {
                        record: ri,
                        affected: vec![ai],
                        versions,
                        bounds: None,
                        fixed: Vec::new(),
                    }),
                }
            }
        }
        for (eco, by_name) in &mut index {
            let maven = Scheme::for_ecosystem(eco) == Scheme::Maven;
            for list in by_name.values_mut() {
                for e in list.iter_mut() {
                    if maven {
                        e.bounds = Some(
                            e.versions
                                .intervals()
                                .iter()
                                .map(|iv| {
                                    let key = |b: &Option<praxcheck_model::VersionBound>| {
                                        b.as_ref().map(|b| {
                                            (
                                                praxcheck_versions::MavenKey::new(&b.version),
                                                b.inclusive,
                                            )
                                        })
                                    };
                                    (key(&iv.min), key(&iv.max))
                                })
                                .collect(),
                        );
                    }
                    let affs: Vec<&osv::OsvAffected> = records
                        .get(e.record)
                        .map(|r| {
                            e.affected
                                .iter()
                                .filter_map(|&i| r.affected.get(i))
                                .collect()
                        })
                        .unwrap_or_default();
                    e.fixed = matcher::fixed_versions(&affs);
                }
            }
        }
        Ok(Self {
            meta,
            source: source.to_owned(),
            records,
            rules: Vec::new(),
            products: Vec::new(),
            index,
        })
    }

    /// The host and log rules.
    #[must_use]
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The curated practice products.
    #[must_use]
    pub fn products(&self) -> &[Product] {
        &self.products
    }

    /// Where the set was loaded from (`embedded` or `installed`).
    #[must_use]
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Days since publication on the given date (negative if published in the future;
    /// `None` when the publication date does not parse).
    #[must_use]
    pub fn age_days(&self, today: time::Date) -> Option<i64> {
        parse_date(&self.meta.published).map(|p| (today - p).whole_days())
    }

    /// True when the set is older than [`STALE_AFTER_DAYS`] (or its date is unreadable).
    #[must_use]
    pub fn is_stale(&self, today: time::Date) -> bool {
        self.age_days(today).is_none_or(|d| d > STALE_AFTER_DAYS)
    }

    /// Identity and dates.
    #[must_use]
    pub fn meta(&self) -> &SetMeta {
        &self.meta
    }

    /// The records.
    #[must_use]
    pub fn records(&self) -> &[OsvRecord] {
        &self.records
    }

    /// The reference written into documents.
    #[must_use]
    pub fn reference(&self) -> AdvisorySetRef {
        AdvisorySetRef {
            id: self.meta.id.clone(),
            version: self.meta.version,
            published: self.meta.published.clone(),
            source: self.source.clone(),
        }
    }

    pub(crate) fn lookup(&self, ecosystem: &str, name: &str) -> &[IndexedAffected] {
        self.index
            .get(ecosystem)
            .and_then(|m| m.get(name))
            .map_or(&[], Vec::as_slice)
    }

    pub(crate) fn record(&self, i: usize) -> Option<&OsvRecord> {
        self.records.get(i)
    }
}

fn affected_versions(aff: &osv::OsvAffected) -> Result<VersionSet, String> {
    ranges_to_set(&aff.ranges, &aff.versions, &aff.package.ecosystem)
}

/// Parses `YYYY-MM-DD`.
#[must_use]
pub fn parse_date(s: &str) -> Option<time::Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s.get(..10)?, fmt).ok()
}

/// The union of OSV ranges and listed versions.
pub(crate) fn ranges_to_set(
    ranges: &[osv::OsvRange],
    versions: &[String],
    ecosystem: &str,
) -> Result<VersionSet, String> {
    let scheme = Scheme::for_ecosystem(ecosystem);
    let mut set = VersionSet::empty(scheme);
    for v in versions {
        set = set.union(&VersionSet::exact(scheme, v));
    }
    for range in ranges {
        if range.kind == "GIT" {
            continue;
        }
        if range.events.is_empty() {
            return Err("a range without events".to_owned());
        }
        let mut start: Option<Option<String>> = None;
        for ev in &range.events {
            if let Some(i) = &ev.introduced {
                let lo = if i == "0" { None } else { Some(i.clone()) };
                start = Some(lo);
                continue;
            }
            let hi = match (&ev.fixed, &ev.last_affected) {
                (Some(f), _) => Some((f.as_str(), false)),
                (None, Some(l)) => Some((l.as_str(), true)),
                (None, None) => None,
            };
            if let (Some(hi), Some(lo)) = (hi, start.take()) {
                set = set.union(&interval(scheme, lo.as_deref(), Some(hi)));
            }
        }
        if let Some(lo) = start {
            set = set.union(&interval(scheme, lo.as_deref(), None));
        }
    }
    Ok(set)
}

fn interval(scheme: Scheme, lo: Option<&str>, hi: Option<(&str, bool)>) -> VersionSet {
    use praxcheck_model::{VersionBound, VersionInterval};
    VersionSet::from_intervals(
        scheme,
        &[VersionInterval {
            min: lo.map(|v| VersionBound {
                version: v.to_owned(),
                inclusive: true,
            }),
            max: hi.map(|(v, inclusive)| VersionBound {
                version: v.to_owned(),
                inclusive,
            }),
        }],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_set_loads_and_has_records() {
        let set = AdvisorySet::embedded().unwrap();
        assert!(!set.records().is_empty());
        assert!(set.meta().version >= 1);
        assert_eq!(set.reference().source, "embedded");
    }

    /// The set parsed ahead on a thread and the identity read without the records are the
    /// embedded set's.
    #[test]
    fn the_prepared_set_and_the_meta_are_the_embedded_ones() {
        let parsed = AdvisorySet::from_bundle_json(EMBEDDED, "embedded").unwrap();
        AdvisorySet::prepare_embedded();
        AdvisorySet::prepare_embedded();
        let prepared = AdvisorySet::embedded().unwrap();
        assert_eq!(prepared.meta(), parsed.meta());
        assert_eq!(prepared.records().len(), parsed.records().len());
        assert_eq!(prepared.rules().len(), parsed.rules().len());
        assert_eq!(prepared.reference(), parsed.reference());
        assert_eq!(&AdvisorySet::embedded_meta().unwrap(), parsed.meta());
        // Taken: the next call parses again.
        assert_eq!(AdvisorySet::embedded().unwrap().meta(), parsed.meta());
    }

    #[test]
    fn every_embedded_record_is_annotated_in_both_languages() {
        let set = AdvisorySet::embedded().unwrap();
        for rec in set.records() {
            let ann = rec
                .database_specific
                .as_ref()
                .and_then(|d| d.praxcheck.as_ref())
                .unwrap_or_else(|| panic!("{} has no praxcheck annotation", rec.id));
            let title = ann
                .title
                .as_ref()
                .unwrap_or_else(|| panic!("{} has no title", rec.id));
            let rem = ann
                .remediation
                .as_ref()
                .unwrap_or_else(|| panic!("{} has no remediation", rec.id));
            for t in [title, rem] {
                assert!(
                    !t.de.is_empty() && !t.en.is_empty(),
                    "{}: empty text",
                    rec.id
                );
                assert_ne!(t.de, t.en, "{}: German text missing", rec.id);
            }
            assert!(
                !rec.aliases.is_empty() || rec.id.starts_with("PRAX-"),
                "{}",
                rec.id
            );
            assert!(!rec.severity.is_empty(), "{} has no CVSS vector", rec.id);
        }
    }

    #[test]
    fn ranges_become_version_sets() {
        let aff: osv::OsvAffected = serde_json::from_str(
            r#"{"package":{"ecosystem":"Maven","name":"g:a"},
                "ranges":[{"type":"ECOSYSTEM","events":[
                  {"introduced":"2.13.0"},{"fixed":"2.15.0"},
                  {"introduced":"0"},{"fixed":"2.3.1"},
                  {"introduced":"2.4"},{"last_affected":"2.12.1"}]}]}"#,
        )
        .unwrap();
        let set = affected_versions(&aff).unwrap();
        assert_eq!(
            set.to_string(),
            "(, 2.3.1) ∪ [2.4, 2.12.1] ∪ [2.13.0, 2.15.0)"
        );
    }
}

#[cfg(test)]
mod class_tests {
    use praxcheck_model::{Component, ComponentKind, JavaFacts, JavaProduct, Location, Status};

    fn core(classes: &[&str], examined: bool) -> Component {
        let loc = Location::file(std::path::Path::new("/opt/a.jar"));
        Component {
            id: "x".into(),
            kind: ComponentKind::JavaClasses,
            ecosystem: "Maven".into(),
            name: "org.apache.logging.log4j:log4j-core".into(),
            version: Some("2.14.1".into()),
            version_range: Vec::new(),
            version_source: None,
            purl: None,
            location: loc,
            placement: praxcheck_model::Placement::Installed,
            open_by: Vec::new(),
            evidence: Vec::new(),
            java: Some(JavaFacts {
                product: Some(JavaProduct::Log4jCore),
                package_root: None,
                relocated: false,
                classes: classes
                    .iter()
                    .map(|c| praxcheck_model::ClassFact {
                        canonical: (*c).into(),
                        path: String::new(),
                    })
                    .collect(),
                classes_examined: examined,
            }),
        }
    }

    fn status(c: &Component, rule: &str) -> Option<Status> {
        let set = super::AdvisorySet::embedded().unwrap();
        super::match_components(&set, std::slice::from_ref(c))
            .into_iter()
            .find(|f| f.rule_id == rule)
            .map(|f| f.status)
    }

    #[test]
    fn a_copy_whose_only_notable_class_was_removed_stays_mitigated() {
        // Examined, nothing left (JndiLookup removed from a minimal shaded copy): mitigated.
        assert_eq!(
            status(&core(&[], true), "CVE-2021-44228"),
            Some(Status::Mitigated)
        );
        assert_eq!(status(&core(&[], true), "CVE-2021-45105"), None);
        // Not examined (known from metadata only): the version decides.
        assert_eq!(
            status(&core(&[], false), "CVE-2021-44228"),
            Some(Status::Vulnerable)
        );
        assert_eq!(
            status(
                &core(&["org.apache.logging.log4j.core.lookup.JndiLookup"], true),
                "CVE-2021-44228"
            ),
            Some(Status::Vulnerable)
        );
    }
}
