//! The service's command line: the arguments of `serve`, `admin …`, `enroll` and `upload`
//! (clap) and their dispatch to [`crate::commands`]. The binary only prints what these
//! return; the web pages' user commands come in through a callback, since the pages are
//! a crate above this one.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};
use praxcheck_i18n::Catalog;

use crate::client_words::{explain, state_dir};
use crate::{Location, commands};

/// Where the service's data lives.
#[derive(Debug, Clone, Args)]
pub struct Storage {
    /// Data folder for the embedded database (default: PRAXCHECK_DATA_DIR or <state>/server).
    #[arg(long, value_name = "DIR", global = true)]
    pub data: Option<PathBuf>,
    /// PostgreSQL instead: postgres://user@host/db.
    #[arg(
        long,
        value_name = "URL",
        global = true,
        env = "PRAXCHECK_DATABASE_URL"
    )]
    pub database: Option<String>,
}

impl Storage {
    /// The embedded database folder or the PostgreSQL URL.
    #[must_use]
    pub fn location(&self) -> Location {
        Location::from_options(self.data.as_deref(), self.database.as_deref())
    }
}

/// `praxcheck serve`
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub storage: Storage,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8443", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// The URL agents reach the server at (goes into enrollment tokens).
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// TLS certificate (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Serve plain HTTP (behind a TLS reverse proxy). Without this and without a
    /// certificate, serve generates a self-signed one into the data folder.
    #[arg(long, conflicts_with = "tls_cert")]
    pub plain_http: bool,
    /// SMTP server the practice contacts are e-mailed through when a new advisory set
    /// marks their hosts: smtp://host:port (plain, a relay the association runs).
    #[arg(long, value_name = "URL", requires = "smtp_from")]
    pub smtp: Option<String>,
    /// Sender address of those e-mails.
    #[arg(long, value_name = "ADDR", requires = "smtp")]
    pub smtp_from: Option<String>,
    /// Webhook told (JSON: advisory ids and counts) when a new advisory set marks hosts.
    #[arg(long, value_name = "URL", requires = "webhook_secret_file")]
    pub webhook: Option<String>,
    /// File holding the webhook's HMAC-SHA256 secret (header X-Praxcheck-Signature).
    #[arg(long, value_name = "FILE", requires = "webhook")]
    pub webhook_secret_file: Option<PathBuf>,
}

/// `praxcheck admin`
#[derive(Debug, Clone, Args)]
pub struct AdminArgs {
    #[command(flatten)]
    pub storage: Storage,
    /// What to do.
    #[command(subcommand)]
    pub command: AdminCommand,
}

/// `praxcheck admin …`
#[derive(Debug, Clone, Subcommand)]
pub enum AdminCommand {
    /// Practices.
    Practice {
        /// What to do.
        #[command(subcommand)]
        command: PracticeCommand,
    },
    /// Enrollment tokens.
    Token {
        /// What to do.
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Association API keys for the HTTP admin endpoints.
    Key {
        /// What to do.
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// Advisory sets and their impact.
    Advisories {
        /// What to do.
        #[command(subcommand)]
        command: AdminAdvisoriesCommand,
    },
    /// Users of the web pages (issue 14).
    User {
        /// What to do.
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Remove stored documents older than N days that are no longer a machine's current one.
    Retention {
        /// Age in days.
        #[arg(long, value_name = "N")]
        days: u32,
    },
}

/// `admin practice …`
#[derive(Debug, Clone, Subcommand)]
pub enum PracticeCommand {
    /// Add a practice; prints its id.
    Add {
        /// Name.
        name: String,
        /// Contact e-mail, told when a new advisory set marks the practice's hosts.
        #[arg(long, value_name = "EMAIL")]
        contact: Option<String>,
    },
    /// List the practices (JSON).
    List,
}

/// `admin token …`
#[derive(Debug, Clone, Subcommand)]
pub enum TokenCommand {
    /// Create an enrollment token; prints it.
    Create {
        /// Practice id or name.
        #[arg(long)]
        practice: String,
        /// How many machines may enroll with it.
        #[arg(long, default_value_t = 1)]
        uses: u32,
        /// Days until it expires.
        #[arg(long, default_value_t = 7)]
        days: u32,
        /// The server URL written into the token.
        #[arg(long, default_value = "https://127.0.0.1:8443")]
        url: String,
        /// The server's certificate (PEM) whose key the token pins (default: the one
        /// `serve` generated in the data folder, for an https URL).
        #[arg(long, value_name = "FILE")]
        tls_cert: Option<PathBuf>,
    },
    /// Revoke a token by id.
    Revoke {
        /// Token id.
        id: String,
    },
}

/// `admin user …`
#[derive(Debug, Clone, Subcommand)]
pub enum UserCommand {
    /// Add a user of the web pages; prints the user id. The password is read from
    /// standard input (there is no default password).
    Add {
        /// E-mail address (the sign-in name).
        email: String,
        /// Role.
        #[arg(long, value_parser = ["association-admin", "practice-admin", "practice-staff"])]
        role: String,
        /// Practice id (practice roles only).
        #[arg(long, value_name = "ID")]
        practice: Option<i64>,
        /// Read the password from standard input (the first line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Turn a user's second factor (TOTP) off, e.g. after a lost phone, and end the user's
    /// sessions; the user signs in with the password and may set it up again.
    ResetTotp {
        /// E-mail address of the user.
        email: String,
    },
}

/// `admin key …`
#[derive(Debug, Clone, Subcommand)]
pub enum KeyCommand {
    /// Create an API key; prints it once.
    Create {
        /// Name of the key.
        name: String,
    },
}

/// `admin advisories …`
#[derive(Debug, Clone, Subcommand)]
pub enum AdminAdvisoriesCommand {
    /// Import a signed set (SET.json.minisig) and re-evaluate every stored inventory.
    Import {
        /// The set file.
        file: PathBuf,
        /// The signature, if not FILE.minisig.
        #[arg(long, value_name = "FILE")]
        signature: Option<PathBuf>,
    },
    /// Affected practices and hosts of an advisory.
    Impact {
        /// Advisory id (OSV or CVE).
        id: String,
        /// Output format.
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
    },
}

/// `praxcheck enroll`
#[derive(Debug, Clone, Args)]
pub struct EnrollArgs {
    /// Server URL.
    pub url: String,
    /// Enrollment token.
    pub token: String,
}

/// `praxcheck upload`
#[derive(Debug, Clone, Args)]
pub struct UploadArgs {
    /// praxcheck JSON documents.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// `praxcheck serve` (the web pages are registered by the caller first).
///
/// # Errors
/// A webhook secret that cannot be read, or the server failing to start or run.
pub fn serve(a: &ServeArgs) -> Result<()> {
    let tls = a.tls_cert.as_deref().zip(a.tls_key.as_deref());
    let mut notify = crate::notify::NotifyConfig::new();
    notify.smtp.clone_from(&a.smtp);
    notify.smtp_from.clone_from(&a.smtp_from);
    if let (Some(url), Some(file)) = (&a.webhook, &a.webhook_secret_file) {
        notify.webhook = Some(crate::notify::Webhook::from_file(url, file)?);
    }
    commands::serve(
        &a.storage.location(),
        a.listen,
        a.plain_http,
        tls,
        a.public_url.clone(),
        notify,
    )
}

/// `praxcheck admin …`: the text for standard output. `users` runs the web pages' user
/// commands.
///
/// # Errors
/// The storage or the command failing, with the reason.
pub fn admin(
    a: &AdminArgs,
    users: &dyn Fn(&Location, &UserCommand) -> Result<String>,
) -> Result<String> {
    let loc = a.storage.location();
    match &a.command {
        AdminCommand::Practice { command } => match command {
            PracticeCommand::Add { name, contact } => {
                commands::practice_add(&loc, name, contact.as_deref())
            }
            PracticeCommand::List => commands::practice_list(&loc),
        },
        AdminCommand::Token { command } => match command {
            TokenCommand::Create {
                practice,
                uses,
                days,
                url,
                tls_cert,
            } => commands::token_create(&loc, practice, *uses, *days, url, tls_cert.as_deref()),
            TokenCommand::Revoke { id } => commands::token_revoke(&loc, id),
        },
        AdminCommand::Key { command } => match command {
            KeyCommand::Create { name } => commands::key_create(&loc, name),
        },
        AdminCommand::Advisories { command } => match command {
            AdminAdvisoriesCommand::Import { file, signature } => {
                commands::advisories_import(&loc, file, signature.as_deref())
            }
            AdminAdvisoriesCommand::Impact { id, format } => {
                commands::advisories_impact(&loc, id, format == "json")
            }
        },
        AdminCommand::Retention { days } => commands::retention(&loc, *days),
        AdminCommand::User { command } => users(&loc, command),
    }
}

/// `praxcheck enroll`: the host id for standard output.
///
/// # Errors
/// No state folder, or the enrollment refused or failing, explained in the user's language.
pub fn enroll(a: &EnrollArgs, cat: &Catalog) -> Result<String> {
    commands::enroll_agent(&state_dir()?, &a.url, &a.token).map_err(|e| explain(e, cat))
}

/// `praxcheck upload`: the upload ids for standard output.
///
/// # Errors
/// No state folder, or the upload failing, explained in the user's language.
pub fn upload(a: &UploadArgs, cat: &Catalog) -> Result<String> {
    commands::upload(&state_dir()?, &a.files).map_err(|e| explain(e, cat))
}
