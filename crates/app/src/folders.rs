//! The documented folders and the assessment date.
//!
//! * state: `PRAXCHECK_STATE_DIR`, else `/var/lib/praxcheck` (root) or
//!   `$XDG_STATE_HOME/praxcheck` / `~/.local/state/praxcheck`; Windows `%ProgramData%\praxcheck`.
//!   Holds the installed advisory set and `answers.json`.
//! * output: `PRAXCHECK_OUTPUT_DIR`, else `/var/lib/praxcheck/reports` (root) or
//!   `$XDG_DATA_HOME/praxcheck/reports` / `~/.local/share/praxcheck/reports`; Windows
//!   `%LOCALAPPDATA%\praxcheck\reports`. Holds the HTML report and JSON document of each
//!   whole-computer scan. Both folders are left out of the scan itself.

use std::path::{Path, PathBuf};

use praxcheck_advisories::update::StateDir;

/// The assessment date: `PRAXCHECK_TODAY` (YYYY-MM-DD) when set, to re-assess "as of" a
/// day and for reproducible tests; else today (UTC).
#[must_use]
pub fn today() -> time::Date {
    std::env::var("PRAXCHECK_TODAY")
        .ok()
        .and_then(|s| praxcheck_advisories::parse_date(&s))
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date())
}

/// The state folder, when one can be determined.
#[must_use]
pub fn state_dir() -> Option<StateDir> {
    StateDir::default_location().map(StateDir::new)
}

/// The output folder of whole-computer scans.
#[must_use]
pub fn output_dir() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PRAXCHECK_OUTPUT_DIR").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    if cfg!(windows) {
        return std::env::var_os("LOCALAPPDATA")
            .map(|p| PathBuf::from(p).join("praxcheck/reports"));
    }
    if praxcheck_model::sys::is_root() {
        return Some(PathBuf::from("/var/lib/praxcheck/reports"));
    }
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(x).join("praxcheck/reports"));
    }
    std::env::var_os("HOME")
        .filter(|p| !p.is_empty())
        .map(|h| PathBuf::from(h).join(".local/share/praxcheck/reports"))
}

/// Folders a scan must leave out: our own state and output.
#[must_use]
pub fn own_folders() -> Vec<PathBuf> {
    state_dir()
        .map(|s| s.root().to_path_buf())
        .into_iter()
        .chain(output_dir())
        .collect()
}

/// The answers file to use: the one given, else `answers.json` in the state folder.
#[must_use]
pub fn answers_path(explicit: Option<&Path>) -> Option<PathBuf> {
    explicit
        .map(Path::to_path_buf)
        .or_else(|| state_dir().map(|s| s.root().join("answers.json")))
}
