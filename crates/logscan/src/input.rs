//! Opening one log file: compression (by content, not by name), zip archives of logs, text
//! encodings, binary detection, and the bounds that keep hostile files harmless.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::rc::Rc;

use praxcheck_model::{
    EvidenceLevel, Location, LogEvidence, PathSegment, Unreadable, UnreadableReason,
};

use crate::Limits;
use crate::decode;
use crate::stream::{self, Event, What};

/// Bytes looked at to decide what a file is.
const SNIFF_LEN: usize = 8192;
/// Lines after an evidence within which a sign of execution belongs to it.
pub const MERGE_LINES: u64 = 64;
/// Most compression layers inside each other (`.gz` of a `.gz`).
const MAX_LAYERS: usize = 3;

/// What the first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Gzip,
    Zstd,
    Bzip2,
    Xz,
    Zip,
    Text,
}

pub(crate) fn sniff_kind(head: &[u8]) -> Kind {
    if head.starts_with(&[0x1f, 0x8b]) {
        Kind::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Kind::Zstd
    } else if head.len() >= 4 && head.starts_with(b"BZh") && (b'1'..=b'9').contains(&head[3]) {
        Kind::Bzip2
    } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        Kind::Xz
    } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Kind::Zip
    } else {
        Kind::Text
    }
}

/// Text encodings the scanner reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// ASCII-compatible (UTF-8, Latin-1, Windows-1252): scanned as bytes.
    Bytes { skip: usize },
    /// UTF-16, transcoded to UTF-8 while streaming.
    Utf16 { big_endian: bool, skip: usize },
    /// Not text.
    Binary,
}

fn sniff_encoding(head: &[u8]) -> Encoding {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Encoding::Bytes { skip: 3 };
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return Encoding::Utf16 {
            big_endian: false,
            skip: 2,
        };
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Encoding::Utf16 {
            big_endian: true,
            skip: 2,
        };
    }
    let zeros = head.iter().filter(|b| **b == 0).count();
    // Binary bytes: NUL and control characters other than tab, line feed, carriage return,
    // form feed and escape. A text log is binary only when they are more than a tenth of
    // the window — one stray NUL near the top (a crashed writer, a pre-allocated block)
    // does not hide the rest of the log.
    let binary = head
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    if zeros * 20 < head.len() {
        return if binary * 10 > head.len() {
            Encoding::Binary
        } else {
            Encoding::Bytes { skip: 0 }
        };
    }
    // UTF-16 without a byte order mark: zeros in one lane only, text in the other.
    let even_zero = head.iter().step_by(2).filter(|b| **b == 0).count();
    let odd_zero = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let half = head.len() / 2;
    if half > 0 && odd_zero * 10 >= half * 7 && even_zero * 20 < half {
        Encoding::Utf16 {
            big_endian: false,
            skip: 0,
        }
    } else if half > 0 && even_zero * 10 >= half * 7 && odd_zero * 20 < half {
        Encoding::Utf16 {
            big_endian: true,
            skip: 0,
        }
    } else {
        Encoding::Binary
    }
}

/// Reads up to `n` bytes without losing them: returns them and a reader that yields them
/// again followed by the rest.
fn peek<'a>(mut r: Box<dyn Read + 'a>, n: usize) -> io::Result<(Vec<u8>, Box<dyn Read + 'a>)> {
    let mut head = vec![0u8; n];
    let mut got = 0;
    while got < n {
        match r.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    head.truncate(got);
    let again = io::Cursor::new(head.clone()).chain(r);
    Ok((head, Box::new(again)))
}

/// Transcodes UTF-16 to UTF-8 while streaming (encoding_rs does the decoding; this only
/// moves buffers).
struct Utf16Reader<'a> {
    inner: Box<dyn Read + 'a>,
    decoder: encoding_rs::Decoder,
    inbuf: Vec<u8>,
    outbuf: Vec<u8>,
    out_pos: usize,
    out_len: usize,
    done: bool,
}

impl<'a> Utf16Reader<'a> {
    fn new(inner: Box<dyn Read + 'a>, big_endian: bool) -> Self {
        let enc = if big_endian {
            encoding_rs::UTF_16BE
        } else {
            encoding_rs::UTF_16LE
        };
        Self {
            inner,
            decoder: enc.new_decoder_without_bom_handling(),
            inbuf: vec![0u8; 64 * 1024],
            outbuf: vec![0u8; 3 * 64 * 1024 + 16],
            out_pos: 0,
            out_len: 0,
            done: false,
        }
    }
}

impl Read for Utf16Reader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos == self.out_len {
            if self.done {
                return Ok(0);
            }
            let n = loop {
                match self.inner.read(&mut self.inbuf) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    other => break other?,
                }
            };
            let last = n == 0;
            let (_, _, written, _) =
                self.decoder
                    .decode_to_utf8(&self.inbuf[..n], &mut self.outbuf, last);
            self.out_pos = 0;
            self.out_len = written;
            if last {
                self.done = true;
            }
        }
        let k = buf.len().min(self.out_len - self.out_pos);
        buf[..k].copy_from_slice(&self.outbuf[self.out_pos..self.out_pos + k]);
        self.out_pos += k;
        Ok(k)
    }
}

/// Counts bytes passing through.
struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// The error a decompression bomb gets.
#[derive(Debug)]
struct TooLarge(String);

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TooLarge {}

/// Stops decompressed output that is larger than the limits allow.
struct Bounded<R> {
    inner: R,
    input: Rc<Cell<u64>>,
    out: u64,
    limits: Limits,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        let allowed = self
            .limits
            .min_decompressed
            .max(self.input.get().saturating_mul(self.limits.max_ratio))
            .min(self.limits.max_decompressed);
        if self.out > allowed {
            return Err(io::Error::other(TooLarge(format!(
                "decompressed output exceeds {allowed} bytes ({} compressed bytes read); \
                 scanned up to that point",
                self.input.get()
            ))));
        }
        Ok(n)
    }
}

/// Maps a read error to an [`UnreadableReason`].
pub(crate) fn reason_of(e: &io::Error) -> UnreadableReason {
    if e.get_ref().is_some_and(|i| i.is::<TooLarge>()) {
        return UnreadableReason::SizeLimit;
    }
    match e.kind() {
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => UnreadableReason::Corrupt,
        io::ErrorKind::Unsupported => UnreadableReason::UnsupportedCompression,
        // The kinds every collector shares (permission, vanished, truncated, path length).
        _ => praxcheck_sys::io_reason(e),
    }
}

/// Traces of one text kept in the sample in any case (the first ones).
pub const SAMPLE_FIRST: usize = 500;
/// Further traces of one text kept because they show that the lookup ran.
pub const SAMPLE_EXECUTED: usize = 250;
/// Further traces of one text kept because they name a callback host not sampled yet.
pub const SAMPLE_NEW_HOSTS: usize = 250;
/// Distinct payloads of one line remembered to count a payload found twice on it once.
const LINE_PAYLOADS: usize = 1024;

/// Turns the scanner's events for one text into evidence: every trace is counted in the
/// summary, a bounded sample is kept (so a flood of millions of lines costs the same memory
/// as a few hundred).
#[derive(Default)]
struct Collector {
    /// The sample.
    evidence: Vec<LogEvidence>,
    /// Counts over every trace.
    summary: praxcheck_model::LogSummary,
    /// The latest trace: a sign of execution on a following line may still raise it.
    pending: Option<LogEvidence>,
    /// The line of `line_payloads`.
    payload_line: u64,
    /// Payloads already counted on `payload_line`.
    line_payloads: std::collections::HashSet<String>,
    /// Traces kept because they showed the lookup ran, or named a new host.
    kept_executed: usize,
    kept_new_host: usize,
    /// Callback hosts in the sample (at most [`SAMPLE_FIRST`] + [`SAMPLE_NEW_HOSTS`]).
    sampled_hosts: std::collections::HashSet<String>,
    /// Lines up to which JNDI lookup frames belong to a harmless lookup (`java:` names).
    benign_until: u64,
}

impl Collector {
    /// Counts the pending trace and decides whether the sample keeps it.
    fn flush(&mut self) {
        let Some(e) = self.pending.take() else {
            return;
        };
        self.summary.record(&e);
        let host = e.callback.as_ref().and_then(|c| c.host.clone());
        let new_host = host
            .as_ref()
            .is_some_and(|h| !self.sampled_hosts.contains(h));
        let keep = if self.evidence.len() < SAMPLE_FIRST {
            true
        } else if e.level == EvidenceLevel::LookupExecuted && self.kept_executed < SAMPLE_EXECUTED {
            self.kept_executed += 1;
            true
        } else if new_host && self.kept_new_host < SAMPLE_NEW_HOSTS {
            self.kept_new_host += 1;
            true
        } else {
            false
        };
        if keep {
            if let Some(h) = host {
                self.sampled_hosts.insert(h);
            }
            self.evidence.push(e);
        }
    }

    /// Starts a new trace.
    fn push(&mut self, e: LogEvidence) {
        self.flush();
        self.pending = Some(e);
    }

    fn on(&mut self, loc: &Location, ev: Event) {
        match ev.what {
            What::Payload(h) => {
                if self.payload_line != ev.line {
                    self.payload_line = ev.line;
                    self.line_payloads.clear();
                }
                if self.line_payloads.contains(&h.payload) {
                    return;
                }
                // Beyond the bound a payload repeated on one very long line is counted
                // again; memory stays bounded.
                if self.line_payloads.len() < LINE_PAYLOADS {
                    self.line_payloads.insert(h.payload.clone());
                }
                self.push(LogEvidence {
                    location: loc.clone(),
                    line: ev.line,
                    timestamp: ev.timestamp,
                    source_address: ev.source_address,
                    level: EvidenceLevel::PayloadSeen,
                    payload: Some(h.payload),
                    payload_truncated: h.truncated,
                    callback: h.callback,
                    obfuscation: h.obfuscation,
                    marker: None,
                });
            }
            What::Marker { marker, url } => {
                let callback = url.as_deref().and_then(decode::parse_callback);
                if marker == praxcheck_model::ExecutionMarker::JndiLookupError && callback.is_none()
                {
                    // Log4j failed to look up a name such as `java:comp/env/…` from its
                    // own configuration: no attack; its stack trace follows.
                    self.benign_until = ev.line + MERGE_LINES;
                    return;
                }
                if marker == praxcheck_model::ExecutionMarker::JndiLookupFrame
                    && ev.line <= self.benign_until
                {
                    return;
                }
                if let Some(last) = self.pending.as_mut()
                    && ev.line >= last.line
                    && ev.line - last.line <= MERGE_LINES
                {
                    last.level = EvidenceLevel::LookupExecuted;
                    if last.marker.is_none() {
                        last.marker = Some(marker);
                    }
                    if last.callback.is_none() {
                        last.callback = callback;
                    }
                    if last.payload.is_none() {
                        last.payload = url.map(|u| bounded_payload(&u));
                    }
                    return;
                }
                self.push(LogEvidence {
                    location: loc.clone(),
                    line: ev.line,
                    timestamp: ev.timestamp,
                    source_address: ev.source_address,
                    level: EvidenceLevel::LookupExecuted,
                    payload: if callback.is_some() {
                        url.map(|u| bounded_payload(&u))
                    } else {
                        None
                    },
                    payload_truncated: false,
                    callback,
                    obfuscation: Vec::new(),
                    marker: Some(marker),
                });
            }
        }
    }
}

fn bounded_payload(s: &str) -> String {
    s.chars().take(praxcheck_model::MAX_PAYLOAD_CHARS).collect()
}

/// What reading one file (and what is inside it) gave.
#[derive(Debug, Default)]
pub struct FileOutcome {
    /// A sample of the evidence found (bounded, see [`SAMPLE_FIRST`]).
    pub evidence: Vec<LogEvidence>,
    /// Counts over every trace found.
    pub summary: praxcheck_model::LogSummary,
    /// What could not be read (at most [`MAX_UNREADABLE_PER_FILE`]; the rest is counted
    /// in `unreadable_unlisted` and named by one entry for the file).
    pub unreadable: Vec<Unreadable>,
    /// Entries not read and not listed in `unreadable`.
    pub unreadable_unlisted: u64,
    /// Texts scanned (a compressed file or a zip entry counts once).
    pub files_scanned: u64,
    /// Texts skipped.
    pub files_skipped: u64,
    /// Text bytes scanned.
    pub bytes_scanned: u64,
}

/// Most entries listed as not read for one file on disk (an archive of a million binary
/// entries must not make a document of a million lines).
pub const MAX_UNREADABLE_PER_FILE: usize = 1000;

impl FileOutcome {
    fn skip(&mut self, loc: &Location, reason: UnreadableReason, detail: impl Into<String>) {
        self.files_skipped += 1;
        self.unread(Unreadable {
            location: loc.clone(),
            reason,
            detail: detail.into(),
        });
    }

    fn unread(&mut self, u: Unreadable) {
        if self.unreadable.len() < MAX_UNREADABLE_PER_FILE {
            self.unreadable.push(u);
        } else {
            self.unreadable_unlisted += 1;
        }
    }

    /// Names the cut of the unread list for the file, when there was one.
    pub(crate) fn close(&mut self, file: &Location) {
        if self.unreadable_unlisted > 0 {
            self.unreadable.push(Unreadable {
                location: file.clone(),
                reason: UnreadableReason::SizeLimit,
                detail: format!(
                    "{} further entries of this file were not read and are not listed (at \
                     most {MAX_UNREADABLE_PER_FILE} per file)",
                    self.unreadable_unlisted
                ),
            });
        }
    }
}

/// Whether a name is a zip archive that may hold logs (not a jar, war, docx, …).
fn zip_name(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".zip")
}

/// Scans a file on disk.
pub fn scan_file(path: &Path, loc: &Location, limits: &Limits, out: &mut FileOutcome) {
    scan_file_inner(path, loc, limits, out);
    out.close(loc);
}

fn scan_file_inner(path: &Path, loc: &Location, limits: &Limits, out: &mut FileOutcome) {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            out.skip(loc, reason_of(&e), e.to_string());
            return;
        }
    };
    let mut head = [0u8; 8];
    let n = match file.try_clone().and_then(|mut f| {
        let mut got = 0;
        while got < head.len() {
            let k = f.read(&mut head[got..])?;
            if k == 0 {
                break;
            }
            got += k;
        }
        Ok(got)
    }) {
        Ok(n) => n,
        Err(e) => {
            out.skip(loc, reason_of(&e), e.to_string());
            return;
        }
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if sniff_kind(&head[..n]) == Kind::Zip {
        if zip_name(&name) {
            // Fresh handle at offset 0 for the archive reader.
            match File::open(path) {
                Ok(f) => scan_zip(f, loc, limits, out),
                Err(e) => out.skip(loc, reason_of(&e), e.to_string()),
            }
        } else {
            out.skip(
                loc,
                UnreadableReason::Binary,
                "a zip-format file that is not a .zip archive of logs (jar, war, office document)",
            );
        }
        return;
    }
    let f = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            out.skip(loc, reason_of(&e), e.to_string());
            return;
        }
    };
    scan_reader(Box::new(f), loc, limits, out, 0);
}

/// Scans a stream: undoes compression layers, then reads the text.
pub fn scan_reader<'a>(
    r: Box<dyn Read + 'a>,
    loc: &Location,
    limits: &Limits,
    out: &mut FileOutcome,
    depth: usize,
) {
    let input = Rc::new(Cell::new(0u64));
    let counted: Box<dyn Read + 'a> = Box::new(Counting {
        inner: r,
        count: Rc::clone(&input),
    });
    let (head, r) = match peek(counted, SNIFF_LEN) {
        Ok(x) => x,
        Err(e) => {
            out.skip(loc, reason_of(&e), e.to_string());
            return;
        }
    };
    let kind = sniff_kind(&head);
    if kind != Kind::Text && depth >= MAX_LAYERS {
        out.skip(
            loc,
            UnreadableReason::DepthLimit,
            format!("more than {MAX_LAYERS} compression layers"),
        );
        return;
    }
    let bound = |inner: Box<dyn Read + 'a>| -> Box<dyn Read + 'a> {
        Box::new(Bounded {
            inner,
            input: Rc::clone(&input),
            out: 0,
            limits: limits.clone(),
        })
    };
    let inner: Box<dyn Read + 'a> = match kind {
        Kind::Text => {
            scan_text(r, loc, out);
            return;
        }
        Kind::Gzip => bound(Box::new(flate2::read::MultiGzDecoder::new(r))),
        Kind::Bzip2 => bound(Box::new(bzip2::read::MultiBzDecoder::new(r))),
        Kind::Zstd => match zstd::stream::read::Decoder::new(r) {
            Ok(mut d) => {
                if let Err(e) = d.window_log_max(limits.zstd_window_log_max) {
                    out.skip(loc, UnreadableReason::Corrupt, e.to_string());
                    return;
                }
                bound(Box::new(d))
            }
            Err(e) => {
                out.skip(loc, UnreadableReason::Corrupt, e.to_string());
                return;
            }
        },
        Kind::Xz => match liblzma::stream::Stream::new_stream_decoder(
            limits.xz_memlimit,
            liblzma::stream::CONCATENATED,
        ) {
            Ok(s) => bound(Box::new(liblzma::read::XzDecoder::new_stream(r, s))),
            Err(e) => {
                out.skip(loc, UnreadableReason::Corrupt, e.to_string());
                return;
            }
        },
        Kind::Zip => {
            scan_zip_stream(r, loc, limits, out, depth + 1);
            return;
        }
    };
    scan_reader(inner, loc, limits, out, depth + 1);
}

/// Scans decompressed text: decides the encoding, then streams it through the scanner.
fn scan_text<'a>(r: Box<dyn Read + 'a>, loc: &Location, out: &mut FileOutcome) {
    let (head, r) = match peek(r, SNIFF_LEN) {
        Ok(x) => x,
        Err(e) => {
            out.skip(loc, reason_of(&e), e.to_string());
            return;
        }
    };
    let mut text: Box<dyn Read + 'a> = match sniff_encoding(&head) {
        Encoding::Binary => {
            out.skip(loc, UnreadableReason::Binary, "binary data, not text");
            return;
        }
        Encoding::Bytes { skip } => {
            let mut r = r;
            if skip > 0 && io::copy(&mut (&mut r).take(skip as u64), &mut io::sink()).is_err() {
                out.skip(loc, UnreadableReason::Io, "read error");
                return;
            }
            r
        }
        Encoding::Utf16 { big_endian, skip } => {
            let mut r = r;
            if skip > 0 && io::copy(&mut (&mut r).take(skip as u64), &mut io::sink()).is_err() {
                out.skip(loc, UnreadableReason::Io, "read error");
                return;
            }
            Box::new(Utf16Reader::new(r, big_endian))
        }
    };
    let mut col = Collector::default();
    let res = stream::scan_stream(&mut text, &mut |ev| col.on(loc, ev));
    col.flush();
    out.files_scanned += 1;
    out.evidence.append(&mut col.evidence);
    out.summary.merge(col.summary);
    // Many texts in one archive: keep the file's sample bounded too.
    if out.evidence.len() > 2 * praxcheck_model::MAX_LOG_SAMPLE {
        praxcheck_model::collector::cap_log_sample(&mut out.evidence);
    }
    match res {
        Ok(n) => out.bytes_scanned += n,
        Err(e) => {
            // Whatever was found before the error is kept.
            out.unread(Unreadable {
                location: loc.clone(),
                reason: reason_of(&e),
                detail: e.to_string(),
            });
        }
    }
}

fn zip_error_reason(e: &zip::result::ZipError) -> UnreadableReason {
    use zip::result::ZipError;
    match e {
        ZipError::UnsupportedArchive(m) if *m == ZipError::PASSWORD_REQUIRED => {
            UnreadableReason::Encrypted
        }
        ZipError::InvalidPassword => UnreadableReason::Encrypted,
        ZipError::CompressionMethodNotSupported(_) => UnreadableReason::UnsupportedCompression,
        ZipError::Io(io) => reason_of(io),
        _ => UnreadableReason::Corrupt,
    }
}

/// Scans every entry of a zip archive on disk.
fn scan_zip(file: File, loc: &Location, limits: &Limits, out: &mut FileOutcome) {
    let mut archive = match zip::ZipArchive::new(file) {
        Ok(a) => a,
        Err(e) => {
            out.skip(loc, zip_error_reason(&e), e.to_string());
            return;
        }
    };
    // Entries that share bytes are never legitimate; each would get its own inflation
    // budget, so many of them over one small deflate stream would multiply the work.
    match archive.has_overlapping_entries() {
        Ok(false) => {}
        Ok(true) => {
            out.skip(
                loc,
                UnreadableReason::Corrupt,
                "entries of the archive overlap each other".to_owned(),
            );
            return;
        }
        Err(e) => {
            out.skip(loc, zip_error_reason(&e), e.to_string());
            return;
        }
    }
    for i in 0..archive.len() {
        let name = archive
            .name_for_index(i)
            .and_then(Result::ok)
            .map_or_else(|| format!("#{i}"), std::borrow::Cow::into_owned);
        let entry = match archive.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                out.skip(
                    &loc.child(PathSegment::Text(name)),
                    zip_error_reason(&e),
                    e.to_string(),
                );
                continue;
            }
        };
        if entry.is_dir() {
            continue;
        }
        let child = loc.child(PathSegment::from_bytes(entry.name_raw()));
        let compressed = entry.compressed_size();
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        scan_entry(Box::new(entry), compressed, &name, &child, limits, out, 1);
    }
}

/// Scans a zip archive read as a stream (a zip inside a zip or a compressed file).
fn scan_zip_stream<'a>(
    mut r: Box<dyn Read + 'a>,
    loc: &Location,
    limits: &Limits,
    out: &mut FileOutcome,
    depth: usize,
) {
    loop {
        match zip::read::read_zipfile_from_stream(&mut r) {
            Ok(Some(entry)) => {
                if entry.is_dir() {
                    continue;
                }
                let child = loc.child(PathSegment::from_bytes(entry.name_raw()));
                let compressed = entry.compressed_size();
                let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
                scan_entry(
                    Box::new(entry),
                    compressed,
                    &name,
                    &child,
                    limits,
                    out,
                    depth,
                );
            }
            Ok(None) => return,
            Err(e) => {
                out.skip(loc, zip_error_reason(&e), e.to_string());
                return;
            }
        }
    }
}

/// Scans one archive entry, bounded by the ratio to its compressed size.
fn scan_entry<'a>(
    entry: Box<dyn Read + 'a>,
    compressed: u64,
    name: &str,
    loc: &Location,
    limits: &Limits,
    out: &mut FileOutcome,
    depth: usize,
) {
    let input = Rc::new(Cell::new(compressed));
    let bounded: Box<dyn Read + 'a> = Box::new(Bounded {
        inner: entry,
        input,
        out: 0,
        limits: limits.clone(),
    });
    if depth > MAX_LAYERS {
        out.skip(
            loc,
            UnreadableReason::DepthLimit,
            format!("archives nested deeper than {MAX_LAYERS}"),
        );
        return;
    }
    let (head, r) = match peek(bounded, SNIFF_LEN) {
        Ok(x) => x,
        Err(e) => {
            out.skip(loc, reason_of(&e), e.to_string());
            return;
        }
    };
    if sniff_kind(&head) == Kind::Zip && !zip_name(name) {
        out.skip(
            loc,
            UnreadableReason::Binary,
            "a zip-format entry that is not a .zip archive of logs",
        );
        return;
    }
    scan_reader(r, loc, limits, out, depth);
}
