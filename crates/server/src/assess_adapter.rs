//! The ONE place this crate calls the assessment. The pipeline is being moved into a crate
//! of its own (`praxcheck-app`); when it lands, only this module changes.

use std::sync::OnceLock;

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

fn catalogue() -> Option<&'static praxcheck_assess::Catalogue> {
    static CAT: OnceLock<Option<praxcheck_assess::Catalogue>> = OnceLock::new();
    CAT.get_or_init(|| praxcheck_assess::Catalogue::embedded().ok())
        .as_ref()
}

/// Assesses one stored document with the set (no answers: the server holds none yet).
/// `None` only when the embedded KBV catalogue is broken (a build defect).
#[must_use]
pub fn assess(doc: Document, set: &AdvisorySet, today: time::Date) -> Option<Verdict> {
    let catalogue = catalogue()?;
    let answers = praxcheck_assess::Answers::default();
    let opts = praxcheck_assess::Options {
        set,
        catalogue,
        answers: &answers,
        today,
    };
    let mut docs = [doc];
    let a = praxcheck_assess::assess(&mut docs, &[], &opts);
    let [doc] = docs;
    Some(Verdict {
        light: a.light,
        score: a.score.percent,
        findings: doc.findings,
    })
}
