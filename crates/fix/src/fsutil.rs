//! File-system helpers: hashing, syncing folders, keeping owner, mode and modification
//! time, path conversions.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use praxcheck_model::PathSegment;
use sha2::{Digest as _, Sha256};

/// Hex SHA-256 of everything `r` yields, and the byte count.
pub(crate) fn sha256_reader(r: &mut dyn Read) -> io::Result<(String, u64)> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut n_total = 0u64;
    loop {
        let n = r.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        n_total += n as u64;
    }
    Ok((hex(&h.finalize()), n_total))
}

/// Hex SHA-256 of a file.
pub fn sha256_file(path: &Path) -> io::Result<(String, u64)> {
    let mut f = File::open(path)?;
    sha256_reader(&mut f)
}

/// SHA-256 of a file, or `None` when it does not exist.
pub(crate) fn sha256_if_exists(path: &Path) -> io::Result<Option<String>> {
    match sha256_file(path) {
        Ok((s, _)) => Ok(Some(s)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// A writer that hashes what passes through it.
pub(crate) struct HashingWriter<W: Write> {
    inner: W,
    hasher: Sha256,
    len: u64,
}

impl<W: Write> HashingWriter<W> {
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            len: 0,
        }
    }
    pub fn finish(self) -> (W, String, u64) {
        (self.inner, hex(&self.hasher.finalize()), self.len)
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Syncs a folder so that a rename or a new name in it survives a power cut. Platforms
/// that cannot open folders (Windows) skip this step.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Whether another program holding the file open keeps it from being replaced. On
/// Windows a program that opened a file without `FILE_SHARE_DELETE` (a running Java
/// program keeps its jars open so) blocks the rename over it; opening the file for `DELETE`
/// with full sharing fails then with a sharing violation, before anything is written. On
/// other systems a rename replaces an open file and `/proc` names the holders (`inuse`).
pub(crate) fn check_replaceable(path: &Path) -> io::Result<()> {
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt as _;
        const DELETE: u32 = 0x0001_0000;
        const FILE_SHARE_ALL: u32 = 0x1 | 0x2 | 0x4;
        std::fs::OpenOptions::new()
            .access_mode(DELETE)
            .share_mode(FILE_SHARE_ALL)
            .open(path)
            .map(drop)
    }
    #[cfg(not(windows))]
    {
        let _ = path;
        Ok(())
    }
}

/// Whether an I/O error says another program holds the file open: Windows'
/// `ERROR_SHARING_VIOLATION` (32) and `ERROR_LOCK_VIOLATION` (33).
pub(crate) fn held_open(e: &io::Error) -> bool {
    held_open_code(e.raw_os_error(), cfg!(windows))
}

/// [`held_open`] for an OS error code on a platform (pure; 32 is `EPIPE` on Linux).
pub(crate) fn held_open_code(code: Option<i32>, windows: bool) -> bool {
    windows && matches!(code, Some(32 | 33))
}

/// The folder a file lives in.
pub(crate) fn parent_dir(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Owner, mode and modification time of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Meta {
    pub mode: Option<u32>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    pub mtime_unix_ns: Option<i64>,
}

impl Meta {
    pub fn of(md: &std::fs::Metadata) -> Self {
        let mtime_unix_ns =
            md.modified()
                .ok()
                .and_then(|t| match t.duration_since(std::time::UNIX_EPOCH) {
                    Ok(d) => i64::try_from(d.as_nanos()).ok(),
                    Err(e) => i64::try_from(e.duration().as_nanos()).ok().map(|n| -n),
                });
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            Self {
                mode: Some(md.mode() & 0o7777),
                uid: Some(md.uid()),
                gid: Some(md.gid()),
                mtime_unix_ns,
            }
        }
        #[cfg(not(unix))]
        {
            Self {
                mode: None,
                uid: None,
                gid: None,
                mtime_unix_ns,
            }
        }
    }

    /// What an undo may apply of the recorded metadata (issue 11 item 1: the manifest is
    /// not trusted beyond reason): never a permission bit the file does not have now, and
    /// the owner it has now. A file that is gone keeps the recorded permission bits without
    /// set-user-ID, set-group-ID and sticky bits, and the owner of whoever restores it.
    pub fn no_wider_than(self, current: Option<Self>) -> Self {
        match current {
            Some(cur) => Self {
                mode: match (self.mode, cur.mode) {
                    (Some(m), Some(c)) => Some(m & c),
                    (m, _) => m.map(|m| m & 0o777),
                },
                uid: cur.uid,
                gid: cur.gid,
                mtime_unix_ns: self.mtime_unix_ns,
            },
            None => Self {
                mode: self.mode.map(|m| m & 0o777),
                uid: None,
                gid: None,
                mtime_unix_ns: self.mtime_unix_ns,
            },
        }
    }

    /// Applies owner, mode and modification time to an open file. Owner changes need
    /// privileges: when not allowed they are skipped and reported as a note.
    pub fn apply(&self, f: &File) -> io::Result<Option<String>> {
        #[cfg_attr(not(unix), allow(unused_mut))] // only the unix owner change sets it
        let mut note = None;
        #[cfg(unix)]
        {
            use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
            let cur = f.metadata()?;
            if let (Some(uid), Some(gid)) = (self.uid, self.gid)
                && (cur.uid() != uid || cur.gid() != gid)
                && let Err(e) = std::os::unix::fs::fchown(f, Some(uid), Some(gid))
            {
                note = Some(format!("owner {uid}:{gid} could not be kept: {e}"));
            }
            if let Some(mode) = self.mode {
                f.set_permissions(std::fs::Permissions::from_mode(mode))?;
            }
        }
        if let Some(ns) = self.mtime_unix_ns {
            let t = if ns >= 0 {
                std::time::UNIX_EPOCH + std::time::Duration::from_nanos(ns.unsigned_abs())
            } else {
                std::time::UNIX_EPOCH - std::time::Duration::from_nanos(ns.unsigned_abs())
            };
            f.set_modified(t)?;
        }
        Ok(note)
    }
}

/// A path from a manifest segment.
pub(crate) fn path_of(seg: &PathSegment) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt as _;
        PathBuf::from(std::ffi::OsString::from_vec(seg.bytes()))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(seg.display())
    }
}

/// The name of the temporary file next to `target` for change `id`. It starts with a dot
/// and ends in `.tmp`, so a scan never takes it for an archive.
pub(crate) fn temp_path_for(target: &Path, id: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent_dir(target).join(format!(".{name}.praxcheck-{id}.tmp"))
}

/// Creates a new file that must not exist yet, readable and writable only by its owner.
pub(crate) fn create_new(path: &Path) -> io::Result<File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        o.mode(0o600);
    }
    o.open(path)
}

/// Removes a file, treating "already gone" as success.
pub(crate) fn remove_if_exists(path: &Path) -> io::Result<bool> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Which file `path` is: device and inode, volume serial number and file index on
/// Windows, `(0, 0)` when unknown ([`praxcheck_sys::file_identity`]).
pub(crate) fn identity(path: &Path, md: &std::fs::Metadata) -> (u64, u64) {
    praxcheck_sys::file_identity(path, md)
}

/// Number of hard links to a file (1 where the platform does not say).
pub(crate) fn link_count(md: &std::fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        md.nlink()
    }
    #[cfg(not(unix))]
    {
        let _ = md;
        1
    }
}

/// Whether two snapshots (metadata and [`identity`]) describe the same unchanged file. An
/// unknown identity `(0, 0)` is never the same file.
pub(crate) fn same_file_unchanged(
    (a, a_id): (&std::fs::Metadata, (u64, u64)),
    (b, b_id): (&std::fs::Metadata, (u64, u64)),
) -> bool {
    a_id != (0, 0) && a_id == b_id && a.len() == b.len() && a.modified().ok() == b.modified().ok()
}

/// Current time, RFC 3339 UTC.
pub(crate) fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::held_open_code;

    #[test]
    fn sharing_and_lock_violations_mean_held_open_on_windows_only() {
        assert!(held_open_code(Some(32), true));
        assert!(held_open_code(Some(33), true));
        assert!(
            !held_open_code(Some(5), true),
            "access denied is a right, not a holder"
        );
        assert!(!held_open_code(None, true));
        // 32 is EPIPE on Linux.
        assert!(!held_open_code(Some(32), false));
    }
}
