//! Command-line arguments. The structure is declared with clap's derive; the help texts
//! are filled in from the message catalogue at run time (`help-<command>-<argument>`, see
//! `praxcheck_app::help`), so `praxcheck --help` speaks German by default and English with
//! `--lang en`.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
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
    Serve(crate::service::ServeArgs),
    /// Administer the service's data folder or database (issue 13).
    Admin(crate::service::AdminArgs),
    /// Enroll this machine with the association's service (issue 13).
    Enroll(crate::service::EnrollArgs),
    /// Upload documents to the association's service (issue 13).
    Upload(crate::service::UploadArgs),
    /// The scheduled daily check: install, status, uninstall, run.
    Agent {
        /// What to do.
        #[command(subcommand)]
        command: crate::agent::AgentCommand,
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

/// `praxcheck questionnaire`
#[derive(Debug, Clone, Args)]
pub struct QuestionnaireArgs {
    /// The answers file (default: answers.json in the state folder).
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Stored documents; a Windows computer among them answers the Windows question.
    #[arg(long = "from", value_name = "FILE")]
    pub from: Vec<PathBuf>,
    /// Show the answers and accepted risks instead of asking.
    #[arg(long)]
    pub list: bool,
    /// Accept the risk of a finding (its id from a report) or of a rule (a CVE or rule id).
    #[arg(long, value_name = "ID")]
    pub accept: Option<String>,
    /// Why the risk is accepted (with --accept).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Until when (YYYY-MM-DD, with --accept).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Who accepts it (with --accept).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Only on this computer (with --accept).
    #[arg(long, value_name = "HOST")]
    pub host: Option<String>,
}

/// Output formats: the pipeline's list.
pub use praxcheck_app::Format;

/// The threshold for exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Critical findings.
    Critical,
    /// High or critical.
    High,
    /// Medium or worse.
    Medium,
    /// Low or worse.
    Low,
    /// Never exit with 1.
    None,
}

/// Options shared by commands that write results.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format (default: `scan` without `--path` and `report` show the overview,
    /// `scan --path` the detailed summary).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit with code 1 when a finding at or above this severity is open.
    #[arg(long, value_enum, default_value_t = FailOn::High)]
    pub fail_on: FailOn,
    /// Show every finding in the terminal summary.
    #[arg(long)]
    pub all: bool,
    /// The answers file (default: answers.json in the state folder).
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
}

/// `praxcheck scan`
#[derive(Debug, Clone, Args)]
pub struct ScanArgs {
    /// File or folder to scan (repeatable). Without it: this computer's software locations.
    #[arg(long = "path", short = 'p', value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// File or folder to leave out (repeatable).
    #[arg(long, value_name = "PATH")]
    pub exclude: Vec<PathBuf>,
    /// Also enter network filesystems (NFS, SMB, sshfs) below the paths.
    #[arg(long)]
    pub network_fs: bool,
    /// Maximum nesting depth of archives.
    #[arg(long, default_value_t = 16, value_name = "N")]
    pub max_depth: usize,
    /// Do not look up which running programs use the archives.
    #[arg(long)]
    pub no_processes: bool,
    /// Do not search the log folders for traces of attacks.
    #[arg(long)]
    pub no_logs: bool,
    /// Also check this computer's settings when paths are given.
    #[arg(long, conflicts_with = "no_host")]
    pub host: bool,
    /// Do not check this computer's settings (Java archives only).
    #[arg(long)]
    pub no_host: bool,
    /// Check only this computer's settings; look for no Java archives.
    #[arg(long, conflicts_with_all = ["no_host", "paths"])]
    pub host_only: bool,
    /// IPv4 address of the TI connector (tells serial from parallel mode).
    #[arg(long, value_name = "IPV4")]
    pub connector_address: Option<std::net::Ipv4Addr>,
    /// Configuration file naming more backup folders.
    #[arg(long, value_name = "FILE")]
    pub backup_config: Option<PathBuf>,
    /// Do not write the HTML report and JSON document to the output folder (a scan without
    /// --path writes them there unless --output or --format is given).
    #[arg(long)]
    pub no_save: bool,
    /// Do not use the repeat-scan cache: read every file again.
    #[arg(long)]
    pub no_cache: bool,
    /// Afterwards send the document to the association's service (after `praxcheck
    /// enroll`); when the server cannot be reached it waits in the spool (issue 13).
    #[arg(long)]
    pub upload: bool,
    /// Output options.
    #[command(flatten)]
    pub out: OutputArgs,
}

/// `praxcheck logs`
#[derive(Debug, Clone, Args)]
pub struct LogsArgs {
    /// Log file or folder (repeatable). Without it: this computer's server log folders.
    #[arg(long = "path", short = 'p', value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// File or folder to leave out (repeatable).
    #[arg(long, value_name = "PATH")]
    pub exclude: Vec<PathBuf>,
    /// Output options.
    #[command(flatten)]
    pub out: OutputArgs,
}

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

/// `praxcheck report`
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// A stored praxcheck JSON document (repeatable).
    #[arg(long = "from", value_name = "FILE", required = true)]
    pub from: Vec<PathBuf>,
    /// An earlier run's document (repeatable): show what was fixed, what is new, what stayed.
    #[arg(long, value_name = "FILE")]
    pub compare: Vec<PathBuf>,
    /// Facts collected elsewhere for the document at the same position (JSON, see RULES.md).
    #[arg(long, value_name = "FILE", hide = true)]
    pub facts: Vec<PathBuf>,
    /// Output options.
    #[command(flatten)]
    pub out: OutputArgs,
}

/// `praxcheck fix`
#[derive(Debug, Clone, Args)]
pub struct FixArgs {
    /// Files or folders to fix (without: this computer's software locations); with
    /// `--undo`, only changes at or below these paths are undone.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Apply the changes (without it: only show what would change).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Put the saved originals back, byte for byte.
    #[arg(long, conflicts_with = "log4j1")]
    pub undo: bool,
    /// Also remove the risky Log4j 1.x classes.
    #[arg(long)]
    pub log4j1: bool,
    /// Also change files in use, with several hard links or whose signature check fails;
    /// with --undo also restore files that changed since the fix.
    #[arg(long)]
    pub force: bool,
    /// Folder for the saved originals.
    #[arg(long, value_name = "DIR", env = "PRAXCHECK_BACKUP_DIR")]
    pub backup_dir: Option<PathBuf>,
    /// File or folder to leave out (repeatable).
    #[arg(long, value_name = "PATH")]
    pub exclude: Vec<PathBuf>,
    /// Maximum nesting depth of archives.
    #[arg(long, default_value_t = 16, value_name = "N")]
    pub max_depth: usize,
}

/// The clap command with localized help (`praxcheck_app::help`).
#[must_use]
pub fn command(cat: &Catalog) -> clap::Command {
    praxcheck_app::help::localize(Cli::command().version(crate::agent::version_text()), cat)
}
