//! Walking the roots: finds archives (by extension, and script-prefixed executables by
//! content), notable loose class files (exploded class folders), skips pseudo and network
//! filesystems, follows symbolic links with loop detection, and reports each physical file
//! once however many paths lead to it.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use praxcheck_model::{Location, ScanStats, SkippedMount, Unreadable, UnreadableReason};

use crate::archive::is_archive_name;
use crate::specs::{SPECS, class_stem};

/// A file to open as an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Path as reached by the walk (the preferred one when several lead to the file).
    pub path: PathBuf,
    /// Device and inode (0, 0 where the platform has none).
    pub identity: (u64, u64),
    /// Size in bytes.
    pub size: u64,
    /// Whether the user named this file explicitly (then it is tried even without an
    /// archive extension).
    pub explicit: bool,
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct WalkResult {
    /// Archives to open, sorted by the bytes of their paths.
    pub archives: Vec<Candidate>,
    /// Loose class files that match a notable class (exploded folders).
    pub class_files: Vec<PathBuf>,
    /// Counters.
    pub stats: ScanStats,
    /// What could not be read.
    pub unreadable: Vec<Unreadable>,
    /// Mount points not entered.
    pub skipped_mounts: Vec<SkippedMount>,
    /// Roots that could be read at all.
    pub readable_roots: usize,
}

/// A mount point and its filesystem type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// Mount point.
    pub path: PathBuf,
    /// Filesystem type.
    pub fs_type: String,
    /// The device number (`st_dev`) of the files on it, from the mount table; `None` when
    /// unknown (then a link is checked against the mount by its resolved path alone).
    pub dev: Option<u64>,
}

/// The `st_dev` of a mount table's `major:minor` (Linux numbering).
#[must_use]
pub fn mount_dev(major_minor: &str) -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let (major, minor) = major_minor.split_once(':')?;
        Some(libc::makedev(major.parse().ok()?, minor.parse().ok()?))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = major_minor;
        None
    }
}

/// Filesystems that hold no installed software (kernel interfaces, device nodes).
pub const PSEUDO_FS: &[&str] = &[
    "proc",
    "sysfs",
    "devtmpfs",
    "devpts",
    "cgroup",
    "cgroup2",
    "debugfs",
    "tracefs",
    "securityfs",
    "bpf",
    "pstore",
    "configfs",
    "fusectl",
    "mqueue",
    "hugetlbfs",
    "binfmt_misc",
    "autofs",
    "efivarfs",
    "rpc_pipefs",
    "nsfs",
    "selinuxfs",
    "fuse.gvfsd-fuse",
    "fuse.portal",
];

/// Network filesystems: entered only when asked (`--network-fs`).
pub const NETWORK_FS: &[&str] = &[
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "afs",
    "ncpfs",
    "9p",
    "ceph",
    "glusterfs",
    "fuse.sshfs",
    "fuse.davfs2",
    "davfs",
    "fuse.rclone",
    "fuse.s3fs",
    "lustre",
    "gpfs",
];

/// Parses `/proc/self/mountinfo` text (with `praxcheck_sys::mounts`): mount points and
/// filesystem types.
#[must_use]
pub fn parse_mountinfo(text: &str) -> Vec<Mount> {
    praxcheck_sys::mounts::parse_mountinfo(text)
        .into_iter()
        .map(|m| Mount {
            dev: mount_dev(&m.dev),
            path: PathBuf::from(m.mount_point),
            fs_type: m.fs_type,
        })
        .collect()
}

/// The current mounts (empty where the platform has no mount table we read).
#[must_use]
pub fn current_mounts() -> Vec<Mount> {
    praxcheck_sys::mounts::current_mountinfo()
        .into_iter()
        .map(|m| Mount {
            dev: mount_dev(&m.dev),
            path: PathBuf::from(m.mount_point),
            fs_type: m.fs_type,
        })
        .collect()
}

pub use praxcheck_sys::io_reason;

/// Walk settings.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Files and folders to scan.
    pub roots: Vec<PathBuf>,
    /// Paths (and everything below them) to leave out.
    pub exclude: Vec<PathBuf>,
    /// Enter network filesystems below the roots.
    pub network_fs: bool,
    /// The mount table (pass [`current_mounts`]; tests pass their own).
    pub mounts: Vec<Mount>,
}

/// Which file `path` is (device and inode; volume and file index on Windows; `(0, 0)`
/// when unknown): see [`praxcheck_sys::file_identity`].
fn identity(path: &Path, md: &std::fs::Metadata) -> (u64, u64) {
    praxcheck_sys::file_identity(path, md)
}

/// Whether a file without an archive extension is a script with a zip archive appended
/// (self-executable jars): it starts with `#!` and ends with a zip end record. The execute
/// bit is not required: copies (backups, downloads) often lose it.
fn is_prefixed_archive(path: &Path, size: u64) -> bool {
    if size < 512 {
        return false;
    }
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = [0u8; 2];
    if f.read_exact(&mut head).is_err() || &head != b"#!" {
        return false;
    }
    let tail = size.min(65_557);
    let mut buf = vec![0u8; usize::try_from(tail).unwrap_or(0)];
    let r = {
        #[cfg(unix)]
        {
            std::os::unix::fs::FileExt::read_exact_at(&f, &mut buf, size - tail)
        }
        #[cfg(windows)]
        {
            use std::io::{Seek as _, SeekFrom};
            f.seek(SeekFrom::Start(size - tail))
                .and_then(|_| f.read_exact(&mut buf))
        }
    };
    r.is_ok() && memchr::memmem::rfind(&buf, b"PK\x05\x06").is_some()
}

fn class_basenames() -> HashSet<Vec<u8>> {
    SPECS
        .iter()
        .filter_map(|s| s.canonical.rsplit('/').next())
        .map(|n| n.as_bytes().to_vec())
        .collect()
}

/// What a file that is neither a regular file nor a folder is, for the reason a scan gives.
fn special_kind(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "FIFO";
        }
        if ft.is_socket() {
            return "socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "device";
        }
    }
    let _ = ft;
    "special file"
}

/// A file name's bytes (borrowed where the platform's names are bytes: no allocation per
/// file).
fn name_bytes(name: &std::ffi::OsStr) -> std::borrow::Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt as _;
        std::borrow::Cow::Borrowed(name.as_bytes())
    }
    #[cfg(not(unix))]
    {
        std::borrow::Cow::Owned(name.to_string_lossy().replace('\\', "/").into_bytes())
    }
}

/// Walks the roots.
#[must_use]
pub fn walk(opts: &WalkOptions) -> WalkResult {
    let mut res = WalkResult::default();
    let skip = SkipMounts::new(opts);
    let skip_mounts = &skip.by_path;
    let basenames = class_basenames();
    let mut files: HashMap<(u64, u64), Candidate> = HashMap::new();
    let seen_dirs: RefCell<HashSet<(u64, u64)>> = RefCell::new(HashSet::new());
    let skipped_seen: RefCell<HashSet<PathBuf>> = RefCell::new(HashSet::new());
    let skipped: RefCell<Vec<SkippedMount>> = RefCell::new(Vec::new());

    for root in &opts.roots {
        let md = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                let reason = if e.kind() == std::io::ErrorKind::NotFound {
                    UnreadableReason::NotFound
                } else {
                    io_reason(&e)
                };
                res.unreadable.push(Unreadable {
                    location: Location::file(root),
                    reason,
                    detail: e.to_string(),
                });
                continue;
            }
        };
        if let Some((why, fs)) = skip_mounts.get(root.as_path()) {
            if skipped_seen.borrow_mut().insert(root.clone()) {
                skipped.borrow_mut().push(SkippedMount {
                    path: root.display().to_string(),
                    fs_type: fs.clone(),
                    reason: (*why).to_owned(),
                });
            }
            continue;
        }
        if md.is_file() {
            res.readable_roots += 1;
            res.stats.files_seen += 1;
            let id = identity(root, &md);
            files.entry(id).or_insert(Candidate {
                path: root.clone(),
                identity: id,
                size: md.len(),
                explicit: true,
            });
            continue;
        }
        // Probe readability of the root folder itself.
        if let Err(e) = std::fs::read_dir(root) {
            res.unreadable.push(Unreadable {
                location: Location::file(root),
                reason: io_reason(&e),
                detail: e.to_string(),
            });
            if e.kind() == std::io::ErrorKind::PermissionDenied {
                res.stats.dirs_denied += 1;
            }
            continue;
        }
        res.readable_roots += 1;
        let it = walkdir::WalkDir::new(root)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| {
                // An excluded folder is not entered, so below the root only the entry that
                // is an excluded path itself needs the check (an equality test, cheaper
                // than a prefix test per entry and exclusion); the root is tested as a
                // prefix.
                // Paths that are equal have the same last component, so the cheap test of
                // the name comes first (a path comparison goes component by component).
                let excluded = if e.depth() == 0 {
                    opts.exclude.iter().any(|x| e.path().starts_with(x))
                } else {
                    let name = Some(e.file_name());
                    opts.exclude
                        .iter()
                        .any(|x| x.file_name() == name && e.path() == x.as_path())
                };
                if excluded {
                    return false;
                }
                // A link inside the tree to a pseudo (or unwanted network) file system, or
                // to anything below one (`/proc/1/root`), is skipped like the mount itself:
                // it would list other processes' files.
                // The link's target (one `stat`), for both checks below.
                let link_md = (e.depth() > 0 && e.path_is_symlink())
                    .then(|| e.metadata().ok())
                    .flatten();
                if e.depth() > 0
                    && e.path_is_symlink()
                    && let Some((why, fs)) = skip.link_target(e.path(), link_md.as_ref())
                {
                    if skipped_seen.borrow_mut().insert(e.path().to_path_buf()) {
                        skipped.borrow_mut().push(SkippedMount {
                            path: e.path().display().to_string(),
                            fs_type: fs,
                            reason: why.to_owned(),
                        });
                    }
                    return false;
                }
                if e.depth() > 0 && e.file_type().is_dir() {
                    if let Some((why, fs)) = skip.at(e.path(), e.file_name()) {
                        if skipped_seen.borrow_mut().insert(e.path().to_path_buf()) {
                            skipped.borrow_mut().push(SkippedMount {
                                path: e.path().display().to_string(),
                                fs_type: fs.clone(),
                                reason: (*why).to_owned(),
                            });
                        }
                        return false;
                    }
                    // A folder reached again through another link is walked once.
                    if let Some(md) = &link_md
                        && let id = identity(e.path(), md)
                        && id != (0, 0)
                        && !seen_dirs.borrow_mut().insert(id)
                    {
                        return false;
                    }
                }
                true
            });
        for entry in it {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    let path = err
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| root.clone());
                    // A dangling symbolic link points at nothing: there is nothing to read.
                    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink())
                        && std::fs::metadata(&path)
                            .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
                    {
                        continue;
                    }
                    if err.loop_ancestor().is_some() {
                        res.unreadable.push(Unreadable {
                            location: Location::file(&path),
                            reason: UnreadableReason::SymlinkLoop,
                            detail: "symbolic link loop; the target is scanned once".to_owned(),
                        });
                        continue;
                    }
                    let (reason, detail) = match err.io_error() {
                        Some(io) => (io_reason(io), io.to_string()),
                        None => (UnreadableReason::Io, err.to_string()),
                    };
                    if reason == UnreadableReason::PermissionDenied {
                        res.stats.dirs_denied += 1;
                    }
                    res.unreadable.push(Unreadable {
                        location: Location::file(&path),
                        reason,
                        detail,
                    });
                    continue;
                }
            };
            let ft = entry.file_type();
            if ft.is_dir() {
                res.stats.dirs_seen += 1;
                if !entry.path_is_symlink()
                    && let Ok(md) = entry.metadata()
                {
                    seen_dirs.borrow_mut().insert(identity(entry.path(), &md));
                }
                continue;
            }
            if !ft.is_file() {
                // A FIFO, socket or device carrying an archive's name is named as skipped
                // (it is never opened: a FIFO would block the scan); other such entries are
                // not files anyone expects to be scanned.
                if !ft.is_symlink() && is_archive_name(&name_bytes(entry.file_name())) {
                    res.unreadable.push(Unreadable {
                        location: Location::file(entry.path()),
                        reason: UnreadableReason::NotAnArchive,
                        detail: format!("not a regular file ({})", special_kind(ft)),
                    });
                }
                continue;
            }
            res.stats.files_seen += 1;
            let name = entry.file_name();
            let name_bytes = name_bytes(name);
            let archive_ext = is_archive_name(&name_bytes);
            let class_hit = class_stem(&name_bytes).is_some_and(|stem| basenames.contains(stem));
            if class_hit {
                res.class_files.push(entry.path().to_path_buf());
                continue;
            }
            let no_ext = !name_bytes.contains(&b'.')
                || name_bytes.ends_with(b".sh")
                || name_bytes.ends_with(b".run");
            if !archive_ext && !no_ext {
                continue;
            }
            let md = match entry.metadata() {
                Ok(m) => m,
                Err(err) => {
                    let (reason, detail) = match err.io_error() {
                        Some(io) => (io_reason(io), io.to_string()),
                        None => (UnreadableReason::Io, err.to_string()),
                    };
                    res.unreadable.push(Unreadable {
                        location: Location::file(entry.path()),
                        reason,
                        detail,
                    });
                    continue;
                }
            };
            if !(archive_ext || is_prefixed_archive(entry.path(), md.len())) {
                continue;
            }
            let id = identity(entry.path(), &md);
            let cand = Candidate {
                path: entry.path().to_path_buf(),
                identity: id,
                size: md.len(),
                explicit: false,
            };
            if id == (0, 0) {
                files.insert((res.stats.files_seen, u64::MAX), cand);
                continue;
            }
            match files.get_mut(&id) {
                None => {
                    files.insert(id, cand);
                }
                Some(prev) => {
                    res.stats.duplicates_skipped += 1;
                    // Prefer the path that is not a link, then the shorter, then the smaller.
                    let better = (!entry.path_is_symlink() && is_link(&prev.path))
                        || (entry.path_is_symlink() == is_link(&prev.path)
                            && (cand.path.as_os_str().len(), &cand.path)
                                < (prev.path.as_os_str().len(), &prev.path));
                    if better && !prev.explicit {
                        *prev = cand;
                    }
                }
            }
        }
    }
    res.skipped_mounts = skipped.into_inner();
    let mut archives: Vec<Candidate> = files.into_values().collect();
    // By the path's bytes: the same order for the same tree, without comparing path
    // components (a fifth of a repeat scan's walk went to that).
    archives.sort_by(|a, b| {
        a.path
            .as_os_str()
            .as_encoded_bytes()
            .cmp(b.path.as_os_str().as_encoded_bytes())
    });
    res.archives = archives;
    res.class_files.sort();
    res.class_files.dedup();
    res
}

/// The mounts the walk does not enter (pseudo file systems, and network ones unless asked),
/// by mount point and by device.
struct SkipMounts {
    by_path: HashMap<PathBuf, (&'static str, String)>,
    /// The last components of the mount points in `by_path`: a folder with another name
    /// is no skipped mount, without hashing its whole path.
    names: HashSet<std::ffi::OsString>,
    /// The devices of the skipped mounts.
    devs: HashSet<u64>,
    /// Some skipped mount has no known device: every link is resolved path by path.
    dev_unknown: bool,
}

impl SkipMounts {
    fn new(opts: &WalkOptions) -> Self {
        let mut s = Self {
            by_path: HashMap::new(),
            names: HashSet::new(),
            devs: HashSet::new(),
            dev_unknown: false,
        };
        for m in &opts.mounts {
            let why = if PSEUDO_FS.contains(&m.fs_type.as_str()) {
                "pseudo"
            } else if !opts.network_fs && NETWORK_FS.contains(&m.fs_type.as_str()) {
                "network"
            } else {
                continue;
            };
            s.by_path.insert(m.path.clone(), (why, m.fs_type.clone()));
            if let Some(name) = m.path.file_name() {
                s.names.insert(name.to_os_string());
            }
            match m.dev {
                Some(d) => {
                    s.devs.insert(d);
                }
                None => s.dev_unknown = true,
            }
        }
        s
    }

    /// The skipped mount whose mount point is the folder `path` (named `name`), if any.
    fn at(&self, path: &Path, name: &std::ffi::OsStr) -> Option<&(&'static str, String)> {
        if !self.names.contains(name) {
            return None;
        }
        self.by_path.get(path)
    }

    /// The skipped mount that the link at `path` leads into (its resolved target is the
    /// mount point or lies below it). `target` is the link target's metadata: a target on
    /// a device that is no skipped mount's lies in none of them (a mount nested below a
    /// skipped one is a file system of its own), so only links onto such a device are
    /// resolved component by component (`canonicalize`, a `readlink` per component) — on a
    /// normal tree none is.
    fn link_target(
        &self,
        path: &Path,
        target: Option<&std::fs::Metadata>,
    ) -> Option<(&'static str, String)> {
        if self.by_path.is_empty() {
            return None;
        }
        if !self.dev_unknown
            && let Some(md) = target
            && !self.devs.contains(&identity(path, md).0)
        {
            return None;
        }
        let target = std::fs::canonicalize(path).ok()?;
        target
            .ancestors()
            .find_map(|a| self.by_path.get(a))
            .map(|(why, fs)| (*why, fs.clone()))
    }
}

fn is_link(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
        || p.ancestors()
            .skip(1)
            .any(|a| std::fs::symlink_metadata(a).is_ok_and(|m| m.file_type().is_symlink()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mountinfo_parsing() {
        let t = "22 28 0:21 / /proc rw,nosuid shared:13 - proc proc rw\n\
                 30 28 0:25 / /mnt/with\\040space rw - nfs4 srv:/x rw\n\
                 31 28 8:1 / / rw - ext4 /dev/vda rw\n";
        let m = parse_mountinfo(t);
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].path, PathBuf::from("/proc"));
        assert_eq!(m[0].fs_type, "proc");
        assert_eq!(m[1].path, PathBuf::from("/mnt/with space"));
        assert_eq!(m[1].fs_type, "nfs4");
    }
}
