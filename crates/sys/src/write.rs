//! Writing a file so that a reader never sees half of it, and only where we mean to.
//!
//! praxcheck often runs as root and writes to paths a user named (`--output`) or to its
//! state, output and backup folders. The rules (issue 11, item 1):
//!
//! * **Atomic**: a regular file (or a new one) is written to a temporary file in the same
//!   folder — created exclusively under a random name, so a link planted under a guessed
//!   name is never followed — synced, and renamed over the target.
//! * **Devices and pipes are written through**, never replaced: `--output /dev/stdout`,
//!   `/dev/null`, a FIFO or a terminal keep working. A block device (a disk) is refused.
//! * **A symbolic link planted by another user is refused** — the kernel's
//!   `protected_symlinks` rule: in a sticky, world-writable folder such as `/tmp`, a link is
//!   followed only when we or the folder's owner own it.
//! * **A link never leads into a system file**: a link whose target lies in a system folder
//!   (`/etc`, `/usr`, `/bin`, `/sbin`, `/lib…`, `/boot`, `/proc`, `/sys`) is refused, and so
//!   is a link owned by another user whose existing target belongs to someone else than
//!   the link's owner (another user's link must not make us overwrite a file they could not).
//!   An allowed link is followed: the file it points to is replaced, the link stays.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Why a write was refused (the [`std::io::Error`]'s inner error, kind `PermissionDenied`
/// or `InvalidInput`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// A symbolic link owned by another user in a sticky, world-writable folder.
    ForeignLinkInSharedFolder {
        /// The link.
        link: PathBuf,
        /// Its owner.
        owner: u32,
    },
    /// A symbolic link that leads into a system folder.
    LinkIntoSystemFolder {
        /// The link.
        link: PathBuf,
        /// Where it leads.
        target: PathBuf,
    },
    /// Another user's symbolic link to a file that user does not own.
    ForeignLinkToForeignFile {
        /// The link.
        link: PathBuf,
        /// Where it leads.
        target: PathBuf,
    },
    /// A block device (a disk or partition).
    BlockDevice {
        /// The path.
        path: PathBuf,
    },
    /// A folder.
    Directory {
        /// The path.
        path: PathBuf,
    },
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ForeignLinkInSharedFolder { link, owner } => write!(
                f,
                "{} is a symbolic link of another user (uid {owner}) in a shared folder; not followed",
                link.display()
            ),
            Self::LinkIntoSystemFolder { link, target } => write!(
                f,
                "{} is a symbolic link into the system folder {}; not followed",
                link.display(),
                target.display()
            ),
            Self::ForeignLinkToForeignFile { link, target } => write!(
                f,
                "{} is another user's symbolic link to {}, which that user does not own; not followed",
                link.display(),
                target.display()
            ),
            Self::BlockDevice { path } => {
                write!(f, "{} is a block device; not written", path.display())
            }
            Self::Directory { path } => write!(f, "{} is a folder", path.display()),
        }
    }
}

impl std::error::Error for Refused {}

impl Refused {
    fn into_io(self) -> std::io::Error {
        let kind = match self {
            Self::Directory { .. } => std::io::ErrorKind::InvalidInput,
            _ => std::io::ErrorKind::PermissionDenied,
        };
        std::io::Error::new(kind, self)
    }
}

/// Folders no followed link may lead into.
const SYSTEM_FOLDERS: [&str; 10] = [
    "/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/proc",
];
/// Kernel interfaces, refused like system folders.
const KERNEL_FOLDERS: [&str; 1] = ["/sys"];

fn in_system_folder(p: &Path) -> bool {
    SYSTEM_FOLDERS
        .iter()
        .chain(&KERNEL_FOLDERS)
        .any(|s| p.starts_with(s))
}

/// Writes `bytes` to `path` atomically under the rules of this module. A new file gets mode
/// `0o644` (before the umask), a replaced file keeps its mode (Unix).
///
/// # Errors
/// When a rule refuses the path ([`Refused`] inside the error) or writing fails.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_inner(path, bytes, None)
}

/// Like [`write_atomic`], with the file's mode set to `mode` (Unix; e.g. `0o600` for a
/// credential). Ignored elsewhere.
///
/// # Errors
/// As [`write_atomic`].
pub fn write_atomic_mode(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    write_inner(path, bytes, Some(mode))
}

/// What the path is, after the link rules.
enum Target {
    /// Write through (a device, FIFO, socket, terminal).
    Through(PathBuf),
    /// Replace this regular (or not yet existing) file.
    Replace(PathBuf),
}

fn write_inner(path: &Path, bytes: &[u8], mode: Option<u32>) -> std::io::Result<()> {
    let target = match resolve(path) {
        Ok(t) => t,
        Err(Resolve::Refused(r)) => return Err(r.into_io()),
        Err(Resolve::Io(e)) => return Err(e),
    };
    match target {
        Target::Through(p) => {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(p)?;
            f.write_all(bytes)?;
            f.flush()
        }
        Target::Replace(p) => replace(&p, bytes, mode),
    }
}

enum Resolve {
    Refused(Refused),
    Io(std::io::Error),
}

impl From<std::io::Error> for Resolve {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e)
    }
}

fn resolve(path: &Path) -> Result<Target, Resolve> {
    check_folders(path)?;
    let lmeta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Target::Replace(path.to_path_buf()));
        }
        Err(e) => return Err(e.into()),
    };
    if lmeta.file_type().is_symlink() {
        check_link(path, &lmeta)?;
        return match std::fs::metadata(path) {
            // The link leads nowhere yet: create the file it names.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let dest = link_destination(path)?;
                check_destination(path, &lmeta, &dest, None)?;
                Ok(Target::Replace(dest))
            }
            Err(e) => Err(e.into()),
            Ok(meta) => {
                if is_special(&meta) {
                    refuse_block(path, &meta)?;
                    // `/dev/stdout` → `/proc/self/fd/1` → a pipe: written through.
                    return Ok(Target::Through(path.to_path_buf()));
                }
                let dest = std::fs::canonicalize(path)?;
                check_destination(path, &lmeta, &dest, Some(&meta))?;
                if meta.is_dir() {
                    return Err(Resolve::Refused(Refused::Directory { path: dest }));
                }
                Ok(Target::Replace(dest))
            }
        };
    }
    if lmeta.is_dir() {
        return Err(Resolve::Refused(Refused::Directory {
            path: path.to_path_buf(),
        }));
    }
    if is_special(&lmeta) {
        refuse_block(path, &lmeta)?;
        return Ok(Target::Through(path.to_path_buf()));
    }
    Ok(Target::Replace(path.to_path_buf()))
}

/// The link rules for the folders above the file too (issue 11 item 1): a link planted as
/// a folder of the path (`/tmp/evil/report.html`, `/tmp/evil` another user's link to
/// `/etc/cron.d`) is refused as a link to the file would be. The kernel's own
/// `protected_symlinks` covers the shared-folder case only when it is switched on. Links
/// that are themselves in `/dev` or a system folder (`/dev/fd`, `/proc/self`) are the
/// system's own and followed.
fn check_folders(path: &Path) -> Result<(), Resolve> {
    let Some(parent) = path.parent() else {
        return Ok(());
    };
    let mut cur = PathBuf::new();
    for c in parent.components() {
        cur.push(c);
        let lmeta = match std::fs::symlink_metadata(&cur) {
            Ok(m) => m,
            // Nothing further exists to be followed; creating the file will fail there.
            Err(_) => return Ok(()),
        };
        if !lmeta.file_type().is_symlink() || cur.starts_with("/dev") || in_system_folder(&cur) {
            continue;
        }
        check_link(&cur, &lmeta)?;
        let dest = std::fs::canonicalize(&cur)?;
        let meta = std::fs::metadata(&dest)?;
        check_destination(&cur, &lmeta, &dest, Some(&meta))?;
    }
    Ok(())
}

/// Where a dangling link points: its text against the link's folder, with the longest
/// existing ancestor resolved (`canonicalize`) and the rest normalised (`..` removed), so a
/// relative link cannot climb into a system folder unseen.
fn link_destination(link: &Path) -> std::io::Result<PathBuf> {
    let to = std::fs::read_link(link)?;
    let dir = link
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let full = std::path::absolute(dir.join(to))?;
    let mut base = full.clone();
    let mut rest = Vec::new();
    let resolved = loop {
        if let Ok(c) = std::fs::canonicalize(&base) {
            break c;
        }
        match (
            base.file_name().map(std::ffi::OsStr::to_owned),
            base.parent(),
        ) {
            (Some(n), Some(p)) => {
                rest.push(n);
                base = p.to_path_buf();
            }
            // `..` at the end, or the root: normalise what is left lexically.
            _ => match base.parent() {
                Some(p) if base.ends_with("..") => {
                    rest.push("..".into());
                    base = p.to_path_buf();
                }
                _ => break base,
            },
        }
    };
    let mut out = resolved;
    for c in rest.iter().rev() {
        if c == ".." {
            out.pop();
        } else if c != "." {
            out.push(c);
        }
    }
    Ok(out)
}

fn is_special(m: &std::fs::Metadata) -> bool {
    !m.is_file() && !m.is_dir() && !m.file_type().is_symlink()
}

#[cfg(unix)]
fn refuse_block(path: &Path, m: &std::fs::Metadata) -> Result<(), Resolve> {
    use std::os::unix::fs::FileTypeExt as _;
    if m.file_type().is_block_device() {
        return Err(Resolve::Refused(Refused::BlockDevice {
            path: path.to_path_buf(),
        }));
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_block(_path: &Path, _m: &std::fs::Metadata) -> Result<(), Resolve> {
    Ok(())
}

#[cfg(unix)]
fn euid() -> u32 {
    rustix::process::geteuid().as_raw()
}

/// The `protected_symlinks` rule for the link itself.
#[cfg(unix)]
fn check_link(link: &Path, lmeta: &std::fs::Metadata) -> Result<(), Resolve> {
    use std::os::unix::fs::MetadataExt as _;
    let dir = link
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let dmeta = std::fs::metadata(dir)?;
    let sticky_shared = dmeta.mode() & 0o1000 != 0 && dmeta.mode() & 0o002 != 0;
    let owner = lmeta.uid();
    if sticky_shared && owner != euid() && owner != dmeta.uid() {
        return Err(Resolve::Refused(Refused::ForeignLinkInSharedFolder {
            link: link.to_path_buf(),
            owner,
        }));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_link(_link: &Path, _lmeta: &std::fs::Metadata) -> Result<(), Resolve> {
    Ok(())
}

/// No followed link leads into a system folder, nor (another user's link) to a file its
/// owner does not own.
fn check_destination(
    link: &Path,
    lmeta: &std::fs::Metadata,
    dest: &Path,
    meta: Option<&std::fs::Metadata>,
) -> Result<(), Resolve> {
    if in_system_folder(dest) {
        return Err(Resolve::Refused(Refused::LinkIntoSystemFolder {
            link: link.to_path_buf(),
            target: dest.to_path_buf(),
        }));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        if let Some(meta) = meta
            && lmeta.uid() != euid()
            && meta.uid() != lmeta.uid()
        {
            return Err(Resolve::Refused(Refused::ForeignLinkToForeignFile {
                link: link.to_path_buf(),
                target: dest.to_path_buf(),
            }));
        }
    }
    #[cfg(not(unix))]
    let _ = (lmeta, meta);
    Ok(())
}

/// Temporary file (exclusive, random name) in the target's folder, synced, renamed over it.
fn replace(target: &Path, bytes: &[u8], mode: Option<u32>) -> std::io::Result<()> {
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".praxcheck-tmp")
        .tempfile_in(dir)?;
    set_mode(tmp.as_file(), target, mode)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn set_mode(f: &std::fs::File, target: &Path, mode: Option<u32>) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = match mode {
        Some(m) => m,
        None => match std::fs::symlink_metadata(target) {
            Ok(m) if m.is_file() => m.permissions().mode() & 0o7777,
            // A new file: what `File::create` gives (0o666 less the umask).
            _ => 0o666 & !umask(),
        },
    };
    f.set_permissions(std::fs::Permissions::from_mode(mode))
}

/// The process's umask, from `/proc/self/status` (reading it through `umask(2)` would
/// change it for a moment in every thread); where that is not available, 0o077 (the
/// narrowest usual one: a file never gets wider rights than the user meant).
#[cfg(unix)]
fn umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        .unwrap_or(0o077)
}

#[cfg(not(unix))]
fn set_mode(_f: &std::fs::File, _target: &Path, _mode: Option<u32>) -> std::io::Result<()> {
    Ok(())
}
