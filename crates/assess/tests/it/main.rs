//! Integration tests of the assessment on stored fixture documents and fact fixtures
//! (`tests/fixtures`, made by `make_fixtures.py`).

#![allow(clippy::unwrap_used)]

mod common;
mod kbv_data;
mod network;
mod practice;
mod purity;
mod questionnaire;
mod scoring;
mod support;
