//! `praxcheck agent install|status|uninstall|run` (the scheduled daily check; arguments and
//! commands in `praxcheck_app::agent`, the work in `praxcheck-agent`) and the hidden
//! `praxcheck generate man|completions|units DIR` used when the package is built. This
//! module prints, chooses the exit code and connects the upload ([`upload_after_run`]).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use clap::{Args, ValueEnum};
use praxcheck_agent::units::{self, Layout};
use praxcheck_app::agent::{AgentCommand, Sink};
use praxcheck_i18n::Catalog;
use praxcheck_model::agent::UploadState;

use crate::{EXIT_ERROR, EXIT_OK};

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

/// `praxcheck agent …`
pub(crate) fn run(
    cmd: &AgentCommand,
    quiet: bool,
    lang: Option<&str>,
    cat: &Catalog,
) -> Result<u8> {
    let mut sink = Sink {
        out: &mut std::io::stdout(),
        err: &mut std::io::stderr(),
        quiet,
    };
    let ok = praxcheck_app::agent::command(cmd, lang, cat, &mut sink, &upload_after_run)?;
    Ok(if ok { EXIT_OK } else { EXIT_ERROR })
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
