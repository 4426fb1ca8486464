//! The questionnaire's logic (the terminal dialogue lives in the command-line program):
//! which questions are open, in which order, and how an answer is recorded.
//!
//! Order: the profile questions first (they decide which Anlagen and requirements apply),
//! then the question of every applicable or possibly applicable KBV requirement that has no
//! answer yet, in the order of the Richtlinie. Answers are kept in [`Answers`], which the
//! program saves after every answer, so stopping and starting again resumes where it
//! stopped.

use praxcheck_model::{Document, Text};

use crate::answers::{Answer, Answers, Profile, QuestionKind, Reply, profile_questions};
use crate::kbv::Catalogue;

/// What a question is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Topic {
    /// A profile question (`persons`, `ti`, ...).
    Profile(String),
    /// A KBV requirement (`A1-25`).
    Requirement(String),
}

/// An open question.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenQuestion {
    /// What it is about.
    pub topic: Topic,
    /// Yes/no or a number.
    pub kind: QuestionKind,
    /// The question.
    pub text: Text,
    /// Help, may be empty.
    pub help: Text,
    /// For requirement questions: the requirement id and title.
    pub context: Option<(String, Text)>,
}

/// A reply typed by the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// Yes, no or not applicable.
    Reply(Reply),
    /// A number.
    Number(u32),
}

/// The open questions, in the order they are asked.
#[must_use]
pub fn open_questions(cat: &Catalogue, answers: &Answers, docs: &[&Document]) -> Vec<OpenQuestion> {
    let profile = Profile::new(answers, docs);
    let mut out = Vec::new();
    for q in profile_questions().unwrap_or_default() {
        if answers.profile.contains_key(&q.id) {
            continue;
        }
        if q.id == "windows" && profile.flag("windows").is_some() {
            continue;
        }
        if let Some(r) = &q.requires
            && profile.flag(r) != Some(true)
        {
            continue;
        }
        out.push(OpenQuestion {
            topic: Topic::Profile(q.id.clone()),
            kind: q.kind,
            text: q.text.clone(),
            help: q.help.clone(),
            context: None,
        });
    }
    for req in &cat.requirements {
        let Some(text) = &req.question else { continue };
        if answers.requirements.contains_key(&req.id) {
            continue;
        }
        let anlage_cond = cat
            .anlage(req.anlage)
            .and_then(|a| a.applies_if.as_ref())
            .into_iter()
            .chain(req.applies_if.as_ref());
        if anlage_cond
            .into_iter()
            .any(|c| profile.flag(&c.profile) == Some(false))
        {
            continue;
        }
        out.push(OpenQuestion {
            topic: Topic::Requirement(req.id.clone()),
            kind: QuestionKind::YesNo,
            text: text.clone(),
            help: req.demand.clone(),
            context: Some((req.id.clone(), req.title.clone())),
        });
    }
    out
}

/// Records an answer.
pub fn record(answers: &mut Answers, topic: &Topic, input: Input, date: &str) {
    let a = match input {
        Input::Reply(r) => Answer {
            reply: Some(r),
            number: None,
            date: date.to_owned(),
            note: None,
        },
        Input::Number(n) => Answer {
            reply: None,
            number: Some(n),
            date: date.to_owned(),
            note: None,
        },
    };
    match topic {
        Topic::Profile(id) => {
            answers.profile.insert(id.clone(), a);
        }
        Topic::Requirement(id) => {
            answers.requirements.insert(id.clone(), a);
        }
    }
}
