//! praxcheck's scheduled agent (issue 15): the systemd service and timer ([`units`]),
//! installing them below a root folder ([`install`]), the daily run with its lock, limits
//! and report rotation ([`run`]), and the repeat-scan cache of the Java collector ([`cache`]).
//!
//! The binary (`praxcheck agent …`, `crates/cli/src/agent.rs`) only parses arguments, prints
//! and connects the upload; everything else is here. The Windows scheduled task (the MSI
//! registers it) is [`wintask`].

pub mod cache;
pub mod install;
pub mod run;
pub mod units;
pub mod wintask;

use std::path::PathBuf;

/// What can go wrong; every error names the file or program and the reason.
#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A state file could not be read or written as JSON.
    #[error("{}: {reason}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A program (systemctl) failed.
    #[error("{command}: {reason}")]
    Command {
        /// The command line.
        command: String,
        /// Its message or why it could not start.
        reason: String,
    },
}
