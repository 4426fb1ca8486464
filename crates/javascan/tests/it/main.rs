//! Integration tests of the Java collector: synthetic archives (core tier) and the real
//! public jars of `../shared/testdata/jars` (extended tier).

#![allow(clippy::unwrap_used)]

mod common;
mod fingerprints;
mod hostile;
mod limits;
#[cfg(unix)]
mod mounts;
mod relocate;
mod stream;
mod synthetic;
mod verdicts;
