//! The ONE place this crate calls the assessment, through the pipeline (`praxcheck-app`)
//! the binary uses too.

use praxcheck_advisories::AdvisorySet;
use praxcheck_model::{Document, Finding, Light};

/// A host's verdict under an advisory set.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// Traffic light.
    pub light: Light,
    /// Score 0–100.
    pub score: u32,
    /// The findings of the document under this set.
    pub findings: Vec<Finding>,
}

/// Assesses one stored document with the set (no answers: the server holds none yet).
/// `None` only when the embedded KBV catalogue is broken (a build defect).
#[must_use]
pub fn assess(doc: Document, set: &AdvisorySet, today: time::Date) -> Option<Verdict> {
    let answers = praxcheck_app::Answers::default();
    let pipeline = praxcheck_app::Pipeline::new(set, &answers, today).ok()?;
    let run = pipeline.assess(vec![doc], &[]);
    let doc = run.docs.into_iter().next()?;
    Some(Verdict {
        light: run.assessment.light,
        score: run.assessment.score.percent,
        findings: doc.findings,
    })
}
