//! `praxcheck agent install|status|uninstall|run` (the scheduled daily check) and the hidden
//! `praxcheck generate man|completions|units DIR` used when the package is built. The logic
//! lives in `praxcheck-agent`; this module parses, prints and connects the upload
//! ([`upload_after_run`]).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result};
use clap::{Args, Subcommand, ValueEnum};
use praxcheck_agent::install::{self, Enabled};
use praxcheck_agent::run::{self, Outcome, REPORTS_KEPT, RunOptions};
use praxcheck_agent::units::{self, Layout, RUN_TIMEOUT_SECS};
use praxcheck_i18n::{Arg, Catalog};
use praxcheck_model::agent::{RunResult, UploadState};

use crate::{EXIT_ERROR, EXIT_OK};

/// `praxcheck agent …`
#[derive(Debug, Clone, Subcommand)]
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
#[derive(Debug, Clone, Args)]
pub struct RootArgs {
    /// Work below this folder instead of `/` (a test root; systemctl is not called).
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,
}

/// `praxcheck agent install`
#[derive(Debug, Clone, Args)]
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
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// How many scans the report folder keeps per computer.
    #[arg(long, value_name = "N", default_value_t = REPORTS_KEPT)]
    pub keep: usize,
}

/// What `praxcheck generate` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenerateWhat {
    /// Man pages (German in DIR/man1, English in DIR/en/man1).
    Man,
    /// Shell completions for bash, zsh and fish.
    Completions,
    /// The systemd service and timer of the package layout.
    Units,
}

/// `praxcheck generate`
#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// What to generate.
    #[arg(value_enum)]
    pub what: GenerateWhat,
    /// The folder to write into.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

fn say(quiet: bool, s: &str) {
    if !quiet {
        let mut o = std::io::stdout().lock();
        let _ = writeln!(o, "{s}");
    }
}

/// The state and report folders of this program (environment, else the platform's).
fn folders(cat: &Catalog) -> Result<(PathBuf, PathBuf)> {
    praxcheck_app::agent::folders().with_context(|| cat.t("error-no-output-dir"))
}

/// `praxcheck agent …`
pub(crate) fn run(
    cmd: &AgentCommand,
    quiet: bool,
    lang: Option<&str>,
    cat: &Catalog,
) -> Result<u8> {
    match cmd {
        AgentCommand::Install(a) => {
            let exe = match &a.exe {
                Some(e) => e.clone(),
                None if praxcheck_app::agent::real_root(&a.root) => std::env::current_exe()
                    .and_then(std::fs::canonicalize)
                    .context("this program's path")?,
                None => Layout::default().exe,
            };
            let layout = Layout {
                exe,
                ..Layout::default()
            };
            let done = install::install(&a.root, &layout)?;
            let names: Vec<String> = done.units.iter().map(|p| p.display().to_string()).collect();
            say(
                quiet,
                &cat.t_args(
                    "agent-install-done",
                    &[("units", Arg::from(names.join(", ")))],
                ),
            );
            say(
                quiet,
                &match done.enabled {
                    Enabled::Link(l) => cat.t_args(
                        "agent-install-enabled-link",
                        &[("link", Arg::from(l.display().to_string()))],
                    ),
                    Enabled::Systemctl { started: true } => cat.t("agent-install-enabled-now"),
                    Enabled::Systemctl { started: false } => cat.t("agent-install-enabled-boot"),
                },
            );
            Ok(EXIT_OK)
        }
        AgentCommand::Uninstall(a) => {
            let removed = install::uninstall(&a.root)?;
            say(
                quiet,
                &cat.t_args(
                    "agent-uninstall-done",
                    &[("count", Arg::from(removed.len()))],
                ),
            );
            Ok(EXIT_OK)
        }
        AgentCommand::Status(a) => {
            let state = if praxcheck_app::agent::real_root(&a.root) {
                folders(cat)?.0
            } else {
                Layout::default().state_dir
            };
            let st = install::status(&a.root, &state);
            let out = praxcheck_app::agent::status_lines(&st, cat);
            say(false, &out.join("\n"));
            Ok(EXIT_OK)
        }
        AgentCommand::Run(a) => agent_run(a, quiet, lang, cat),
    }
}

/// **The upload.** Called by `agent run` after a scan that wrote a document, and only when
/// an enrollment exists (`<state>/agent/credential.json`, written by `praxcheck enroll`).
/// The document goes into the agent's spool and everything spooled is sent (the service's
/// client: idempotent upload ids, one re-enrollment on a rejected credential). It never
/// fails the run: an unreachable server leaves the document spooled for the next run.
fn upload_after_run(state_dir: &Path, document: &Path) -> UploadState {
    match praxcheck_server::commands::upload(state_dir, &[document.to_path_buf()]) {
        Ok(ids) => UploadState::Uploaded {
            detail: ids.split_whitespace().collect::<Vec<_>>().join(" "),
        },
        Err(e) => UploadState::Failed {
            reason: format!("{e:#}"),
        },
    }
}

fn agent_run(a: &RunArgs, quiet: bool, lang: Option<&str>, cat: &Catalog) -> Result<u8> {
    let (state_dir, report_dir) = folders(cat)?;
    let notes = run::limit_self();
    for n in notes {
        let mut e = std::io::stderr().lock();
        let _ = writeln!(e, "praxcheck agent: {n}");
    }
    let exe = std::env::current_exe().context("this program's path")?;
    let scan = praxcheck_app::agent::scan_command(&exe, lang, &state_dir, &report_dir);
    let opts = RunOptions {
        state_dir,
        report_dir,
        scan,
        timeout: Duration::from_secs(RUN_TIMEOUT_SECS),
        keep: a.keep,
    };
    match run::run(opts, &upload_after_run)? {
        Outcome::AlreadyRunning => {
            say(quiet, &cat.t("agent-run-locked"));
            Ok(EXIT_OK)
        }
        Outcome::Ran(r) => {
            say(
                quiet,
                &cat.t_args(
                    "agent-run-done",
                    &[
                        (
                            "result",
                            Arg::from(praxcheck_report::agent::result_text(r.result, cat)),
                        ),
                        ("rotated", Arg::from(r.rotated)),
                    ],
                ),
            );
            if !quiet {
                say(
                    false,
                    &praxcheck_report::agent::describe_run(&r, cat).join("\n"),
                );
            }
            Ok(if r.result == RunResult::Failed {
                EXIT_ERROR
            } else {
                EXIT_OK
            })
        }
    }
}

/// The `--version` text: version, commit and the embedded advisory set.
pub(crate) fn version_text() -> &'static str {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        // The identity only: parsing the whole set here would cost every command startup.
        let set = praxcheck_advisories::AdvisorySet::embedded_meta()
            .map(|m| format!("{} {} ({})", m.id, m.version, m.published))
            .unwrap_or_else(|e| format!("unusable: {e}"));
        format!(
            "{} (commit {}, advisory set {set})",
            env!("CARGO_PKG_VERSION"),
            env!("PRAXCHECK_COMMIT")
        )
    })
}

/// `praxcheck generate …` (for packaging).
pub(crate) fn generate(a: &GenerateArgs, quiet: bool) -> Result<u8> {
    std::fs::create_dir_all(&a.dir).with_context(|| a.dir.display().to_string())?;
    let mut written = Vec::new();
    match a.what {
        GenerateWhat::Man => {
            for (lang, sub) in [
                (praxcheck_i18n::Lang::De, "man1"),
                (praxcheck_i18n::Lang::En, "en/man1"),
            ] {
                let dir = a.dir.join(sub);
                std::fs::create_dir_all(&dir).with_context(|| dir.display().to_string())?;
                let cmd = crate::args::command(&Catalog::new(lang));
                clap_mangen::generate_to(cmd, &dir).with_context(|| dir.display().to_string())?;
                written.push(dir);
            }
        }
        GenerateWhat::Completions => {
            use clap_complete::Shell;
            for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
                let mut cmd = crate::args::command(&Catalog::new(praxcheck_i18n::Lang::De));
                let p = clap_complete::generate_to(shell, &mut cmd, "praxcheck", &a.dir)
                    .with_context(|| a.dir.display().to_string())?;
                written.push(p);
            }
        }
        GenerateWhat::Units => {
            for (name, text) in units::unit_files(&Layout::default()) {
                let p = a.dir.join(name);
                std::fs::write(&p, text).with_context(|| p.display().to_string())?;
                written.push(p);
            }
        }
    }
    for p in written {
        say(quiet, &p.display().to_string());
    }
    Ok(EXIT_OK)
}
