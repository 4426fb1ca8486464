//! The log collector: finds traces of Log4Shell attempts in logs.
//!
//! For every file below the given roots it undoes compression (gzip, zstd, bzip2, xz, by
//! content, so rotated names like `app.log.2.gz` or `catalina.out.1` need no rules), opens
//! `.zip` archives of logs, reads any text encoding (UTF-8, Latin-1/Windows-1252, UTF-16
//! with or without byte order mark), skips binary files with the reason, and streams the
//! text through [`stream::scan_stream`]: a multi-pattern search for the rare anchors (`${`,
//! `%24`, `\u0024`, `\044`, …) and the signs that a lookup ran, with the [`decode`]r run on a
//! bounded window around each anchor.
//!
//! It records facts ([`LogEvidence`] with the evidence level, [`LogSource`] per root) and
//! never judges: the assessment turns the level into a severity. It keeps the decoded
//! payload, never the log line. It never writes to the scanned locations and does no
//! network I/O.

pub mod decode;
pub mod discover;
pub mod input;
pub mod lineinfo;
pub mod stream;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use praxcheck_model::{
    Location, LogEvidence, LogSource, LogSourceOrigin, LogSummary, ScanStats, Unreadable,
    UnreadableReason,
};

pub use discover::{discover_roots, roots_near_components, roots_near_components_below};
pub use input::FileOutcome;

/// Bounds against decompression bombs and hostile compressed files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Decompressed bytes always allowed per file, whatever the ratio.
    pub min_decompressed: u64,
    /// Largest ratio of decompressed to compressed bytes beyond [`Self::min_decompressed`]
    /// (real logs compress up to a few hundred to one; bombs by thousands).
    pub max_ratio: u64,
    /// Most decompressed bytes per file.
    pub max_decompressed: u64,
    /// Largest zstd window (log2); zstd's own default limit is 27 (128 MiB).
    pub zstd_window_log_max: u32,
    /// Memory limit of the xz decoder, bytes.
    pub xz_memlimit: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            min_decompressed: 1 << 30,
            max_ratio: 5000,
            max_decompressed: 256 << 30,
            zstd_window_log_max: 27,
            xz_memlimit: 256 << 20,
        }
    }
}

/// Scan settings.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Bounds per file.
    pub limits: Limits,
    /// Files and folders to leave out.
    pub exclude: Vec<PathBuf>,
    /// Folders not to enter (pseudo and network file systems, as decided by the caller).
    pub skip_dirs: Vec<PathBuf>,
}

/// A file or folder to read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    /// The path.
    pub path: PathBuf,
    /// Why it is read.
    pub origin: LogSourceOrigin,
}

impl Root {
    /// A root named by the user.
    #[must_use]
    pub fn given(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            origin: LogSourceOrigin::Given,
        }
    }
}

/// What the log collector found.
#[derive(Debug, Default)]
pub struct LogScan {
    /// A sample of the traces found (at most [`praxcheck_model::MAX_LOG_SAMPLE`]), in file
    /// and line order.
    pub evidence: Vec<LogEvidence>,
    /// Counts over every trace found.
    pub summary: LogSummary,
    /// One entry per root that could be read.
    pub sources: Vec<LogSource>,
    /// What could not be read (binary files with the reason, too).
    pub unreadable: Vec<Unreadable>,
    /// Counters.
    pub stats: ScanStats,
    /// How many roots could be read at all.
    pub readable_roots: usize,
}

impl praxcheck_model::Collect for LogScan {
    const ID: praxcheck_model::CollectorId = praxcheck_model::CollectorId::Logs;

    fn into_contribution(self) -> praxcheck_model::Contribution {
        praxcheck_model::Contribution {
            collector: Self::ID,
            inventory: praxcheck_model::Inventory {
                log_evidence: self.evidence,
                log_summary: (!self.summary.is_empty()).then_some(self.summary),
                log_sources: self.sources,
                ..praxcheck_model::Inventory::default()
            },
            unreadable: self.unreadable,
            stats: self.stats,
            coverage: praxcheck_model::CollectorCoverage {
                readable_roots: self.readable_roots,
                skipped_mounts: Vec::new(),
            },
        }
    }
}

/// Scans the given files and folders (each a [`LogSourceOrigin::Given`] root).
#[must_use]
pub fn scan_paths(paths: &[PathBuf], opts: &Options) -> LogScan {
    let roots: Vec<Root> = paths.iter().map(Root::given).collect();
    scan_roots(&roots, opts)
}

fn io_unreadable(path: &Path, e: &std::io::Error) -> Unreadable {
    Unreadable {
        location: Location::file(path),
        reason: match e.kind() {
            std::io::ErrorKind::NotFound => UnreadableReason::NotFound,
            _ => input::reason_of(e),
        },
        detail: e.to_string(),
    }
}

/// Which file `path` is (device and inode; volume and file index on Windows; `(0, 0)`
/// when unknown): see [`praxcheck_sys::file_identity`].
fn identity(path: &Path, md: &std::fs::Metadata) -> (u64, u64) {
    praxcheck_sys::file_identity(path, md)
}

struct Candidate {
    path: PathBuf,
    root: usize,
    size: u64,
}

/// What the files read so far gave, bounded (see [`Acc::add`]).
struct Acc {
    /// Files scanned, skipped and bytes, per root.
    per_root: Vec<(u64, u64, u64)>,
    evidence: Vec<LogEvidence>,
    unreadable: Vec<Unreadable>,
    summary: LogSummary,
}

impl Acc {
    fn new(roots: usize) -> Self {
        Self {
            per_root: vec![(0, 0, 0); roots],
            evidence: Vec::new(),
            unreadable: Vec::new(),
            summary: LogSummary::default(),
        }
    }

    fn add(&mut self, root: usize, fo: FileOutcome) {
        let FileOutcome {
            mut evidence,
            summary,
            mut unreadable,
            unreadable_unlisted: _,
            files_scanned,
            files_skipped,
            bytes_scanned,
        } = fo;
        let r = &mut self.per_root[root];
        r.0 += files_scanned;
        r.1 += files_skipped;
        r.2 += bytes_scanned;
        self.evidence.append(&mut evidence);
        self.unreadable.append(&mut unreadable);
        self.summary.merge(summary);
        if self.evidence.len() > 2 * praxcheck_model::MAX_LOG_SAMPLE {
            praxcheck_model::collector::cap_log_sample(&mut self.evidence);
        }
    }

    fn join(mut self, other: Acc) -> Acc {
        for (a, b) in self.per_root.iter_mut().zip(&other.per_root) {
            a.0 += b.0;
            a.1 += b.1;
            a.2 += b.2;
        }
        let Acc {
            mut evidence,
            mut unreadable,
            summary,
            ..
        } = other;
        self.evidence.append(&mut evidence);
        self.unreadable.append(&mut unreadable);
        self.summary.merge(summary);
        if self.evidence.len() > 2 * praxcheck_model::MAX_LOG_SAMPLE {
            praxcheck_model::collector::cap_log_sample(&mut self.evidence);
        }
        self
    }
}

/// Scans the given roots. Files reached from several roots are read once, for the most
/// specific root.
#[must_use]
pub fn scan_roots(roots: &[Root], opts: &Options) -> LogScan {
    let mut out = LogScan::default();
    let mut seen: HashSet<(u64, u64)> = HashSet::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut readable = vec![false; roots.len()];
    // Most specific roots first, so that a folder inside another root is attributed to it.
    let mut order: Vec<usize> = (0..roots.len()).collect();
    order.sort_by_key(|i| std::cmp::Reverse(roots[*i].path.components().count()));
    let root_dirs: Vec<PathBuf> = roots.iter().map(|r| r.path.clone()).collect();
    for &ri in &order {
        let root = &roots[ri];
        let md = match std::fs::metadata(&root.path) {
            Ok(m) => m,
            Err(e) => {
                out.unreadable.push(io_unreadable(&root.path, &e));
                continue;
            }
        };
        if md.is_file() {
            readable[ri] = true;
            out.stats.files_seen += 1;
            let id = identity(&root.path, &md);
            if id != (0, 0) && !seen.insert(id) {
                out.stats.duplicates_skipped += 1;
                continue;
            }
            candidates.push(Candidate {
                path: root.path.clone(),
                root: ri,
                size: md.len(),
            });
            continue;
        }
        if !md.is_dir() {
            out.unreadable.push(Unreadable {
                location: Location::file(&root.path),
                reason: UnreadableReason::Io,
                detail: "not a regular file or folder".to_owned(),
            });
            continue;
        }
        readable[ri] = true;
        let walker = walkdir::WalkDir::new(&root.path)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let p = e.path();
                if e.depth() == 0 {
                    return true;
                }
                if opts.exclude.iter().any(|x| p.starts_with(x)) {
                    return false;
                }
                if e.file_type().is_dir()
                    && (opts.skip_dirs.iter().any(|s| p == s)
                        || root_dirs.iter().any(|r| r.as_path() == p))
                {
                    return false;
                }
                true
            });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e
                        .path()
                        .map_or_else(|| root.path.clone(), Path::to_path_buf);
                    let (reason, detail) = match e.io_error() {
                        Some(io) => (input::reason_of(io), io.to_string()),
                        None => (UnreadableReason::SymlinkLoop, e.to_string()),
                    };
                    if reason == UnreadableReason::PermissionDenied {
                        out.stats.dirs_denied += 1;
                    }
                    out.unreadable.push(Unreadable {
                        location: Location::file(&path),
                        reason,
                        detail,
                    });
                    continue;
                }
            };
            let ft = entry.file_type();
            if ft.is_dir() {
                out.stats.dirs_seen += 1;
                continue;
            }
            if !ft.is_file() {
                continue;
            }
            out.stats.files_seen += 1;
            let md = match entry.metadata() {
                Ok(m) => m,
                Err(e) => {
                    out.unreadable.push(Unreadable {
                        location: Location::file(entry.path()),
                        reason: e.io_error().map_or(UnreadableReason::Io, input::reason_of),
                        detail: e.to_string(),
                    });
                    continue;
                }
            };
            let id = identity(entry.path(), &md);
            if id != (0, 0) && !seen.insert(id) {
                out.stats.duplicates_skipped += 1;
                continue;
            }
            candidates.push(Candidate {
                path: entry.into_path(),
                root: ri,
                size: md.len(),
            });
        }
    }
    // Largest first keeps both cores busy to the end.
    candidates.sort_by_key(|c| std::cmp::Reverse(c.size));
    // Folded as the files finish, so that memory holds one bounded sample and summary per
    // worker, never one per file.
    let acc = candidates
        .par_iter()
        .fold(
            || Acc::new(roots.len()),
            |mut acc, c| {
                let mut fo = FileOutcome::default();
                input::scan_file(&c.path, &Location::file(&c.path), &opts.limits, &mut fo);
                acc.add(c.root, fo);
                acc
            },
        )
        .reduce(|| Acc::new(roots.len()), Acc::join);
    let mut sources: Vec<LogSource> = roots
        .iter()
        .map(|r| LogSource {
            location: Location::file(&r.path),
            origin: r.origin,
            files_scanned: 0,
            files_skipped: 0,
            bytes_scanned: 0,
        })
        .collect();
    for (s, (scanned, skipped, bytes)) in sources.iter_mut().zip(&acc.per_root) {
        s.files_scanned = *scanned;
        s.files_skipped = *skipped;
        s.bytes_scanned = *bytes;
        out.stats.bytes_read += *bytes;
    }
    out.evidence = acc.evidence;
    out.unreadable.extend(acc.unreadable);
    out.summary = acc.summary;
    praxcheck_model::collector::cap_log_sample(&mut out.evidence);
    out.readable_roots = readable.iter().filter(|r| **r).count();
    out.sources = sources
        .into_iter()
        .zip(readable)
        .filter(|(_, r)| *r)
        .map(|(s, _)| s)
        .collect();
    // Stable: traces on one line stay in the order they appear.
    out.evidence
        .sort_by(|a, b| (&a.location.display, a.line).cmp(&(&b.location.display, b.line)));
    out.unreadable.sort();
    out.unreadable.dedup();
    out
}

/// Scans one stream of log text or compressed log data (for callers that hold the bytes
/// already, and for tests). `location` names it in the evidence.
#[must_use]
pub fn scan_reader<R: std::io::Read>(
    reader: R,
    location: &Location,
    limits: &Limits,
) -> FileOutcome {
    let mut fo = FileOutcome::default();
    input::scan_reader(Box::new(reader), location, limits, &mut fo, 0);
    fo.close(location);
    fo
}
