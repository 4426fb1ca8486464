//! Findings: judgements made by the assessment from advisories, never by collectors.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::component::Evidence;
use crate::location::Location;

/// How bad a finding is. Ordered from least to most severe.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing, nothing to do.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical: exploitable like Log4Shell.
    Critical,
}

impl Severity {
    /// All severities from least to most severe.
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The machine name (`critical`, `high`, ...).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses a machine name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// Severity for a CVSS base score (CVSS v3 qualitative rating scale).
    #[must_use]
    pub fn from_cvss(score: f32) -> Self {
        if score >= 9.0 {
            Severity::Critical
        } else if score >= 7.0 {
            Severity::High
        } else if score >= 4.0 {
            Severity::Medium
        } else if score > 0.0 {
            Severity::Low
        } else {
            Severity::Info
        }
    }
}

/// The state of a finding.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Affected and not mitigated.
    Vulnerable,
    /// The version is affected but the vulnerable code is absent (e.g. `JndiLookup` removed).
    Mitigated,
    /// The evidence allows both affected and unaffected versions; treat as affected until
    /// checked by hand.
    Undetermined,
    /// A condition was observed (a host setting, a trace in a log).
    Detected,
    /// The practice accepted the risk (reason and expiry in `accepted`).
    Accepted,
}

impl Status {
    /// True when the finding needs action (drives exit codes and the traffic light).
    #[must_use]
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Vulnerable | Status::Undetermined | Status::Detected
        )
    }

    /// The machine name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Vulnerable => "vulnerable",
            Status::Mitigated => "mitigated",
            Status::Undetermined => "undetermined",
            Status::Detected => "detected",
            Status::Accepted => "accepted",
        }
    }
}

/// A text in both languages the product speaks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
pub struct Text {
    /// German (the default).
    pub de: String,
    /// English.
    pub en: String,
}

impl Text {
    /// Builds a text.
    #[must_use]
    pub fn new(de: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            de: de.into(),
            en: en.into(),
        }
    }

    /// The text in the given language (`de` or `en`; anything else falls back to German).
    #[must_use]
    pub fn get(&self, lang: &str) -> &str {
        if lang.starts_with("en") && !self.en.is_empty() {
            &self.en
        } else {
            &self.de
        }
    }
}

/// How much work a remediation is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Effort {
    /// Minutes, no specialist needed.
    Low,
    /// An hour or so, or the IT provider.
    Medium,
    /// A project: vendor update, replacement, budget.
    High,
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Subject {
    /// The component's id, for component findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// The fact's key, for host or log findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
    /// Where, when the subject has a location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// A practice's decision to accept a risk for a while.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Acceptance {
    /// Why (e.g. "the device vendor forbids patching").
    pub reason: String,
    /// Date (YYYY-MM-DD) after which the finding counts again.
    pub expires: String,
    /// Who accepted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// A judgement: a rule (usually a CVE) applied to a subject.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// Stable id: a hash of rule and subject, equal across runs for the same subject.
    pub id: String,
    /// The rule: a CVE id for vulnerabilities, a rule id for other checks.
    pub rule_id: String,
    /// The advisory record that produced it (OSV id or rule id).
    pub advisory_id: String,
    /// Other names of the same issue (GHSA ids, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// What the finding is about.
    pub subject: Subject,
    /// How bad.
    pub severity: Severity,
    /// State.
    pub status: Status,
    /// CVSS base score, when the advisory has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss: Option<f32>,
    /// One-line title.
    pub title: Text,
    /// Why this status: what the evidence says, in words.
    pub explanation: Text,
    /// The evidence it rests on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// What to do.
    pub remediation: Text,
    /// Versions that fix it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed_versions: Vec<String>,
    /// How much work the remediation is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<Effort>,
    /// KBV IT-Sicherheitsrichtlinie requirements this touches (e.g. `A1-23`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kbv: Vec<String>,
    /// References (advisory URLs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// Set when the practice accepted the risk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted: Option<Acceptance>,
}

impl Finding {
    /// The stable id for a rule applied to a subject key.
    #[must_use]
    pub fn derive_id(rule_id: &str, subject_key: &str) -> String {
        crate::short_hash(&[rule_id.as_bytes(), subject_key.as_bytes()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_orders_and_parses() {
        assert!(Severity::Critical > Severity::High);
        assert!(Severity::Medium > Severity::Low);
        assert_eq!(Severity::parse("HIGH"), Some(Severity::High));
        assert_eq!(Severity::parse("nope"), None);
        assert_eq!(Severity::from_cvss(10.0), Severity::Critical);
        assert_eq!(Severity::from_cvss(5.9), Severity::Medium);
        assert_eq!(Severity::from_cvss(3.7), Severity::Low);
    }

    #[test]
    fn text_falls_back_to_german() {
        let t = Text::new("Hallo", "Hello");
        assert_eq!(t.get("en"), "Hello");
        assert_eq!(t.get("en_US.UTF-8"), "Hello");
        assert_eq!(t.get("de"), "Hallo");
        assert_eq!(t.get("fr"), "Hallo");
    }
}
