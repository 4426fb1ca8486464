//! `praxcheck agent install|uninstall|status`: the units below a root folder (`/`, or a
//! test root), the folders with their modes, and the timer's enablement.
//!
//! Below a test root nothing outside it is touched: enabling is the `timers.target.wants`
//! symbolic link that `systemctl enable` would create. On the real root `systemctl` does
//! it (and starts the timer when systemd runs).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::AgentError;
use crate::units::{Layout, SERVICE, TIMER, unit_files};

/// Where unit files go, relative to the root.
pub const UNIT_DIR: &str = "etc/systemd/system";

/// The folders an installation creates, with their modes: (path, mode).
#[must_use]
pub fn folders(l: &Layout) -> Vec<(PathBuf, u32)> {
    vec![
        (l.state_dir.clone(), 0o750),
        (l.report_dir.clone(), 0o750),
        (l.state_dir.join("agent"), 0o700),
        (l.state_dir.join("backup"), 0o700),
    ]
}

/// `path` (absolute on the target system) below `root`.
#[must_use]
pub fn below(root: &Path, path: &Path) -> PathBuf {
    let rel = path.strip_prefix("/").unwrap_or(path);
    root.join(rel)
}

fn is_real_root(root: &Path) -> bool {
    std::fs::canonicalize(root).is_ok_and(|p| p == Path::new("/"))
}

/// Whether systemd is the running init system (`sd_booted`'s test).
#[must_use]
pub fn systemd_running() -> bool {
    Path::new("/run/systemd/system").is_dir()
}

fn io(path: &Path, e: std::io::Error) -> AgentError {
    AgentError::Io {
        path: path.to_path_buf(),
        source: e,
    }
}

/// Writes a file atomically and symlink-safely with the given mode
/// (`praxcheck_sys::write_atomic_mode`).
pub(crate) fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> Result<(), AgentError> {
    praxcheck_sys::write_atomic_mode(path, bytes, mode).map_err(|e| io(path, e))
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

/// Creates a folder (and its parents) and sets its mode.
pub(crate) fn make_dir(path: &Path, mode: u32) -> Result<(), AgentError> {
    std::fs::create_dir_all(path).map_err(|e| io(path, e))?;
    set_mode(path, mode).map_err(|e| io(path, e))
}

fn systemctl(args: &[&str]) -> Result<(), AgentError> {
    let out = Command::new("systemctl")
        .args(args)
        .output()
        .map_err(|e| AgentError::Command {
            command: format!("systemctl {}", args.join(" ")),
            reason: e.to_string(),
        })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(AgentError::Command {
            command: format!("systemctl {}", args.join(" ")),
            reason: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        })
    }
}

/// What an installation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    /// Unit files written.
    pub units: Vec<PathBuf>,
    /// Folders created (or checked).
    pub folders: Vec<PathBuf>,
    /// How the timer was enabled.
    pub enabled: Enabled,
}

/// How the timer was enabled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enabled {
    /// The `timers.target.wants` link below a test root.
    Link(PathBuf),
    /// `systemctl enable` (and `--now` when systemd runs).
    Systemctl {
        /// Whether the timer was also started now.
        started: bool,
    },
}

/// Writes the units and folders below `root` and enables the timer.
///
/// # Errors
/// A file or folder that cannot be written, or `systemctl` failing on the real root.
pub fn install(root: &Path, layout: &Layout) -> Result<Installed, AgentError> {
    let mut created = Vec::new();
    for (dir, mode) in folders(layout) {
        let d = below(root, &dir);
        make_dir(&d, mode)?;
        created.push(d);
    }
    let unit_dir = below(root, Path::new(UNIT_DIR));
    make_dir(&unit_dir, 0o755)?;
    let mut units = Vec::new();
    for (name, text) in unit_files(layout) {
        let p = unit_dir.join(name);
        write_atomic(&p, text.as_bytes(), 0o644)?;
        units.push(p);
    }
    let enabled = if is_real_root(root) {
        let started = systemd_running();
        if started {
            systemctl(&["daemon-reload"])?;
            systemctl(&["enable", "--now", TIMER])?;
        } else {
            systemctl(&["enable", TIMER])?;
        }
        Enabled::Systemctl { started }
    } else {
        let wants = unit_dir.join("timers.target.wants");
        make_dir(&wants, 0o755)?;
        let link = wants.join(TIMER);
        let target = Path::new("/").join(UNIT_DIR).join(TIMER);
        if std::fs::symlink_metadata(&link).is_ok() {
            std::fs::remove_file(&link).map_err(|e| io(&link, e))?;
        }
        symlink(&target, &link).map_err(|e| io(&link, e))?;
        Enabled::Link(link)
    };
    Ok(Installed {
        units,
        folders: created,
        enabled,
    })
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(_target: &Path, _link: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "systemd units exist only on Linux",
    ))
}

/// Disables the timer and removes the unit files below `root`. Reports, backups, answers
/// and the state folder stay (they are the practice's records).
///
/// # Errors
/// A unit file that cannot be removed, or `systemctl disable` failing on the real root.
pub fn uninstall(root: &Path) -> Result<Vec<PathBuf>, AgentError> {
    let unit_dir = below(root, Path::new(UNIT_DIR));
    if is_real_root(root) && unit_dir.join(TIMER).exists() {
        if systemd_running() {
            systemctl(&["disable", "--now", TIMER])?;
        } else {
            systemctl(&["disable", TIMER])?;
        }
    }
    let mut removed = Vec::new();
    for p in [
        unit_dir.join("timers.target.wants").join(TIMER),
        unit_dir.join(TIMER),
        unit_dir.join(SERVICE),
    ] {
        match std::fs::remove_file(&p) {
            Ok(()) => removed.push(p),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&p, e)),
        }
    }
    if is_real_root(root) && systemd_running() {
        systemctl(&["daemon-reload"])?;
    }
    Ok(removed)
}

/// Where the agent's state lives below the state folder.
#[must_use]
pub fn agent_dir(state_dir: &Path) -> PathBuf {
    state_dir.join("agent")
}

/// The state file of the last run.
#[must_use]
pub fn state_file(state_dir: &Path) -> PathBuf {
    agent_dir(state_dir).join("last-run.json")
}

/// What `agent status` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The unit files found below the root (installed by `agent install` or the package).
    pub units_installed: bool,
    /// Whether the timer is enabled (its wants link exists, or systemd says so).
    pub enabled: bool,
    /// The last run, from the state file.
    pub last_run: Option<praxcheck_model::agent::AgentRun>,
    /// A state file that could not be read, with the reason.
    pub state_error: Option<String>,
    /// From `systemctl show` of the timer when systemd runs: the next start and the last.
    pub timer: Option<TimerInfo>,
}

/// The timer as systemd reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TimerInfo {
    /// `ActiveState` (active, inactive, …).
    pub active: String,
    /// The next start (systemd's wording, local time), empty when none.
    pub next: String,
    /// The last start, empty when none.
    pub last: String,
}

/// Parses `systemctl show --property=…` output (`Key=Value` lines). Pure, for tests.
#[must_use]
pub fn parse_show(text: &str) -> TimerInfo {
    let mut t = TimerInfo::default();
    for line in text.lines() {
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        let v = v.trim();
        let v = if v == "n/a" || v == "0" { "" } else { v };
        match k {
            "ActiveState" => v.clone_into(&mut t.active),
            "NextElapseUSecRealtime" => v.clone_into(&mut t.next),
            "LastTriggerUSec" => v.clone_into(&mut t.last),
            _ => {}
        }
    }
    t
}

/// Reads the status below `root` for the state folder `state_dir` (absolute on the target).
#[must_use]
pub fn status(root: &Path, state_dir: &Path) -> Status {
    let unit_dir = below(root, Path::new(UNIT_DIR));
    let packaged = below(root, Path::new("usr/lib/systemd/system")).join(TIMER);
    let units_installed = unit_dir.join(TIMER).exists() || packaged.exists();
    let mut enabled =
        std::fs::symlink_metadata(unit_dir.join("timers.target.wants").join(TIMER)).is_ok();
    let state_path = state_file(&below(root, state_dir));
    let (last_run, state_error) = match std::fs::read(&state_path) {
        Ok(bytes) => match serde_json::from_slice(&bytes) {
            Ok(r) => (Some(r), None),
            Err(e) => (None, Some(format!("{}: {e}", state_path.display()))),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (None, None),
        Err(e) => (None, Some(format!("{}: {e}", state_path.display()))),
    };
    let timer = if is_real_root(root) && systemd_running() {
        Command::new("systemctl")
            .args([
                "show",
                TIMER,
                "--property=ActiveState,NextElapseUSecRealtime,LastTriggerUSec,UnitFileState",
            ])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| {
                let text = String::from_utf8_lossy(&o.stdout);
                if text.lines().any(|l| l == "UnitFileState=enabled") {
                    enabled = true;
                }
                parse_show(&text)
            })
    } else {
        None
    };
    Status {
        units_installed,
        enabled,
        last_run,
        state_error,
        timer,
    }
}
