//! The scheduled agent's side of the pipeline (feature `local`): the words of
//! `agent status`, the folders of a run, and the scan command a run starts. The systemd
//! units, the lock, the limits and the rotation are `praxcheck-agent`'s; the upload after
//! a run is the service client's. With the feature `clap`, the arguments of `praxcheck
//! agent …` and the commands themselves ([`command`]); the binary prints and exits.

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

/// `praxcheck agent …` (feature `clap`).
#[cfg(feature = "clap")]
#[derive(Debug, Clone, clap::Subcommand)]
pub enum AgentCommand {
    /// Write and enable the systemd service and timer of the daily check.
    Install(InstallArgs),
    /// Show the last run, its result and the next run.
    Status(RootArgs),
    /// Disable and remove the service and timer (reports and backups stay).
    Uninstall(RootArgs),
    /// One scheduled run: a whole-computer scan into the report folder (what the timer runs).
    Run(RunArgs),
}

/// `--root`
#[cfg(feature = "clap")]
#[derive(Debug, Clone, clap::Args)]
pub struct RootArgs {
    /// Work below this folder instead of `/` (a test root; systemctl is not called).
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,
}

/// `praxcheck agent install`
#[cfg(feature = "clap")]
#[derive(Debug, Clone, clap::Args)]
pub struct InstallArgs {
    /// Work below this folder instead of `/` (a test root; systemctl is not called).
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,
    /// The program the service starts (default: this program on `/`, /usr/bin/praxcheck
    /// below a test root).
    #[arg(long, value_name = "FILE")]
    pub exe: Option<PathBuf>,
}

/// `praxcheck agent run`
#[cfg(feature = "clap")]
#[derive(Debug, Clone, clap::Args)]
pub struct RunArgs {
    /// How many scans the report folder keeps per computer.
    #[arg(long, value_name = "N", default_value_t = praxcheck_agent::run::REPORTS_KEPT)]
    pub keep: usize,
}

/// Why an agent command could not run.
#[cfg(feature = "clap")]
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The state or report folder cannot be determined (the catalogue's words).
    #[error("{0}")]
    NoFolders(String),
    /// This program's own path is unknown.
    #[error("this program's path")]
    Exe(#[source] std::io::Error),
    /// Installing, removing or running failed.
    #[error(transparent)]
    Agent(#[from] praxcheck_agent::AgentError),
}

/// Where an agent command writes: results to `out`, notes to `err`; `quiet` leaves out
/// everything but `agent status` and notes.
#[cfg(feature = "clap")]
pub struct Sink<'a> {
    /// Standard output.
    pub out: &'a mut dyn std::io::Write,
    /// Standard error.
    pub err: &'a mut dyn std::io::Write,
    /// `--quiet`.
    pub quiet: bool,
}

#[cfg(feature = "clap")]
impl Sink<'_> {
    fn say(&mut self, s: &str) {
        if !self.quiet {
            let _ = writeln!(self.out, "{s}");
        }
    }
}

/// Runs `praxcheck agent …`; `Ok(false)` when a scheduled run failed (the caller's exit
/// code 2). `upload` sends a run's document when the machine is enrolled (the service
/// client's, a crate above this one).
///
/// # Errors
/// No state or report folder, this program's path unknown, or installing, removing or
/// running failed.
#[cfg(feature = "clap")]
pub fn command(
    cmd: &AgentCommand,
    lang: Option<&str>,
    cat: &Catalog,
    sink: &mut Sink<'_>,
    upload: &dyn Fn(&Path, &Path) -> praxcheck_model::agent::UploadState,
) -> Result<bool, CommandError> {
    use praxcheck_agent::install::{self, Enabled};
    use praxcheck_agent::units::Layout;
    match cmd {
        AgentCommand::Install(a) => {
            let exe = match &a.exe {
                Some(e) => e.clone(),
                None if real_root(&a.root) => std::env::current_exe()
                    .and_then(std::fs::canonicalize)
                    .map_err(CommandError::Exe)?,
                None => Layout::default().exe,
            };
            let layout = Layout {
                exe,
                ..Layout::default()
            };
            let done = install::install(&a.root, &layout)?;
            let names: Vec<String> = done.units.iter().map(|p| p.display().to_string()).collect();
            sink.say(&cat.t_args(
                "agent-install-done",
                &[("units", Arg::from(names.join(", ")))],
            ));
            sink.say(&match done.enabled {
                Enabled::Link(l) => cat.t_args(
                    "agent-install-enabled-link",
                    &[("link", Arg::from(l.display().to_string()))],
                ),
                Enabled::Systemctl { started: true } => cat.t("agent-install-enabled-now"),
                Enabled::Systemctl { started: false } => cat.t("agent-install-enabled-boot"),
            });
            Ok(true)
        }
        AgentCommand::Uninstall(a) => {
            let removed = install::uninstall(&a.root)?;
            sink.say(&cat.t_args(
                "agent-uninstall-done",
                &[("count", Arg::from(removed.len()))],
            ));
            Ok(true)
        }
        AgentCommand::Status(a) => {
            let state = if real_root(&a.root) {
                folders_or_error(cat)?.0
            } else {
                Layout::default().state_dir
            };
            let st = install::status(&a.root, &state);
            let _ = writeln!(sink.out, "{}", status_lines(&st, cat).join("\n"));
            Ok(true)
        }
        AgentCommand::Run(a) => scheduled_run(a, lang, cat, sink, upload),
    }
}

#[cfg(feature = "clap")]
fn folders_or_error(cat: &Catalog) -> Result<(PathBuf, PathBuf), CommandError> {
    folders().ok_or_else(|| CommandError::NoFolders(cat.t("error-no-output-dir")))
}

/// `praxcheck agent run`: the limits, the scan under the lock, the rotation and the
/// upload; `Ok(false)` when the run failed.
#[cfg(feature = "clap")]
fn scheduled_run(
    a: &RunArgs,
    lang: Option<&str>,
    cat: &Catalog,
    sink: &mut Sink<'_>,
    upload: &dyn Fn(&Path, &Path) -> praxcheck_model::agent::UploadState,
) -> Result<bool, CommandError> {
    use praxcheck_agent::run::{self, Outcome, RunOptions};
    let (state_dir, report_dir) = folders_or_error(cat)?;
    for n in run::limit_self() {
        let _ = writeln!(sink.err, "praxcheck agent: {n}");
    }
    let exe = std::env::current_exe().map_err(CommandError::Exe)?;
    let opts = RunOptions {
        scan: scan_command(&exe, lang, &state_dir, &report_dir),
        state_dir,
        report_dir,
        timeout: std::time::Duration::from_secs(praxcheck_agent::units::RUN_TIMEOUT_SECS),
        keep: a.keep,
    };
    match run::run(opts, upload)? {
        Outcome::AlreadyRunning => {
            sink.say(&cat.t("agent-run-locked"));
            Ok(true)
        }
        Outcome::Ran(r) => {
            sink.say(&cat.t_args(
                "agent-run-done",
                &[
                    (
                        "result",
                        Arg::from(praxcheck_report::agent::result_text(r.result, cat)),
                    ),
                    ("rotated", Arg::from(r.rotated)),
                ],
            ));
            sink.say(&praxcheck_report::agent::describe_run(&r, cat).join("\n"));
            Ok(r.result != praxcheck_model::agent::RunResult::Failed)
        }
    }
}
