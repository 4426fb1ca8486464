//! End-to-end tests of the `praxcheck` binary.

#![allow(clippy::unwrap_used)]

mod logs;
mod scan;
