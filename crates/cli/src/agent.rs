//! `praxcheck agent install|status|uninstall|run` (the scheduled daily check; arguments and
//! commands in `praxcheck_app::agent`, the work in `praxcheck-agent`) and the hidden
//! `praxcheck generate man|completions|units DIR` used when the package is built. This
//! module prints, chooses the exit code and connects the upload (`praxcheck_server::commands::upload_after_run`).

use std::io::Write as _;

use anyhow::Result;
use praxcheck_app::agent::{AgentCommand, Sink};
use praxcheck_app::generate::GenerateArgs;
use praxcheck_i18n::Catalog;

use crate::{EXIT_ERROR, EXIT_OK};

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
    let ok = praxcheck_app::agent::command(
        cmd,
        lang,
        cat,
        &mut sink,
        &praxcheck_server::commands::upload_after_run,
    )?;
    Ok(if ok { EXIT_OK } else { EXIT_ERROR })
}

/// `praxcheck generate …` (for packaging; `praxcheck_app::generate`).
pub(crate) fn generate(a: &GenerateArgs, quiet: bool) -> Result<u8> {
    let command = |lang: praxcheck_i18n::Lang| crate::args::command(&Catalog::new(lang));
    for p in praxcheck_app::generate::generate(a, &command)? {
        say(quiet, &p.display().to_string());
    }
    Ok(EXIT_OK)
}
