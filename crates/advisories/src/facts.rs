//! The generic fact interface the rules read: a key (`firewall.enabled`,
//! `backup.newest_age_days`, `log.evidence`, ...) with a typed value, where it came from and
//! how sure the collector is.
//!
//! Collectors (host, logs, network) and the questionnaire keep their own types in the data
//! model; the assessment converts them into [`Fact`]s, so the rule engine does not depend on
//! any collector's types. A key may hold several instances (one per log trace, one per
//! listening port): a condition on such a key holds when any instance satisfies it, and the
//! instances that do become the finding's evidence.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use praxcheck_model::Location;

/// A typed fact value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FactValue {
    /// Yes or no.
    Bool(bool),
    /// A whole number (days, seconds, counts, ports).
    Int(i64),
    /// A number with a fraction.
    Num(f64),
    /// A word or a name (`parallel`, `lookup_executed`, a product name).
    Text(String),
}

impl FactValue {
    fn as_f64(&self) -> Option<f64> {
        match self {
            #[allow(clippy::cast_precision_loss)]
            FactValue::Int(i) => Some(*i as f64),
            FactValue::Num(n) => Some(*n),
            FactValue::Bool(_) | FactValue::Text(_) => None,
        }
    }

    /// Equality across the two number types (`1` equals `1.0`); text compares without
    /// regard to ASCII case.
    #[must_use]
    pub fn same_as(&self, other: &FactValue) -> bool {
        match (self, other) {
            (FactValue::Bool(a), FactValue::Bool(b)) => a == b,
            (FactValue::Text(a), FactValue::Text(b)) => a.eq_ignore_ascii_case(b),
            (a, b) => match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => (x - y).abs() < f64::EPSILON,
                _ => false,
            },
        }
    }
}

impl std::fmt::Display for FactValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FactValue::Bool(b) => write!(f, "{b}"),
            FactValue::Int(i) => write!(f, "{i}"),
            FactValue::Num(n) => write!(f, "{n}"),
            FactValue::Text(s) => f.write_str(s),
        }
    }
}

/// One observed fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    /// Stable key, e.g. `firewall.enabled`.
    pub key: String,
    /// The value.
    pub value: FactValue,
    /// Where it was read (a registry value, a command, a file).
    #[serde(default)]
    pub source: String,
    /// How sure the collector is (`high`, `medium`, `low`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
    /// Where, when the fact has a place (a log file, a backup folder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// A short detail for the IT provider (line number and decoded payload, a port).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Fact {
    /// A fact with a source and nothing else.
    #[must_use]
    pub fn new(key: impl Into<String>, value: FactValue, source: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value,
            source: source.into(),
            confidence: None,
            location: None,
            detail: None,
        }
    }
}

/// Facts by key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    map: BTreeMap<String, Vec<Fact>>,
    /// Keys a collector tried but could not determine: (does not apply here, why).
    unknown: BTreeMap<String, (bool, String)>,
}

impl Facts {
    /// No facts.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one fact (several facts may share a key).
    pub fn push(&mut self, fact: Fact) {
        self.map.entry(fact.key.clone()).or_default().push(fact);
    }

    /// Adds every fact of another set.
    pub fn extend(&mut self, other: Facts) {
        for (_, list) in other.map {
            for f in list {
                self.push(f);
            }
        }
        self.unknown.extend(other.unknown);
    }

    /// Records that a collector tried a key but could not determine it, and why. When the
    /// key does not apply to this computer (no SSH server, no desktop for a screen lock),
    /// rules that need it are "not applicable" rather than "not checked".
    pub fn mark_unknown(
        &mut self,
        key: impl Into<String>,
        not_applicable: bool,
        why: impl Into<String>,
    ) {
        self.unknown
            .insert(key.into(), (not_applicable, why.into()));
    }

    /// Whether a key was marked as not applying to this computer.
    #[must_use]
    pub fn is_not_applicable(&self, key: &str) -> bool {
        self.unknown.get(key).is_some_and(|(na, _)| *na)
    }

    /// Why a key could not be determined, when a collector said so.
    #[must_use]
    pub fn unknown_reason(&self, key: &str) -> Option<&str> {
        self.unknown.get(key).map(|(_, why)| why.as_str())
    }

    /// The instances of a key.
    #[must_use]
    pub fn get(&self, key: &str) -> &[Fact] {
        self.map.get(key).map_or(&[], Vec::as_slice)
    }

    /// Whether any fact was recorded under the key.
    #[must_use]
    pub fn has(&self, key: &str) -> bool {
        !self.get(key).is_empty()
    }

    /// Every fact, ordered by key.
    pub fn iter(&self) -> impl Iterator<Item = &Fact> {
        self.map.values().flatten()
    }

    /// Number of facts.
    #[must_use]
    pub fn len(&self) -> usize {
        self.map.values().map(Vec::len).sum()
    }

    /// True when there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

impl FromIterator<Fact> for Facts {
    fn from_iter<T: IntoIterator<Item = Fact>>(iter: T) -> Self {
        let mut f = Facts::new();
        for x in iter {
            f.push(x);
        }
        f
    }
}

/// A condition over facts (the `when` and `applies_when` of a rule).
///
/// JSON forms: a leaf `{"fact": KEY, OP: VALUE}` with exactly one operator of `is`,
/// `is_not`, `gt`, `ge`, `lt`, `le`, `in`, `exists`; or `{"all": [...]}`, `{"any": [...]}`,
/// `{"not": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Cond {
    /// Every part holds.
    All {
        /// The parts.
        all: Vec<Cond>,
    },
    /// At least one part holds.
    Any {
        /// The parts.
        any: Vec<Cond>,
    },
    /// The part does not hold.
    Not {
        /// The part.
        not: Box<Cond>,
    },
    /// A test of one fact.
    Leaf(Leaf),
}

/// A test of one fact key.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Leaf {
    /// The fact key.
    pub fact: String,
    /// Equal to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is: Option<FactValue>,
    /// Not equal to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_not: Option<FactValue>,
    /// Greater than (numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gt: Option<f64>,
    /// Greater than or equal (numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ge: Option<f64>,
    /// Less than (numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lt: Option<f64>,
    /// Less than or equal (numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub le: Option<f64>,
    /// One of these values.
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<FactValue>>,
    /// The fact was (`true`) or was not (`false`) recorded. The only operator that never
    /// yields "unknown".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exists: Option<bool>,
}

/// The result of evaluating a condition: three-valued, because a fact that was not
/// collected is neither true nor false ("not checked" is never "fulfilled").
#[derive(Debug, Clone, PartialEq)]
pub enum Truth<'a> {
    /// Holds; the fact instances that made it hold.
    True(Vec<&'a Fact>),
    /// Does not hold.
    False,
    /// A fact it needs was not collected.
    Unknown,
}

impl Leaf {
    fn operator_count(&self) -> usize {
        [
            self.is.is_some(),
            self.is_not.is_some(),
            self.gt.is_some(),
            self.ge.is_some(),
            self.lt.is_some(),
            self.le.is_some(),
            self.one_of.is_some(),
            self.exists.is_some(),
        ]
        .into_iter()
        .filter(|b| *b)
        .count()
    }

    fn holds_for(&self, v: &FactValue) -> bool {
        if let Some(x) = &self.is {
            return v.same_as(x);
        }
        if let Some(x) = &self.is_not {
            return !v.same_as(x);
        }
        if let Some(list) = &self.one_of {
            return list.iter().any(|x| v.same_as(x));
        }
        let Some(n) = v.as_f64() else {
            return false;
        };
        match (self.gt, self.ge, self.lt, self.le) {
            (Some(t), _, _, _) => n > t,
            (_, Some(t), _, _) => n >= t,
            (_, _, Some(t), _) => n < t,
            (_, _, _, Some(t)) => n <= t,
            _ => false,
        }
    }
}

impl Cond {
    /// Checks the shape: every leaf has a key and exactly one operator; combinators are not
    /// empty. Returns the first problem in words.
    ///
    /// # Errors
    /// A description of the first malformed part.
    pub fn validate(&self) -> Result<(), String> {
        match self {
            Cond::All { all: parts } | Cond::Any { any: parts } => {
                if parts.is_empty() {
                    return Err("an empty `all`/`any`".to_owned());
                }
                parts.iter().try_for_each(Cond::validate)
            }
            Cond::Not { not } => not.validate(),
            Cond::Leaf(l) => {
                if l.fact.trim().is_empty() {
                    return Err("a condition without `fact`".to_owned());
                }
                match l.operator_count() {
                    1 => Ok(()),
                    0 => Err(format!("condition on `{}` has no operator", l.fact)),
                    _ => Err(format!(
                        "condition on `{}` has more than one operator",
                        l.fact
                    )),
                }
            }
        }
    }

    /// Every fact key the condition reads.
    #[must_use]
    pub fn keys(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_keys(&mut out);
        out
    }

    fn collect_keys<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Cond::All { all: parts } | Cond::Any { any: parts } => {
                for p in parts {
                    p.collect_keys(out);
                }
            }
            Cond::Not { not } => not.collect_keys(out),
            Cond::Leaf(l) => {
                if !out.contains(&l.fact.as_str()) {
                    out.push(&l.fact);
                }
            }
        }
    }

    /// Evaluates the condition.
    #[must_use]
    pub fn eval<'a>(&self, facts: &'a Facts) -> Truth<'a> {
        match self {
            Cond::Leaf(l) => {
                let inst = facts.get(&l.fact);
                if let Some(want) = l.exists {
                    return if inst.is_empty() != want {
                        Truth::True(inst.iter().collect())
                    } else {
                        Truth::False
                    };
                }
                if inst.is_empty() {
                    // A fact that does not apply to this computer makes its test false (an
                    // RDP setting on a computer without RDP is no finding).
                    if facts.is_not_applicable(&l.fact) {
                        return Truth::False;
                    }
                    return Truth::Unknown;
                }
                let matched: Vec<&Fact> = inst.iter().filter(|f| l.holds_for(&f.value)).collect();
                if matched.is_empty() {
                    Truth::False
                } else {
                    Truth::True(matched)
                }
            }
            Cond::All { all } => {
                let mut matched = Vec::new();
                let mut unknown = false;
                for c in all {
                    match c.eval(facts) {
                        Truth::False => return Truth::False,
                        Truth::Unknown => unknown = true,
                        Truth::True(m) => matched.extend(m),
                    }
                }
                if unknown {
                    Truth::Unknown
                } else {
                    Truth::True(matched)
                }
            }
            Cond::Any { any } => {
                let mut matched = Vec::new();
                let mut any_true = false;
                let mut unknown = false;
                for c in any {
                    match c.eval(facts) {
                        Truth::True(m) => {
                            any_true = true;
                            matched.extend(m);
                        }
                        Truth::Unknown => unknown = true,
                        Truth::False => {}
                    }
                }
                if any_true {
                    Truth::True(matched)
                } else if unknown {
                    Truth::Unknown
                } else {
                    Truth::False
                }
            }
            Cond::Not { not } => match not.eval(facts) {
                Truth::True(_) => Truth::False,
                Truth::False => Truth::True(Vec::new()),
                Truth::Unknown => Truth::Unknown,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(list: &[(&str, FactValue)]) -> Facts {
        list.iter()
            .map(|(k, v)| Fact::new(*k, v.clone(), "test"))
            .collect()
    }

    fn cond(json: &str) -> Cond {
        let c: Cond = serde_json::from_str(json).unwrap();
        c.validate().unwrap();
        c
    }

    #[test]
    fn leaf_operators() {
        let f = facts(&[
            ("firewall.enabled", FactValue::Bool(false)),
            ("backup.newest_age_days", FactValue::Int(9)),
            ("ti.mode", FactValue::Text("Parallel".into())),
        ]);
        let yes = |j: &str| matches!(cond(j).eval(&f), Truth::True(_));
        let no = |j: &str| cond(j).eval(&f) == Truth::False;
        assert!(yes(r#"{"fact":"firewall.enabled","is":false}"#));
        assert!(no(r#"{"fact":"firewall.enabled","is":true}"#));
        assert!(yes(r#"{"fact":"backup.newest_age_days","gt":7}"#));
        assert!(no(r#"{"fact":"backup.newest_age_days","le":7}"#));
        assert!(yes(r#"{"fact":"backup.newest_age_days","ge":9.0}"#));
        assert!(yes(r#"{"fact":"ti.mode","is":"parallel"}"#));
        assert!(yes(r#"{"fact":"ti.mode","in":["serial","parallel"]}"#));
        assert!(no(r#"{"fact":"ti.mode","is_not":"parallel"}"#));
        // A number operator on text never holds.
        assert!(no(r#"{"fact":"ti.mode","gt":1}"#));
    }

    #[test]
    fn missing_facts_are_unknown_not_false() {
        let f = facts(&[("firewall.enabled", FactValue::Bool(true))]);
        assert_eq!(
            cond(r#"{"fact":"backup.newest_age_days","gt":7}"#).eval(&f),
            Truth::Unknown
        );
        // `not` of unknown stays unknown.
        assert_eq!(
            cond(r#"{"not":{"fact":"backup.found","is":true}}"#).eval(&f),
            Truth::Unknown
        );
        // `exists` is the only operator that answers for a missing fact.
        assert_eq!(
            cond(r#"{"fact":"backup.found","exists":true}"#).eval(&f),
            Truth::False
        );
        assert!(matches!(
            cond(r#"{"fact":"backup.found","exists":false}"#).eval(&f),
            Truth::True(_)
        ));
    }

    #[test]
    fn combinators_are_three_valued() {
        let f = facts(&[("a", FactValue::Bool(true)), ("b", FactValue::Bool(false))]);
        let c = |j| cond(j).eval(&f);
        // all: a false part decides, even next to an unknown one.
        assert_eq!(
            c(r#"{"all":[{"fact":"b","is":true},{"fact":"x","is":true}]}"#),
            Truth::False
        );
        assert_eq!(
            c(r#"{"all":[{"fact":"a","is":true},{"fact":"x","is":true}]}"#),
            Truth::Unknown
        );
        // any: a true part decides, even next to an unknown one.
        assert!(matches!(
            c(r#"{"any":[{"fact":"a","is":true},{"fact":"x","is":true}]}"#),
            Truth::True(_)
        ));
        assert_eq!(
            c(r#"{"any":[{"fact":"b","is":true},{"fact":"x","is":true}]}"#),
            Truth::Unknown
        );
        assert_eq!(
            c(r#"{"any":[{"fact":"b","is":true},{"fact":"a","is":false}]}"#),
            Truth::False
        );
    }

    #[test]
    fn several_instances_match_existentially_and_become_evidence() {
        let mut f = Facts::new();
        for level in ["payload_seen", "lookup_executed", "payload_seen"] {
            f.push(Fact::new(
                "log.evidence",
                FactValue::Text(level.into()),
                "logs",
            ));
        }
        match cond(r#"{"fact":"log.evidence","is":"payload_seen"}"#).eval(&f) {
            Truth::True(m) => assert_eq!(m.len(), 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn malformed_conditions_are_named() {
        let c: Cond = serde_json::from_str(r#"{"fact":"a"}"#).unwrap();
        assert!(c.validate().unwrap_err().contains("no operator"));
        let c: Cond = serde_json::from_str(r#"{"fact":"a","is":true,"gt":1}"#).unwrap();
        assert!(c.validate().unwrap_err().contains("more than one"));
        let c: Cond = serde_json::from_str(r#"{"all":[]}"#).unwrap();
        assert!(c.validate().is_err());
        assert!(serde_json::from_str::<Cond>(r#"{"fact":"a","equals":true}"#).is_err());
    }
}
