//! The KBV IT-Sicherheitsrichtlinie (Richtlinie nach § 390 SGB V, 2025) as data: all 92
//! requirements of Anlagen 1–5 with number, title, a paraphrased demand, deadline,
//! applicability and what evidences them (host rules and facts where a program can see it,
//! otherwise a question). The data is `data/kbv.json`; its demand texts are paraphrases and
//! none was checked against the official PDF (`verified_against_pdf: false`, shown in the
//! report).

use serde::{Deserialize, Serialize};

use praxcheck_model::Text;

const KBV_JSON: &str = include_str!("../data/kbv.json");

/// How far a program can evidence a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Automation {
    /// The mapped rules decide it (fulfilled when they all pass on every machine).
    Full,
    /// The mapped rules can show it is *not* met; that it is met also needs the
    /// practice's answer.
    Partial,
    /// Only a question can answer it.
    None,
}

/// A condition on the practice profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppliesIf {
    /// A profile flag (`mobile_devices`, `size_large`, ...), see [`crate::answers::Profile`].
    pub profile: String,
}

/// Points a requirement's answer earns in the score (only the key organisational ones).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scored {
    /// Topic of the check.
    pub topic: String,
    /// Points.
    pub points: u32,
}

/// One requirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// `A1-11`.
    pub id: String,
    /// Anlage 1–5.
    pub anlage: u8,
    /// Number within the Anlage.
    pub number: u32,
    /// Zielobjekt / topic.
    pub topic: Text,
    /// Official title (German) and a translation.
    pub title: Text,
    /// Paraphrased demand.
    pub demand: Text,
    /// What the paraphrase rests on: `kzbv-text` (the KZBV's published text of the same
    /// requirement), `grundschutz` (the IT-Grundschutz requirement of the same title),
    /// `secondary` (secondary sources), `title-only` (no demand text found).
    pub demand_basis: String,
    /// Whether the demand was checked against the official PDF.
    pub verified_against_pdf: bool,
    /// From when it applies (YYYY-MM-DD).
    pub deadline: String,
    /// Extra applicability condition beyond the Anlage's.
    #[serde(default)]
    pub applies_if: Option<AppliesIf>,
    /// How far a program can evidence it.
    pub automated: Automation,
    /// Fact keys that bear on it.
    #[serde(default)]
    pub facts: Vec<String>,
    /// Rule ids whose findings show it is not met.
    #[serde(default)]
    pub rules: Vec<String>,
    /// The question for the practice.
    #[serde(default)]
    pub question: Option<Text>,
    /// Score points of the answer, for the key organisational requirements.
    #[serde(default)]
    pub scored: Option<Scored>,
}

/// One Anlage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anlage {
    /// 1–5.
    pub anlage: u8,
    /// Title.
    pub title: Text,
    /// When it applies (none: always).
    #[serde(default)]
    pub applies_if: Option<AppliesIf>,
}

/// The whole catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalogue {
    /// Where it comes from.
    pub source: Text,
    /// Notes for maintainers.
    pub note: String,
    /// The Anlagen.
    pub anlagen: Vec<Anlage>,
    /// The requirements.
    pub requirements: Vec<Requirement>,
}

impl Catalogue {
    /// The catalogue compiled into this program.
    ///
    /// # Errors
    /// Only when the embedded data is broken (the crate's tests prevent that).
    pub fn embedded() -> Result<Self, serde_json::Error> {
        serde_json::from_str(KBV_JSON)
    }

    /// A requirement by id.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.id == id)
    }

    /// An Anlage by number.
    #[must_use]
    pub fn anlage(&self, n: u8) -> Option<&Anlage> {
        self.anlagen.iter().find(|a| a.anlage == n)
    }
}
