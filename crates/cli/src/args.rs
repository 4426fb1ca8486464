//! Command-line arguments. The structure is declared with clap's derive; the help texts
//! are filled in from the message catalogue at run time (`help-<command>-<argument>`, see
//! `praxcheck_app::help`), so `praxcheck --help` speaks German by default and English with
//! `--lang en`.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};
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
    Generate(crate::agent::GenerateArgs),
}

/// `praxcheck advisories …`
#[derive(Debug, Subcommand)]
pub enum AdvisoriesCommand {
    /// List the loaded advisory set.
    Show,
    /// Install a signed advisory set from a file.
    Update(UpdateArgs),
}

/// `praxcheck advisories update`
#[derive(Debug, Clone, Args)]
pub struct UpdateArgs {
    /// The advisory set file; its signature is FILE.minisig unless --signature says otherwise.
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    /// The minisign signature file.
    #[arg(long, value_name = "FILE")]
    pub signature: Option<PathBuf>,
}

/// The arguments the pipeline turns into plans, and its list of output formats.
pub use praxcheck_app::Format;
pub use praxcheck_app::args::{
    FailOn, FixArgs, LogsArgs, OutputArgs, QuestionnaireArgs, ReportArgs, ScanArgs,
};

/// `praxcheck net`
#[derive(Debug, Clone, Args)]
pub struct NetArgs {
    /// Addresses, ranges (10.0.0.1-20) or CIDR (10.0.0.0/24); without: this computer's
    /// private subnets.
    #[arg(value_name = "TARGET")]
    pub targets: Vec<String>,
    /// Allow public (non-private) addresses.
    #[arg(long)]
    pub allow_public: bool,
    /// Allow more than a /22 (1024 addresses; at most a /16).
    #[arg(long)]
    pub large: bool,
    /// Do not try the anonymous FTP login.
    #[arg(long)]
    pub no_anonymous_ftp: bool,
    /// The practice server's address (repeatable): a database there is where it belongs; a
    /// database on any other device is reported.
    #[arg(long = "server", value_name = "ADDRESS")]
    pub servers: Vec<std::net::IpAddr>,
    /// Also run the active Log4Shell probe on every web service found: requests carrying a
    /// JNDI lookup to praxcheck's own LDAP listener on this computer (no outside host).
    #[arg(long)]
    pub active: bool,
    /// Port of the active probe's LDAP listener (default: any free port; open it in this
    /// computer's firewall for the probe to see callbacks).
    #[arg(long, value_name = "PORT", requires = "active")]
    pub callback_port: Option<u16>,
    /// Output options.
    #[command(flatten)]
    pub out: OutputArgs,
}

/// The clap command with localized help (`praxcheck_app::help`).
#[must_use]
pub fn command(cat: &Catalog) -> clap::Command {
    praxcheck_app::help::localize(Cli::command().version(crate::agent::version_text()), cat)
}

/// The clap command without help texts or version: the same arguments as [`command`], for
/// parsing a command line that is valid (its help texts are never shown; building them
/// from the catalogue costs more than the parse).
#[must_use]
pub fn command_plain() -> clap::Command {
    Cli::command()
}

#[cfg(test)]
mod tests {
    use clap::FromArgMatches as _;

    use super::*;

    /// A valid command line gives the same arguments from the plain command as from the
    /// localized one; help, version and errors fail with the plain one (and are then
    /// shown by the localized one).
    #[test]
    fn the_plain_command_parses_like_the_localized_one() {
        let cat = Catalog::new(praxcheck_i18n::Lang::De);
        let parse = |cmd: clap::Command, line: &[&str]| {
            cmd.try_get_matches_from(line)
                .ok()
                .and_then(|m| Cli::from_arg_matches(&m).ok())
                .map(|c| format!("{c:?}"))
        };
        for line in [
            &["praxcheck", "scan"][..],
            &[
                "praxcheck",
                "--quiet",
                "scan",
                "--path",
                "/opt",
                "--format",
                "json",
            ],
            &[
                "praxcheck",
                "scan",
                "--lang",
                "en",
                "--no-cache",
                "--exclude",
                "/x",
            ],
            &["praxcheck", "-q", "logs", "--path", "/var/log"],
            &[
                "praxcheck",
                "report",
                "--from",
                "a.json",
                "--format",
                "html",
            ],
            &["praxcheck", "advisories", "show"],
            &["praxcheck", "agent", "status"],
            &["praxcheck", "net", "127.0.0.1", "--format", "csv"],
        ] {
            let plain = parse(command_plain(), line);
            assert!(plain.is_some(), "{line:?}");
            assert_eq!(plain, parse(command(&cat), line), "{line:?}");
        }
        for line in [
            &["praxcheck"][..],
            &["praxcheck", "--help"],
            &["praxcheck", "scan", "-h"],
            &["praxcheck", "-V"],
            &["praxcheck", "scan", "--version"],
            &["praxcheck", "help", "scan"],
            &["praxcheck", "scan", "--format", "yaml"],
            &["praxcheck", "scan", "--no-such-option"],
        ] {
            assert!(
                command_plain().try_get_matches_from(line).is_err(),
                "{line:?}"
            );
            assert!(
                command(&cat).try_get_matches_from(line).is_err(),
                "{line:?}"
            );
        }
    }
}
