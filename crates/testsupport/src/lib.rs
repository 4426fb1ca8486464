//! Helpers shared by the tests of every praxcheck crate.
//!
//! **Test tiers.** The core tier is self-contained: it builds its fixtures itself. The
//! extended tier reads real, public test data from `../shared/testdata` (next to the
//! repository) or from the folder named by `PRAXCHECK_TESTDATA`. When neither exists, an
//! extended test calls [`testdata`] and returns early after printing a clear
//! `SKIPPED (extended tier)` line; set `PRAXCHECK_REQUIRE_TESTDATA=1` (CI does) to turn a
//! missing folder into a failure instead.

#![allow(clippy::print_stderr)]

pub mod jar;
#[cfg(unix)]
pub mod pg;

use std::path::{Path, PathBuf};

/// The repository root (the workspace folder).
#[must_use]
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The extended-tier test data folder, or `None` after printing why the test is skipped.
///
/// # Panics
/// When `PRAXCHECK_REQUIRE_TESTDATA=1` and the folder is missing.
#[must_use]
pub fn testdata(test: &str) -> Option<PathBuf> {
    let candidate = std::env::var_os("PRAXCHECK_TESTDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/testdata"));
    if candidate.is_dir() {
        return Some(candidate);
    }
    assert!(
        std::env::var("PRAXCHECK_REQUIRE_TESTDATA").as_deref() != Ok("1"),
        "{test}: PRAXCHECK_REQUIRE_TESTDATA=1 but {} does not exist",
        candidate.display()
    );
    eprintln!(
        "SKIPPED (extended tier) {test}: test data folder {} not found; set PRAXCHECK_TESTDATA",
        candidate.display()
    );
    None
}

/// The reference-data folder `../shared/data` (endoflife, affected products), when present.
#[must_use]
pub fn shared_data(test: &str) -> Option<PathBuf> {
    let candidate = std::env::var_os("PRAXCHECK_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/data"));
    if candidate.is_dir() {
        return Some(candidate);
    }
    eprintln!(
        "SKIPPED (extended tier) {test}: reference data folder {} not found",
        candidate.display()
    );
    None
}

/// Makes a FIFO at `path` with coreutils' `mkfifo` (a command, so that no test needs
/// `unsafe`); `false` after printing why the test is skipped when it cannot.
///
/// # Panics
/// When `PRAXCHECK_REQUIRE_COREUTILS=1` and the FIFO cannot be made.
#[must_use]
pub fn mkfifo(path: &Path, test: &str) -> bool {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    if made.as_ref().is_ok_and(std::process::ExitStatus::success) {
        return true;
    }
    assert!(
        std::env::var_os("PRAXCHECK_REQUIRE_COREUTILS").is_none(),
        "{test}: PRAXCHECK_REQUIRE_COREUTILS is set but mkfifo failed: {made:?}"
    );
    eprintln!("SKIPPED {test}: mkfifo is not available ({made:?})");
    false
}
