//! Integration tests of the log collector.
//!
//! Core tier (self-contained): `decoder`, `corpus`, `disguise`, `robustness`, `system`.
//! Extended tier (reads `../shared/testdata/logs`): `extended`.

#![allow(clippy::unwrap_used)]

mod corpus;
mod decoder;
mod disguise;
mod extended;
mod flood;
mod limits;
mod privacy;
mod robustness;
mod support;
mod system;
