//! The `praxcheck` command: argument parsing, progress and output around the libraries.
//!
//! Exit codes: 0 = ran, nothing open at or above `--fail-on`; 1 = findings at or above it;
//! 2 = could not run (bad arguments, nothing could be scanned, unreadable input).
//! Machine output goes to standard output only; progress and notes go to standard error.

mod advisories_cmd;
pub mod agent;
pub mod args;
mod assessing;
mod fix;
mod logs;
mod net;
mod questionnaire;
mod scan;
mod service;

use std::ffi::OsString;
use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;

use anyhow::Result;
use clap::FromArgMatches as _;
use praxcheck_i18n::{Catalog, Lang};
use praxcheck_model::Document;

use crate::args::{AdvisoriesCommand, Cli, Command, FailOn};

/// Exit code: ran, nothing at or above the threshold.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at or above the threshold.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: could not run.
pub const EXIT_ERROR: u8 = 2;

/// Runs the program with the given arguments (the first is the program name).
#[must_use]
pub fn main_with_args(args: Vec<OsString>) -> ExitCode {
    let lang = Lang::detect(praxcheck_app::help::sniff_lang(&args).as_deref());
    let cat = Catalog::new(lang);
    // The help texts from the catalogue are only needed when clap prints something (help,
    // version, an error): parse with the plain command first, and only when that does not
    // succeed with the localized one, whose messages are then shown (issue 15: startup).
    let parsed = args::command_plain()
        .try_get_matches_from(&args)
        .or_else(|_| args::command(&cat).try_get_matches_from(&args));
    let matches = match parsed {
        Ok(m) => m,
        Err(e) => {
            // Help and version are not errors; clap prints them itself.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_ERROR } else { EXIT_OK });
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(EXIT_ERROR);
        }
    };
    if let Some(msg) = praxcheck_app::folders::check_settings(cli.lang.as_deref(), &cat) {
        let _ = writeln!(std::io::stderr().lock(), "praxcheck: {msg}");
        return ExitCode::from(EXIT_ERROR);
    }
    match run(&cli, &cat) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let mut err = std::io::stderr().lock();
            // Paths and parser text in the message may hold control characters: shown, not sent.
            let msg: Vec<_> = format!("{e:#}")
                .split('\n')
                .map(praxcheck_report::term::vis)
                .collect();
            let _ = writeln!(
                err,
                "praxcheck: {}: {}",
                cat.t("error-prefix"),
                msg.join("\n")
            );
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn run(cli: &Cli, cat: &Catalog) -> Result<u8> {
    match &cli.command {
        Command::Scan(a) => scan::run(a, cli.quiet, cat),
        Command::Logs(a) => logs::run(a, cli.quiet, cat),
        Command::Net(a) => net::run(a, cli.quiet, cat),
        Command::Report(a) => assessing::report(a, cli.quiet, cat),
        Command::Fix(a) => fix::run(a, cli.quiet, cat),
        Command::Questionnaire(a) => questionnaire::run(a, cat),
        Command::Advisories { command } => match command {
            AdvisoriesCommand::Show => advisories_cmd::show(cli.quiet, cat),
            AdvisoriesCommand::Update(a) => advisories_cmd::update(a, cli.quiet, cat),
        },
        Command::Serve(a) => service::serve(a),
        Command::Admin(a) => service::admin(a),
        Command::Enroll(a) => service::enroll(a, cat),
        Command::Upload(a) => service::upload(a, cat),
        Command::Agent { command } => agent::run(command, cli.quiet, cli.lang.as_deref(), cat),
        Command::Generate(a) => agent::generate(a, cli.quiet),
    }
}

/// The exit code for a document: `1` when a finding at or above `--fail-on` is open, or
/// when the scan is incomplete (a limit was hit or a folder could not be read: a clean
/// result cannot be promised, issue 11); `0` otherwise. `--fail-on none` always gives `0`.
pub(crate) fn exit_code(doc: &Document, fail_on: FailOn) -> u8 {
    match fail_on.threshold() {
        Some(t)
            if !doc.scan.complete
                || doc
                    .findings
                    .iter()
                    .any(|f| f.status.is_open() && f.severity >= t) =>
        {
            EXIT_FINDINGS
        }
        _ => EXIT_OK,
    }
}

/// Whether colours may be used on standard output.
pub(crate) fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}
