//! The practice's answers: the profile (size, large devices, TI, ...), answers to the KBV
//! questions, and accepted risks. One JSON file (`answers.json` in the state folder, or the
//! file given with `--answers`), written atomically after every answer so the questionnaire
//! can be stopped and resumed at any point. This module parses and serializes it; reading
//! and writing the file is the pipeline's (`praxcheck-app`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use praxcheck_model::{Document, Text};

const QUESTIONS_JSON: &str = include_str!("../data/questions.json");

/// Format version of the answers file.
pub const ANSWERS_FORMAT: u32 = 1;

/// An answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    /// Yes.
    Yes,
    /// No.
    No,
    /// Does not apply to us.
    NotApplicable,
}

/// An answer to a question, with its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// Yes, no or not applicable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<Reply>,
    /// A number (for the number of persons).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// When it was answered (YYYY-MM-DD).
    pub date: String,
    /// A note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A risk the practice accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptedRisk {
    /// The finding id (from a report), or
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<String>,
    /// a rule id (a CVE, `PRAX-HOST-…`): every finding of that rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Only on this machine (none: every machine).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Why.
    pub reason: String,
    /// Until when (YYYY-MM-DD); after that the finding counts again.
    pub expires: String,
    /// Who accepted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// When (YYYY-MM-DD).
    pub date: String,
}

/// The answers file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answers {
    /// Format version.
    #[serde(default)]
    pub format: u32,
    /// Profile answers by question id (`persons`, `ti`, ...).
    #[serde(default)]
    pub profile: BTreeMap<String, Answer>,
    /// Requirement answers by requirement id (`A1-25`).
    #[serde(default)]
    pub requirements: BTreeMap<String, Answer>,
    /// Accepted risks.
    #[serde(default)]
    pub accepted: Vec<AcceptedRisk>,
}

/// Why bytes are not a usable answers file (the caller names the file).
#[derive(Debug, thiserror::Error)]
#[error("not a praxcheck answers file: {reason}")]
pub struct AnswersParseError {
    /// Why.
    pub reason: String,
}

impl Default for Answers {
    fn default() -> Self {
        Self {
            format: ANSWERS_FORMAT,
            profile: BTreeMap::new(),
            requirements: BTreeMap::new(),
            accepted: Vec::new(),
        }
    }
}

impl Answers {
    /// Parses an answers file's content. Pure: reading and writing the file is the
    /// pipeline's job (`praxcheck-app`).
    ///
    /// # Errors
    /// When the bytes are no answers file, are from a newer program, or hold an acceptance
    /// that names nothing or ends on no real date.
    pub fn from_json(bytes: &[u8]) -> Result<Self, AnswersParseError> {
        let parse = |reason: String| AnswersParseError { reason };
        let a: Answers = serde_json::from_slice(bytes).map_err(|e| parse(e.to_string()))?;
        if a.format > ANSWERS_FORMAT {
            return Err(parse(format!(
                "format {} is newer than this program",
                a.format
            )));
        }
        // A hand-edited or copied file gets the checks `questionnaire --accept` makes: an
        // acceptance must name what it accepts and end on a real date.
        for (i, acc) in a.accepted.iter().enumerate() {
            if acc.finding.is_none() && acc.rule.is_none() {
                return Err(parse(format!(
                    "accepted[{i}]: names neither a finding nor a rule"
                )));
            }
            if praxcheck_advisories::parse_date(&acc.expires).is_none() {
                return Err(parse(format!(
                    "accepted[{i}]: expires {:?} is not a date (YYYY-MM-DD)",
                    acc.expires
                )));
            }
        }
        Ok(a)
    }

    /// The file content: pretty JSON in the current format, with a trailing newline.
    ///
    /// # Errors
    /// When serialization fails (it does not for these plain maps and strings).
    pub fn to_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        let mut me = self.clone();
        me.format = ANSWERS_FORMAT;
        let mut json = serde_json::to_vec_pretty(&me)?;
        json.push(b'\n');
        Ok(json)
    }

    /// The number of answered questions (profile and requirements).
    #[must_use]
    pub fn count(&self) -> u32 {
        u32::try_from(self.profile.len() + self.requirements.len()).unwrap_or(u32::MAX)
    }
}

/// The kind of a profile question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Yes or no.
    YesNo,
    /// A whole number.
    Number,
}

/// A profile question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileQuestion {
    /// Id (`persons`, `ti`, ...).
    pub id: String,
    /// Kind.
    pub kind: QuestionKind,
    /// Asked only when this other profile question was answered yes.
    #[serde(default)]
    pub requires: Option<String>,
    /// The question.
    pub text: Text,
    /// Help.
    pub help: Text,
}

#[derive(Deserialize)]
struct QuestionsFile {
    profile: Vec<ProfileQuestion>,
}

/// The profile questions compiled into this program, in the order they are asked.
///
/// # Errors
/// Only when the embedded data is broken (the crate's tests prevent that).
pub fn profile_questions() -> Result<Vec<ProfileQuestion>, serde_json::Error> {
    Ok(serde_json::from_str::<QuestionsFile>(QUESTIONS_JSON)?.profile)
}

/// The practice profile that decides applicability. `None` = not answered yet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Profile {
    /// Persons permanently working with the data processing.
    pub persons: Option<u32>,
    /// Yes/no flags by question id.
    pub flags: BTreeMap<String, bool>,
}

impl Profile {
    /// The profile from the answers, completed by what the documents show (a scanned
    /// Windows computer answers `windows`).
    #[must_use]
    pub fn new(answers: &Answers, docs: &[&Document]) -> Self {
        let mut p = Profile {
            persons: answers.profile.get("persons").and_then(|a| a.number),
            flags: BTreeMap::new(),
        };
        for (k, a) in &answers.profile {
            match a.reply {
                Some(Reply::Yes) => {
                    p.flags.insert(k.clone(), true);
                }
                Some(Reply::No | Reply::NotApplicable) => {
                    p.flags.insert(k.clone(), false);
                }
                None => {}
            }
        }
        if docs.iter().any(|d| d.scan.os == "windows") {
            p.flags.insert("windows".to_owned(), true);
        }
        p
    }

    /// A profile flag, including the derived `size_medium_or_large` and `size_large`.
    #[must_use]
    pub fn flag(&self, name: &str) -> Option<bool> {
        let large_processing = self.flags.get("large_processing").copied();
        match name {
            "size_large" => match (self.persons, large_processing) {
                (_, Some(true)) => Some(true),
                (Some(n), _) if n > 20 => Some(true),
                (Some(_), Some(false)) => Some(false),
                // Small by headcount, but the "beyond normal processing" question is open.
                (Some(_), None) => None,
                (None, _) => None,
            },
            "size_medium_or_large" => match (self.persons, large_processing) {
                (_, Some(true)) => Some(true),
                (Some(n), _) => Some(n > 5),
                (None, _) => None,
            },
            other => self.flags.get(other).copied(),
        }
    }
}
