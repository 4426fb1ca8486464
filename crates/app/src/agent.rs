//! The scheduled agent's side of the pipeline (feature `local`): the words of
//! `agent status`, the folders of a run, and the scan command a run starts. The systemd
//! units, the lock, the limits and the rotation are `praxcheck-agent`'s; the upload after
//! a run is the service client's.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use praxcheck_agent::install::Status;
use praxcheck_i18n::{Arg, Catalog};

/// Whether `root` is this computer's `/` (not a test root).
#[must_use]
pub fn real_root(root: &Path) -> bool {
    std::fs::canonicalize(root).is_ok_and(|p| p == Path::new("/"))
}

/// The state and report folders of this program (environment, else the platform's);
/// `None` when either cannot be determined.
#[must_use]
pub fn folders() -> Option<(PathBuf, PathBuf)> {
    let state = crate::folders::state_dir()?.root().to_path_buf();
    Some((state, crate::folders::output_dir()?))
}

/// The lines of `agent status`.
#[must_use]
pub fn status_lines(st: &Status, cat: &Catalog) -> Vec<String> {
    let mut out = vec![
        cat.t(if st.units_installed {
            "agent-status-installed"
        } else {
            "agent-status-not-installed"
        }),
        cat.t(if st.enabled {
            "agent-status-enabled"
        } else {
            "agent-status-disabled"
        }),
    ];
    if let Some(t) = &st.timer {
        if !t.next.is_empty() {
            out.push(cat.t_args("agent-status-next", &[("when", Arg::from(t.next.clone()))]));
        }
        if !t.last.is_empty() {
            out.push(cat.t_args(
                "agent-status-last-trigger",
                &[("when", Arg::from(t.last.clone()))],
            ));
        }
    }
    match (&st.last_run, &st.state_error) {
        (_, Some(e)) => out.push(cat.t_args(
            "agent-status-state-error",
            &[("reason", Arg::from(e.clone()))],
        )),
        (None, None) => out.push(cat.t("agent-status-no-run")),
        (Some(r), None) => out.extend(praxcheck_report::agent::describe_run(r, cat)),
    }
    out
}

/// The whole-computer scan one scheduled run starts: this program, quiet, into the state
/// and report folders, one core (the scan's thread pool gets one thread; the unit's
/// CPUQuota says the same), no colours, no input or output.
#[must_use]
pub fn scan_command(
    exe: &Path,
    lang: Option<&str>,
    state_dir: &Path,
    report_dir: &Path,
) -> Command {
    let mut scan = Command::new(exe);
    if let Some(l) = lang {
        scan.arg("--lang").arg(l);
    }
    scan.args(["--quiet", "scan"])
        .env("PRAXCHECK_STATE_DIR", state_dir)
        .env("PRAXCHECK_OUTPUT_DIR", report_dir)
        .env("RAYON_NUM_THREADS", "1")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    scan
}
