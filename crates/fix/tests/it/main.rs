//! Tests of `praxcheck fix` at the library level. The core tier builds its archives itself;
//! the extended tier (`real`) builds them from the real jars in `../shared/testdata`.
//! Crash tests that kill the real `praxcheck` binary live in the cli crate's tests.

#![allow(clippy::unwrap_used)]

mod support;

mod failpoints;
mod held_open;
mod hostile;
mod real;
mod rewrite;
mod undo;
mod verified;
