//! End-to-end tests of the `praxcheck` binary.

#![allow(clippy::unwrap_used)]

mod fix;
mod logs;
mod scan;
