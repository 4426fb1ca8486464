//! Command-line arguments. The structure is declared with clap's derive; the help texts
//! are filled in from the message catalogue at run time (`help-<command>-<argument>`, see
//! `praxcheck_app::help`), so `praxcheck --help` speaks German by default and English with
//! `--lang en`.

use clap::{CommandFactory, Parser, Subcommand};
use praxcheck_i18n::Catalog;

/// praxcheck
#[derive(Debug, Parser)]
#[command(name = "praxcheck", version, propagate_version = true)]
pub struct Cli {
    /// Language of the output: de or en (default: German, or English when LANG says so).
    #[arg(long, global = true, value_name = "de|en")]
    pub lang: Option<String>,
    /// Print only results, no progress.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan this computer (or the given paths).
    Scan(ScanArgs),
    /// Search logs for traces of Log4Shell attacks.
    Logs(LogsArgs),
    /// Scan the practice network for risky services (devices that cannot run praxcheck).
    Net(NetArgs),
    /// Render stored documents again, with the current advisories.
    Report(ReportArgs),
    /// Remove JndiLookup from affected archives (dry run unless --yes), or undo that.
    Fix(FixArgs),
    /// Answer the questions no program can answer; accept risks.
    Questionnaire(QuestionnaireArgs),
    /// Show or update the advisory set.
    Advisories {
        /// What to do.
        #[command(subcommand)]
        command: AdvisoriesCommand,
    },
    /// Run the association's service (issue 13).
    Serve(praxcheck_server::command_line::ServeArgs),
    /// Administer the service's data folder or database (issue 13).
    Admin(praxcheck_server::command_line::AdminArgs),
    /// Enroll this machine with the association's service (issue 13).
    Enroll(praxcheck_server::command_line::EnrollArgs),
    /// Upload documents to the association's service (issue 13).
    Upload(praxcheck_server::command_line::UploadArgs),
    /// The scheduled daily check: install, status, uninstall, run.
    Agent {
        /// What to do.
        #[command(subcommand)]
        command: praxcheck_app::agent::AgentCommand,
    },
    /// Generate man pages, shell completions or systemd units (for packaging).
    #[command(hide = true)]
    Generate(praxcheck_app::generate::GenerateArgs),
}

/// The arguments the pipeline turns into plans, and its list of output formats.
pub use praxcheck_app::Format;
pub use praxcheck_app::args::{
    AdvisoriesCommand, FailOn, FixArgs, LogsArgs, NetArgs, OutputArgs, QuestionnaireArgs,
    ReportArgs, ScanArgs, UpdateArgs,
};

/// The clap command with localized help (`praxcheck_app::help`).
#[must_use]
pub fn command(cat: &Catalog) -> clap::Command {
    praxcheck_app::help::localize(
        Cli::command().version(praxcheck_app::help::version_text(env!("PRAXCHECK_COMMIT"))),
        cat,
    )
}

/// The clap command without help texts or version: the same arguments as [`command`], for
/// parsing a command line that is valid (its help texts are never shown; building them
/// from the catalogue costs more than the parse).
#[must_use]
pub fn command_plain() -> clap::Command {
    Cli::command()
}
