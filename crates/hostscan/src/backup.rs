//! Backups: the configuration file of user-named backup folders, and the examination of a
//! backup target (newest backup, its age and size, compared with earlier ones), bounded
//! strictly in time and entries — metadata only, never a full walk of a large backup.
//!
//! # The backup configuration file
//!
//! Folders where backups land that praxcheck cannot find by itself (a script copies to a
//! USB disk, the IT provider's NAS share) are named in a TOML file:
//!
//! ```toml
//! # /etc/praxcheck/backup.toml
//! [[folder]]
//! path = "/media/backup/praxis"      # a folder holding the backups
//! label = "USB-Platte (Montag)"      # optional: how the practice calls it
//!
//! [[folder]]
//! path = "//nas/sicherung"           # shares and drive letters work on Windows: 'E:\Sicherung'
//! ```
//!
//! Location: the file given with `--backup-config`, else the first that exists of
//! `/etc/praxcheck/backup.toml` and `$XDG_CONFIG_HOME/praxcheck/backup.toml`
//! (`~/.config/praxcheck/backup.toml`) on Linux, `%ProgramData%\praxcheck\backup.toml` and
//! `%APPDATA%\praxcheck\backup.toml` on Windows. Unknown keys are refused with the line.

use crate::keys;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::Deserialize;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use crate::{HostError, Options, Platform};

/// A folder the user named.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserFolder {
    /// The folder.
    pub path: String,
    /// The practice's name for it.
    #[serde(default)]
    pub label: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    folder: Vec<UserFolder>,
}

/// The loaded configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackupConfig {
    /// User-named folders.
    pub folders: Vec<UserFolder>,
    /// The file it came from.
    pub source: Option<String>,
    /// A problem with a default-location file (the collection goes on without it).
    pub problem: Option<String>,
}

/// The default locations of the configuration file, in order.
#[must_use]
pub fn default_config_paths(opts: &Options) -> Vec<PathBuf> {
    match opts.platform {
        Platform::Windows => {
            let mut v = Vec::new();
            for var in ["ProgramData", "APPDATA"] {
                if let Some(d) = std::env::var_os(var) {
                    v.push(PathBuf::from(d).join("praxcheck").join("backup.toml"));
                }
            }
            v
        }
        _ => {
            let mut v = vec![opts.root.join("etc/praxcheck/backup.toml")];
            if opts.is_live() {
                if let Some(x) = std::env::var_os("XDG_CONFIG_HOME") {
                    v.push(PathBuf::from(x).join("praxcheck/backup.toml"));
                } else if let Some(h) = std::env::var_os("HOME") {
                    v.push(PathBuf::from(h).join(".config/praxcheck/backup.toml"));
                }
            }
            v
        }
    }
}

/// Parses the configuration text.
///
/// # Errors
/// The parser's message (with line and column) when the text is not a valid configuration.
pub fn parse_config(text: &str) -> Result<Vec<UserFolder>, String> {
    let c: ConfigFile = toml::from_str(text).map_err(|e| e.to_string().trim().to_owned())?;
    for f in &c.folder {
        if f.path.trim().is_empty() {
            return Err("folder with an empty path".to_owned());
        }
    }
    Ok(c.folder)
}

/// Loads the configuration: the named file (errors stop the collection) or the first
/// default file (errors become a fact).
///
/// # Errors
/// When a file named with `--backup-config` cannot be read or parsed.
pub fn load_config(opts: &Options) -> Result<BackupConfig, HostError> {
    // Read with the limit every text file of the collector has.
    let read = |p: &std::path::Path| {
        crate::exec::read_limited(p, crate::fsroot::TEXT_LIMIT)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    };
    if let Some(p) = &opts.backup_config {
        let text = read(p).map_err(|e| HostError::BackupConfig {
            path: p.clone(),
            reason: e.to_string(),
        })?;
        let folders = parse_config(&text).map_err(|reason| HostError::BackupConfig {
            path: p.clone(),
            reason,
        })?;
        return Ok(BackupConfig {
            folders,
            source: Some(p.display().to_string()),
            problem: None,
        });
    }
    for p in default_config_paths(opts) {
        let Ok(text) = read(&p) else {
            continue;
        };
        return Ok(match parse_config(&text) {
            Ok(folders) => BackupConfig {
                folders,
                source: Some(p.display().to_string()),
                problem: None,
            },
            Err(e) => BackupConfig {
                folders: Vec::new(),
                source: Some(p.display().to_string()),
                problem: Some(format!("{}: {e}", p.display())),
            },
        });
    }
    Ok(BackupConfig::default())
}

/// A date (and time) written in a backup's name: `2026-11-28`, `2026_11_28`, `20261128`,
/// `28.11.2026`, optionally followed by a time `103000`, `10-30-00`, `10:30`.
#[must_use]
pub fn date_in_name(name: &str) -> Option<OffsetDateTime> {
    let b = name.as_bytes();
    let digits = |s: usize, n: usize| -> Option<u32> {
        let part = b.get(s..s + n)?;
        if part.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(part).ok()?.parse().ok()
        } else {
            None
        }
    };
    let valid = |y: u32, m: u32, d: u32| -> Option<Date> {
        if !(1990..=2100).contains(&y) {
            return None;
        }
        Date::from_calendar_date(
            i32::try_from(y).ok()?,
            Month::try_from(u8::try_from(m).ok()?).ok()?,
            u8::try_from(d).ok()?,
        )
        .ok()
    };
    for i in 0..b.len() {
        // Not in the middle of a longer number.
        if i > 0 && b[i - 1].is_ascii_digit() {
            continue;
        }
        let found = if let (Some(y), Some(m), Some(d)) =
            (digits(i, 4), digits(i + 5, 2), digits(i + 8, 2))
            && matches!(b.get(i + 4), Some(b'-' | b'_' | b'.'))
            && b.get(i + 7) == b.get(i + 4)
        {
            valid(y, m, d).map(|dt| (dt, i + 10))
        } else if let (Some(d), Some(m), Some(y)) =
            (digits(i, 2), digits(i + 3, 2), digits(i + 6, 4))
            && b.get(i + 2) == Some(&b'.')
            && b.get(i + 5) == Some(&b'.')
        {
            valid(y, m, d).map(|dt| (dt, i + 10))
        } else if let Some(ymd) = digits(i, 8)
            && !b.get(i + 8).is_some_and(u8::is_ascii_digit)
        {
            valid(ymd / 10000, ymd / 100 % 100, ymd % 100).map(|dt| (dt, i + 8))
        } else {
            None
        };
        let Some((date, end)) = found else { continue };
        // An optional time right after a separator.
        let rest: Vec<u8> = b
            .get(end + 1..)
            .unwrap_or(&[])
            .iter()
            .copied()
            .take(8)
            .filter(u8::is_ascii_digit)
            .collect();
        let sep_ok = matches!(b.get(end), Some(b'_' | b' ' | b'T' | b'-'));
        let time = if sep_ok && rest.len() >= 4 {
            let h = (rest[0] - b'0') * 10 + (rest[1] - b'0');
            let m = (rest[2] - b'0') * 10 + (rest[3] - b'0');
            let s = if rest.len() >= 6 {
                (rest[4] - b'0') * 10 + (rest[5] - b'0')
            } else {
                0
            };
            Time::from_hms(h, m, s).unwrap_or(Time::MIDNIGHT)
        } else {
            Time::MIDNIGHT
        };
        return Some(PrimitiveDateTime::new(date, time).assume_utc());
    }
    None
}

/// What a bounded look at a backup folder found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FolderExam {
    /// Whether the folder exists and could be listed.
    pub readable: bool,
    /// Why not, when it could not.
    pub problem: Option<String>,
    /// Newest backup.
    pub newest: Option<OffsetDateTime>,
    /// Size of the newest backup.
    pub newest_size: Option<u64>,
    /// Median size of up to five earlier backups.
    pub previous_median: Option<u64>,
    /// Number of backups seen.
    pub backups_seen: Option<u64>,
    /// Bytes counted.
    pub total_size: u64,
    /// Whether everything was examined within the limits.
    pub complete: bool,
    /// How the newest backup was recognised.
    pub method: String,
}

/// Limits of one examination.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Stop here.
    pub deadline: Instant,
    /// At most this many directory entries.
    pub max_entries: usize,
}

struct Walk {
    limits: Limits,
    entries: usize,
    stopped: bool,
}

impl Walk {
    fn over(&mut self) -> bool {
        if self.entries >= self.limits.max_entries || Instant::now() >= self.limits.deadline {
            self.stopped = true;
        }
        self.stopped
    }

    /// Total size and newest modification time below `p` (symbolic links not followed).
    fn tree(&mut self, p: &Path) -> (u64, Option<OffsetDateTime>) {
        let mut size = 0u64;
        let mut newest: Option<OffsetDateTime> = None;
        let mut stack = vec![p.to_path_buf()];
        while let Some(d) = stack.pop() {
            if self.over() {
                break;
            }
            let Ok(md) = std::fs::symlink_metadata(&d) else {
                continue;
            };
            if let Ok(m) = md.modified() {
                let t = OffsetDateTime::from(m);
                newest = Some(newest.map_or(t, |n| n.max(t)));
            }
            if md.is_dir() {
                let Ok(rd) = std::fs::read_dir(&d) else {
                    continue;
                };
                for e in rd.flatten() {
                    self.entries += 1;
                    if self.over() {
                        break;
                    }
                    stack.push(e.path());
                }
            } else if md.is_file() {
                size = size.saturating_add(md.len());
            }
        }
        (size, newest)
    }

    fn list(&mut self, p: &Path) -> std::io::Result<Vec<(String, PathBuf, std::fs::Metadata)>> {
        let mut v = Vec::new();
        for e in std::fs::read_dir(p)?.flatten() {
            self.entries += 1;
            if self.over() {
                break;
            }
            if let Ok(md) = std::fs::symlink_metadata(e.path()) {
                v.push((e.file_name().to_string_lossy().into_owned(), e.path(), md));
            }
        }
        v.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(v)
    }
}

fn mtime(md: &std::fs::Metadata) -> Option<OffsetDateTime> {
    md.modified().ok().map(OffsetDateTime::from)
}

fn median(mut v: Vec<u64>) -> Option<u64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    Some(v[v.len() / 2])
}

const IGNORED: &[&str] = &[
    "lost+found",
    "System Volume Information",
    "$RECYCLE.BIN",
    "Thumbs.db",
    "desktop.ini",
    ".DS_Store",
];

fn rsnapshot_dir(name: &str) -> bool {
    let Some((interval, n)) = name.rsplit_once('.') else {
        return false;
    };
    [
        "hourly", "daily", "weekly", "monthly", "yearly", "alpha", "beta", "gamma", "delta",
    ]
    .contains(&interval)
        && !n.is_empty()
        && n.bytes().all(|c| c.is_ascii_digit())
}

/// Looks at a backup folder within the limits.
#[must_use]
pub fn examine_folder(path: &Path, limits: Limits) -> FolderExam {
    let mut w = Walk {
        limits,
        entries: 0,
        stopped: false,
    };
    let mut ex = FolderExam::default();
    let top = match w.list(path) {
        Ok(t) => t,
        Err(e) => {
            ex.problem = Some(match e.kind() {
                std::io::ErrorKind::NotFound => {
                    "does not exist (not attached or not mounted?)".to_owned()
                }
                std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
                _ => e.to_string(),
            });
            return ex;
        }
    };
    ex.readable = true;
    let names: Vec<String> = top.iter().map(|(n, _, _)| n.clone()).collect();
    let has = |n: &str| names.iter().any(|name| name == n);
    let top: Vec<_> = top
        .into_iter()
        .filter(|(n, _, _)| !IGNORED.contains(&n.as_str()))
        .collect();
    // restic repository: one file per snapshot in snapshots/.
    if has("config") && has("snapshots") && has("data") {
        ex.method = "restic repository: snapshots/".into();
        if let Ok(snaps) = w.list(&path.join("snapshots")) {
            ex.backups_seen = Some(snaps.len() as u64);
            ex.newest = snaps.iter().filter_map(|(_, _, md)| mtime(md)).max();
        }
        ex.total_size = w.tree(&path.join("data")).0;
        ex.complete = !w.stopped;
        return ex;
    }
    // Borg repository: the index, hints and integrity files are rewritten on every commit.
    if has("README") && has("config") && has("data") {
        // Only the first line matters; the folder is writable by users, so read no more.
        let readme = crate::exec::read_limited(&path.join("README"), 64).unwrap_or_default();
        if readme.starts_with(b"This is a Borg Backup repository") {
            ex.method = "borg repository: index/hints files".into();
            ex.newest = top
                .iter()
                .filter(|(n, _, _)| {
                    n.starts_with("index.")
                        || n.starts_with("hints.")
                        || n.starts_with("integrity.")
                })
                .filter_map(|(_, _, md)| mtime(md))
                .max();
            ex.total_size = w.tree(&path.join("data")).0;
            ex.complete = !w.stopped;
            return ex;
        }
    }
    // Windows Server Backup: WindowsImageBackup/<computer>/Backup YYYY-MM-DD HHMMSS.
    let mut units: Vec<(String, PathBuf, std::fs::Metadata)> = Vec::new();
    if let Some((_, wib, _)) = top.iter().find(|(n, _, _)| n == "WindowsImageBackup") {
        ex.method = "Windows Server Backup: WindowsImageBackup".into();
        for (_, comp, md) in w.list(wib).unwrap_or_default() {
            if md.is_dir() {
                units.extend(
                    w.list(&comp)
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|(n, _, _)| n.starts_with("Backup ")),
                );
            }
        }
    } else if top.iter().any(|(n, _, md)| md.is_dir() && rsnapshot_dir(n)) {
        ex.method = "rsnapshot intervals".into();
        units = top
            .iter()
            .filter(|(n, _, md)| md.is_dir() && rsnapshot_dir(n))
            .cloned()
            .collect();
    } else if let Some((_, ts, _)) = top
        .iter()
        .find(|(n, _, md)| n == "timeshift" && md.is_dir())
    {
        ex.method = "Timeshift snapshots".into();
        units = w.list(&ts.join("snapshots")).unwrap_or_default();
    } else {
        units = top;
    }
    if units.is_empty() {
        ex.backups_seen = Some(0);
        ex.complete = !w.stopped;
        if ex.method.is_empty() {
            ex.method = "empty folder".into();
        }
        return ex;
    }
    let dated = units
        .iter()
        .filter(|(n, _, _)| date_in_name(n).is_some())
        .count();
    if ex.method.is_empty() {
        ex.method = if dated > 0 && dated * 2 >= units.len() {
            "dates in the names of the backups".into()
        } else if units.len() == 1 && units[0].2.is_dir() {
            "newest file modification time (mirror copy)".into()
        } else {
            "modification times of the backups".into()
        };
    }
    // (time, size) per backup; folders are sized within the limits.
    let mut measured: Vec<(OffsetDateTime, Option<u64>)> = Vec::new();
    for (name, p, md) in &units {
        let (size, newest_inside) = if md.is_dir() {
            w.tree(p)
        } else {
            (md.len(), mtime(md))
        };
        let t = if dated > 0 {
            date_in_name(name).or(newest_inside)
        } else {
            newest_inside.or_else(|| mtime(md))
        };
        ex.total_size = ex.total_size.saturating_add(size);
        if let Some(t) = t {
            measured.push((t, Some(size)));
        }
        if w.stopped {
            break;
        }
    }
    ex.complete = !w.stopped;
    measured.sort_by_key(|m| std::cmp::Reverse(m.0));
    ex.backups_seen = Some(units.len() as u64);
    if let Some((t, s)) = measured.first() {
        ex.newest = Some(*t);
        // A folder cut short by the limits has no trustworthy size.
        ex.newest_size = if ex.complete { *s } else { None };
        if measured.len() > 1 && ex.complete {
            ex.previous_median = median(
                measured
                    .iter()
                    .skip(1)
                    .take(5)
                    .filter_map(|(_, s)| *s)
                    .collect(),
            );
        }
    }
    ex
}

/// [`examine_folder`] on a thread, abandoned at the deadline: a hung network filesystem
/// cannot hold the collection (the thread ends when the operating system answers).
#[must_use]
pub fn examine_folder_bounded(path: &Path, limits: Limits) -> FolderExam {
    let (tx, rx) = mpsc::channel();
    let p = path.to_path_buf();
    let spawned = std::thread::Builder::new()
        .name("praxcheck-backup-exam".into())
        .spawn(move || {
            let _ = tx.send(examine_folder(&p, limits));
        });
    if spawned.is_err() {
        return examine_folder(path, limits);
    }
    let wait = limits
        .deadline
        .saturating_duration_since(Instant::now())
        .saturating_add(Duration::from_millis(50));
    rx.recv_timeout(wait).unwrap_or_else(|_| FolderExam {
        problem: Some("no answer within the time limit (slow or hung filesystem)".into()),
        method: "not examined".into(),
        ..FolderExam::default()
    })
}

/// Whether a backup target is a remote repository or URL (not a local path).
#[must_use]
pub fn is_remote(target: &str) -> bool {
    let t = target.trim();
    if t.starts_with('/') || t.starts_with("\\\\") || t.starts_with("//") {
        return false;
    }
    if t.len() >= 2
        && t.as_bytes()[1] == b':'
        && t.as_bytes()[0].is_ascii_alphabetic()
        && (t.len() == 2 || matches!(t.as_bytes()[2], b'\\' | b'/'))
    {
        return false; // a drive letter
    }
    t.contains("://")
        || [
            "sftp:", "s3:", "rest:", "b2:", "azure:", "gs:", "swift:", "rclone:", "ssh:",
        ]
        .iter()
        .any(|p| t.starts_with(p))
        || t.split_once(':')
            .is_some_and(|(host, _)| !host.contains('/') && !host.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<String> {
        date_in_name(s).map(crate::facts::rfc3339)
    }

    #[test]
    fn dates_in_names() {
        assert_eq!(
            d("praxis-2026-11-28.tar.gz").as_deref(),
            Some("2026-11-28T00:00:00Z")
        );
        assert_eq!(
            d("Backup 2026-11-28 103000").as_deref(),
            Some("2026-11-28T10:30:00Z")
        );
        assert_eq!(
            d("2026-11-28_22-15-01").as_deref(),
            Some("2026-11-28T22:15:01Z")
        );
        assert_eq!(
            d("sicherung_20261127.zip").as_deref(),
            Some("2026-11-27T00:00:00Z")
        );
        assert_eq!(
            d("Sicherung 27.11.2026.7z").as_deref(),
            Some("2026-11-27T00:00:00Z")
        );
        assert_eq!(d("daily.0"), None);
        assert_eq!(d("v123456789"), None);
        assert_eq!(d("2026-13-01"), None);
    }

    #[test]
    fn config_format() {
        let f = parse_config("[[folder]]\npath = \"/media/backup\"\nlabel = \"USB Montag\"\n[[folder]]\npath = 'E:\\Sicherung'\n").unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].label.as_deref(), Some("USB Montag"));
        assert_eq!(f[1].path, "E:\\Sicherung");
        let e = parse_config("[[folder]]\npaht = \"/x\"\n").unwrap_err();
        assert!(e.contains("line 2") || e.contains("paht"), "{e}");
        assert!(parse_config("").unwrap().is_empty());
    }

    #[test]
    fn remote_targets() {
        assert!(is_remote("sftp:backup@nas:/srv/restic"));
        assert!(is_remote("backup@nas.local:/srv/borg"));
        assert!(is_remote("s3:s3.amazonaws.com/bucket"));
        assert!(is_remote("rest:https://host:8000/"));
        assert!(!is_remote("/mnt/backup"));
        assert!(!is_remote("E:\\Backup"));
        assert!(!is_remote("\\\\nas\\backup"));
    }
}

/// A backup target before examination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The tool.
    pub tool: String,
    /// Path, repository or URL.
    pub target: String,
    /// User label.
    pub label: Option<String>,
    /// Where it was found (file and line, registry value, configuration file).
    pub evidence: String,
}

/// Where a target sits, as the platform tells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    /// Kind (`local_folder`, `removable`, `network`, `unknown`).
    pub kind: String,
    /// Attached or mounted now.
    pub attached_now: Option<bool>,
    /// On the operating system's filesystem.
    pub on_system_disk: Option<bool>,
    /// Mounted automatically at start.
    pub mounted_at_boot: Option<bool>,
    /// Mount point or drive.
    pub mount_point: Option<String>,
}

/// Examines the candidates within `budget` in all (each gets an equal share, at least
/// 100 ms): `real_path` maps a target to the path to read, `place` tells where it sits.
#[must_use]
pub fn examine_all(
    candidates: &[Candidate],
    budget: Duration,
    now: OffsetDateTime,
    real_path: &dyn Fn(&str) -> PathBuf,
    place: &dyn Fn(&str) -> Placement,
) -> Vec<praxcheck_model::BackupTarget> {
    let n = u32::try_from(
        candidates
            .iter()
            .filter(|c| !is_remote(&c.target))
            .count()
            .max(1),
    )
    .unwrap_or(u32::MAX);
    let share = (budget / n).max(Duration::from_millis(100));
    candidates
        .iter()
        .map(|c| {
            if is_remote(&c.target) {
                return praxcheck_model::BackupTarget {
                    tool: c.tool.clone(),
                    target: c.target.clone(),
                    label: c.label.clone(),
                    kind: "remote".into(),
                    reachable_now: false,
                    attached_now: None,
                    on_system_disk: Some(false),
                    mounted_at_boot: None,
                    mount_point: None,
                    newest_backup: None,
                    newest_age_days: None,
                    newest_size_bytes: None,
                    previous_median_size_bytes: None,
                    backups_seen: None,
                    total_size_bytes: None,
                    examined_all: false,
                    method: None,
                    problem: Some(format!(
                        "another computer or a cloud service; not contacted (praxcheck makes no network connections here); found in {}",
                        c.evidence
                    )),
                };
            }
            let limits = Limits {
                deadline: Instant::now() + share,
                max_entries: 200_000,
            };
            let ex = examine_folder_bounded(&real_path(&c.target), limits);
            let pl = place(&c.target);
            praxcheck_model::BackupTarget {
                tool: c.tool.clone(),
                target: c.target.clone(),
                label: c.label.clone(),
                kind: pl.kind,
                reachable_now: ex.readable,
                attached_now: pl.attached_now,
                on_system_disk: pl.on_system_disk,
                mounted_at_boot: pl.mounted_at_boot,
                mount_point: pl.mount_point,
                newest_backup: ex.newest.map(crate::facts::rfc3339),
                newest_age_days: ex.newest.map(|t| crate::facts::days_between(t, now)),
                newest_size_bytes: ex.newest_size,
                previous_median_size_bytes: ex.previous_median,
                backups_seen: ex.backups_seen,
                total_size_bytes: ex.readable.then_some(ex.total_size),
                examined_all: ex.complete,
                method: (!ex.method.is_empty()).then_some(ex.method),
                problem: ex.problem.map(|p| format!("{p}; found in {}", c.evidence)),
            }
        })
        .collect()
}

/// The `backup.*` facts from the tools and examined targets.
pub fn facts(
    f: &mut crate::facts::Facts,
    tools: Vec<praxcheck_model::BackupTool>,
    targets: Vec<praxcheck_model::BackupTarget>,
    cfg: &BackupConfig,
    mut sources: Vec<praxcheck_model::FactSource>,
) {
    use praxcheck_model::{Confidence, FactValue};
    if let Some(s) = &cfg.source {
        sources.push(crate::facts::user(s));
    }
    if let Some(p) = &cfg.problem {
        f.unknown(
            keys::BACKUP_CONFIG,
            praxcheck_model::UnknownReason::ParseError,
            praxcheck_model::UnknownSaid::NotUnderstood {
                source: cfg.source.clone().unwrap_or_else(|| "backup.toml".into()),
            },
            p.clone(),
            sources.clone(),
        );
    } else if let Some(s) = &cfg.source {
        f.put(
            keys::BACKUP_CONFIG,
            FactValue::Text(s.clone()),
            Confidence::High,
            vec![crate::facts::user(s)],
        );
    }
    let newest = targets
        .iter()
        .filter_map(|t| {
            t.newest_backup
                .as_deref()
                .and_then(crate::pwsh::parse_date_text)
                .map(|d| (d, t))
        })
        .max_by_key(|(d, _)| *d);
    let unreadable: Vec<&str> = targets
        .iter()
        .filter(|t| !t.reachable_now)
        .map(|t| t.target.as_str())
        .collect();
    if newest.is_none() && !unreadable.is_empty() {
        f.unknown(
            keys::BACKUP_FOUND,
            praxcheck_model::UnknownReason::Unreadable,
            praxcheck_model::UnknownSaid::NoBackupInReadableTargets {
                not_examined: unreadable.iter().map(|s| (*s).to_owned()).collect(),
            },
            format!(
                "no backup found in the readable targets; not examined: {}",
                unreadable.join(", ")
            ),
            sources.clone(),
        );
    } else {
        f.put_noted(
            keys::BACKUP_FOUND,
            FactValue::Bool(newest.is_some()),
            Confidence::Medium,
            sources.clone(),
            match &newest {
                Some((_, t)) => format!("newest backup in {}", t.target),
                None if targets.is_empty() && tools.is_empty() => {
                    "no backup tool, job or backup folder found".to_owned()
                }
                None if targets.is_empty() => {
                    "backup software found, but no backup target it writes to".to_owned()
                }
                None => "the backup targets hold no backup".to_owned(),
            },
        );
    }
    match &newest {
        Some((d, t)) => {
            f.put(
                keys::BACKUP_NEWEST,
                FactValue::Timestamp(crate::facts::rfc3339(*d)),
                Confidence::Medium,
                sources.clone(),
            );
            if let Some(age) = t.newest_age_days {
                f.put(
                    keys::BACKUP_NEWEST_AGE_DAYS,
                    FactValue::Int(age),
                    Confidence::Medium,
                    vec![crate::facts::derived("backup.newest + collected_at")],
                );
            }
            match t.attached_now {
                Some(a) => {
                    f.put(
                        keys::BACKUP_NEWEST_TARGET_ATTACHED_NOW,
                        FactValue::Bool(a),
                        Confidence::High,
                        sources.clone(),
                    );
                }
                None => f.unknown(
                    keys::BACKUP_NEWEST_TARGET_ATTACHED_NOW,
                    praxcheck_model::UnknownReason::Unreadable,
                    praxcheck_model::UnknownSaid::AttachmentUnknown {
                        target: t.target.clone(),
                    },
                    format!("{}: attachment not known", t.target),
                    sources.clone(),
                ),
            }
        }
        None => f.unknown(
            keys::BACKUP_NEWEST_AGE_DAYS,
            praxcheck_model::UnknownReason::Unreadable,
            praxcheck_model::UnknownSaid::NoBackupFound,
            "no backup found",
            sources.clone(),
        ),
    }
    let detached = targets
        .iter()
        .filter(|t| t.attached_now == Some(false))
        .count();
    f.put_noted(
        keys::BACKUP_DETACHED_TARGETS,
        FactValue::Int(i64::try_from(detached).unwrap_or(i64::MAX)),
        Confidence::High,
        sources.clone(),
        "targets that are configured but not attached or mounted right now (kept apart)",
    );
    f.put(
        keys::BACKUP_TOOLS,
        FactValue::BackupTools(tools),
        Confidence::Medium,
        sources.clone(),
    );
    f.put(
        keys::BACKUP_TARGETS,
        FactValue::BackupTargets(targets),
        Confidence::Medium,
        sources,
    );
}
