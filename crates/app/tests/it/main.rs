//! Integration tests of the pipeline: the answers file, assess + compare, the output
//! folder and rendering.

#![allow(clippy::unwrap_used)]

mod answers;
#[cfg(all(feature = "clap", feature = "local"))]
mod args;
mod catalogue_keys;
mod evidence_words;
mod fact_keys;
mod invariants;
mod layers;
mod pipeline;
mod questionnaire;
mod stored;
mod workspace;
