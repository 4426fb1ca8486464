//! Assess and compare: the one place the binary and the service call the assessment.

use std::sync::OnceLock;

use praxcheck_advisories::update::{self, LoadNote, StateDir};
use praxcheck_advisories::{AdvisorySet, Facts};
use praxcheck_assess::{Answers, Catalogue, Options};
use praxcheck_model::{Assessment, Document};
use praxcheck_report::View;

/// Errors of the pipeline.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The embedded KBV catalogue is broken (a build defect).
    #[error("KBV catalogue: {0}")]
    Catalogue(String),
    /// The trusted keys compiled into the program are broken (a build defect).
    #[error("trusted keys")]
    Keys(#[source] praxcheck_advisories::update::UpdateError),
    /// Neither the installed nor the embedded advisory set could be loaded.
    #[error("loading the advisory set")]
    Set(#[source] praxcheck_advisories::AdvisoryError),
}

/// The embedded KBV catalogue, parsed once per process.
fn catalogue() -> Result<&'static Catalogue, AppError> {
    static CAT: OnceLock<Result<Catalogue, String>> = OnceLock::new();
    CAT.get_or_init(|| Catalogue::embedded().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| AppError::Catalogue(e.clone()))
}

/// The advisory set in use: the installed one from the state folder when it is valid and
/// not expired, else the embedded one; with notes about an installed set that could not be
/// used (for the user).
///
/// # Errors
/// When the trusted keys or the embedded set are broken.
pub fn load_set(
    state: Option<&StateDir>,
    today: time::Date,
) -> Result<(AdvisorySet, Vec<LoadNote>), AppError> {
    let keys = update::trusted_keys().map_err(AppError::Keys)?;
    update::load_active(state, &keys, today).map_err(AppError::Set)
}

/// Assessed documents: each holds its findings and its own assessment; `assessment` is the
/// view of all of them together (for one document, its own).
#[derive(Debug, Clone)]
pub struct Run {
    /// The documents, assessed.
    pub docs: Vec<Document>,
    /// The practice-wide assessment.
    pub assessment: Assessment,
}

impl Run {
    /// What the renderers read.
    #[must_use]
    pub fn view(&self) -> View<'_> {
        View {
            docs: &self.docs,
            assessment: &self.assessment,
        }
    }
}

/// The assessment with its inputs: the advisory set, the answers and the day.
#[derive(Debug, Clone, Copy)]
pub struct Pipeline<'a> {
    options: Options<'a>,
}

impl<'a> Pipeline<'a> {
    /// A pipeline over a set and answers, assessing as of `today`.
    ///
    /// # Errors
    /// Only when the embedded KBV catalogue is broken (a build defect).
    pub fn new(
        set: &'a AdvisorySet,
        answers: &'a Answers,
        today: time::Date,
    ) -> Result<Self, AppError> {
        Ok(Self {
            options: Options {
                set,
                catalogue: catalogue()?,
                answers,
                today,
            },
        })
    }

    /// Assesses documents (with extra facts per document, same order; missing entries mean
    /// none) and stores each one's verdict in it.
    #[must_use]
    pub fn assess(&self, docs: Vec<Document>, facts: &[Facts]) -> Run {
        let verdicts = praxcheck_assess::assess(&docs, facts, &self.options);
        let mut docs = docs;
        let assessment = verdicts.write_into(&mut docs);
        Run { docs, assessment }
    }

    /// Assesses earlier documents with the same set and answers and records what changed
    /// since them in the run (in its assessment, and in the document's when there is one).
    pub fn compare_with(&self, run: &mut Run, old: Vec<Document>) {
        let old = self.assess(old, &[]);
        let c = praxcheck_assess::compare(&old.docs, &old.assessment, &run.docs);
        if run.docs.len() == 1
            && let Some(da) = run.docs[0].assessment.as_mut()
        {
            da.comparison = Some(c.clone());
        }
        run.assessment.comparison = Some(c);
    }
}
