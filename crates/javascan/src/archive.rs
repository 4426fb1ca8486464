//! Reading one archive and everything nested in it.
//!
//! Only the central directory and the entries that matter are read: Maven metadata, the
//! manifest, notable classes and nested archives. A STORED nested archive is read in place
//! (a byte range of its parent); a DEFLATED one in one forward pass over its inflated bytes
//! (`crate::stream`) when it can, else, like any other, inflated into a bounded spool.
//! Every limit that cuts a scan short names the entry and the reason in `unreadable`.

use std::io::Read;

use praxcheck_model::{Location, PathSegment, ScanStats, Unreadable, UnreadableReason};

use crate::Limits;
use crate::inspect::{Container, analyze_class, parse_manifest, parse_pom, pom_path};
use crate::placement::classify;
use crate::source::{Source, Spool, SpoolFull};
use crate::specs::match_entry;
use crate::stream::{Stop, Visit, Want};
use crate::zipdir::{self, EntryRef};

/// File extensions of Java archives (lower case).
pub const ARCHIVE_EXTENSIONS: &[&str] = &[
    "jar", "war", "ear", "zip", "aar", "jmod", "rar", "nar", "sar", "par", "jpi", "hpi",
];

/// Suffixes people append to an archive they set aside (`app.jar.bak`); such files are
/// scanned too, because they can be put back.
const SET_ASIDE_SUFFIXES: &[&str] = &[
    "bak", "old", "orig", "backup", "save", "sav", "disabled", "off", "patched", "alt", "sic",
];

fn has_archive_ext(name: &[u8]) -> bool {
    let Some(dot) = name.iter().rposition(|&b| b == b'.') else {
        return false;
    };
    let ext = &name[dot + 1..];
    // A name like `META-INF/services/x.Registrar` ends in "ar" but is no archive.
    if dot == 0 || name.get(dot - 1) == Some(&b'/') {
        return false;
    }
    ARCHIVE_EXTENSIONS
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e.as_bytes()))
}

/// The name without a set-aside suffix (`app.jar.bak` → `app.jar`, `x.jar.1` → `x.jar`)
/// when what remains is an archive name; otherwise the name as it is.
#[must_use]
pub fn strip_set_aside(name: &[u8]) -> &[u8] {
    let Some(dot) = name.iter().rposition(|&b| b == b'.') else {
        return name;
    };
    let suffix = &name[dot + 1..];
    let set_aside = SET_ASIDE_SUFFIXES
        .iter()
        .any(|s| suffix.eq_ignore_ascii_case(s.as_bytes()))
        || (!suffix.is_empty() && suffix.len() <= 3 && suffix.iter().all(u8::is_ascii_digit));
    if set_aside && has_archive_ext(&name[..dot]) {
        &name[..dot]
    } else {
        name
    }
}

/// Whether a name ends with an archive extension (`.jar`, `.war`, …), possibly followed by
/// a set-aside suffix (`.jar.bak`, `.war.old`, `.jar.1`).
#[must_use]
pub fn is_archive_name(name: &[u8]) -> bool {
    has_archive_ext(strip_set_aside(name))
}

/// Where the results of deferred nested archives go: one entry per task, tagged with the
/// identity of the file on disk they belong to.
pub(crate) type Sink =
    std::sync::Mutex<Vec<((u64, u64), Vec<Container>, Vec<Unreadable>, ScanStats)>>;

/// Nested archives at least this large (compressed) are scanned as tasks of their own, so
/// that the inflation of a few big nested jars spreads over all cores instead of queueing
/// behind the file that contains them.
const DEFER_AT: u64 = 4 << 20;

/// State of the scan of one file on disk (or one deferred nested archive of it).
pub(crate) struct FileScan<'a, 'scope> {
    pub limits: &'scope Limits,
    /// Bytes that may still be inflated for this file, shared by all its tasks (bomb guard).
    pub budget: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Nested archives that may still be opened for this file, shared by all its tasks.
    pub nested_left: std::sync::Arc<std::sync::atomic::AtomicU64>,
    pub stats: ScanStats,
    pub unreadable: Vec<Unreadable>,
    pub containers: Vec<Container>,
    /// Bytes this task took from `budget`.
    pub spent: u64,
    /// Where big nested archives may be handed off as parallel tasks, and where their
    /// results go; `None` scans everything in this task.
    pub defer: Option<(&'a rayon::Scope<'scope>, &'scope Sink, (u64, u64))>,
}

impl<'scope> FileScan<'_, 'scope> {
    pub(crate) fn new(limits: &'scope Limits) -> Self {
        Self {
            limits,
            budget: std::sync::Arc::new(std::sync::atomic::AtomicU64::new(
                limits.max_inflate_per_file,
            )),
            nested_left: std::sync::Arc::new(std::sync::atomic::AtomicU64::new(
                limits.max_nested_per_file,
            )),
            stats: ScanStats::default(),
            unreadable: Vec::new(),
            containers: Vec::new(),
            spent: 0,
            defer: None,
        }
    }
}

enum Wanted {
    Pom(String, String),
    Manifest,
    Class(crate::specs::SpecMatch),
    Nested,
}

/// Whether an entry matters, and as what (by its name; folders are left out before).
fn wanted_entry(name: &[u8]) -> Option<Wanted> {
    if name == b"META-INF/MANIFEST.MF" {
        Some(Wanted::Manifest)
    } else if let Some((g, a)) = pom_path(name) {
        Some(Wanted::Pom(g, a))
    } else if let Some(m) = match_entry(name) {
        Some(Wanted::Class(m))
    } else if is_archive_name(name) {
        Some(Wanted::Nested)
    } else {
        None
    }
}

/// The forward pass over a DEFLATED nested archive ([`crate::stream`]): what it reads
/// goes into one container; nested archives inside make it give up.
struct Streamed<'s, 'a, 'scope> {
    scan: &'s mut FileScan<'a, 'scope>,
    container: Container,
}

impl Visit for Streamed<'_, '_, '_> {
    fn want(&mut self, name: &[u8]) -> Want {
        match wanted_entry(name) {
            None => Want::Skip,
            Some(Wanted::Nested) => Want::GiveUp,
            // Compressed bytes kept for a data-descriptor entry: deflate never grows data
            // by more than 5 bytes per 16 KiB block, so more than this is over the limit.
            Some(w) => {
                let limit = self.scan.limit_for(&w);
                Want::Read(limit + limit / 1024 + 64)
            }
        }
    }

    fn read(&mut self, e: &EntryRef, raw: &mut dyn Read) {
        let Some(w) = wanted_entry(&e.name) else {
            return;
        };
        let limit = self.scan.limit_for(&w);
        let res = self.scan.read_small_budgeted(e, limit, |lim| {
            zipdir::check_declared(e, lim)?;
            zipdir::read_small_from(zipdir::decoder(raw, e)?, e, lim)
        });
        let entry_loc = self
            .container
            .location
            .child(PathSegment::from_bytes(&e.name));
        let path = String::from_utf8_lossy(&e.name).into_owned();
        self.scan
            .take_small(&mut self.container, &entry_loc, &path, w, res);
    }
}

fn io_to_reason(e: &std::io::Error) -> (UnreadableReason, String) {
    if e.get_ref().is_some_and(|inner| inner.is::<SpoolFull>()) {
        return (
            UnreadableReason::SizeLimit,
            "size limit reached while inflating".to_owned(),
        );
    }
    zipdir::io_problem(e)
}

impl FileScan<'_, '_> {
    fn skip(&mut self, location: Location, reason: UnreadableReason, detail: impl Into<String>) {
        self.unreadable.push(Unreadable {
            location,
            reason,
            detail: detail.into(),
        });
    }

    /// Scans an archive. `ancestors` holds (crc, size) of the nested archives above it, to
    /// recognise archives that contain themselves.
    pub(crate) fn archive(
        &mut self,
        src: &Source,
        loc: &Location,
        file_name: Option<String>,
        depth: usize,
        ancestors: &mut Vec<(u32, u64)>,
    ) {
        let dir = match zipdir::read_directory(src, self.limits.max_central_directory) {
            Ok(d) => d,
            Err((reason, detail)) => {
                self.skip(loc.clone(), reason, detail);
                return;
            }
        };
        self.stats.archives_opened += 1;

        // 1. List: keep only the entries that matter.
        let mut wanted: Vec<(EntryRef, Wanted)> = Vec::new();
        let listed = dir.for_each(|e| {
            if e.is_dir() {
                return;
            }
            if let Some(w) = wanted_entry(e.name) {
                wanted.push((EntryRef::from(e), w));
            }
        });
        match listed {
            Ok(n) => self.stats.entries_listed += n as u64,
            Err((reason, detail)) => self.skip(loc.clone(), reason, detail),
        }

        // 2. Read the small entries that describe this archive.
        let mut container = Container::new(loc.clone(), file_name, classify(loc));
        let mut nested: Vec<EntryRef> = Vec::new();
        for (e, w) in wanted {
            let entry_loc = loc.child(PathSegment::from_bytes(&e.name));
            let path = String::from_utf8_lossy(&e.name).into_owned();
            let limit = match w {
                Wanted::Nested => {
                    nested.push(e);
                    continue;
                }
                _ => self.limit_for(&w),
            };
            let res = self.read_small_budgeted(&e, limit, |lim| zipdir::read_small(src, &e, lim));
            self.take_small(&mut container, &entry_loc, &path, w, res);
        }
        self.containers.push(container);

        // 3. Descend into nested archives. Two directory records whose data overlap are never
        // legitimate; stacked on each other they would multiply the work with every level.
        // Ranges taken so far, by start; they never overlap each other, so the one with the
        // greatest start before a new range's end is the only one that can overlap it.
        let mut taken: std::collections::BTreeMap<u64, u64> = std::collections::BTreeMap::new();
        for e in nested {
            let entry_loc = loc.child(PathSegment::from_bytes(&e.name));
            if depth + 1 > self.limits.max_depth {
                self.skip(
                    entry_loc,
                    UnreadableReason::DepthLimit,
                    format!(
                        "nested deeper than {} archive levels",
                        self.limits.max_depth
                    ),
                );
                continue;
            }
            let key = (e.crc, e.size);
            if e.size > 0 && ancestors.contains(&key) {
                self.skip(
                    entry_loc,
                    UnreadableReason::Recursive,
                    "the archive contains a copy of an archive it is nested in (zip quine)",
                );
                continue;
            }
            if e.flags & 1 != 0 {
                self.skip(
                    entry_loc,
                    UnreadableReason::Encrypted,
                    "the nested archive is encrypted",
                );
                continue;
            }
            if e.size > self.limits.max_nested_size {
                self.skip(
                    entry_loc,
                    UnreadableReason::SizeLimit,
                    format!(
                        "nested archive of {} bytes exceeds the limit of {} bytes",
                        e.size, self.limits.max_nested_size
                    ),
                );
                continue;
            }
            let range = match zipdir::data_start(src, &e) {
                Ok(start) => (e.local_offset, start + e.compressed),
                Err((reason, detail)) => {
                    self.skip(entry_loc, reason, detail);
                    continue;
                }
            };
            if taken
                .range(..range.1)
                .next_back()
                .is_some_and(|(_, end)| *end > range.0)
            {
                self.skip(
                    entry_loc,
                    UnreadableReason::Corrupt,
                    "its data overlaps another entry of the same archive",
                );
                continue;
            }
            taken.insert(range.0, range.1);
            let left = self.nested_left.fetch_update(
                std::sync::atomic::Ordering::Relaxed,
                std::sync::atomic::Ordering::Relaxed,
                |n| n.checked_sub(1),
            );
            if left.is_err() {
                self.skip(
                    entry_loc,
                    UnreadableReason::SizeLimit,
                    format!(
                        "more than {} nested archives in this file",
                        self.limits.max_nested_per_file
                    ),
                );
                continue;
            }
            if e.compressed >= DEFER_AT
                && let Some((scope, sink, identity)) = self.defer
            {
                let limits = self.limits;
                let budget = std::sync::Arc::clone(&self.budget);
                let nested_left = std::sync::Arc::clone(&self.nested_left);
                let src = src.clone();
                let mut ancestors = ancestors.clone();
                scope.spawn(move |scope| {
                    let mut fs = FileScan {
                        limits,
                        budget,
                        nested_left,
                        stats: ScanStats::default(),
                        unreadable: Vec::new(),
                        containers: Vec::new(),
                        spent: 0,
                        defer: Some((scope, sink, identity)),
                    };
                    fs.nested(&src, &e, &entry_loc, depth, &mut ancestors);
                    if let Ok(mut v) = sink.lock() {
                        v.push((identity, fs.containers, fs.unreadable, fs.stats));
                    }
                });
                continue;
            }
            self.nested(src, &e, &entry_loc, depth, ancestors);
        }
    }

    /// Opens one nested archive (in place when STORED, inflated otherwise) and scans it.
    fn nested(
        &mut self,
        src: &Source,
        e: &EntryRef,
        entry_loc: &Location,
        depth: usize,
        ancestors: &mut Vec<(u32, u64)>,
    ) {
        let key = (e.crc, e.size);
        {
            let name = String::from_utf8_lossy(&e.name);
            let file_name = name.rsplit('/').next().map(str::to_owned);
            let child = if e.method == 0 {
                // STORED: read in place, no copy.
                zipdir::data_start(src, e).map(|start| src.slice(start, e.compressed))
            } else {
                // DEFLATED: in one forward pass when its layout allows, else spooled.
                match self.stream(src, e, entry_loc, file_name.clone()) {
                    Ok(()) => return,
                    Err(Some(problem)) => Err(problem),
                    Err(None) => self.inflate(src, e),
                }
            };
            let child = match child {
                Ok(c) => c,
                Err((reason, detail)) => {
                    self.skip(entry_loc.clone(), reason, detail);
                    return;
                }
            };
            ancestors.push(key);
            self.archive(&child, entry_loc, file_name, depth + 1, ancestors);
            ancestors.pop();
        }
    }

    /// Reads a small entry (class, manifest, Maven metadata); its inflated bytes count
    /// against the file's inflation budget like those of nested archives, so thousands of
    /// small entries in nested archives cannot inflate without bound.
    fn read_small_budgeted(
        &mut self,
        e: &EntryRef,
        limit: u64,
        read: impl FnOnce(u64) -> Result<Vec<u8>, (UnreadableReason, String)>,
    ) -> Result<Vec<u8>, (UnreadableReason, String)> {
        use std::sync::atomic::Ordering;
        let left = self.budget.load(Ordering::Relaxed);
        if e.size > left.min(limit) && e.size <= limit {
            return Err((
                UnreadableReason::SizeLimit,
                format!(
                    "the inflation budget of {} bytes for this file is used up",
                    self.limits.max_inflate_per_file
                ),
            ));
        }
        let res = read(limit.min(left));
        // What was inflated: the entry, or up to the limit when it inflated beyond it.
        let spent = match &res {
            Ok(b) => b.len() as u64,
            // Refused on its declared size: nothing was inflated.
            Err(_) if e.size > limit => 0,
            Err((UnreadableReason::SizeLimit, _)) => limit.min(left),
            Err(_) => e.size.min(limit).min(left),
        };
        self.charge(spent);
        res
    }

    /// Takes `n` inflated bytes from the file's budget.
    fn charge(&mut self, n: u64) {
        use std::sync::atomic::Ordering;
        self.spent += n;
        let _ = self
            .budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| {
                Some(b.saturating_sub(n))
            });
    }

    /// The size limit of an entry that is read whole.
    fn limit_for(&self, w: &Wanted) -> u64 {
        match w {
            Wanted::Class(_) => self.limits.max_class_size,
            Wanted::Manifest | Wanted::Pom(..) | Wanted::Nested => self.limits.max_metadata_size,
        }
    }

    /// Records what a small entry says in the container, or why it was not read.
    fn take_small(
        &mut self,
        container: &mut Container,
        entry_loc: &Location,
        path: &str,
        w: Wanted,
        res: Result<Vec<u8>, (UnreadableReason, String)>,
    ) {
        let bytes = match res {
            Ok(b) => {
                self.stats.bytes_read += b.len() as u64;
                b
            }
            Err((reason, detail)) => {
                // An oversize class is still there: record its presence (never its
                // absence) and say the entry was not read.
                if let (Wanted::Class(m), UnreadableReason::SizeLimit) = (&w, reason) {
                    container
                        .classes
                        .push(crate::inspect::presence_only(m, path));
                }
                self.skip(entry_loc.clone(), reason, detail);
                return;
            }
        };
        match w {
            Wanted::Manifest => container.manifest = Some(parse_manifest(&bytes)),
            Wanted::Pom(g, a) => container.poms.push(parse_pom(path, (g, a), &bytes)),
            Wanted::Class(m) => container.classes.push(analyze_class(&m, path, &bytes)),
            Wanted::Nested => {}
        }
    }

    /// Reads a DEFLATED nested archive in one forward pass ([`crate::stream`]). `Ok` when
    /// it was read; `Err(Some(problem))` when it cannot be read at all; `Err(None)` when
    /// the pass gave up and the archive must be read through its directory.
    fn stream(
        &mut self,
        src: &Source,
        e: &EntryRef,
        entry_loc: &Location,
        file_name: Option<String>,
    ) -> Result<(), Option<(UnreadableReason, String)>> {
        use std::sync::atomic::Ordering;
        let left = self.budget.load(Ordering::Relaxed);
        if left == 0 {
            return Err(None);
        }
        let r = zipdir::open(src, e).map_err(Some)?;
        let max = self.limits.max_nested_size.min(left);
        let max_directory = self.limits.max_central_directory;
        let (unreadable, stats, spent) = (self.unreadable.len(), self.stats.clone(), self.spent);
        let container = Container::new(entry_loc.clone(), file_name, classify(entry_loc));
        let mut v = Streamed {
            scan: self,
            container,
        };
        let res = crate::stream::forward_pass(r, max, max_directory, &mut v);
        let container = v.container;
        match res {
            Ok(passed) => {
                self.charge(passed.inflated);
                self.stats.bytes_read += passed.inflated;
                self.stats.archives_opened += 1;
                self.stats.entries_listed += passed.entries;
                self.containers.push(container);
                Ok(())
            }
            Err(stop) => {
                // Nothing of the pass stays: the entries it read are read again (or the
                // problem is reported once), and their bytes go back to the budget.
                self.unreadable.truncate(unreadable);
                self.stats = stats;
                let refund = self.spent - spent;
                self.spent = spent;
                let _ = self.budget.fetch_add(refund, Ordering::Relaxed);
                match stop {
                    Stop::GiveUp(_) => Err(None),
                    Stop::Problem(p) => Err(Some(p)),
                }
            }
        }
    }

    fn inflate(
        &mut self,
        src: &Source,
        e: &EntryRef,
    ) -> Result<Source, (UnreadableReason, String)> {
        use std::sync::atomic::Ordering;
        let left = self.budget.load(Ordering::Relaxed);
        if left == 0 {
            return Err((
                UnreadableReason::SizeLimit,
                format!(
                    "the inflation budget of {} bytes for this file is used up",
                    self.limits.max_inflate_per_file
                ),
            ));
        }
        let r = zipdir::open(src, e)?;
        let max = self.limits.max_nested_size.min(left);
        let mut spool = Spool::new(self.limits.spool_memory, max);
        let copied = std::io::copy(&mut r.take(max + 1), &mut spool);
        let written = spool.len();
        self.charge(written);
        self.stats.bytes_read += written;
        match copied {
            Ok(_) => spool.into_source().map_err(|err| io_to_reason(&err)),
            Err(err) => Err(io_to_reason(&err)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_names() {
        assert!(is_archive_name(b"lib/log4j-core-2.14.1.jar"));
        assert!(is_archive_name(b"APP.WAR"));
        assert!(is_archive_name(b"x.jmod"));
        assert!(!is_archive_name(b"META-INF/services/org.x.Registrar"));
        assert!(!is_archive_name(b"README"));
        assert!(!is_archive_name(b"a.jarx"));
        assert!(!is_archive_name(b"dir/.jar"));
        assert!(is_archive_name(b"log4j-core-2.14.0.jar.patched"));
        assert!(is_archive_name(b"app.war.bak"));
        assert!(is_archive_name(b"x.jar.1"));
        assert!(!is_archive_name(b"x.jar.sha1"));
        assert!(!is_archive_name(b"x.jar.asc"));
        assert!(!is_archive_name(b"x.bak"));
    }
}
