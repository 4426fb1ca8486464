//! `praxcheck fix`: removes `JndiLookup` (and, when asked, the risky Log4j 1.x classes)
//! from every affected archive, at any nesting depth — and changes nothing else.
//!
//! **What is removed** is decided by the scan and the advisory matcher ([`plan()`]): a
//! class the scan found (also relocated or renamed) on which an open finding depends.
//!
//! **How a file is changed** ([`apply()`]), each step recorded so that a crash at any point
//! leaves the file either the original or the fully fixed version:
//!
//! 1. the original is copied into the backup folder (`objects/<sha256>`), synced;
//! 2. the manifest records the pending change (path, SHA-256 before, temporary name);
//! 3. the fixed archive is written from the saved copy to a temporary file in the same
//!    folder as the original (byte-level copy of every kept entry, see `zipraw`);
//! 4. it is checked: an independent zip reader reads every entry back (CRCs), a comparison
//!    proves nothing but the named entries changed, the scan no longer finds the removed
//!    classes, and changed signed jars are checked with `jarsigner -verify` when installed;
//! 5. owner, mode and modification time of the original are set, the file is synced;
//! 6. the manifest records the SHA-256 after;
//! 7. the temporary file is renamed over the original, the folder is synced;
//! 8. the manifest records the change as applied.
//!
//! The next run ([`store::Store::recover`]) settles anything an interrupted run left in
//! between by comparing the file's SHA-256 with the recorded values. [`undo()`] puts
//! originals back byte for byte the same way, and refuses files that changed since the fix.
//!
//! Tested on Linux only; on Windows a file that a program holds open cannot be replaced
//! and the behaviour is untested (see README).

pub mod failpoint;
mod fsutil;
pub mod inuse;
pub mod plan;
pub mod signature;
pub mod store;
mod verify;
pub mod zipraw;

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use praxcheck_javascan::Limits;
use praxcheck_javascan::source::Source;
use praxcheck_model::backup::{BackupRecord, BackupState, ManifestError};
use praxcheck_model::{PathSegment, ProcessRef};

pub use failpoint::FailAt;
pub use failpoint::{FailHook, FailMode, FailPoint, InjectedFailure, NoFail};
pub use fsutil::sha256_file;
pub use plan::{FilePlan, JNDI_LOOKUP, LOG4J1_RISKY, LooseClass, Plan, PlanOptions, Removal, plan};
pub use signature::JarsignerCheck;
pub use store::{Recovered, Store};
pub use zipraw::RawError;

use crate::fsutil::{Meta, path_of, remove_if_exists, sha256_if_exists, sync_dir, temp_path_for};
use crate::zipraw::{Budget, Counting, Node, RewriteReport};

/// Environment variable that names the backup folder (also read by `scan` to leave it out).
pub const ENV_BACKUP_DIR: &str = "PRAXCHECK_BACKUP_DIR";

/// The system-wide backup folder on Unix-like systems.
pub const SYSTEM_BACKUP_DIR_UNIX: &str = "/var/lib/praxcheck/backup";

/// Errors of a fix or an undo. Each names the file and the reason.
#[derive(Debug, thiserror::Error)]
pub enum FixError {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: io::Error,
    },
    /// Another program holds the file open and does not let it be replaced (Windows: a
    /// running Java program keeps its jars open so); the original stays.
    #[error("{}: another program holds the file open ({source})", path.display())]
    HeldOpen {
        /// The file.
        path: PathBuf,
        /// The operating system's error (a sharing or lock violation).
        source: io::Error,
    },
    /// The archive cannot be rewritten safely.
    #[error("{}: {source}", path.display())]
    Archive {
        /// The file on disk.
        path: PathBuf,
        /// Why.
        source: RawError,
    },
    /// The check of the rewritten archive failed; the original was not replaced.
    #[error("{}: the check of the changed archive failed, the original stays: {reason}", path.display())]
    VerifyFailed {
        /// The file on disk.
        path: PathBuf,
        /// What the check found.
        reason: String,
    },
    /// The file changed while it was being fixed; the original stays.
    #[error("{}: the file changed while it was being fixed; it was left unchanged", .0.display())]
    ChangedDuringFix(PathBuf),
    /// The saved original no longer matches its SHA-256.
    #[error("{}: the saved original {} is missing or damaged", path.display(), object.display())]
    BackupDamaged {
        /// The file whose original is damaged.
        path: PathBuf,
        /// The saved copy.
        object: PathBuf,
    },
    /// Another praxcheck works with this backup folder.
    #[error("{}: another praxcheck fix is using this backup folder", .0.display())]
    Busy(PathBuf),
    /// The manifest cannot be read or written.
    #[error("{}: {source}", path.display())]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// Why.
        source: ManifestError,
    },
    /// The manifest names things praxcheck never writes, or others could have written it.
    #[error("{}: refused, nothing was changed: {problem}", path.display())]
    ManifestRefused {
        /// The manifest file.
        path: PathBuf,
        /// Why.
        problem: store::ManifestProblem,
    },
    /// There is no manifest in the backup folder.
    #[error("{}: no backups made by praxcheck fix are recorded here", .0.display())]
    NoBackups(PathBuf),
    /// A test hook made this step fail.
    #[error("{0}")]
    Injected(InjectedFailure),
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> FixError + '_ {
    move |source| {
        if fsutil::held_open(&source) {
            FixError::HeldOpen {
                path: path.to_path_buf(),
                source,
            }
        } else {
            FixError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    }
}

/// The backup folder when none is given: `PRAXCHECK_BACKUP_DIR` if set; otherwise, on
/// Linux and other Unix systems, `/var/lib/praxcheck/backup` for the administrator (root)
/// and `$XDG_STATE_HOME/praxcheck/backup` (`~/.local/state/praxcheck/backup`) for other
/// users; on Windows `%ProgramData%\praxcheck\backup`.
#[must_use]
pub fn default_backup_dir() -> PathBuf {
    if let Some(d) = std::env::var_os(ENV_BACKUP_DIR).filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    platform_backup_dir()
}

fn platform_backup_dir() -> PathBuf {
    praxcheck_model::sys::platform_state_dir().map_or_else(
        || PathBuf::from(SYSTEM_BACKUP_DIR_UNIX),
        |d| d.join("backup"),
    )
}

/// Folders a scan leaves out so that saved originals do not count as findings: the
/// configured backup folder and the platform's default one.
#[must_use]
pub fn scan_exclusions() -> Vec<PathBuf> {
    let mut v = vec![default_backup_dir(), platform_backup_dir()];
    #[cfg(unix)]
    v.push(PathBuf::from(SYSTEM_BACKUP_DIR_UNIX));
    v.sort();
    v.dedup();
    v
}

/// Settings of a fix or an undo.
#[derive(Debug, Clone)]
pub struct FixOptions {
    /// Where originals are saved.
    pub backup_dir: PathBuf,
    /// Change files that are in use, have several hard links, whose signature check
    /// fails, or (undo) that changed since the fix.
    pub force: bool,
    /// Bounds for reading nested archives (the scan's limits).
    pub limits: Limits,
    /// `jarsigner` for checking changed signed jars, when installed.
    pub jarsigner: Option<PathBuf>,
    /// Text of the note written into a new backup folder.
    pub readme: String,
    /// Where running processes are listed (`/proc`).
    pub proc_root: PathBuf,
}

impl FixOptions {
    /// Options with defaults for everything but the backup folder.
    #[must_use]
    pub fn new(backup_dir: PathBuf) -> Self {
        Self {
            backup_dir,
            force: false,
            limits: Limits::default(),
            jarsigner: signature::find_jarsigner(),
            readme: String::new(),
            proc_root: PathBuf::from("/proc"),
        }
    }
}

/// A signed archive level that a fix changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedInfo {
    /// `outer.jar` or `outer.jar!/inner.jar`.
    pub archive: String,
    /// Its signature files (`META-INF/*.SF`).
    pub signature_files: Vec<String>,
}

/// What a rewrite would do (dry run) or did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RewriteSummary {
    /// Removed entries, full locations.
    pub removed: Vec<String>,
    /// Changed signed levels.
    pub signed: Vec<SignedInfo>,
    /// Archive levels rewritten.
    pub levels: usize,
}

/// Facts about a file before it is changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStatus {
    /// The file with symbolic links resolved (the rename replaces this one).
    pub real_path: PathBuf,
    /// Running processes holding it.
    pub holders: Vec<ProcessRef>,
    /// Hard links to it.
    pub hard_links: u64,
    /// The path given is a symbolic link (the file it points to is changed).
    pub is_link: bool,
}

/// The dry run of one file.
#[derive(Debug)]
pub struct Preview {
    /// The plan.
    pub file: FilePlan,
    /// Facts, or why they could not be gathered.
    pub status: Result<FileStatus, FixError>,
    /// What the rewrite would do, or why it cannot be done (`None` when the file could
    /// not even be looked at; `status` says why).
    pub rewrite: Option<Result<RewriteSummary, FixError>>,
}

fn summarize(outer: &Path, report: &RewriteReport) -> RewriteSummary {
    let outer = outer.display().to_string();
    let loc = |chain: &[Vec<u8>]| {
        let mut parts = vec![outer.clone()];
        parts.extend(
            chain
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned()),
        );
        parts.join(praxcheck_model::NESTING_SEPARATOR)
    };
    RewriteSummary {
        removed: report
            .removed
            .iter()
            .map(|(chain, name)| {
                format!(
                    "{}{}{}",
                    loc(chain),
                    praxcheck_model::NESTING_SEPARATOR,
                    String::from_utf8_lossy(name)
                )
            })
            .collect(),
        signed: report
            .signed
            .iter()
            .map(|s| SignedInfo {
                archive: loc(&s.chain),
                signature_files: s.signature_files.clone(),
            })
            .collect(),
        levels: report.levels,
    }
}

fn gather_status(paths: &[PathBuf], proc_root: &Path) -> Vec<Result<FileStatus, FixError>> {
    let mut stats: Vec<Result<(PathBuf, std::fs::Metadata), FixError>> = Vec::new();
    for p in paths {
        let r = dunce::canonicalize(p)
            .and_then(|real| std::fs::metadata(&real).map(|md| (real, md)))
            .map_err(io_err(p));
        stats.push(r);
    }
    let wanted: HashSet<(u64, u64)> = stats
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|(real, md)| fsutil::identity(real, md))
        .collect();
    let held = inuse::holders(proc_root, &wanted);
    stats
        .into_iter()
        .zip(paths)
        .map(|(r, p)| {
            let is_link = std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
            r.map(|(real_path, md)| FileStatus {
                holders: held
                    .get(&fsutil::identity(&real_path, &md))
                    .cloned()
                    .unwrap_or_default(),
                hard_links: fsutil::link_count(&md),
                is_link,
                real_path,
            })
        })
        .collect()
}

/// Rewrites `src` as `node` says into `out`.
fn rewrite_into<W: io::Write>(
    src: &Source,
    node: &Node,
    out: W,
    limits: &Limits,
) -> Result<(W, RewriteReport), RawError> {
    let mut budget = Budget {
        limits,
        inflate_left: limits.max_inflate_per_file,
    };
    let mut report = RewriteReport::default();
    let mut w = Counting::new(out);
    zipraw::rewrite(src, node, &mut w, &mut budget, &mut Vec::new(), &mut report)?;
    Ok((w.into_inner(), report))
}

/// The dry run: for every planned file, whether it can be changed and what would change.
/// Nothing is written anywhere.
#[must_use]
pub fn preview(plan: &Plan, limits: &Limits, proc_root: &Path) -> Vec<Preview> {
    let paths: Vec<PathBuf> = plan.files.iter().map(|f| f.path.clone()).collect();
    let statuses = gather_status(&paths, proc_root);
    plan.files
        .iter()
        .zip(statuses)
        .map(|(fp, status)| {
            let rewrite = status.as_ref().ok().map(|st| {
                File::open(&st.real_path)
                    .and_then(Source::file)
                    .map_err(io_err(&st.real_path))
                    .and_then(|src| {
                        rewrite_into(&src, &fp.node(), io::sink(), limits)
                            .map(|(_, r)| summarize(&fp.path, &r))
                            .map_err(|source| FixError::Archive {
                                path: fp.path.clone(),
                                source,
                            })
                    })
            });
            Preview {
                file: fp.clone(),
                status,
                rewrite,
            }
        })
        .collect()
}

/// A file that was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    /// The manifest record.
    pub record_id: String,
    /// The file (symbolic links resolved).
    pub real_path: PathBuf,
    /// SHA-256 of the original.
    pub sha256_before: String,
    /// SHA-256 of the fixed file.
    pub sha256_after: String,
    /// Sizes before and after.
    pub sizes: (u64, u64),
    /// The saved original.
    pub object: PathBuf,
    /// What was removed and which signed levels changed.
    pub summary: RewriteSummary,
    /// `jarsigner -verify` results for changed signed levels.
    pub jarsigner: Vec<JarsignerCheck>,
    /// Notes (for example an owner that could not be kept).
    pub notes: Vec<String>,
}

/// What happened to one planned file.
#[derive(Debug)]
pub enum Outcome {
    /// Changed.
    Fixed(Box<Fixed>),
    /// Left alone: running processes hold it (use `force` to change it anyway).
    InUse(Vec<ProcessRef>),
    /// Left alone: it has several hard links; the other names would keep the old content.
    HardLinks(u64),
    /// Left alone: changed signed jar no longer verifies.
    SignatureBroken(Vec<JarsignerCheck>),
    /// Failed; the original is in place.
    Failed(FixError),
}

/// The result of [`apply()`].
#[derive(Debug)]
pub struct ApplyReport {
    /// What the start of the run settled from an interrupted one.
    pub recovered: Vec<Recovered>,
    /// Per planned file.
    pub outcomes: Vec<(FilePlan, Outcome)>,
    /// The backup folder.
    pub backup_dir: PathBuf,
}

fn new_id(path: &Path) -> String {
    let now = time::OffsetDateTime::now_utc();
    let stamp = format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let nanos = now.unix_timestamp_nanos().to_le_bytes();
    let pid = std::process::id().to_le_bytes();
    let h = praxcheck_model::short_hash(&[path.as_os_str().as_encoded_bytes(), &nanos, &pid]);
    format!("{stamp}-{h}")
}

fn segment(p: &Path) -> PathSegment {
    PathSegment::from_path(p)
}

/// Applies the plan: saves, rewrites, checks and replaces every planned file.
///
/// # Errors
/// Only when the backup folder cannot be used (not writable, locked by another run, a
/// damaged manifest); problems with single files are reported per file.
pub fn apply(
    plan: &Plan,
    opts: &FixOptions,
    hook: Arc<dyn FailHook>,
) -> Result<ApplyReport, FixError> {
    let mut store = Store::open(&opts.backup_dir, true, &opts.readme, hook)?;
    let recovered = store.recover()?;
    let paths: Vec<PathBuf> = plan.files.iter().map(|f| f.path.clone()).collect();
    let statuses = gather_status(&paths, &opts.proc_root);
    let mut outcomes = Vec::new();
    for (fp, st) in plan.files.iter().zip(statuses) {
        let outcome = match st {
            Err(e) => Outcome::Failed(e),
            Ok(st) if !st.holders.is_empty() && !opts.force => Outcome::InUse(st.holders),
            Ok(st) if st.hard_links > 1 && !opts.force => Outcome::HardLinks(st.hard_links),
            Ok(st) => match fix_one(&mut store, fp, &st.real_path, opts) {
                Ok(f) => Outcome::Fixed(Box::new(f)),
                Err(OneError::Signature(c)) => Outcome::SignatureBroken(c),
                Err(OneError::Fix(e)) => Outcome::Failed(e),
            },
        };
        outcomes.push((fp.clone(), outcome));
    }
    Ok(ApplyReport {
        recovered,
        outcomes,
        backup_dir: opts.backup_dir.clone(),
    })
}

enum OneError {
    Fix(FixError),
    Signature(Vec<JarsignerCheck>),
}

impl From<FixError> for OneError {
    fn from(e: FixError) -> Self {
        OneError::Fix(e)
    }
}

/// Undoes a pending change whose rename did not happen: the temporary file goes, the
/// record goes, the saved original goes unless another record needs it.
fn roll_back(store: &mut Store, id: &str, temp: &Path) {
    let _ = remove_if_exists(temp);
    let object = store
        .records()
        .iter()
        .find(|r| r.id == id)
        .map(|r| r.object.clone());
    store.records_mut().retain(|r| r.id != id);
    if store.save().is_ok()
        && let Some(o) = object
    {
        let _ = store.drop_object_if_unused(&o);
    }
}

fn record_mut<'a>(store: &'a mut Store, id: &str) -> Option<&'a mut BackupRecord> {
    store.records_mut().iter_mut().find(|r| r.id == id)
}

fn fix_one(
    store: &mut Store,
    fp: &FilePlan,
    path: &Path,
    opts: &FixOptions,
) -> Result<Fixed, OneError> {
    fsutil::check_replaceable(path).map_err(io_err(path))?;
    let mut f = File::open(path).map_err(io_err(path))?;
    let md0 = f.metadata().map_err(io_err(path))?;
    if !md0.is_file() {
        return Err(io_err(path)(io::Error::other("not a regular file")).into());
    }
    let id = new_id(path);
    let (object, sha_before, size_before) = store.put_object(&mut f, &id)?;
    let md1 = f.metadata().map_err(io_err(path))?;
    // From the open handle: the file saved, whatever the name points to meanwhile.
    let id0 = praxcheck_sys::open_file_identity(&f, &md0);
    let id1 = praxcheck_sys::open_file_identity(&f, &md1);
    drop(f);
    if !fsutil::same_file_unchanged((&md0, id0), (&md1, id1)) {
        let _ = store.drop_object_if_unused(&object);
        return Err(FixError::ChangedDuringFix(path.to_path_buf()).into());
    }
    let meta = Meta::of(&md0);
    let temp = temp_path_for(path, &id);
    store.records_mut().push(BackupRecord {
        id: id.clone(),
        path: segment(path),
        state: BackupState::Pending,
        sha256_before: sha_before.clone(),
        size_before,
        sha256_after: None,
        size_after: None,
        object: object.clone(),
        temp: Some(segment(&temp)),
        removed: Vec::new(),
        mode: meta.mode,
        uid: meta.uid,
        gid: meta.gid,
        mtime_unix_ns: meta.mtime_unix_ns,
        fixed_at: fsutil::now_rfc3339(),
        restored_at: None,
        replaced_object: None,
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
    });
    let mut renamed = false;
    let r = fix_steps(
        store,
        fp,
        path,
        opts,
        &id,
        &object,
        &temp,
        &meta,
        (&md0, id0),
        &mut renamed,
    );
    match r {
        Ok(f) => Ok(f),
        Err(e) if renamed => {
            // The fixed file is in place; record that as well as we can (the next run
            // settles it otherwise) and report the error.
            if let Some(rec) = record_mut(store, &id) {
                rec.state = BackupState::Applied;
                rec.temp = None;
            }
            let _ = store.save();
            Err(e)
        }
        Err(e) => {
            roll_back(store, &id, &temp);
            Err(e)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn fix_steps(
    store: &mut Store,
    fp: &FilePlan,
    path: &Path,
    opts: &FixOptions,
    id: &str,
    object: &str,
    temp: &Path,
    meta: &Meta,
    (md0, id0): (&std::fs::Metadata, (u64, u64)),
    renamed: &mut bool,
) -> Result<Fixed, OneError> {
    store.save()?;
    store.fail(FailPoint::ManifestPending)?;

    // Write the fixed archive from the saved original (its bytes are known by SHA-256).
    let object_path = store.object_path(object);
    let orig = File::open(&object_path)
        .and_then(Source::file)
        .map_err(io_err(&object_path))?;
    let node = fp.node();
    let tf = fsutil::create_new(temp).map_err(io_err(temp))?;
    let hw = fsutil::HashingWriter::new(BufWriter::with_capacity(256 * 1024, tf));
    let (hw, report) =
        rewrite_into(&orig, &node, hw, &opts.limits).map_err(|source| FixError::Archive {
            path: path.to_path_buf(),
            source,
        })?;
    let (bw, sha_after, size_after) = hw.finish();
    let tf = bw.into_inner().map_err(|e| io_err(temp)(e.into_error()))?;
    store.fail(FailPoint::TempWritten)?;

    // Check it.
    let verify_failed = |reason: String| FixError::VerifyFailed {
        path: path.to_path_buf(),
        reason,
    };
    let new = File::open(temp)
        .and_then(Source::file)
        .map_err(io_err(temp))?;
    // The token `verified` is what the rename below requires (see `verify`).
    let verified = verify::rewritten(&orig, &new, temp, fp, &opts.limits).map_err(verify_failed)?;
    let summary = summarize(path, &report);
    let mut checks = Vec::new();
    if let Some(js) = &opts.jarsigner {
        for (level, info) in report.signed.iter().zip(&summary.signed) {
            let c = if level.chain.is_empty() {
                signature::verify_file(js, temp, &info.archive)
            } else if let Some(content) = &level.content {
                signature::verify_bytes(js, content, &info.archive)
            } else {
                continue;
            };
            match c {
                Ok(c) => checks.push(c),
                Err(e) => checks.push(JarsignerCheck {
                    archive: info.archive.clone(),
                    verified: false,
                    warnings: vec![format!("jarsigner could not run: {e}")],
                }),
            }
        }
    }
    if checks.iter().any(|c| !c.verified) && !opts.force {
        return Err(OneError::Signature(checks));
    }
    store.fail(FailPoint::TempVerified)?;

    // Owner, mode, modification time; then make it durable.
    let mut notes = Vec::new();
    if let Some(n) = meta.apply(&tf).map_err(io_err(temp))? {
        notes.push(n);
    }
    tf.sync_all().map_err(io_err(temp))?;
    drop(tf);
    store.fail(FailPoint::TempSynced)?;

    if let Some(rec) = record_mut(store, id) {
        rec.sha256_after = Some(sha_after.clone());
        rec.size_after = Some(size_after);
        rec.removed.clone_from(&summary.removed);
    }
    store.save()?;
    store.fail(FailPoint::ManifestReady)?;

    // The original must still be the file we saved.
    let md2 = std::fs::metadata(path).map_err(io_err(path))?;
    if !fsutil::same_file_unchanged((md0, id0), (&md2, fsutil::identity(path, &md2))) {
        return Err(FixError::ChangedDuringFix(path.to_path_buf()).into());
    }
    verified.rename_over(path).map_err(io_err(path))?;
    *renamed = true;
    store.fail(FailPoint::Renamed)?;
    let dir = fsutil::parent_dir(path);
    sync_dir(&dir).map_err(io_err(&dir))?;
    store.fail(FailPoint::DirSynced)?;

    if let Some(rec) = record_mut(store, id) {
        rec.state = BackupState::Applied;
        rec.temp = None;
    }
    store.save()?;
    store.fail(FailPoint::ManifestApplied)?;
    Ok(Fixed {
        record_id: id.to_owned(),
        real_path: path.to_path_buf(),
        sha256_before: store
            .records()
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.sha256_before.clone())
            .unwrap_or_default(),
        sha256_after: sha_after,
        sizes: (md0.len(), size_after),
        object: object_path,
        summary,
        jarsigner: checks,
        notes,
    })
}

/// What happened to one recorded change on undo.
#[derive(Debug)]
pub enum UndoOutcome {
    /// The original is back.
    Restored {
        /// SHA-256 of the restored original.
        sha256: String,
        /// Where the replaced (changed-since-fix) content was saved, with `force`.
        replaced: Option<PathBuf>,
    },
    /// The file already was the original.
    AlreadyOriginal,
    /// Refused: the file changed since the fix (or was deleted); use `force`.
    ChangedSinceFix {
        /// The file no longer exists.
        missing: bool,
    },
    /// Refused: running processes hold it.
    InUse(Vec<ProcessRef>),
    /// Failed; the file is as it was.
    Failed(FixError),
}

/// The result of [`undo()`].
#[derive(Debug)]
pub struct UndoReport {
    /// What the start of the run settled from an interrupted one.
    pub recovered: Vec<Recovered>,
    /// Per record (newest first): the file and what happened.
    pub outcomes: Vec<(PathBuf, UndoOutcome)>,
    /// The backup folder.
    pub backup_dir: PathBuf,
}

fn absolute(p: &Path) -> PathBuf {
    dunce::canonicalize(p)
        .or_else(|_| std::path::absolute(p))
        .unwrap_or_else(|_| p.to_path_buf())
}

/// Puts originals back: every applied change (newest first), or only those at or below
/// the given paths.
///
/// # Errors
/// When the backup folder cannot be used (no manifest, locked, damaged manifest).
pub fn undo(
    paths: &[PathBuf],
    opts: &FixOptions,
    hook: Arc<dyn FailHook>,
) -> Result<UndoReport, FixError> {
    let mut store = Store::open(&opts.backup_dir, false, &opts.readme, hook)?;
    let recovered = store.recover()?;
    let wanted: Vec<PathBuf> = paths.iter().map(|p| absolute(p)).collect();
    let ids: Vec<String> = store
        .records()
        .iter()
        .rev()
        .filter(|r| matches!(r.state, BackupState::Applied | BackupState::Pending))
        .filter(|r| {
            let p = path_of(&r.path);
            wanted.is_empty() || wanted.iter().any(|w| p == *w || p.starts_with(w))
        })
        .map(|r| r.id.clone())
        .collect();
    let rec_paths: Vec<PathBuf> = ids
        .iter()
        .filter_map(|id| store.records().iter().find(|r| &r.id == id))
        .map(|r| path_of(&r.path))
        .collect();
    let existing: HashSet<(u64, u64)> = rec_paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok().map(|md| fsutil::identity(p, &md)))
        .collect();
    let held = inuse::holders(&opts.proc_root, &existing);
    let mut outcomes = Vec::new();
    for (id, path) in ids.iter().zip(rec_paths) {
        let holders = std::fs::metadata(&path)
            .ok()
            .and_then(|md| held.get(&fsutil::identity(&path, &md)).cloned())
            .unwrap_or_default();
        let o = undo_one(&mut store, id, &path, &holders, opts);
        outcomes.push((path, o));
    }
    Ok(UndoReport {
        recovered,
        outcomes,
        backup_dir: opts.backup_dir.clone(),
    })
}

/// Whether a recorded path is now reached through a symbolic link: the file itself is one,
/// or its folder's real path differs from the recorded one. (A folder that is gone is no
/// link: the restore then fails on it by itself.)
fn passes_through_link(path: &Path) -> bool {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return true;
    }
    let dir = fsutil::parent_dir(path);
    // On Windows a canonical path carries the `\\?\` prefix and cannot be compared so.
    cfg!(unix) && std::fs::canonicalize(&dir).is_ok_and(|real| real != dir)
}

fn undo_one(
    store: &mut Store,
    id: &str,
    path: &Path,
    holders: &[ProcessRef],
    opts: &FixOptions,
) -> UndoOutcome {
    let Some(rec) = store.records().iter().find(|r| r.id == id).cloned() else {
        return UndoOutcome::Failed(FixError::NoBackups(opts.backup_dir.clone()));
    };
    if passes_through_link(path) {
        return UndoOutcome::Failed(FixError::ManifestRefused {
            path: opts.backup_dir.join(store::MANIFEST_FILE),
            problem: store::ManifestProblem::LinkInPath {
                id: id.to_owned(),
                path: path.to_path_buf(),
            },
        });
    }
    let cur = match sha256_if_exists(path) {
        Ok(c) => c,
        Err(e) => return UndoOutcome::Failed(io_err(path)(e)),
    };
    if cur.as_deref() == Some(rec.sha256_before.as_str()) {
        if let Some(r) = record_mut(store, id) {
            r.state = BackupState::Restored;
            r.restored_at = Some(fsutil::now_rfc3339());
            r.temp = None;
        }
        if let Err(e) = store.save() {
            return UndoOutcome::Failed(e);
        }
        let _ = store.drop_object_if_unused(&rec.object);
        return UndoOutcome::AlreadyOriginal;
    }
    let changed = cur.is_none() || cur != rec.sha256_after;
    if changed && !opts.force {
        return UndoOutcome::ChangedSinceFix {
            missing: cur.is_none(),
        };
    }
    if !holders.is_empty() && !opts.force {
        return UndoOutcome::InUse(holders.to_vec());
    }
    match store.object_intact(&rec.object, &rec.sha256_before) {
        Ok(true) => {}
        Ok(false) => {
            return UndoOutcome::Failed(FixError::BackupDamaged {
                path: path.to_path_buf(),
                object: store.object_path(&rec.object),
            });
        }
        Err(e) => return UndoOutcome::Failed(e),
    }
    let temp = temp_path_for(path, &format!("undo-{id}"));
    let mut renamed = false;
    let mut replaced_rel: Option<String> = None;
    let r = undo_steps(
        store,
        &rec,
        path,
        &temp,
        changed && cur.is_some(),
        &mut replaced_rel,
        &mut renamed,
    );
    match r {
        Ok(()) => UndoOutcome::Restored {
            sha256: rec.sha256_before.clone(),
            replaced: replaced_rel.map(|r| store.object_path(&r)),
        },
        Err(e) => {
            if renamed {
                if let Some(r) = record_mut(store, id) {
                    r.state = BackupState::Restored;
                    r.temp = None;
                    r.restored_at = Some(fsutil::now_rfc3339());
                }
                let _ = store.save();
            } else {
                let _ = remove_if_exists(&temp);
                if let Some(r) = record_mut(store, id) {
                    r.state = rec.state;
                    r.temp = None;
                    r.replaced_object = rec.replaced_object.clone();
                }
                if store.save().is_ok()
                    && let Some(rel) = &replaced_rel
                {
                    let _ = store.drop_object_if_unused(rel);
                }
            }
            UndoOutcome::Failed(e)
        }
    }
}

fn undo_steps(
    store: &mut Store,
    rec: &BackupRecord,
    path: &Path,
    temp: &Path,
    save_current: bool,
    replaced_rel: &mut Option<String>,
    renamed: &mut bool,
) -> Result<(), FixError> {
    if path.exists() {
        fsutil::check_replaceable(path).map_err(io_err(path))?;
    }
    if save_current {
        let mut f = File::open(path).map_err(io_err(path))?;
        let (rel, _, _) = store.put_object(&mut f, &format!("replaced-{}", rec.id))?;
        *replaced_rel = Some(rel);
    }
    if let Some(r) = record_mut(store, &rec.id) {
        r.state = BackupState::Restoring;
        r.temp = Some(segment(temp));
        if replaced_rel.is_some() {
            r.replaced_object.clone_from(replaced_rel);
        }
    }
    store.save()?;
    store.fail(FailPoint::UndoManifestRestoring)?;

    let object_path = store.object_path(&rec.object);
    let mut src = File::open(&object_path).map_err(io_err(&object_path))?;
    let tf = fsutil::create_new(temp).map_err(io_err(temp))?;
    let mut hw = fsutil::HashingWriter::new(BufWriter::with_capacity(256 * 1024, tf));
    io::copy(&mut src, &mut hw).map_err(io_err(temp))?;
    let (bw, sha, _) = hw.finish();
    let tf = bw.into_inner().map_err(|e| io_err(temp)(e.into_error()))?;
    // The token `verified` is what the rename below requires (see `verify`).
    let Some(verified) = verify::restored_copy(temp, &sha, &rec.sha256_before) else {
        return Err(FixError::BackupDamaged {
            path: path.to_path_buf(),
            object: object_path,
        });
    };
    store.fail(FailPoint::UndoTempWritten)?;
    let recorded = Meta {
        mode: rec.mode,
        uid: rec.uid,
        gid: rec.gid,
        mtime_unix_ns: rec.mtime_unix_ns,
    };
    let current = std::fs::symlink_metadata(path).ok().map(|m| Meta::of(&m));
    let _ = recorded
        .no_wider_than(current)
        .apply(&tf)
        .map_err(io_err(temp))?;
    tf.sync_all().map_err(io_err(temp))?;
    drop(tf);
    store.fail(FailPoint::UndoTempSynced)?;
    verified.rename_over(path).map_err(io_err(path))?;
    *renamed = true;
    store.fail(FailPoint::UndoRenamed)?;
    let dir = fsutil::parent_dir(path);
    sync_dir(&dir).map_err(io_err(&dir))?;
    store.fail(FailPoint::UndoDirSynced)?;
    if let Some(r) = record_mut(store, &rec.id) {
        r.state = BackupState::Restored;
        r.temp = None;
        r.restored_at = Some(fsutil::now_rfc3339());
    }
    store.save()?;
    store.fail(FailPoint::UndoManifestRestored)?;
    store.drop_object_if_unused(&rec.object)?;
    store.fail(FailPoint::UndoObjectRemoved)?;
    Ok(())
}

/// The state of a backup folder, checked without changing it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Audit {
    /// All records.
    pub records: Vec<BackupRecord>,
    /// Records that still need their saved original (pending, applied, restoring) and whose
    /// saved original is present with the recorded SHA-256.
    pub intact: usize,
    /// Records that need their saved original but it is missing or damaged.
    pub damaged: Vec<String>,
}

/// Reads a backup folder's manifest and checks every saved original that a record still
/// needs. Takes no lock and changes nothing.
///
/// # Errors
/// When the manifest cannot be read.
pub fn audit(backup_dir: &Path) -> Result<Audit, FixError> {
    let mp = backup_dir.join(store::MANIFEST_FILE);
    let bytes = match std::fs::read(&mp) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Audit::default()),
        Err(e) => return Err(io_err(&mp)(e)),
    };
    let m = praxcheck_model::backup::BackupManifest::from_json(&bytes)
        .map_err(|source| FixError::Manifest { path: mp, source })?;
    store::check_manifest(backup_dir, &m)?;
    let mut a = Audit::default();
    for r in &m.records {
        if r.state == BackupState::Restored {
            continue;
        }
        let p = backup_dir.join(&r.object);
        if sha256_if_exists(&p).ok().flatten().as_deref() == Some(r.sha256_before.as_str()) {
            a.intact += 1;
        } else {
            a.damaged
                .push(format!("{} ({})", r.path.display(), p.display()));
        }
    }
    a.records = m.records;
    Ok(a)
}
