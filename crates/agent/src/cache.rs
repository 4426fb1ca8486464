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
//! * **Versioned**: the file starts with a magic number and the [`CACHE_FORMAT`]; the header
//!   names the scanner build ([`SCANNER_ID`]: the version and a hash of the sources of the
//!   collector and the data model) and the limits; a different one discards the whole cache.
//! * **Compact and cheap to load** (issue 15, the repeat scan ≥ 10× faster than the first):
//!   the keys are binary ([`postcard`]); each file's facts are a JSON blob of the data
//!   model's own serialization (the model's types skip empty fields, which only a
//!   self-describing format reads back). The file is read and decoded on a thread of its
//!   own while the walk runs; a repeat scan's save writes the blobs of reused entries back
//!   unchanged, and a scan that reused every entry writes nothing.
//! * **Bounded**: at most [`MAX_ENTRIES`] entries (files not seen longest go first) and
//!   [`MAX_CACHE_BYTES`] on disk; a larger file is ignored and rewritten.
//! * **Crash-safe**: written to a temporary file, synced and renamed over the old one; a
//!   damaged, truncated or foreign file (checked by a CRC-32 over the whole file) is ignored
//!   with the reason ([`ScanCache::discarded`]), every file is read again, and the cache is
//!   replaced at the end of the run.
//! * Files whose reading hit a passing problem (permission, I/O error, changed while read)
//!   are not cached.

use std::collections::HashMap;
use std::io::{Read as _, Seek as _, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread::JoinHandle;

use praxcheck_javascan::{Candidate, FactCache, FileFacts, Limits};
use praxcheck_model::{Component, ScanStats, Unreadable, UnreadableReason};
use serde::{Deserialize, Serialize};

use crate::AgentError;
use crate::install::{make_dir, write_atomic};

/// The scanner build the facts belong to.
pub const SCANNER_ID: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "+",
    env!("PRAXCHECK_SCANNER_HASH")
);

/// Format version of the cache file (1 was one JSON document, `javascan.json`).
pub const CACHE_FORMAT: u32 = 2;

/// The first bytes of a cache file.
const MAGIC: &[u8; 8] = b"PXCCACHE";

/// Most files the cache holds.
pub const MAX_ENTRIES: usize = 200_000;

/// Largest cache file read or written.
pub const MAX_CACHE_BYTES: u64 = 256 << 20;

/// The bytes read from the end of an archive to find its end record.
const TAIL: u64 = 4096;

/// The cache file below the state folder.
#[must_use]
pub fn cache_file(state_dir: &Path) -> PathBuf {
    state_dir.join("agent").join("cache").join("javascan.cache")
}

/// The cache file of format 1, removed when the cache is written.
fn legacy_cache_file(state_dir_cache: &Path) -> PathBuf {
    state_dir_cache.with_file_name("javascan.json")
}

/// The file after the magic number and the format: the header and the entries.
#[derive(Debug, Serialize, Deserialize)]
struct Body {
    /// The scanner build that produced the facts.
    scanner: String,
    /// The per-file limits the facts were read with.
    limits: String,
    /// The run counter of the last save.
    generation: u64,
    /// One entry per file.
    entries: Vec<Entry>,
}

/// The facts of one file and what must be equal for them to be reused.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// The path as the walk reached it.
    path: String,
    dev: u64,
    ino: u64,
    size: u64,
    /// Modification time: seconds and nanoseconds.
    mtime: (i64, i64),
    /// Status change time: seconds and nanoseconds.
    ctime: (i64, i64),
    /// CRC-32 of the archive's end-of-central-directory record (with its comment).
    eocd_crc: Option<u32>,
    /// The run in which the file was last seen.
    seen: u64,
    /// The facts as JSON ([`FactsRef`]).
    #[serde(with = "serde_bytes")]
    facts: Vec<u8>,
}

/// The facts of one file in the data model's JSON (written).
#[derive(Serialize)]
struct FactsRef<'a> {
    components: &'a [Component],
    unreadable: &'a [Unreadable],
    stats: &'a ScanStats,
}

/// The facts of one file in the data model's JSON (read).
#[derive(Deserialize)]
struct FactsOwned {
    components: Vec<Component>,
    unreadable: Vec<Unreadable>,
    stats: ScanStats,
}

fn encode_facts(f: &FileFacts) -> Option<Vec<u8>> {
    serde_json::to_vec(&FactsRef {
        components: &f.components,
        unreadable: &f.unreadable,
        stats: &f.stats,
    })
    .ok()
}

fn decode_facts(bytes: &[u8]) -> Option<FileFacts> {
    let f: FactsOwned = serde_json::from_slice(bytes).ok()?;
    Some(FileFacts {
        components: f.components,
        unreadable: f.unreadable,
        stats: f.stats,
    })
}

/// The bytes of a cache file: magic, format, body, CRC-32 of all before it.
fn encode_file(body: &Body) -> Result<Vec<u8>, String> {
    let size: usize = body.entries.iter().map(|e| e.facts.len() + 96).sum();
    let mut head = Vec::with_capacity(size + 64);
    head.extend_from_slice(MAGIC);
    head.extend_from_slice(&CACHE_FORMAT.to_le_bytes());
    let mut out = postcard::to_extend(body, head).map_err(|e| e.to_string())?;
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    Ok(out)
}

/// What kind of problem made a stored cache unusable (the user's note is worded from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscardKind {
    /// Damaged, truncated, or not a cache file.
    Damaged,
    /// Written by another scanner build or cache format, or with other limits.
    Foreign,
    /// Larger than [`MAX_CACHE_BYTES`].
    TooLarge,
    /// The file could not be read (permission, I/O error).
    Unreadable,
}

/// Why the stored cache was not used: the kind, the cache file and the technical detail
/// (English, for logs; people get a catalogue text chosen by the kind).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discard {
    /// The kind of problem.
    pub kind: DiscardKind,
    /// The cache file.
    pub path: PathBuf,
    /// `<file>: <reason>`, in English.
    pub text: String,
}

impl Discard {
    fn new(kind: DiscardKind, path: &Path, why: &str) -> Self {
        Self {
            kind,
            path: path.to_path_buf(),
            text: format!("{}: {why}", path.display()),
        }
    }
}

/// Why a cache file cannot be used.
#[derive(Debug)]
enum Refused {
    /// Damaged, truncated, or not a cache file.
    Damaged(String),
    /// Another format, scanner build or limits: valid, but not for this scan.
    Foreign(String),
}

fn decode_file(bytes: &[u8], limits: &str) -> Result<Body, Refused> {
    let head = MAGIC.len() + 4;
    if bytes.len() < head + 4 || !bytes.starts_with(MAGIC) {
        return Err(Refused::Damaged("not a praxcheck cache file".to_owned()));
    }
    let (data, crc) = bytes.split_at(bytes.len() - 4);
    let format = u32::from_le_bytes([
        bytes[MAGIC.len()],
        bytes[MAGIC.len() + 1],
        bytes[MAGIC.len() + 2],
        bytes[MAGIC.len() + 3],
    ]);
    if format != CACHE_FORMAT {
        return Err(Refused::Foreign(format!(
            "cache format {format} (this scanner writes {CACHE_FORMAT})"
        )));
    }
    if crc32fast::hash(data).to_le_bytes() != crc {
        return Err(Refused::Damaged(
            "checksum mismatch (damaged or truncated)".to_owned(),
        ));
    }
    let body: Body = postcard::from_bytes(&data[head..])
        .map_err(|e| Refused::Damaged(format!("unreadable: {e}")))?;
    if body.scanner != SCANNER_ID || body.limits != limits {
        return Err(Refused::Foreign(format!(
            "written by scanner {} (this is {SCANNER_ID}) or with other limits",
            body.scanner
        )));
    }
    Ok(body)
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

/// The facts of one stored entry.
#[derive(Debug)]
enum Facts {
    /// Not decoded yet.
    Pending,
    /// Decoded by the loader thread, not yet reused.
    Ready(FileFacts),
    /// Handed to the scan (or not decodable): a second lookup decodes the blob again.
    Taken,
}

/// One stored entry: its key and blob, its facts, and whether this scan reused it.
#[derive(Debug)]
struct Slot {
    entry: Entry,
    facts: Mutex<Facts>,
    reused: AtomicBool,
}

/// The stored cache as loaded.
#[derive(Debug, Default)]
struct Loaded {
    generation: u64,
    slots: HashMap<String, Slot>,
    /// Why the stored cache could not be used, when it could not.
    discarded: Option<Discard>,
}

/// Reads the cache file and decodes its keys (the facts stay blobs).
fn load_file(path: &Path, limits: &str) -> Loaded {
    let mut loaded = Loaded::default();
    let bytes = match std::fs::metadata(path) {
        Err(_) => return loaded,
        Ok(m) if m.len() > MAX_CACHE_BYTES => {
            loaded.discarded = Some(Discard::new(
                DiscardKind::TooLarge,
                path,
                &format!("larger than {MAX_CACHE_BYTES} bytes"),
            ));
            return loaded;
        }
        Ok(_) => match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                loaded.discarded =
                    Some(Discard::new(DiscardKind::Unreadable, path, &e.to_string()));
                return loaded;
            }
        },
    };
    match decode_file(&bytes, limits) {
        Ok(body) => {
            loaded.generation = body.generation;
            loaded.slots = body
                .entries
                .into_iter()
                .map(|entry| {
                    (
                        entry.path.clone(),
                        Slot {
                            entry,
                            facts: Mutex::new(Facts::Pending),
                            reused: AtomicBool::new(false),
                        },
                    )
                })
                .collect();
        }
        Err(Refused::Damaged(why)) => {
            loaded.discarded = Some(Discard::new(DiscardKind::Damaged, path, &why));
        }
        Err(Refused::Foreign(why)) => {
            loaded.discarded = Some(Discard::new(DiscardKind::Foreign, path, &why));
        }
    }
    loaded
}

/// What the loader thread and the scan share.
#[derive(Debug, Default)]
struct Shared {
    /// Set once the keys are decoded.
    loaded: OnceLock<Loaded>,
    /// The scan is done: the loader stops decoding facts.
    stop: AtomicBool,
}

/// The loader thread: decodes the keys and publishes them, then decodes the facts one
/// entry after the other until every entry is decoded or taken (the lookups, on the
/// scan's threads, decode an entry themselves when they come first). It uses no thread
/// pool: the lookups that wait for it run on the pool.
fn loader(shared: &Shared, path: &Path, limits: &str) {
    let loaded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| load_file(path, limits)))
        .unwrap_or_else(|_| Loaded {
            discarded: Some(Discard::new(
                DiscardKind::Damaged,
                path,
                "the cache could not be loaded",
            )),
            ..Loaded::default()
        });
    let _ = shared.loaded.set(loaded);
    let Some(loaded) = shared.loaded.get() else {
        return;
    };
    for slot in loaded.slots.values() {
        if shared.stop.load(Ordering::Relaxed) {
            return;
        }
        if let Ok(mut f) = slot.facts.lock()
            && matches!(*f, Facts::Pending)
        {
            // A blob that does not decode (only a changed model could do that, and the
            // scanner id covers the model) makes the lookup read the file.
            *f = decode_facts(&slot.entry.facts).map_or(Facts::Taken, Facts::Ready);
        }
    }
}

/// The cache of one scan: loaded at the start (on a thread of its own, while the walk
/// runs), saved at the end.
#[derive(Debug)]
pub struct ScanCache {
    path: PathBuf,
    limits: String,
    shared: std::sync::Arc<Shared>,
    thread: Mutex<Option<JoinHandle<()>>>,
    /// Entries of files read (not reused) in this scan.
    new: Mutex<HashMap<String, Entry>>,
    /// The key parts of files not found, taken before they are read.
    before: Mutex<HashMap<String, Stat>>,
    hits: AtomicU64,
}

impl ScanCache {
    /// Starts loading the cache of the state folder for a scan with these limits. A
    /// missing, damaged, oversized or foreign cache starts empty ([`ScanCache::discarded`]
    /// says why).
    #[must_use]
    pub fn load(state_dir: &Path, limits: &Limits) -> Self {
        let path = cache_file(state_dir);
        let limits = format!("{limits:?}");
        let shared = std::sync::Arc::new(Shared::default());
        let (s, p, l) = (shared.clone(), path.clone(), limits.clone());
        let thread = match std::thread::Builder::new()
            .name("praxcheck-cache".to_owned())
            .spawn(move || loader(&s, &p, &l))
        {
            Ok(h) => Some(h),
            Err(_) => {
                // No thread to spare: the keys are loaded here, the facts on lookup.
                let _ = shared.loaded.set(load_file(&path, &limits));
                None
            }
        };
        Self {
            path,
            limits,
            shared,
            thread: Mutex::new(thread),
            new: Mutex::new(HashMap::new()),
            before: Mutex::new(HashMap::new()),
            hits: AtomicU64::new(0),
        }
    }

    /// The stored cache (waits for the loader thread to decode the keys).
    fn loaded(&self) -> &Loaded {
        self.shared.loaded.wait()
    }

    /// Why the stored cache could not be used (damaged, truncated, oversized, or written
    /// by another scanner build or format or with other limits), when it could not.
    #[must_use]
    pub fn discarded(&self) -> Option<&str> {
        self.discard().map(|d| d.text.as_str())
    }

    /// The same as [`ScanCache::discarded`] with its kind, for a note in the user's
    /// language.
    #[must_use]
    pub fn discard(&self) -> Option<&Discard> {
        self.loaded().discarded.as_ref()
    }

    /// Files whose facts were reused in this scan.
    #[must_use]
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
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
        self.shared.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.thread.lock().ok().and_then(|mut t| t.take()) {
            let _ = h.join();
        }
        let new = self
            .new
            .lock()
            .map(|mut m| std::mem::take(&mut *m))
            .unwrap_or_default();
        let loaded = self.loaded();
        let reused = loaded
            .slots
            .values()
            .filter(|s| s.reused.load(Ordering::Relaxed))
            .count();
        if new.is_empty()
            && loaded.discarded.is_none()
            && !loaded.slots.is_empty()
            && reused == loaded.slots.len()
        {
            return Ok(());
        }
        let generation = loaded.generation + 1;
        let mut seen_now: Vec<Entry> = Vec::with_capacity(new.len() + reused);
        let mut rest: Vec<Entry> = Vec::new();
        for (key, slot) in &loaded.slots {
            if new.contains_key(key) {
                continue;
            }
            let mut e = slot.entry.clone();
            if slot.reused.load(Ordering::Relaxed) {
                e.seen = generation;
                seen_now.push(e);
            } else {
                rest.push(e);
            }
        }
        seen_now.extend(new.into_values().map(|mut e| {
            e.seen = generation;
            e
        }));
        seen_now.sort_by(|a, b| a.path.cmp(&b.path));
        rest.sort_by(|a, b| b.seen.cmp(&a.seen).then_with(|| a.path.cmp(&b.path)));
        let mut entries = seen_now;
        entries.extend(rest);
        entries.truncate(MAX_ENTRIES);
        let path = self.path.clone();
        let bytes = encode_file(&Body {
            scanner: SCANNER_ID.to_owned(),
            limits: self.limits.clone(),
            generation,
            entries,
        })
        .map_err(|reason| AgentError::Json {
            path: path.clone(),
            reason,
        })?;
        if let Some(dir) = path.parent() {
            make_dir(dir, 0o700)?;
        }
        // The JSON cache of format 1 is replaced by this one.
        let _ = std::fs::remove_file(legacy_cache_file(&path));
        if bytes.len() as u64 > MAX_CACHE_BYTES {
            // Too big to keep: an empty cache rather than an unbounded one.
            let _ = std::fs::remove_file(&path);
            return Ok(());
        }
        write_atomic(&path, &bytes, 0o600)
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
        let slot = self.loaded().slots.get(&key)?;
        let e = &slot.entry;
        let same = s.dev == e.dev
            && s.ino == e.ino
            && s.size == e.size
            && s.mtime == e.mtime
            && s.ctime == e.ctime
            && (s.dev, s.ino) == c.identity;
        if !same || eocd_crc(&c.path, s.size) != e.eocd_crc {
            return None;
        }
        let ready = match slot.facts.lock() {
            Ok(mut f) => match std::mem::replace(&mut *f, Facts::Taken) {
                Facts::Ready(facts) => Some(facts),
                Facts::Pending | Facts::Taken => None,
            },
            Err(_) => None,
        };
        let facts = ready.or_else(|| decode_facts(&e.facts))?;
        slot.reused.store(true, Ordering::Relaxed);
        self.hits.fetch_add(1, Ordering::Relaxed);
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
        let Some(blob) = encode_facts(facts) else {
            return;
        };
        let entry = Entry {
            path: key.clone(),
            dev: s.dev,
            ino: s.ino,
            size: s.size,
            mtime: s.mtime,
            ctime: s.ctime,
            eocd_crc: eocd_crc(&c.path, s.size),
            seen: 0,
            facts: blob,
        };
        if let Ok(mut m) = self.new.lock() {
            m.insert(key, entry);
        }
    }
}
