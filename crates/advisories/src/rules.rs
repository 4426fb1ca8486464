//! Rules over facts: host settings (firewall off, backup too old or permanently attached,
//! operating system past its end of life, RDP without NLA, SMBv1, ...) and exploitation
//! traces in logs by evidence level. The format is documented in `RULES.md` next to this
//! crate's `Cargo.toml`; the embedded rules live in `data/rules/*.json`, one rule per file.
//!
//! Each rule is also a *check* of the assessment: it passes when its condition is false,
//! fails when it is true, and is "not checked" when a fact it needs was not collected.

use serde::{Deserialize, Serialize};

use praxcheck_model::{Effort, Evidence, EvidenceKind, Finding, Severity, Status, Subject, Text};

use crate::facts::{Cond, Facts, Truth};

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// Host settings (from the host collector).
    Host,
    /// Exploitation traces (from the log collector).
    Log,
    /// Facts from the network scan.
    Network,
}

/// The check a rule stands for in the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckMeta {
    /// Topic for grouping and charts (`java`, `software`, `logs`, `firewall`, `updates`,
    /// `backup`, `remote`, `protection`, `network`, `ti`, `organisation`).
    pub topic: String,
    /// Points this check is worth when applicable.
    pub points: u32,
    /// What "passed" means, as a statement ("Die Firewall ist eingeschaltet").
    pub passed: Text,
}

/// One rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Rule id, e.g. `PRAX-HOST-FIREWALL-OFF`; the finding's `rule_id`.
    pub id: String,
    /// What it looks at.
    pub kind: RuleKind,
    /// The check it stands for.
    pub check: CheckMeta,
    /// When the rule applies at all (e.g. only on Windows). False = not applicable; unknown
    /// counts as applicable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_when: Option<Cond>,
    /// When this holds, a fact `when` needs but that is missing counts as "no such fact"
    /// instead of "not checked" (e.g. `log.scanned = true`: the logs were read, and no
    /// `log.evidence` means no traces).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complete_if: Option<Cond>,
    /// The bad condition: true = a finding.
    pub when: Cond,
    /// How bad a finding is.
    pub severity: Severity,
    /// How much work the remediation is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<Effort>,
    /// KBV IT-Sicherheitsrichtlinie requirements it touches (`A1-11`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kbv: Vec<String>,
    /// Title of a finding, in plain words ("Die Firewall ist ausgeschaltet"); placeholders
    /// as in the explanation.
    pub title: Text,
    /// What to do, as a short imperative for the list of actions ("Firewall einschalten").
    pub action: Text,
    /// Why, for the IT provider. `{value}` is replaced by the first matching fact's value,
    /// `{detail}` by its detail, `{count}` by the number of matching facts.
    pub explanation: Text,
    /// What to do.
    pub remediation: Text,
    /// True when a finding means traces of an attack: the report then shows what to do now
    /// (isolate, whom to call, the 72-hour report duty).
    #[serde(default)]
    pub incident: bool,
    /// Other names (CVE ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// References.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

/// The outcome of one rule on one machine's facts.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleOutcome {
    /// Does not apply here.
    NotApplicable,
    /// A fact it needs was not collected.
    NotChecked {
        /// The keys that were missing.
        missing: Vec<String>,
    },
    /// The condition is false: the check passed.
    Passed,
    /// The condition is true.
    Failed(Box<Finding>),
}

/// How many matching fact instances a finding lists as evidence.
pub const MAX_RULE_EVIDENCE: usize = 20;

impl Rule {
    /// Checks the rule's shape.
    ///
    /// # Errors
    /// The first problem, in words.
    pub fn validate(&self) -> Result<(), String> {
        if self.id.trim().is_empty() {
            return Err("empty id".to_owned());
        }
        self.when.validate()?;
        if let Some(a) = &self.applies_when {
            a.validate()?;
        }
        if let Some(a) = &self.complete_if {
            a.validate()?;
        }
        for (what, t) in [
            ("title", &self.title),
            ("action", &self.action),
            ("explanation", &self.explanation),
            ("remediation", &self.remediation),
            ("check.passed", &self.check.passed),
        ] {
            if t.de.trim().is_empty() || t.en.trim().is_empty() {
                return Err(format!("{what} needs German and English text"));
            }
        }
        if self.check.points == 0 {
            return Err("check.points must be at least 1".to_owned());
        }
        Ok(())
    }

    /// Evaluates the rule on one machine's facts.
    #[must_use]
    pub fn evaluate(&self, facts: &Facts) -> RuleOutcome {
        if let Some(a) = &self.applies_when
            && a.eval(facts) == Truth::False
        {
            return RuleOutcome::NotApplicable;
        }
        // Every fact the rule reads does not apply to this computer: neither passed nor failed.
        let keys = self.when.keys();
        if !keys.is_empty()
            && keys
                .iter()
                .all(|k| !facts.has(k) && facts.is_not_applicable(k))
        {
            return RuleOutcome::NotApplicable;
        }
        match self.when.eval(facts) {
            Truth::False => RuleOutcome::Passed,
            Truth::Unknown
                if self
                    .complete_if
                    .as_ref()
                    .is_some_and(|c| matches!(c.eval(facts), Truth::True(_))) =>
            {
                RuleOutcome::Passed
            }
            Truth::Unknown => {
                let missing: Vec<&str> = self
                    .when
                    .keys()
                    .into_iter()
                    .filter(|k| !facts.has(k))
                    .collect();
                if !missing.is_empty() && missing.iter().all(|k| facts.is_not_applicable(k)) {
                    return RuleOutcome::NotApplicable;
                }
                RuleOutcome::NotChecked {
                    missing: missing
                        .into_iter()
                        .map(|k| match facts.unknown_reason(k) {
                            Some(why) => format!("{k} ({why})"),
                            None => k.to_owned(),
                        })
                        .collect(),
                }
            }
            Truth::True(matched) => {
                let count = matched.len();
                let first = matched.first();
                let value = first.map(|f| f.value.to_string()).unwrap_or_default();
                let detail = first.and_then(|f| f.detail.clone()).unwrap_or_default();
                let fill = |s: &str| {
                    s.replace("{value}", &value)
                        .replace("{detail}", &detail)
                        .replace("{count}", &count.to_string())
                };
                let mut evidence: Vec<Evidence> = matched
                    .iter()
                    .take(MAX_RULE_EVIDENCE)
                    .map(|f| {
                        let mut detail = format!("{} = {}", f.key, f.value);
                        if !f.source.is_empty() {
                            detail.push_str(&format!(" ({})", f.source));
                        }
                        if let Some(d) = &f.detail {
                            detail.push_str(": ");
                            detail.push_str(d);
                        }
                        Evidence {
                            kind: EvidenceKind::Other,
                            path: f.location.as_ref().map(|l| l.display.clone()),
                            detail,
                            says: None,
                        }
                    })
                    .collect();
                if count > MAX_RULE_EVIDENCE {
                    evidence.push(Evidence {
                        kind: EvidenceKind::Other,
                        path: None,
                        // No words: evidence lines are shown in the reader's language.
                        detail: format!("… (+{})", count - MAX_RULE_EVIDENCE),
                        says: None,
                    });
                }
                let key = first.map_or_else(
                    || self.when.keys().first().map(|k| (*k).to_owned()),
                    |f| Some(f.key.clone()),
                );
                let subject_key = key.clone().unwrap_or_default();
                RuleOutcome::Failed(Box::new(Finding {
                    id: Finding::derive_id(&self.id, &subject_key),
                    rule_id: self.id.clone(),
                    advisory_id: self.id.clone(),
                    aliases: self.aliases.clone(),
                    subject: Subject {
                        component: None,
                        fact: key,
                        location: first.and_then(|f| f.location.clone()),
                    },
                    severity: self.severity,
                    status: Status::Detected,
                    cvss: None,
                    title: Text::new(fill(&self.title.de), fill(&self.title.en)),
                    explanation: Text::new(fill(&self.explanation.de), fill(&self.explanation.en)),
                    evidence,
                    remediation: self.remediation.clone(),
                    fixed_versions: Vec::new(),
                    effort: self.effort,
                    kbv: self.kbv.clone(),
                    references: self.references.clone(),
                    accepted: None,
                }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Fact, FactValue};

    fn rule() -> Rule {
        serde_json::from_str(
            r#"{
              "id": "PRAX-TEST-FIREWALL",
              "kind": "host",
              "check": {"topic": "firewall", "points": 10,
                        "passed": {"de": "Firewall an", "en": "Firewall on"}},
              "applies_when": {"fact": "os.family", "in": ["windows", "linux"]},
              "when": {"fact": "firewall.enabled", "is": false},
              "severity": "high",
              "effort": "low",
              "kbv": ["A1-11"],
              "title": {"de": "Die Firewall ist ausgeschaltet", "en": "The firewall is off"},
              "action": {"de": "Firewall einschalten", "en": "Switch the firewall on"},
              "explanation": {"de": "Wert: {value}", "en": "Value: {value}"},
              "remediation": {"de": "Einschalten", "en": "Switch it on"}
            }"#,
        )
        .unwrap()
    }

    fn facts(list: &[(&str, FactValue)]) -> Facts {
        list.iter()
            .map(|(k, v)| Fact::new(*k, v.clone(), "probe"))
            .collect()
    }

    #[test]
    fn a_rule_passes_fails_or_is_not_checked() {
        let r = rule();
        r.validate().unwrap();
        let off = facts(&[("firewall.enabled", FactValue::Bool(false))]);
        let RuleOutcome::Failed(f) = r.evaluate(&off) else {
            panic!("expected a finding")
        };
        assert_eq!(f.rule_id, "PRAX-TEST-FIREWALL");
        assert_eq!(f.status, Status::Detected);
        assert_eq!(f.subject.fact.as_deref(), Some("firewall.enabled"));
        assert_eq!(f.explanation.de, "Wert: false");
        assert_eq!(f.evidence[0].detail, "firewall.enabled = false (probe)");
        assert_eq!(f.kbv, vec!["A1-11"]);
        let on = facts(&[("firewall.enabled", FactValue::Bool(true))]);
        assert_eq!(r.evaluate(&on), RuleOutcome::Passed);
        assert_eq!(
            r.evaluate(&Facts::new()),
            RuleOutcome::NotChecked {
                missing: vec!["firewall.enabled".into()]
            }
        );
        let mac = facts(&[
            ("os.family", FactValue::Text("macos".into())),
            ("firewall.enabled", FactValue::Bool(false)),
        ]);
        assert_eq!(r.evaluate(&mac), RuleOutcome::NotApplicable);
    }

    #[test]
    fn facts_that_do_not_apply_make_the_rule_not_applicable() {
        let mut f = Facts::new();
        f.mark_unknown("firewall.enabled", true, "no network stack");
        assert_eq!(rule().evaluate(&f), RuleOutcome::NotApplicable);
        let mut f = Facts::new();
        f.mark_unknown("firewall.enabled", false, "needs root");
        assert_eq!(
            rule().evaluate(&f),
            RuleOutcome::NotChecked {
                missing: vec!["firewall.enabled (needs root)".into()]
            }
        );
    }

    #[test]
    fn finding_ids_are_stable() {
        let off = facts(&[("firewall.enabled", FactValue::Bool(false))]);
        let (RuleOutcome::Failed(a), RuleOutcome::Failed(b)) =
            (rule().evaluate(&off), rule().evaluate(&off))
        else {
            panic!()
        };
        assert_eq!(a.id, b.id);
    }
}
