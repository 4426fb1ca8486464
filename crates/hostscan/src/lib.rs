//! The host collector: posture facts of this computer (firewall, updates, end of life,
//! backups, remote access, protection, installed software, TI connector mode), each with
//! its source and confidence. Facts only; judgements are made by the assessment.
//!
//! * **Linux** facts are read live from files (`/etc`, `/proc`, `/sys`, `/var`) below a
//!   root folder ([`Options::root`], `/` for this computer; tests pass fake system trees)
//!   and from a few read-only commands (`nft -j list ruleset`, `iptables-save`, `apt-get -s
//!   dist-upgrade`, `rpm -qa`, `dnf -C`), which run only when the root is `/`.
//! * **Windows** facts come from one PowerShell script whose sections read registry
//!   values, CIM classes and cmdlets and write them with `ConvertTo-Json`; the parsing is
//!   done by pure functions in [`windows`] that run (and are tested) on every platform.
//! * Commands run through [`exec::Exec`]: plain `std::process` with time and output limits
//!   ([`exec::SystemExec`]); the platform is chosen at run time ([`Platform::current`]).
//!
//! Entry points: [`collect`] for this computer, [`collect_with`] with a chosen command
//! runner. The keys of all facts are listed in `docs/host-facts.md`.

pub mod backup;
pub mod eol;
pub mod exec;
pub mod facts;
pub mod fsroot;
pub mod keys;
pub mod linux;
pub mod ports;
pub mod products;
pub mod pwsh;
pub mod text;
pub mod ti;
pub mod windows;

use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::time::Duration;

use praxcheck_model::{Component, FactValue, HostFacts};
use time::OffsetDateTime;

use crate::exec::{Exec, NoExec, SystemExec};
use crate::facts::Facts;

/// The platform whose facts are collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// Linux (and other Unix systems with `/etc/os-release`).
    Linux,
    /// Windows.
    Windows,
    /// Anything else: only the facts that say so.
    Other,
}

impl Platform {
    /// The platform this program runs on (decided at run time from `std::env::consts::OS`).
    #[must_use]
    pub fn current() -> Self {
        match std::env::consts::OS {
            "windows" => Platform::Windows,
            "linux" => Platform::Linux,
            _ => Platform::Other,
        }
    }

    /// The name used in documents.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Linux => "linux",
            Platform::Windows => "windows",
            Platform::Other => std::env::consts::OS,
        }
    }
}

/// What to collect and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// Root folder of the system to read (`/` = this computer). Commands run only for `/`.
    pub root: PathBuf,
    /// Platform (default: the one this program runs on).
    pub platform: Platform,
    /// The TI connector's IPv4 address, as the user gives it.
    pub connector_address: Option<Ipv4Addr>,
    /// The backup configuration file (default: see [`backup::default_config_paths`]).
    pub backup_config: Option<PathBuf>,
    /// The clock (tests fix it); `None` = now.
    pub now: Option<OffsetDateTime>,
    /// Whether the collector has root or administrator rights; `None` = find out.
    pub privileged: Option<bool>,
    /// Time limit of each command.
    pub command_timeout: Duration,
    /// Total time for examining backup targets (strict: the examination stops there).
    pub backup_budget: Duration,
    /// Language of the reasons written into facts (e.g. why PowerShell gave nothing).
    pub lang: praxcheck_i18n::Lang,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            root: PathBuf::from("/"),
            platform: Platform::current(),
            connector_address: None,
            backup_config: None,
            now: None,
            privileged: None,
            command_timeout: Duration::from_secs(4),
            backup_budget: Duration::from_millis(1500),
            lang: praxcheck_i18n::Lang::detect(None),
        }
    }
}

impl Options {
    /// True when the live system is read (root `/`).
    #[must_use]
    pub fn is_live(&self) -> bool {
        self.root == std::path::Path::new("/")
            || (cfg!(windows) && self.root.as_os_str().is_empty())
    }
}

/// What the host collector found.
#[derive(Debug, Clone, PartialEq)]
pub struct HostScan {
    /// The facts.
    pub facts: HostFacts,
    /// Installed software as inventory components (OS packages, uninstall entries, Java
    /// runtimes, practice products and remote-maintenance tools).
    pub components: Vec<Component>,
}

impl praxcheck_model::Collect for HostScan {
    const ID: praxcheck_model::CollectorId = praxcheck_model::CollectorId::Host;

    fn into_contribution(self) -> praxcheck_model::Contribution {
        praxcheck_model::Contribution {
            collector: Self::ID,
            inventory: praxcheck_model::Inventory {
                components: self.components,
                host: Some(self.facts),
                ..praxcheck_model::Inventory::default()
            },
            ..praxcheck_model::Contribution::new(Self::ID)
        }
    }
}

/// Errors that stop the host collection. Everything else becomes a fact.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    /// The root folder does not exist or is not a folder.
    #[error("{path}: {reason}")]
    Root {
        /// The folder.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The backup configuration file named on the command line cannot be used.
    #[error("{path}: {reason}")]
    BackupConfig {
        /// The file.
        path: PathBuf,
        /// Why (the parser's message names the line).
        reason: String,
    },
}

/// Collects the host facts of this computer (or of [`Options::root`]) with real commands
/// (only when the root is `/`).
///
/// # Errors
/// When the root folder is not a folder or a named backup configuration file is unusable.
pub fn collect(opts: &Options) -> Result<HostScan, HostError> {
    if opts.is_live() {
        // On Windows the registry is read natively; PowerShell only for the rest.
        #[cfg(windows)]
        let registry: Option<&dyn windows::native::RegistryView> =
            Some(&windows::native::WinRegistry);
        #[cfg(not(windows))]
        let registry: Option<&dyn windows::native::RegistryView> = None;
        collect_inner(opts, &SystemExec::default(), registry)
    } else {
        collect_with(opts, &NoExec)
    }
}

/// Collects with the given command runner and, for Windows, the given registry (read
/// natively instead of by PowerShell).
///
/// # Errors
/// As [`collect`].
pub fn collect_with_registry(
    opts: &Options,
    exec: &dyn Exec,
    registry: &dyn windows::native::RegistryView,
) -> Result<HostScan, HostError> {
    collect_inner(opts, exec, Some(registry))
}

/// Collects with the given command runner.
///
/// # Errors
/// As [`collect`].
pub fn collect_with(opts: &Options, exec: &dyn Exec) -> Result<HostScan, HostError> {
    collect_inner(opts, exec, None)
}

fn collect_inner(
    opts: &Options,
    exec: &dyn Exec,
    registry: Option<&dyn windows::native::RegistryView>,
) -> Result<HostScan, HostError> {
    let md = std::fs::metadata(&opts.root).map_err(|e| HostError::Root {
        path: opts.root.clone(),
        reason: e.to_string(),
    })?;
    if !md.is_dir() {
        return Err(HostError::Root {
            path: opts.root.clone(),
            reason: "not a folder".to_owned(),
        });
    }
    let backup_cfg = backup::load_config(opts)?;
    let now = opts.now.unwrap_or_else(OffsetDateTime::now_utc);
    let (mut facts, components, privileged) = match opts.platform {
        Platform::Linux => linux::collect(opts, exec, now, &backup_cfg),
        Platform::Windows => windows::collect(opts, exec, now, &backup_cfg, registry),
        Platform::Other => {
            let mut f = Facts::new();
            f.put(
                keys::OS_FAMILY,
                FactValue::Text(std::env::consts::OS.to_owned()),
                praxcheck_model::Confidence::High,
                vec![facts::derived("std::env::consts::OS")],
            );
            (f, Vec::new(), opts.privileged.unwrap_or(false))
        }
    };
    finish_privilege_facts(&mut facts, privileged);
    let mut host = HostFacts {
        platform: opts.platform.as_str().to_owned(),
        collected_at: facts::rfc3339(now),
        privileged,
        root: (!opts.is_live()).then(|| opts.root.display().to_string()),
        facts: facts.into_sorted(),
    };
    host.canonicalize();
    Ok(HostScan {
        facts: host,
        components,
    })
}

/// `host.privileged` and `host.facts_needing_privilege`.
fn finish_privilege_facts(f: &mut Facts, privileged: bool) {
    let needing = f.keys_needing_privilege();
    f.put(
        keys::HOST_PRIVILEGED,
        FactValue::Bool(privileged),
        praxcheck_model::Confidence::High,
        vec![facts::derived("effective user")],
    );
    f.put(
        keys::HOST_FACTS_NEEDING_PRIVILEGE,
        FactValue::List(needing),
        praxcheck_model::Confidence::High,
        vec![facts::derived("facts with reason needs_privilege")],
    );
}
