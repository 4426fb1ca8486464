//! Tests of the one atomic, symlink-safe write (issue 11, item 1).

#![allow(clippy::unwrap_used, clippy::print_stderr)]

#[cfg(unix)]
mod write;
