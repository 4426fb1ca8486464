//! The pipeline around the libraries, shared by the binary and the service: choose and
//! load the advisory set (installed or embedded), load the practice's answers, assess
//! documents, compare with an earlier run, save a whole-computer scan to the output folder
//! and render any format.
//!
//! With the feature `local` (the binary's) it also runs the collectors on this computer
//! (`collect`), prepares `praxcheck fix` (`fixing`) and the scheduled agent (`agent`); the
//! service uses the pipeline without it and so compiles no collector.
//!
//! This is the edge where files are read and written for the assessment; `praxcheck-assess`
//! itself stays pure (documents, advisories and answers in, verdicts out).

#[cfg(feature = "local")]
pub mod agent;
pub mod answers;
#[cfg(feature = "clap")]
pub mod args;
#[cfg(feature = "local")]
pub mod collect;
#[cfg(feature = "clap")]
pub mod command;
pub mod errors;
#[cfg(feature = "local")]
pub mod fixing;
pub mod folders;
#[cfg(all(feature = "clap", feature = "local"))]
pub mod generate;
#[cfg(feature = "clap")]
pub mod help;
pub mod json;
pub mod output;
mod pipeline;
pub mod questionnaire;
pub mod render;
pub mod stored;

pub use pipeline::{AppError, Pipeline, Run, load_set};
pub use praxcheck_assess::Answers;
pub use render::{Format, RenderError, RenderOptions, render};
