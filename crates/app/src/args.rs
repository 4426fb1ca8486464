//! The arguments of the commands whose options the pipeline turns into plans (feature
//! `clap`): the output options and `--fail-on`, `report` and `questionnaire`; with the
//! feature `local` also `scan`, `logs` and `fix`. Each is declared once, next to the
//! conversion into what the pipeline runs ([`ScanArgs::plan`], [`FixArgs::plan`],
//! [`QuestionnaireArgs::mode`]); the binary declares the command tree around them,
//! dispatches, shows progress and chooses the exit code.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use praxcheck_model::Severity;

use crate::Format;

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

impl FailOn {
    /// The lowest severity that gives exit code 1 (`None`: never).
    #[must_use]
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Critical => Some(Severity::Critical),
            FailOn::High => Some(Severity::High),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::Low => Some(Severity::Low),
            FailOn::None => None,
        }
    }
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

impl QuestionnaireArgs {
    /// What the dialogue does: record an accepted risk, list, or ask.
    #[must_use]
    pub fn mode(&self) -> crate::questionnaire::Mode {
        use crate::questionnaire::{Acceptance, Mode};
        match (&self.accept, self.list) {
            (Some(id), _) => Mode::Accept(Acceptance {
                id: id.clone(),
                reason: self.reason.clone(),
                until: self.until.clone(),
                by: self.by.clone(),
                host: self.host.clone(),
            }),
            (None, true) => Mode::List,
            (None, false) => Mode::Ask {
                from: self.from.clone(),
            },
        }
    }
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

/// `praxcheck scan`
#[cfg(feature = "local")]
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

#[cfg(feature = "local")]
impl ScanArgs {
    /// Whether this scan covers the whole computer (no `--path`, not `--host-only`).
    #[must_use]
    pub fn whole_computer(&self) -> bool {
        self.paths.is_empty() && !self.host_only
    }

    /// What the collectors do.
    #[must_use]
    pub fn plan(&self, lang: praxcheck_i18n::Lang) -> crate::collect::ScanPlan {
        crate::collect::ScanPlan {
            paths: self.paths.clone(),
            exclude: self.exclude.clone(),
            network_fs: self.network_fs,
            max_depth: self.max_depth,
            processes: !self.no_processes,
            logs: !self.no_logs,
            // Host facts: on by default when no paths are given.
            host: !self.no_host && (self.paths.is_empty() || self.host || self.host_only),
            host_only: self.host_only,
            cache: !self.no_cache,
            host_options: praxcheck_hostscan::Options {
                connector_address: self.connector_address,
                backup_config: self.backup_config.clone(),
                lang,
                ..praxcheck_hostscan::Options::default()
            },
        }
    }
}

/// `praxcheck logs`
#[cfg(feature = "local")]
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

/// `praxcheck fix`
#[cfg(feature = "local")]
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

#[cfg(feature = "local")]
impl FixArgs {
    /// The fix's options as the fix module takes them.
    #[must_use]
    pub fn plan(&self) -> crate::fixing::FixPlan {
        crate::fixing::FixPlan {
            paths: self.paths.clone(),
            exclude: self.exclude.clone(),
            backup_dir: self.backup_dir.clone(),
            force: self.force,
            log4j1: self.log4j1,
            max_depth: self.max_depth,
        }
    }
}

/// `praxcheck net`
#[cfg(feature = "local")]
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

#[cfg(feature = "local")]
impl NetArgs {
    /// The network scan's options.
    ///
    /// # Errors
    /// As [`praxcheck_netscan::NetOptions::new`].
    pub fn plan(&self) -> Result<praxcheck_netscan::NetOptions, praxcheck_netscan::NetError> {
        let mut opts = praxcheck_netscan::NetOptions::new(self.targets.clone())?;
        opts.allow_public = self.allow_public;
        opts.large = self.large;
        opts.anonymous_ftp = !self.no_anonymous_ftp;
        opts.servers.clone_from(&self.servers);
        opts.active = self.active;
        opts.callback_port = self.callback_port.unwrap_or(0);
        Ok(opts)
    }
}

/// `praxcheck advisories …`
#[derive(Debug, clap::Subcommand)]
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
