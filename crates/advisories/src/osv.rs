//! The subset of the OSV schema (<https://ossf.github.io/osv-schema/>) praxcheck reads, plus
//! praxcheck's annotations, which live in the fields OSV reserves for databases:
//!
//! * top level `database_specific.praxcheck`: German and English title and remediation,
//!   the effort of the remediation, KBV requirement ids;
//! * per affected package `ecosystem_specific.praxcheck`: the class the vulnerability needs
//!   (`requires_class`) and what its absence means (`mitigated` or `not_affected`).
//!
//! Unknown fields are ignored, so plain OSV records from other sources load as well.

use serde::{Deserialize, Serialize};

use praxcheck_model::{Effort, Text};

/// One OSV record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OsvRecord {
    /// Record id (GHSA-…, OSV-…, PRAX-…).
    pub id: String,
    /// Last modification, RFC 3339.
    #[serde(default)]
    pub modified: String,
    /// Publication, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Withdrawn records are ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    /// Other ids (CVE-…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// One-line summary (English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Longer description (English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// Severity vectors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<OsvSeverity>,
    /// Affected packages.
    #[serde(default)]
    pub affected: Vec<OsvAffected>,
    /// References.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<OsvReference>,
    /// Database-specific data; praxcheck reads its `praxcheck` member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<DatabaseSpecific>,
}

/// A severity vector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsvSeverity {
    /// `CVSS_V3`, `CVSS_V4`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// The vector string.
    pub score: String,
}

/// A reference link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsvReference {
    /// Kind (`ADVISORY`, `FIX`, `WEB`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// URL.
    pub url: String,
}

/// An affected package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OsvAffected {
    /// The package.
    pub package: OsvPackage,
    /// Version ranges.
    #[serde(default)]
    pub ranges: Vec<OsvRange>,
    /// Explicitly listed affected versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    /// Ecosystem-specific data; praxcheck reads its `praxcheck` member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecosystem_specific: Option<EcosystemSpecific>,
}

/// A package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsvPackage {
    /// Ecosystem (`Maven`, ...).
    pub ecosystem: String,
    /// Name (Maven: `group:artifact`).
    pub name: String,
    /// Package URL, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

/// A version range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsvRange {
    /// `ECOSYSTEM`, `SEMVER` or `GIT` (GIT ranges are ignored).
    #[serde(rename = "type")]
    pub kind: String,
    /// Events in order.
    #[serde(default)]
    pub events: Vec<OsvEvent>,
}

/// One range event; exactly one field is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsvEvent {
    /// A version from which the package is affected (`0` = from the beginning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced: Option<String>,
    /// The first version that is no longer affected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// The last affected version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_affected: Option<String>,
    /// An upper limit for the range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

/// Top-level database-specific data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DatabaseSpecific {
    /// GitHub's severity word (`CRITICAL`, `HIGH`, `MODERATE`, `LOW`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// praxcheck's annotations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub praxcheck: Option<RecordAnnotation>,
}

/// praxcheck's annotations of a record.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RecordAnnotation {
    /// Title for people (German and English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    /// What to do (German and English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation: Option<Text>,
    /// How much work the remediation is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<Effort>,
    /// KBV IT-Sicherheitsrichtlinie requirement ids this touches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kbv: Vec<String>,
    /// Severity override (`critical`, `high`, ...) when the CVSS score misleads, e.g. a
    /// configuration-dependent flaw in an end-of-life library.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// Why the override, for the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity_reason: Option<String>,
    /// Changes praxcheck made to the upstream record, each with its source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<String>,
}

/// Per-package ecosystem-specific data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EcosystemSpecific {
    /// praxcheck's annotations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub praxcheck: Option<AffectedAnnotation>,
}

/// praxcheck's annotations of an affected package.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AffectedAnnotation {
    /// Canonical class names (`org.apache.logging.log4j.core.lookup.JndiLookup`) of which
    /// at least one must be present for the vulnerability to exist. Only evaluated for
    /// components whose classes were examined (Java facts with at least one class).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires_any_class: Vec<String>,
    /// What the absence of all of them means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when_class_absent: Option<ClassAbsence>,
    /// Classes whose presence shows a backported fix (a distribution patched the flaw
    /// without changing the version): then there is no finding.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed_by_any_class: Vec<String>,
}

/// What the absence of a required class means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassAbsence {
    /// The class was removed as the documented mitigation: report as mitigated.
    Mitigated,
    /// The vulnerable code is simply not there (a distribution removed it): no finding.
    NotAffected,
}
