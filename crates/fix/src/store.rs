//! The backup folder: saved originals (`objects/<sha256>`), the manifest
//! (`manifest.json`), a lock, and a note explaining the folder (`PRAXCHECK-BACKUP.txt`).
//!
//! Saved originals are named by their SHA-256 and carry no file extension and no execute
//! bit, so that even a scan that does not exclude the folder never opens them as archives.
//! The manifest is replaced atomically (temporary file, sync, rename, folder sync) after
//! every step. Only one praxcheck process works with a backup folder at a time (a lock on
//! `lock`; the operating system releases it when the process ends, however it ends).

use std::fs::File;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use praxcheck_model::backup::{BackupManifest, BackupRecord, BackupState};

use crate::FixError;
use crate::failpoint::{FailHook, FailPoint};
use crate::fsutil::{self, path_of, remove_if_exists, sha256_if_exists, sync_dir};

/// The manifest's file name.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The folder of saved originals.
pub const OBJECTS_DIR: &str = "objects";
/// The note that explains the folder.
pub const README_FILE: &str = "PRAXCHECK-BACKUP.txt";
const LOCK_FILE: &str = "lock";
const MANIFEST_TMP: &str = "manifest.json.tmp";
const OBJECT_TMP_PREFIX: &str = ".incoming-";

/// What the start of a run found and finished from an interrupted one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovered {
    /// A change had replaced the file; the manifest now says so.
    Applied(PathBuf),
    /// A change had not reached the file; its record was dropped (the file is the original).
    RolledBack(PathBuf),
    /// An undo had put the original back; the manifest now says so.
    Restored(PathBuf),
    /// An undo had not reached the file; the change stays recorded as applied.
    UndoRolledBack(PathBuf),
    /// The file matches neither the original nor the fixed version; left as it is.
    Unresolved(PathBuf),
    /// A leftover temporary file was removed.
    TempRemoved(PathBuf),
}

/// An open, locked backup folder.
pub struct Store {
    dir: PathBuf,
    _lock: File,
    manifest: BackupManifest,
    hook: Arc<dyn FailHook>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> FixError + '_ {
    move |source| FixError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn create_private_dir(path: &Path) -> io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        b.mode(0o700);
    }
    b.create(path)
}

/// Why a backup folder's manifest is refused before anything it names is touched. The
/// manifest steers deletions and writes (as root, anywhere), so it is trusted only when
/// nobody else can have written it and every record has the shape praxcheck writes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestProblem {
    /// A saved original is not named `objects/<sha256>`.
    #[error("record {id}: the saved original is not named objects/<sha256>")]
    ObjectName {
        /// The record.
        id: String,
    },
    /// The changed file's path is not absolute.
    #[error("record {id}: the path of the changed file is not absolute")]
    RelativePath {
        /// The record.
        id: String,
    },
    /// The temporary file is not the one praxcheck puts next to the changed file.
    #[error("record {id}: the temporary file does not lie next to the changed file")]
    TempElsewhere {
        /// The record.
        id: String,
    },
    /// A recorded file is now reached through a symbolic link (the file itself, or a folder
    /// above it, was replaced by one). The fix records real paths only, so the restore
    /// would write wherever the link points: refused, even with `force`.
    #[error("record {id}: {} now passes through a symbolic link", path.display())]
    LinkInPath {
        /// The record.
        id: String,
        /// The recorded path.
        path: PathBuf,
    },
    /// The folder or the manifest belongs to another user.
    #[error("{} belongs to another user (uid {owner})", path.display())]
    ForeignOwner {
        /// The folder or file.
        path: PathBuf,
        /// Its owner.
        owner: u32,
    },
    /// Other users may write the folder or the manifest.
    #[error("{} can be written by other users", path.display())]
    WritableByOthers {
        /// The folder or file.
        path: PathBuf,
    },
}

fn is_object_name(rel: &str) -> bool {
    rel.strip_prefix(OBJECTS_DIR)
        .and_then(|r| r.strip_prefix('/'))
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

/// Checks the records of a manifest read from `dir` and, on Unix, that the folder and the
/// manifest belong to this user and no one else can write them.
pub(crate) fn check_manifest(dir: &Path, m: &BackupManifest) -> Result<(), FixError> {
    let refuse = |problem| FixError::ManifestRefused {
        path: dir.join(MANIFEST_FILE),
        problem,
    };
    #[cfg(unix)]
    if let Some(uid) = praxcheck_model::sys::effective_uid() {
        use std::os::unix::fs::MetadataExt as _;
        for p in [dir.to_path_buf(), dir.join(MANIFEST_FILE)] {
            let Ok(md) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            if md.uid() != uid {
                return Err(refuse(ManifestProblem::ForeignOwner {
                    path: p,
                    owner: md.uid(),
                }));
            }
            if md.mode() & 0o022 != 0 {
                return Err(refuse(ManifestProblem::WritableByOthers { path: p }));
            }
        }
    }
    for r in &m.records {
        let id = || r.id.clone();
        if !is_object_name(&r.object)
            || r.replaced_object
                .as_deref()
                .is_some_and(|o| !is_object_name(o))
        {
            return Err(refuse(ManifestProblem::ObjectName { id: id() }));
        }
        let path = path_of(&r.path);
        if !path.is_absolute() {
            return Err(refuse(ManifestProblem::RelativePath { id: id() }));
        }
        if let Some(t) = &r.temp {
            let t = path_of(t);
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let ok = t.parent() == path.parent()
                && t.file_name().is_some_and(|n| {
                    let n = n.to_string_lossy();
                    n.starts_with(&format!(".{name}.praxcheck-")) && n.ends_with(".tmp")
                });
            if !ok {
                return Err(refuse(ManifestProblem::TempElsewhere { id: id() }));
            }
        }
    }
    Ok(())
}

impl Store {
    /// Opens (and with `create`, creates) the backup folder and takes its lock.
    ///
    /// # Errors
    /// When the folder cannot be created or read, another praxcheck holds the lock, or
    /// the manifest is unreadable (then nothing is touched: a damaged manifest is never
    /// treated as empty).
    pub fn open(
        dir: &Path,
        create: bool,
        readme: &str,
        hook: Arc<dyn FailHook>,
    ) -> Result<Self, FixError> {
        let manifest_path = dir.join(MANIFEST_FILE);
        if !create && !manifest_path.exists() {
            return Err(FixError::NoBackups(dir.to_path_buf()));
        }
        let objects = dir.join(OBJECTS_DIR);
        create_private_dir(&objects).map_err(io_err(&objects))?;
        let lock_path = dir.join(LOCK_FILE);
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_err(&lock_path))?;
        // Another run may be finishing (or a process forked by this one may briefly hold a
        // copy of the descriptor until it starts its program): wait a moment before giving up.
        let mut waited = 0u32;
        loop {
            match lock.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) if waited < 20 => {
                    waited += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(FixError::Busy(dir.to_path_buf()));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(io_err(&lock_path)(e)),
            }
        }
        let readme_path = dir.join(README_FILE);
        if !readme_path.exists() {
            std::fs::write(&readme_path, readme).map_err(io_err(&readme_path))?;
        }
        let manifest = match std::fs::read(&manifest_path) {
            Ok(b) => BackupManifest::from_json(&b).map_err(|source| FixError::Manifest {
                path: manifest_path.clone(),
                source,
            })?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => BackupManifest::default(),
            Err(e) => return Err(io_err(&manifest_path)(e)),
        };
        check_manifest(dir, &manifest)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            _lock: lock,
            manifest,
            hook,
        })
    }

    /// The backup folder.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The records, oldest first.
    #[must_use]
    pub fn records(&self) -> &[BackupRecord] {
        &self.manifest.records
    }

    pub(crate) fn records_mut(&mut self) -> &mut Vec<BackupRecord> {
        &mut self.manifest.records
    }

    pub(crate) fn fail(&self, p: FailPoint) -> Result<(), FixError> {
        self.hook.check(p).map_err(FixError::Injected)
    }

    /// The absolute path of a saved original.
    #[must_use]
    pub fn object_path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    /// Writes the manifest atomically.
    pub(crate) fn save(&mut self) -> Result<(), FixError> {
        let tmp = self.dir.join(MANIFEST_TMP);
        let json = self
            .manifest
            .to_json_pretty()
            .map_err(|source| FixError::Manifest {
                path: tmp.clone(),
                source,
            })?;
        {
            let mut f = File::create(&tmp).map_err(io_err(&tmp))?;
            f.write_all(json.as_bytes()).map_err(io_err(&tmp))?;
            f.sync_all().map_err(io_err(&tmp))?;
        }
        self.fail(FailPoint::ManifestTempWritten)?;
        let path = self.dir.join(MANIFEST_FILE);
        std::fs::rename(&tmp, &path).map_err(io_err(&path))?;
        sync_dir(&self.dir).map_err(io_err(&self.dir))?;
        Ok(())
    }

    /// Saves a copy of `src` (read from its start) as `objects/<sha256>`; returns the
    /// relative object name, the SHA-256 and the size. An object that already exists and is
    /// intact is reused.
    pub(crate) fn put_object(
        &mut self,
        src: &mut File,
        id: &str,
    ) -> Result<(String, String, u64), FixError> {
        let objects = self.dir.join(OBJECTS_DIR);
        let tmp = objects.join(format!("{OBJECT_TMP_PREFIX}{id}"));
        let result = (|| {
            let f = fsutil::create_new(&tmp).map_err(io_err(&tmp))?;
            let mut w = fsutil::HashingWriter::new(io::BufWriter::with_capacity(256 * 1024, f));
            io::copy(src, &mut w).map_err(io_err(&tmp))?;
            let (bw, sha, len) = w.finish();
            let f = bw.into_inner().map_err(|e| io_err(&tmp)(e.into_error()))?;
            f.sync_all().map_err(io_err(&tmp))?;
            drop(f);
            self.fail(FailPoint::BackupTempWritten)?;
            let rel = format!("{OBJECTS_DIR}/{sha}");
            let dest = self.dir.join(&rel);
            if sha256_if_exists(&dest).map_err(io_err(&dest))?.as_deref() == Some(sha.as_str()) {
                remove_if_exists(&tmp).map_err(io_err(&tmp))?;
            } else {
                std::fs::rename(&tmp, &dest).map_err(io_err(&dest))?;
            }
            sync_dir(&objects).map_err(io_err(&objects))?;
            self.fail(FailPoint::BackupWritten)?;
            Ok((rel, sha, len))
        })();
        if result.is_err() {
            let _ = remove_if_exists(&tmp);
        }
        result
    }

    /// Whether a saved original is present and intact.
    pub(crate) fn object_intact(&self, rel: &str, sha: &str) -> Result<bool, FixError> {
        let p = self.object_path(rel);
        Ok(sha256_if_exists(&p).map_err(io_err(&p))?.as_deref() == Some(sha))
    }

    /// Deletes a saved original when no record that may still need it refers to it.
    pub(crate) fn drop_object_if_unused(&self, rel: &str) -> Result<bool, FixError> {
        let used = self.manifest.records.iter().any(|r| {
            r.state != BackupState::Restored
                && (r.object == rel || r.replaced_object.as_deref() == Some(rel))
        });
        if used {
            return Ok(false);
        }
        let p = self.object_path(rel);
        let gone = remove_if_exists(&p).map_err(io_err(&p))?;
        Ok(gone)
    }

    /// Finishes or rolls back what an interrupted run left behind: temporary files are
    /// removed, and each record still in progress is settled by comparing the file's
    /// SHA-256 with the recorded before and after values.
    ///
    /// # Errors
    /// When a file cannot be read or the manifest cannot be written.
    pub fn recover(&mut self) -> Result<Vec<Recovered>, FixError> {
        let mut out = Vec::new();
        let _ = remove_if_exists(&self.dir.join(MANIFEST_TMP));
        let objects = self.dir.join(OBJECTS_DIR);
        if let Ok(rd) = std::fs::read_dir(&objects) {
            for e in rd.filter_map(Result::ok) {
                if e.file_name()
                    .to_string_lossy()
                    .starts_with(OBJECT_TMP_PREFIX)
                {
                    let _ = remove_if_exists(&e.path());
                }
            }
        }
        let mut changed = false;
        let mut drop_ids: Vec<String> = Vec::new();
        let mut maybe_unused: Vec<String> = Vec::new();
        for rec in &mut self.manifest.records {
            if !matches!(rec.state, BackupState::Pending | BackupState::Restoring) {
                if rec.state == BackupState::Restored {
                    maybe_unused.push(rec.object.clone());
                }
                continue;
            }
            let path = path_of(&rec.path);
            if let Some(t) = rec.temp.take() {
                let tp = path_of(&t);
                if remove_if_exists(&tp).map_err(io_err(&tp))? {
                    out.push(Recovered::TempRemoved(tp));
                }
                changed = true;
            }
            let cur = sha256_if_exists(&path).map_err(io_err(&path))?;
            let is_before = cur.as_deref() == Some(rec.sha256_before.as_str());
            let is_after = cur.is_some() && cur == rec.sha256_after;
            match rec.state {
                BackupState::Pending if is_after => {
                    rec.state = BackupState::Applied;
                    out.push(Recovered::Applied(path));
                    changed = true;
                }
                BackupState::Pending if is_before => {
                    drop_ids.push(rec.id.clone());
                    maybe_unused.push(rec.object.clone());
                    out.push(Recovered::RolledBack(path));
                    changed = true;
                }
                BackupState::Restoring if is_before => {
                    rec.state = BackupState::Restored;
                    rec.restored_at = Some(fsutil::now_rfc3339());
                    maybe_unused.push(rec.object.clone());
                    out.push(Recovered::Restored(path));
                    changed = true;
                }
                BackupState::Restoring if is_after => {
                    rec.state = BackupState::Applied;
                    out.push(Recovered::UndoRolledBack(path));
                    changed = true;
                }
                _ => out.push(Recovered::Unresolved(path)),
            }
        }
        if !drop_ids.is_empty() {
            self.manifest.records.retain(|r| !drop_ids.contains(&r.id));
        }
        if changed {
            self.save()?;
        }
        maybe_unused.sort();
        maybe_unused.dedup();
        for rel in maybe_unused {
            let _ = self.drop_object_if_unused(&rel)?;
        }
        Ok(out)
    }
}
