//! The few facts about the running process that several crates need to decide where
//! praxcheck keeps its own state: who runs it, and the platform's state folder.
//!
//! Kept here (the crate every other crate depends on) so that the advisory state, the
//! report output and the fix's backup folder agree on one answer.

use std::path::PathBuf;

/// The effective user id on Linux, from the `Uid:` line of `/proc/self/status`; `None`
/// where that cannot be read (other systems). No `unsafe` call to `geteuid` is needed.
#[must_use]
pub fn effective_uid() -> Option<u32> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// True when running as the superuser (Unix). Unknown counts as not root.
#[must_use]
pub fn is_root() -> bool {
    effective_uid() == Some(0)
}

/// The platform's folder for praxcheck's own state, before any environment override:
/// on Windows `%ProgramData%\praxcheck`; elsewhere `/var/lib/praxcheck` for root, else
/// `$XDG_STATE_HOME/praxcheck` or `~/.local/state/praxcheck`. `None` when the needed
/// variable is missing.
#[must_use]
pub fn platform_state_dir() -> Option<PathBuf> {
    if cfg!(windows) {
        return std::env::var_os("ProgramData").map(|p| PathBuf::from(p).join("praxcheck"));
    }
    if is_root() {
        return Some(PathBuf::from("/var/lib/praxcheck"));
    }
    if let Some(x) = std::env::var_os("XDG_STATE_HOME").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(x).join("praxcheck"));
    }
    std::env::var_os("HOME").filter(|p| !p.is_empty()).map(|h| {
        PathBuf::from(h)
            .join(".local")
            .join("state")
            .join("praxcheck")
    })
}
