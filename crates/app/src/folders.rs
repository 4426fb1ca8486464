//! The documented folders and the assessment date.
//!
//! * state: `PRAXCHECK_STATE_DIR`, else `/var/lib/praxcheck` (root) or
//!   `$XDG_STATE_HOME/praxcheck` / `~/.local/state/praxcheck`; Windows `%ProgramData%\praxcheck`.
//!   Holds the installed advisory set and `answers.json`.
//! * output: `PRAXCHECK_OUTPUT_DIR`, else `/var/lib/praxcheck/reports` (root) or
//!   `$XDG_DATA_HOME/praxcheck/reports` / `~/.local/share/praxcheck/reports`; Windows
//!   `%LOCALAPPDATA%\praxcheck\reports`, but `%ProgramData%\praxcheck\reports` for the
//!   SYSTEM account (the scheduled task), whose `%LOCALAPPDATA%` lies in
//!   `System32\config\systemprofile` where nobody looks. Holds the HTML report and JSON
//!   document of each whole-computer scan. Both folders are left out of the scan itself.

use std::ffi::{OsStr, OsString};
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
    output_dir_from(
        &|v: &str| std::env::var_os(v),
        cfg!(windows),
        !cfg!(windows) && praxcheck_model::sys::is_root(),
    )
}

/// The output folder decided from environment variables (`var`), the platform and whether
/// the process runs as root (pure; the unit tests call it with made-up environments).
#[must_use]
pub fn output_dir_from(
    var: &dyn Fn(&str) -> Option<OsString>,
    windows: bool,
    root: bool,
) -> Option<PathBuf> {
    let var = |v: &str| var(v).filter(|p| !p.is_empty());
    if let Some(p) = var("PRAXCHECK_OUTPUT_DIR") {
        return Some(PathBuf::from(p));
    }
    if windows {
        let system = windows_system_account(
            var("USERPROFILE").as_deref(),
            var("LOCALAPPDATA").as_deref(),
            var("USERNAME").as_deref(),
        );
        let base = if system {
            var("ProgramData")?
        } else {
            var("LOCALAPPDATA")?
        };
        return Some(PathBuf::from(base).join("praxcheck").join("reports"));
    }
    if root {
        return Some(PathBuf::from("/var/lib/praxcheck/reports"));
    }
    if let Some(x) = var("XDG_DATA_HOME") {
        return Some(PathBuf::from(x).join("praxcheck/reports"));
    }
    var("HOME").map(|h| PathBuf::from(h).join(".local/share/praxcheck/reports"))
}

/// Whether a Windows process runs as the SYSTEM account (a task or service), told by its
/// profile folder `%SystemRoot%\System32\config\systemprofile` (or `SysWOW64\…`), which
/// only SYSTEM has, or by the user name `SYSTEM`.
#[must_use]
pub fn windows_system_account(
    user_profile: Option<&OsStr>,
    local_app_data: Option<&OsStr>,
    user_name: Option<&OsStr>,
) -> bool {
    let in_system_profile = |p: Option<&OsStr>| {
        p.is_some_and(|p| {
            let p = p.to_string_lossy().replace('/', "\\").to_ascii_lowercase();
            p.contains("\\config\\systemprofile")
        })
    };
    in_system_profile(user_profile)
        || in_system_profile(local_app_data)
        || user_name.is_some_and(|n| n.eq_ignore_ascii_case("SYSTEM"))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |k: &str| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| OsString::from(v))
        }
    }

    const SYSTEM_TASK: &[(&str, &str)] = &[
        ("USERPROFILE", r"C:\Windows\system32\config\systemprofile"),
        (
            "LOCALAPPDATA",
            r"C:\Windows\system32\config\systemprofile\AppData\Local",
        ),
        ("USERNAME", "EMPFANG-PC$"),
        ("ProgramData", r"C:\ProgramData"),
    ];

    #[test]
    fn system_s_reports_go_to_program_data() {
        let d = output_dir_from(&env(SYSTEM_TASK), true, false).unwrap();
        assert_eq!(
            d,
            PathBuf::from(r"C:\ProgramData")
                .join("praxcheck")
                .join("reports")
        );
        // Told by the user name alone, too.
        let by_name = [
            ("USERNAME", "SYSTEM"),
            ("ProgramData", r"D:\PD"),
            ("LOCALAPPDATA", r"D:\x"),
        ];
        let d = output_dir_from(&env(&by_name), true, false).unwrap();
        assert_eq!(d, PathBuf::from(r"D:\PD").join("praxcheck").join("reports"));
    }

    #[test]
    fn a_user_s_reports_stay_in_local_app_data() {
        let user = [
            ("USERPROFILE", r"C:\Users\Empfang"),
            ("LOCALAPPDATA", r"C:\Users\Empfang\AppData\Local"),
            ("USERNAME", "Empfang"),
            ("ProgramData", r"C:\ProgramData"),
        ];
        let d = output_dir_from(&env(&user), true, false).unwrap();
        assert_eq!(
            d,
            PathBuf::from(r"C:\Users\Empfang\AppData\Local")
                .join("praxcheck")
                .join("reports")
        );
        // A user whose name merely contains "system" is a user.
        assert!(!windows_system_account(
            Some(OsStr::new(r"C:\Users\systemadmin")),
            None,
            Some(OsStr::new("systemadmin")),
        ));
    }

    #[test]
    fn the_environment_override_wins_and_linux_is_unchanged() {
        let mut v = SYSTEM_TASK.to_vec();
        v.push(("PRAXCHECK_OUTPUT_DIR", r"E:\Berichte"));
        assert_eq!(
            output_dir_from(&env(&v), true, false),
            Some(PathBuf::from(r"E:\Berichte"))
        );
        // SYSTEM without ProgramData: no folder rather than SYSTEM's profile.
        let no_pd: Vec<_> = SYSTEM_TASK
            .iter()
            .copied()
            .filter(|(k, _)| *k != "ProgramData")
            .collect();
        assert_eq!(output_dir_from(&env(&no_pd), true, false), None);
        let home = [("HOME", "/home/praxis")];
        assert_eq!(
            output_dir_from(&env(&home), false, false),
            Some(PathBuf::from("/home/praxis/.local/share/praxcheck/reports"))
        );
        assert_eq!(
            output_dir_from(&env(&home), false, true),
            Some(PathBuf::from("/var/lib/praxcheck/reports"))
        );
    }
}
