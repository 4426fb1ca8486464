//! The assessment: a document's inventory (facts) + an advisory set + the practice's answers
//! → findings, a traffic light, a 0–100 score, ranked actions, accepted risks and coverage of
//! the KBV IT-Sicherheitsrichtlinie; several documents (the machines of one practice) merge
//! into one practice view; `--compare` shows what changed since an earlier run.
//!
//! Nothing here reads the machine or the network: the same documents, set, answers and date
//! always give the same assessment, which is what lets a stored document be re-assessed with
//! a newer advisory set without rescanning.

pub mod answers;
pub mod compare;
pub mod engine;
pub mod facts;
pub mod kbv;
pub mod netdevices;
pub mod questionnaire;

pub use answers::{AcceptedRisk, Answer, Answers, AnswersParseError, Profile, Reply};
pub use compare::compare;
pub use engine::{Assessed, MachineVerdict, Options, assess, is_live, light_severity};
pub use kbv::{Automation, Catalogue, Requirement};
