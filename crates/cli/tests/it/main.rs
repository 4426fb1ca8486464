//! End-to-end tests of the `praxcheck` binary.

#![allow(clippy::unwrap_used)]

mod fix;
mod fix_java;
mod logs;
mod host;
mod scan;
