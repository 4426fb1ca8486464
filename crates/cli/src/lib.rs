//! The `praxcheck` command: argument parsing, dispatch, progress and exit codes around the
//! libraries (the commands' side of the pipeline is `praxcheck_app::command`).
//!
//! Exit codes: 0 = ran, nothing open at or above `--fail-on`; 1 = findings at or above it;
//! 2 = could not run (bad arguments, nothing could be scanned, unreadable input).
//! Machine output goes to standard output only; progress and notes go to standard error.

pub mod agent;
pub mod args;
mod scan;
mod service;

use std::ffi::OsString;
use std::io::{IsTerminal as _, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::FromArgMatches as _;
use praxcheck_app::collect::Started;
use praxcheck_app::command::{self, Terminal};
use praxcheck_i18n::{Catalog, Lang};

pub use praxcheck_app::command::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};

use crate::args::{AdvisoriesCommand, Cli, Command};

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
            // The reasons in the user's language (an operating-system error worded from the
            // catalogue); paths and parser text may hold control characters: shown, not sent.
            let text = praxcheck_app::errors::error_text(e.as_ref(), &cat);
            let msg: Vec<_> = text.split('\n').map(praxcheck_report::term::vis).collect();
            let _ = writeln!(
                std::io::stderr().lock(),
                "praxcheck: {}: {}",
                cat.t("error-prefix"),
                msg.join("\n")
            );
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn run(cli: &Cli, cat: &Catalog) -> Result<u8> {
    let term = &mut Console::new(cli.quiet);
    Ok(match &cli.command {
        Command::Scan(a) => scan::run(a, term, cat)?,
        Command::Logs(a) => {
            let started = Started::now();
            term.progress(&cat.t("progress-logs"));
            command::logs(a, &started, term, cat)?
        }
        Command::Net(a) => {
            let started = Started::now();
            term.progress(&cat.t("net-progress"));
            command::net(a, &started, term, cat)?
        }
        Command::Report(a) => command::report(a, term, cat)?,
        Command::Fix(a) => praxcheck_app::fixing::run(a, term, cat)?,
        Command::Questionnaire(a) => {
            let Some(path) = praxcheck_app::folders::answers_path(a.answers.as_deref()) else {
                anyhow::bail!("{}", cat.t("error-no-state-dir"));
            };
            let (stdin, today) = (std::io::stdin().lock(), praxcheck_app::folders::today());
            let stdout = std::io::stdout().lock();
            praxcheck_app::questionnaire::run(&path, &a.mode(), today, stdin, stdout, cat)?;
            EXIT_OK
        }
        Command::Advisories { command: what } => match what {
            AdvisoriesCommand::Show => command::advisories_show(term, cat)?,
            AdvisoriesCommand::Update(a) => command::advisories_update(a, term, cat)?,
        },
        Command::Serve(a) => service::serve(a)?,
        Command::Admin(a) => service::admin(a)?,
        Command::Enroll(a) => service::enroll(a, cat)?,
        Command::Upload(a) => service::upload(a, cat)?,
        Command::Agent { command } => agent::run(command, cli.quiet, cli.lang.as_deref(), cat)?,
        Command::Generate(a) => agent::generate(a, cli.quiet)?,
    })
}

/// Standard output and error as the commands' [`Terminal`].
pub(crate) struct Console {
    quiet: bool,
    stdout: std::io::Stdout,
}

impl Console {
    fn new(quiet: bool) -> Self {
        Self {
            quiet,
            stdout: std::io::stdout(),
        }
    }

    /// `<what> …` on standard error while a command works, when that is a terminal.
    fn progress(&mut self, what: &str) {
        if std::io::stderr().is_terminal() {
            self.note(&format!("{what} …"));
        }
    }
}

impl Terminal for Console {
    fn note(&mut self, text: &str) {
        if !self.quiet {
            self.say(text);
        }
    }

    fn say(&mut self, text: &str) {
        let _ = writeln!(std::io::stderr().lock(), "{text}");
    }

    fn stdout(&mut self) -> &mut dyn Write {
        &mut self.stdout
    }

    fn stdout_is_terminal(&self) -> bool {
        self.stdout.is_terminal()
    }

    fn color(&self) -> bool {
        std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && self.stdout.is_terminal()
    }
}
