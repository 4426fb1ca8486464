//! Reading one archive and everything nested in it.
//!
//! Only the central directory and the entries that matter are read: Maven metadata, the
//! manifest, notable classes and nested archives. A STORED nested archive is read in place
//! (a byte range of its parent); any other nested archive is inflated into a bounded spool.
//! Every limit that cuts a scan short names the entry and the reason in `unreadable`.

use std::io::{BufReader, Read};

use praxcheck_model::{Location, PathSegment, ScanStats, Unreadable, UnreadableReason};
use zip::result::ZipError;
use zip::{CompressionMethod, ZipArchive};

use crate::Limits;
use crate::inspect::{Container, analyze_class, parse_manifest, parse_pom, pom_path};
use crate::placement::classify;
use crate::source::{Source, Spool, SpoolFull};
use crate::specs::match_entry;

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

/// Whether a name ends with an archive extension (`.jar`, `.war`, …), possibly followed by
/// a set-aside suffix (`.jar.bak`, `.war.old`, `.jar.1`).
#[must_use]
pub fn is_archive_name(name: &[u8]) -> bool {
    if has_archive_ext(name) {
        return true;
    }
    let Some(dot) = name.iter().rposition(|&b| b == b'.') else {
        return false;
    };
    let suffix = &name[dot + 1..];
    let set_aside = SET_ASIDE_SUFFIXES
        .iter()
        .any(|s| suffix.eq_ignore_ascii_case(s.as_bytes()))
        || (!suffix.is_empty() && suffix.len() <= 3 && suffix.iter().all(u8::is_ascii_digit));
    set_aside && has_archive_ext(&name[..dot])
}

/// State of the scan of one file on disk and everything nested in it.
pub(crate) struct FileScan<'a> {
    pub limits: &'a Limits,
    /// Bytes that may still be inflated for this file (bomb guard).
    pub budget: u64,
    pub stats: ScanStats,
    pub unreadable: Vec<Unreadable>,
    pub containers: Vec<Container>,
}

struct Entry {
    index: usize,
    name: Vec<u8>,
    size: u64,
    compressed: u64,
    method: CompressionMethod,
    encrypted: bool,
    crc: u32,
}

enum Wanted {
    Pom(String, String),
    Manifest,
    Class(crate::specs::SpecMatch),
    Nested,
}

pub(crate) fn map_zip_error(e: &ZipError) -> (UnreadableReason, String) {
    match e {
        ZipError::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            (UnreadableReason::Truncated, io.to_string())
        }
        ZipError::Io(io) => (crate::walk::io_reason(io), io.to_string()),
        ZipError::InvalidArchive(m) => {
            let lower = m.to_ascii_lowercase();
            if lower.contains("central directory end")
                || lower.contains("eocd")
                || lower.contains("not find")
            {
                (UnreadableReason::NotAnArchive, m.to_string())
            } else if lower.contains("eof") || lower.contains("truncat") || lower.contains("beyond")
            {
                (UnreadableReason::Truncated, m.to_string())
            } else {
                (UnreadableReason::Corrupt, m.to_string())
            }
        }
        ZipError::UnsupportedArchive(m) => {
            let lower = m.to_ascii_lowercase();
            if lower.contains("password") || lower.contains("encrypt") {
                (UnreadableReason::Encrypted, (*m).to_owned())
            } else {
                (UnreadableReason::Corrupt, (*m).to_owned())
            }
        }
        ZipError::CompressionMethodNotSupported(m) => (
            UnreadableReason::UnsupportedCompression,
            format!("compression method {m} is not supported"),
        ),
        ZipError::InvalidPassword => (UnreadableReason::Encrypted, e.to_string()),
        other => (UnreadableReason::Corrupt, other.to_string()),
    }
}

fn io_to_reason(e: &std::io::Error) -> (UnreadableReason, String) {
    if let Some(inner) = e.get_ref() {
        if inner.is::<SpoolFull>() {
            return (
                UnreadableReason::SizeLimit,
                "size limit reached while inflating".to_owned(),
            );
        }
        // The zip reader decompresses lazily and reports its own errors through io::Error.
        if let Some(z) = inner.downcast_ref::<ZipError>() {
            return map_zip_error(z);
        }
    }
    let msg = e.to_string();
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => (UnreadableReason::Truncated, msg),
        std::io::ErrorKind::InvalidData => (UnreadableReason::Corrupt, msg),
        std::io::ErrorKind::Unsupported => (UnreadableReason::UnsupportedCompression, msg),
        _ => {
            let lower = msg.to_ascii_lowercase();
            if lower.contains("checksum") || lower.contains("corrupt") || lower.contains("deflate")
            {
                (UnreadableReason::Corrupt, msg)
            } else {
                (crate::walk::io_reason(e), msg)
            }
        }
    }
}

impl FileScan<'_> {
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
        if let Err((reason, detail)) = precheck(src, self.limits) {
            self.skip(loc.clone(), reason, detail);
            return;
        }
        let reader = BufReader::with_capacity(64 * 1024, src.reader());
        let mut ar = match ZipArchive::new(reader) {
            Ok(a) => a,
            Err(e) => {
                let (reason, detail) = map_zip_error(&e);
                self.skip(loc.clone(), reason, detail);
                return;
            }
        };
        self.stats.archives_opened += 1;
        let total = ar.len();
        self.stats.entries_listed += total as u64;

        // 1. List: keep only the entries that matter.
        let mut wanted: Vec<(Entry, Wanted)> = Vec::new();
        for i in 0..total {
            let Ok(meta) = ar.by_index_data(i) else {
                self.skip(
                    loc.clone(),
                    UnreadableReason::Corrupt,
                    format!("central directory entry {i} is unreadable"),
                );
                continue;
            };
            if meta.is_dir() {
                continue;
            }
            let name = meta.name_raw();
            let w = if name == b"META-INF/MANIFEST.MF" {
                Some(Wanted::Manifest)
            } else if let Some((g, a)) = pom_path(name) {
                Some(Wanted::Pom(g, a))
            } else if let Some(m) = match_entry(name) {
                Some(Wanted::Class(m))
            } else if is_archive_name(name) {
                Some(Wanted::Nested)
            } else {
                None
            };
            if let Some(w) = w {
                wanted.push((
                    Entry {
                        index: i,
                        name: name.to_vec(),
                        size: meta.size(),
                        compressed: meta.compressed_size(),
                        method: meta.compression(),
                        encrypted: meta.encrypted(),
                        crc: meta.crc32(),
                    },
                    w,
                ));
            }
        }

        // 2. Read the small entries that describe this archive.
        let mut container = Container::new(loc.clone(), file_name, classify(loc));
        let mut nested: Vec<Entry> = Vec::new();
        for (e, w) in wanted {
            let entry_loc = loc.child(PathSegment::from_bytes(&e.name));
            let path = String::from_utf8_lossy(&e.name).into_owned();
            match w {
                Wanted::Nested => nested.push(e),
                Wanted::Manifest => {
                    if let Some(b) =
                        self.read_small(&mut ar, &e, &entry_loc, self.limits.max_metadata_size)
                    {
                        container.manifest = Some(parse_manifest(&b));
                    }
                }
                Wanted::Pom(g, a) => {
                    if let Some(b) =
                        self.read_small(&mut ar, &e, &entry_loc, self.limits.max_metadata_size)
                    {
                        container.poms.push(parse_pom(&path, (g, a), &b));
                    }
                }
                Wanted::Class(m) => {
                    if let Some(b) =
                        self.read_small(&mut ar, &e, &entry_loc, self.limits.max_class_size)
                    {
                        container.classes.push(analyze_class(&m, &path, &b));
                    }
                }
            }
        }
        self.containers.push(container);

        // 3. Descend into nested archives.
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
            if e.encrypted {
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
            let child = if e.method == CompressionMethod::Stored {
                match ar.by_index_raw(e.index).map(|f| f.data_start()) {
                    Ok(Some(start)) => Some(src.slice(start, e.compressed)),
                    Ok(None) => None,
                    Err(err) => {
                        let (reason, detail) = map_zip_error(&err);
                        self.skip(entry_loc, reason, detail);
                        continue;
                    }
                }
            } else {
                None
            };
            let child = match child {
                Some(c) => c,
                None => match self.inflate(&mut ar, &e) {
                    Ok(c) => c,
                    Err((reason, detail)) => {
                        self.skip(entry_loc, reason, detail);
                        continue;
                    }
                },
            };
            let name = String::from_utf8_lossy(&e.name);
            let file_name = name.rsplit('/').next().map(str::to_owned);
            ancestors.push(key);
            self.archive(&child, &entry_loc, file_name, depth + 1, ancestors);
            ancestors.pop();
        }
    }

    fn read_small<R: Read + std::io::Seek>(
        &mut self,
        ar: &mut ZipArchive<R>,
        e: &Entry,
        loc: &Location,
        limit: u64,
    ) -> Option<Vec<u8>> {
        if e.encrypted {
            self.skip(
                loc.clone(),
                UnreadableReason::Encrypted,
                "the entry is encrypted",
            );
            return None;
        }
        if e.size > limit {
            self.skip(
                loc.clone(),
                UnreadableReason::SizeLimit,
                format!(
                    "entry of {} bytes exceeds the limit of {limit} bytes",
                    e.size
                ),
            );
            return None;
        }
        let f = match ar.by_index(e.index) {
            Ok(f) => f,
            Err(err) => {
                let (reason, detail) = map_zip_error(&err);
                self.skip(loc.clone(), reason, detail);
                return None;
            }
        };
        let mut v = Vec::with_capacity(usize::try_from(e.size.min(limit)).unwrap_or(0));
        match f.take(limit + 1).read_to_end(&mut v) {
            Ok(_) if v.len() as u64 > limit => {
                self.skip(
                    loc.clone(),
                    UnreadableReason::SizeLimit,
                    format!("entry inflates beyond the limit of {limit} bytes"),
                );
                None
            }
            Ok(n) => {
                self.stats.bytes_read += n as u64;
                Some(v)
            }
            Err(err) => {
                let (reason, detail) = io_to_reason(&err);
                self.skip(loc.clone(), reason, detail);
                None
            }
        }
    }

    fn inflate<R: Read + std::io::Seek>(
        &mut self,
        ar: &mut ZipArchive<R>,
        e: &Entry,
    ) -> Result<Source, (UnreadableReason, String)> {
        if self.budget == 0 {
            return Err((
                UnreadableReason::SizeLimit,
                format!(
                    "the inflation budget of {} bytes for this file is used up",
                    self.limits.max_inflate_per_file
                ),
            ));
        }
        let f = ar.by_index(e.index).map_err(|err| map_zip_error(&err))?;
        let max = self.limits.max_nested_size.min(self.budget);
        let mut spool = Spool::new(self.limits.spool_memory, max);
        let copied = std::io::copy(&mut f.take(max + 1), &mut spool);
        let written = spool.len();
        self.budget = self.budget.saturating_sub(written);
        self.stats.bytes_read += written;
        match copied {
            Ok(_) => spool.into_source().map_err(|err| io_to_reason(&err)),
            Err(err) => Err(io_to_reason(&err)),
        }
    }
}

/// Refuses archives whose central directory would take unbounded memory to list: the zip
/// reader keeps every central directory record in memory, so the end record's entry
/// count and directory size are checked first. Written by hand because the zip crate has
/// no such limit; only the fixed-size end records are read.
fn precheck(src: &Source, limits: &Limits) -> Result<(), (UnreadableReason, String)> {
    let len = src.len();
    if len < 22 {
        return Err((
            UnreadableReason::NotAnArchive,
            format!("only {len} bytes, too short for a zip archive"),
        ));
    }
    let tail_len = len.min(65_557);
    let mut tail = vec![0u8; usize::try_from(tail_len).unwrap_or(0)];
    let mut got = 0usize;
    while got < tail.len() {
        match src.read_at(&mut tail[got..], len - tail_len + got as u64) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => return Err(io_to_reason(&e)),
        }
    }
    tail.truncate(got);
    let Some(pos) = memchr::memmem::rfind(&tail, b"PK\x05\x06") else {
        return Err((
            UnreadableReason::NotAnArchive,
            "no end of central directory record: not a zip archive, or truncated".to_owned(),
        ));
    };
    let rec = &tail[pos..];
    let (Some(entries), Some(cd_size)) = (
        rec.get(10..12)
            .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]]))),
        rec.get(12..16)
            .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))),
    ) else {
        return Err((
            UnreadableReason::Truncated,
            "end of central directory record is cut off".to_owned(),
        ));
    };
    // ZIP64 archives store the real values in the ZIP64 end record; the directory
    // cannot be larger than the archive itself, which bounds it anyway.
    let cd_size = if cd_size == u64::from(u32::MAX) {
        len
    } else {
        cd_size
    };
    if cd_size > limits.max_central_directory {
        return Err((
            UnreadableReason::SizeLimit,
            format!(
                "central directory of {cd_size} bytes exceeds the limit of {} bytes",
                limits.max_central_directory
            ),
        ));
    }
    let _ = entries;
    Ok(())
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
