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

/// Settings that must be right or refused (issue 11): a language that is not supported and
/// an assessment date that is not a date end the run (exit code 2) instead of being
/// silently ignored. The first setting that is wrong, as a message in the user's language.
#[must_use]
pub fn check_settings(lang: Option<&str>, cat: &praxcheck_i18n::Catalog) -> Option<String> {
    if let Some(l) = lang
        && praxcheck_i18n::Lang::parse(l).is_none()
    {
        return Some(cat.t_args(
            "harden-bad-lang",
            &[("value", praxcheck_i18n::Arg::Str(shown(l)))],
        ));
    }
    if let Some(v) = std::env::var_os("PRAXCHECK_TODAY") {
        let s = v.to_string_lossy();
        let ok =
            praxcheck_advisories::parse_date(&s).is_some_and(|d| (2000..=2999).contains(&d.year()));
        if !ok {
            return Some(cat.t_args(
                "harden-bad-today",
                &[("value", praxcheck_i18n::Arg::Str(shown(&s)))],
            ));
        }
    }
    None
}

/// A value as shown back to the user: bounded, control characters escaped.
fn shown(s: &str) -> String {
    s.chars().take(64).flat_map(char::escape_default).collect()
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
