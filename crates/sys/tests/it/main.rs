//! Tests of the one atomic, symlink-safe write (issue 11, item 1) and of file identity
//! (issue 16).

#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod identity;
#[cfg(unix)]
mod write;
