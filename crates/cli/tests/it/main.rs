//! End-to-end tests of the `praxcheck` binary.

#![allow(clippy::unwrap_used)]

mod agent;
mod assess;
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
