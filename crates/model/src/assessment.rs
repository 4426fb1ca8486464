//! Assessment results a document carries next to its findings: the traffic light, the score,
//! the checks behind it, the ranked actions, KBV coverage and (for `report --compare`) the
//! comparison with an earlier run.
//!
//! Like `findings`, all of this is *derived*: it is recomputed from the inventory, the
//! advisory set and the practice's answers whenever a document is assessed or rendered
//! again. It is stored so that a document read by other programs (the central service, a
//! ticket system) carries the verdict it was shown with.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::finding::{Effort, Severity, Text};
use crate::{Document, Tool};

/// The traffic light.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    /// Nothing at or above medium open and at least 80 % of the applicable automated checks ran.
    Green,
    /// Neither green nor red.
    Yellow,
    /// Something critical is open.
    Red,
}

impl Light {
    /// The machine name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::Yellow => "yellow",
            Light::Red => "red",
        }
    }
}

/// The state of one check.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CheckState {
    /// Checked and fine: full points.
    Passed,
    /// Checked and not fine: no points.
    Failed,
    /// Not fine, but the practice accepted the risk: no points, does not drive the light.
    Accepted,
    /// Applicable but not checked (the collector did not run, a fact was missing, a question
    /// is unanswered): no points, and it still counts in the total.
    NotChecked,
    /// Does not apply here: left out of the total.
    NotApplicable,
}

/// One check of the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CheckResult {
    /// Check id (a rule id, `java.components`, `kbv.A1-25`, ...).
    pub id: String,
    /// Topic for grouping (`java`, `backup`, `firewall`, ...).
    pub topic: String,
    /// What "passed" means, as a statement.
    pub title: Text,
    /// Result.
    pub state: CheckState,
    /// Points when applicable.
    pub points: u32,
    /// Points earned.
    pub earned: u32,
    /// True when a program decides it (a collector's facts); false for questions.
    pub automated: bool,
    /// The machine it ran on (empty for practice-wide checks such as questions).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host: String,
    /// Findings that made it fail.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<String>,
    /// For "not checked": the facts or answers that were missing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// The 0–100 score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Score {
    /// Points earned.
    pub earned: u32,
    /// Points of all applicable checks.
    pub possible: u32,
    /// `earned / possible`, rounded down, 0–100 (0 when nothing is applicable).
    pub percent: u32,
}

/// How much of the automated checking ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Coverage {
    /// Applicable automated checks.
    pub applicable: u32,
    /// Of those, how many ran (passed, failed or accepted).
    pub ran: u32,
    /// `ran / applicable` in percent, rounded down.
    pub percent: u32,
}

/// One thing to do, ranked by value over effort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Action {
    /// 1 = do this first.
    pub rank: u32,
    /// What to do, short.
    pub title: Text,
    /// Why: the problem it solves.
    pub why: Text,
    /// How to do it.
    pub detail: Text,
    /// The worst severity it resolves.
    pub severity: Severity,
    /// How much work.
    pub effort: Effort,
    /// The value-over-effort figure it was ranked by (higher first).
    pub priority: f64,
    /// Where (a file, for component findings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The machines it concerns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
    /// Findings it resolves.
    pub findings: Vec<String>,
    /// KBV requirements it helps fulfil.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kbv: Vec<String>,
}

/// The state of a KBV requirement.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum KbvStatus {
    /// Evidence or the practice's declaration says it is met.
    Fulfilled,
    /// Evidence or the practice's declaration says it is not met.
    NotFulfilled,
    /// Applicable (or possibly applicable) but not checked.
    NotChecked,
    /// Does not apply to this practice.
    NotApplicable,
}

/// The state of one requirement and what it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct KbvRequirementStatus {
    /// Requirement id (`A1-11`).
    pub id: String,
    /// State.
    pub status: KbvStatus,
    /// What the state rests on, e.g. `rule:PRAX-HOST-FIREWALL-OFF@empfang`,
    /// `fact:firewall.enabled=true@empfang`, `answer:yes`, `profile:mobile_devices=no`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub basis: Vec<String>,
}

/// Counts for one Anlage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct KbvAnlageCount {
    /// Anlage number (1–5).
    pub anlage: u8,
    /// Whether the Anlage applies (`None`: the practice profile does not tell yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies: Option<bool>,
    /// Fulfilled.
    pub fulfilled: u32,
    /// Not fulfilled.
    pub not_fulfilled: u32,
    /// Not checked.
    pub not_checked: u32,
    /// Not applicable.
    pub not_applicable: u32,
}

/// Coverage of the KBV IT-Sicherheitsrichtlinie.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct KbvCoverage {
    /// Per Anlage.
    pub anlagen: Vec<KbvAnlageCount>,
    /// Per requirement.
    pub requirements: Vec<KbvRequirementStatus>,
    /// Profile questions not answered yet (they decide applicability).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profile_missing: Vec<String>,
}

/// A practice product recognised among the installed programs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProductRef {
    /// Entry id of the curated list.
    pub product: String,
    /// Vendor and product name.
    pub name: String,
    /// The component.
    pub component: String,
    /// Installed version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Machine.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host: String,
}

/// One machine of a practice view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MachineSummary {
    /// Host name.
    pub hostname: String,
    /// Operating system family.
    pub os: String,
    /// When it was scanned (RFC 3339).
    pub scanned_at: String,
    /// Its own light.
    pub light: Light,
    /// Its own score.
    pub score: u32,
    /// Open findings on it.
    pub open_findings: u32,
}

/// A finding in a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ComparedFinding {
    /// Finding id.
    pub id: String,
    /// Rule id.
    pub rule_id: String,
    /// Title.
    pub title: Text,
    /// Severity.
    pub severity: Severity,
    /// Machine.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host: String,
    /// Where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// What changed since an earlier run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Comparison {
    /// When the earlier run was made.
    pub old_scanned_at: String,
    /// Its light (re-assessed with today's advisories).
    pub old_light: Light,
    /// Its score.
    pub old_score: u32,
    /// Open then, not open now.
    pub fixed: Vec<ComparedFinding>,
    /// Open now, not open then.
    pub new: Vec<ComparedFinding>,
    /// Open then and now.
    pub unchanged: Vec<ComparedFinding>,
}

/// The age of the advisory set at assessment time.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct AdvisoryAge {
    /// Days since publication.
    pub age_days: i64,
    /// True when older than the warning threshold.
    pub stale: bool,
    /// The threshold in days.
    pub stale_after_days: i64,
}

/// The assessment of a document or of a practice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Assessment {
    /// Date of the assessment (YYYY-MM-DD).
    pub date: String,
    /// The traffic light.
    pub light: Light,
    /// Why this light, in words.
    pub light_reasons: Vec<Text>,
    /// The 0–100 score.
    pub score: Score,
    /// How many applicable automated checks ran.
    pub coverage: Coverage,
    /// The age of the advisory set.
    pub advisories: AdvisoryAge,
    /// Every check.
    pub checks: Vec<CheckResult>,
    /// Things to do, best value over effort first.
    pub actions: Vec<Action>,
    /// KBV IT-Sicherheitsrichtlinie coverage.
    pub kbv: KbvCoverage,
    /// True when findings show traces of an attack: the report shows what to do now.
    pub incident: bool,
    /// Practice products recognised.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<ProductRef>,
    /// The machines (one for a single document).
    pub machines: Vec<MachineSummary>,
    /// Questionnaire answers used.
    pub answers: u32,
    /// The comparison with an earlier run, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
}

/// Version of the practice report format.
pub const PRACTICE_SCHEMA_VERSION: u32 = 1;

/// Several machines' documents with one practice-wide assessment (`praxcheck report
/// --from A --from B --format json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PracticeReport {
    /// Format version, see [`PRACTICE_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The program that wrote it.
    pub tool: Tool,
    /// The practice-wide assessment.
    pub assessment: Assessment,
    /// Each machine's document, assessed on its own.
    pub documents: Vec<Document>,
}

/// The JSON Schema of [`PracticeReport`], pretty-printed with a trailing newline.
#[must_use]
pub fn practice_json_schema() -> String {
    let schema = schemars::schema_for!(PracticeReport);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
