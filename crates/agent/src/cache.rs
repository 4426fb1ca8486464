//! The repeat-scan cache: the Java collector's facts per file on disk, so that a daily
//! rescan reads only what changed.
//!
//! * **Key**: path, device, inode, size, modification time and change time (nanoseconds),
//!   from one `stat`; for an archive also the CRC-32 of its end-of-central-directory record,
//!   read from the file's last 4 KiB — the only read of an unchanged file (its entries and
//!   directory are not read). A file whose key differs in any part is read again.
//! * **Facts only**: components, unreadable entries and counters; findings are always
//!   recomputed by the assessment from the facts, so a new advisory set judges cached facts
//!   afresh. Which processes hold an archive open is looked up on every run.
//! * **Versioned**: the header names the scanner build ([`SCANNER_ID`]: the version and a
//!   hash of the sources of the collector and the data model) and the limits; a different
//!   one discards the whole cache.
//! * **Bounded**: at most [`MAX_ENTRIES`] entries (files not seen longest go first) and
//!   [`MAX_CACHE_BYTES`] on disk; a larger file is ignored and rewritten.
//! * **Crash-safe**: written to a temporary file, synced and renamed over the old one; a
//!   damaged or foreign file is ignored (and replaced at the end of the run).
//! * Files whose reading hit a passing problem (permission, I/O error, changed while read)
//!   are not cached.

use std::collections::HashMap;
use std::io::{Read as _, Seek as _, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use praxcheck_javascan::{Candidate, FactCache, FileFacts, Limits};
use praxcheck_model::UnreadableReason;
use praxcheck_model::agent::{CACHE_FORMAT, CacheEntry, CacheFile};

use crate::AgentError;
use crate::install::{make_dir, write_atomic};

/// The scanner build the facts belong to.
pub const SCANNER_ID: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "+",
    env!("PRAXCHECK_SCANNER_HASH")
);

/// Most files the cache holds.
pub const MAX_ENTRIES: usize = 200_000;

/// Largest cache file read or written.
pub const MAX_CACHE_BYTES: u64 = 256 << 20;

/// The bytes read from the end of an archive to find its end record.
const TAIL: u64 = 4096;

/// The cache file below the state folder.
#[must_use]
pub fn cache_file(state_dir: &Path) -> PathBuf {
    state_dir.join("agent").join("cache").join("javascan.json")
}

/// The key parts of a file from `stat` (no read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stat {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

#[cfg(unix)]
fn stat(path: &Path) -> Option<Stat> {
    use std::os::unix::fs::MetadataExt as _;
    let m = std::fs::metadata(path).ok()?;
    m.is_file().then(|| Stat {
        dev: m.dev(),
        ino: m.ino(),
        size: m.size(),
        mtime: (m.mtime(), m.mtime_nsec()),
        ctime: (m.ctime(), m.ctime_nsec()),
    })
}

#[cfg(not(unix))]
fn stat(_path: &Path) -> Option<Stat> {
    // No inode and change time to key by: the cache is not used.
    None
}

/// CRC-32 of the end-of-central-directory record (signature to end of file, so the comment
/// is included), found in the last [`TAIL`] bytes; of the whole tail when no record is
/// there (a long comment or not a zip file), so the check still covers the end of the file.
fn eocd_crc(path: &Path, size: u64) -> Option<u32> {
    let mut f = std::fs::File::open(path).ok()?;
    let n = size.min(TAIL);
    f.seek(SeekFrom::Start(size - n)).ok()?;
    let mut buf = Vec::with_capacity(usize::try_from(n).ok()?);
    f.take(n).read_to_end(&mut buf).ok()?;
    let start = buf
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")
        .unwrap_or(0);
    Some(crc32fast::hash(&buf[start..]))
}

fn cacheable(f: &FileFacts) -> bool {
    !f.unreadable.iter().any(|u| {
        matches!(
            u.reason,
            UnreadableReason::PermissionDenied
                | UnreadableReason::Vanished
                | UnreadableReason::ChangedDuringScan
                | UnreadableReason::NotFound
                | UnreadableReason::Io
        )
    })
}

/// The cache of one scan: loaded at the start, saved at the end.
#[derive(Debug)]
pub struct ScanCache {
    path: PathBuf,
    limits: String,
    generation: u64,
    old: HashMap<String, CacheEntry>,
    new: Mutex<HashMap<String, CacheEntry>>,
    /// The key parts of files not found, taken before they are read.
    before: Mutex<HashMap<String, Stat>>,
    /// Why the stored cache could not be used, when it could not (for a note).
    pub discarded: Option<String>,
    hits: std::sync::atomic::AtomicU64,
    /// Files whose facts were read and stored in this scan.
    stored: std::sync::atomic::AtomicU64,
}

impl ScanCache {
    /// Loads the cache of the state folder for a scan with these limits. A missing,
    /// damaged, oversized or foreign cache starts empty (`discarded` says why).
    #[must_use]
    pub fn load(state_dir: &Path, limits: &Limits) -> Self {
        let path = cache_file(state_dir);
        let limits = format!("{limits:?}");
        let mut discarded = None;
        let mut generation = 0;
        let mut old = HashMap::new();
        match std::fs::metadata(&path) {
            Ok(m) if m.len() > MAX_CACHE_BYTES => {
                discarded = Some(format!(
                    "{}: larger than {MAX_CACHE_BYTES} bytes",
                    path.display()
                ));
            }
            Ok(_) => match std::fs::read(&path)
                .map_err(|e| e.to_string())
                .and_then(|b| serde_json::from_slice::<CacheFile>(&b).map_err(|e| e.to_string()))
            {
                Ok(c)
                    if c.format == CACHE_FORMAT
                        && c.scanner == SCANNER_ID
                        && c.limits == limits =>
                {
                    generation = c.generation;
                    old = c.entries.into_iter().map(|e| (e.path.clone(), e)).collect();
                }
                Ok(c) => {
                    discarded = Some(format!(
                        "{}: written by scanner {} (this is {SCANNER_ID}) or with other limits",
                        path.display(),
                        c.scanner
                    ));
                }
                Err(e) => discarded = Some(format!("{}: {e}", path.display())),
            },
            Err(_) => {}
        }
        Self {
            path,
            limits,
            generation: generation + 1,
            old,
            new: Mutex::new(HashMap::new()),
            before: Mutex::new(HashMap::new()),
            discarded,
            hits: std::sync::atomic::AtomicU64::new(0),
            stored: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Files whose facts were reused in this scan.
    #[must_use]
    pub fn hits(&self) -> u64 {
        self.hits.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Writes the cache: this scan's entries, then earlier ones not seen in it (newest
    /// first) up to [`MAX_ENTRIES`]. A scan that reused every stored entry and read no
    /// file writes nothing: the file would say the same (only the generation counters
    /// would move, and they order eviction, which keeps its order), and a daily run of an
    /// unchanged machine then costs no write and no `fsync`.
    ///
    /// # Errors
    /// The cache folder or file cannot be written.
    pub fn save(self) -> Result<(), AgentError> {
        let new = self.new.into_inner().unwrap_or_default();
        let stored = self.stored.load(std::sync::atomic::Ordering::Relaxed);
        if stored == 0
            && self.discarded.is_none()
            && !self.old.is_empty()
            && new.len() == self.old.len()
            && new.keys().all(|k| self.old.contains_key(k))
        {
            return Ok(());
        }
        let mut rest: Vec<CacheEntry> = self
            .old
            .into_iter()
            .filter(|(k, _)| !new.contains_key(k))
            .map(|(_, v)| v)
            .collect();
        rest.sort_by(|a, b| b.seen.cmp(&a.seen).then_with(|| a.path.cmp(&b.path)));
        let mut entries: Vec<CacheEntry> = new.into_values().collect();
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        entries.extend(rest);
        entries.truncate(MAX_ENTRIES);
        let file = CacheFile {
            format: CACHE_FORMAT,
            scanner: SCANNER_ID.to_owned(),
            limits: self.limits,
            generation: self.generation,
            entries,
        };
        let bytes = serde_json::to_vec(&file).map_err(|e| AgentError::Json {
            path: self.path.clone(),
            reason: e.to_string(),
        })?;
        if let Some(dir) = self.path.parent() {
            make_dir(dir, 0o700)?;
        }
        if bytes.len() as u64 > MAX_CACHE_BYTES {
            // Too big to keep: an empty cache rather than an unbounded one.
            let _ = std::fs::remove_file(&self.path);
            return Ok(());
        }
        write_atomic(&self.path, &bytes, 0o600)
    }

    fn key(c: &Candidate) -> Option<String> {
        c.path.to_str().map(str::to_owned)
    }
}

impl FactCache for ScanCache {
    fn lookup(&self, c: &Candidate) -> Option<FileFacts> {
        let key = Self::key(c)?;
        let s = stat(&c.path)?;
        if let Ok(mut m) = self.before.lock() {
            m.insert(key.clone(), s);
        }
        let e = self.old.get(&key)?;
        let same = s.dev == e.dev
            && s.ino == e.ino
            && s.size == e.size
            && s.mtime == e.mtime
            && s.ctime == e.ctime
            && (s.dev, s.ino) == c.identity;
        if !same || eocd_crc(&c.path, s.size) != e.eocd_crc {
            return None;
        }
        let mut kept = e.clone();
        kept.seen = self.generation;
        let facts = FileFacts {
            components: e.components.clone(),
            unreadable: e.unreadable.clone(),
            stats: e.stats.clone(),
        };
        if let Ok(mut m) = self.new.lock() {
            m.insert(key, kept);
        }
        self.hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Some(facts)
    }

    fn store(&self, c: &Candidate, facts: &FileFacts) {
        let Some(key) = Self::key(c) else { return };
        if !cacheable(facts) {
            return;
        }
        // The key parts before and after reading must agree: a file changed while it was
        // read is not cached (the collector reports it as changed).
        let Some(s) = stat(&c.path) else { return };
        let before = self.before.lock().ok().and_then(|m| m.get(&key).copied());
        if before != Some(s) || (s.dev, s.ino) != c.identity || s.size != c.size {
            return;
        }
        let entry = CacheEntry {
            path: key.clone(),
            dev: s.dev,
            ino: s.ino,
            size: s.size,
            mtime: s.mtime,
            ctime: s.ctime,
            eocd_crc: eocd_crc(&c.path, s.size),
            seen: self.generation,
            components: facts.components.clone(),
            unreadable: facts.unreadable.clone(),
            stats: facts.stats.clone(),
        };
        if let Ok(mut m) = self.new.lock() {
            m.insert(key, entry);
            self.stored
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }
}
