//! End-to-end tests of the `praxcheck` binary.
//!
//! Linux (and Unix) only: on Windows this test crate is empty. The Windows test tier
//! (`scripts/windows.sh test`) names this package only so that one cargo run builds the
//! tier's tests and the debug `praxcheck.exe` with one feature resolution (built apart,
//! most crates would be built twice); the exe is tested under Wine from Linux
//! (`wine::registry_values_…`, the MSI round trip).

#![cfg(not(windows))]
#![allow(clippy::unwrap_used)]

mod agent;
mod args;
mod assess;
mod errors;
mod fix;
mod fix_java;
mod host;
mod hostile;
mod logs;
mod net;
mod scan;
mod service;
mod web;
mod wine;
