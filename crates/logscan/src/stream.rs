//! The streaming text scanner: finds the rare anchors with one multi-pattern search, counts
//! lines, and hands a bounded window around each anchor to the decoder.
//!
//! Memory is bounded whatever the input: one buffer of [`BUF_LEN`] bytes plus the decode
//! window; a line of any length streams through, keeping only its first
//! [`lineinfo::PREFIX_LEN`] bytes for the timestamp.

use std::io::{self, Read};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, Input, MatchKind};
use praxcheck_model::ExecutionMarker;

use crate::decode::{self, Hit, MAX_WINDOW};
use crate::lineinfo;

/// Size of the read buffer.
pub const BUF_LEN: usize = 1 << 20;
/// Bytes kept after the processed part so that a window never runs off the buffer.
const MARGIN: usize = MAX_WINDOW + 64;

/// What an anchor pattern means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    /// `${` itself.
    Dollar,
    /// An encoded `$` or `{` (slow path always).
    Encoded,
    /// A trace of the lookup having run.
    Marker(ExecutionMarker),
    /// Log4j's "Error looking up JNDI resource [url]" (the URL follows).
    LookupError,
}

/// Expands the ASCII letters that are hex digits or escape letters into both cases.
fn case_variants(p: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for ch in p.chars() {
        let alts: Vec<char> = if matches!(ch.to_ascii_lowercase(), 'a'..='f' | 'u' | 'x') {
            vec![ch.to_ascii_lowercase(), ch.to_ascii_uppercase()]
        } else {
            vec![ch]
        };
        out = out
            .iter()
            .flat_map(|s| {
                alts.iter().map(move |a| {
                    let mut t = s.clone();
                    t.push(*a);
                    t
                })
            })
            .collect();
    }
    out
}

struct Matcher {
    ac: AhoCorasick,
    kinds: Vec<Anchor>,
}

fn matcher() -> Option<&'static Matcher> {
    static M: OnceLock<Option<Matcher>> = OnceLock::new();
    M.get_or_init(|| {
        let mut pats: Vec<String> = vec!["${".to_owned()];
        let mut kinds = vec![Anchor::Dollar];
        let encoded = [
            // `$` followed by an encoded `{`.
            "$%7b",
            "$%257b",
            "$%25257b",
            "$\\u007b",
            "$\\173",
            "$&#123;",
            "$&#x7b;",
            "$&lbrace;",
            "$&lcub;", // an encoded `$`.
            "%24",
            "%2524",
            "%252524",
            "%u0024",
            "\\u0024",
            "\\x24",
            "\\044",
            "\\44",
            "&#36;",
            "&#036;",
            "&#x24;",
            "&dollar;",
        ];
        for e in encoded {
            for v in case_variants(e) {
                if !pats.contains(&v) {
                    pats.push(v);
                    kinds.push(Anchor::Encoded);
                }
            }
        }
        let markers = [
            (
                "JndiLookup.lookup(",
                Anchor::Marker(ExecutionMarker::JndiLookupFrame),
            ),
            (
                "JndiManager.lookup(",
                Anchor::Marker(ExecutionMarker::JndiLookupFrame),
            ),
            ("Error looking up JNDI resource [", Anchor::LookupError),
            (
                "Reference Class Name:",
                Anchor::Marker(ExecutionMarker::ReferenceClassName),
            ),
            (
                "header with value of BadAttributeValueException:",
                Anchor::Marker(ExecutionMarker::BadAttributeValue),
            ),
        ];
        for (p, k) in markers {
            pats.push(p.to_owned());
            kinds.push(k);
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&pats)
            .ok()?;
        Some(Matcher { ac, kinds })
    })
    .as_ref()
}

/// A trace found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// A payload.
    Payload(Hit),
    /// A sign that the lookup ran; for [`ExecutionMarker::JndiLookupError`] with the URL
    /// Log4j printed.
    Marker {
        /// Which sign.
        marker: ExecutionMarker,
        /// The URL, for Log4j's error message.
        url: Option<String>,
    },
}

/// A trace with its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Line number, 1-based.
    pub line: u64,
    /// The line's timestamp.
    pub timestamp: Option<String>,
    /// The access-log client address.
    pub source_address: Option<String>,
    /// What was found.
    pub what: What,
}

/// Reads until the buffer is full or the input ends. Returns the bytes read.
fn fill<R: Read + ?Sized>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Line bookkeeping across buffer refills.
struct Lines {
    /// Line number of the byte at `pos`.
    line: u64,
    /// Start of the current line in the buffer, when it is still there.
    start: Option<usize>,
    /// The current line's first bytes, when its start has left the buffer.
    saved: Vec<u8>,
}

impl Lines {
    fn advance(&mut self, buf: &[u8], from: usize, to: usize) {
        if to <= from {
            return;
        }
        let part = &buf[from..to];
        if let Some(last) = memchr::memrchr(b'\n', part) {
            self.line += memchr::memchr_iter(b'\n', part).count() as u64;
            self.start = Some(from + last + 1);
            self.saved.clear();
        }
    }

    fn prefix<'a>(&'a self, buf: &'a [u8], data_end: usize) -> &'a [u8] {
        match self.start {
            Some(s) => {
                let end = (s + lineinfo::PREFIX_LEN).min(data_end);
                let line = &buf[s..end];
                let nl = memchr::memchr(b'\n', line).unwrap_or(line.len());
                &line[..nl]
            }
            None => &self.saved,
        }
    }
}

/// The URL in `Error looking up JNDI resource [url]` (bounded, up to `]` on the line).
fn lookup_error_url(after: &[u8]) -> Option<String> {
    let limit = after.len().min(1024);
    let part = &after[..limit];
    let end = part
        .iter()
        .position(|b| matches!(b, b']' | b'\n' | b'\r'))
        .unwrap_or(part.len());
    let s = String::from_utf8_lossy(&part[..end]).into_owned();
    if s.is_empty() { None } else { Some(s) }
}

/// Scans a text stream; calls `on` for every trace. Returns the bytes scanned.
///
/// # Errors
/// Read errors of the underlying stream (traces found before the error were reported).
pub fn scan_stream<R: Read + ?Sized>(r: &mut R, on: &mut dyn FnMut(Event)) -> io::Result<u64> {
    let Some(m) = matcher() else {
        return Err(io::Error::other("anchor automaton could not be built"));
    };
    let mut buf = vec![0u8; BUF_LEN];
    let mut data_end = 0usize;
    let mut total = 0u64;
    let mut lines = Lines {
        line: 1,
        start: Some(0),
        saved: Vec::new(),
    };
    // Anchors before this position were covered by a decoded window.
    let mut skip_to = 0usize;
    loop {
        let n = fill(r, &mut buf[data_end..])?;
        data_end += n;
        total += n as u64;
        let eof = data_end < buf.len();
        let limit = if eof {
            data_end
        } else {
            data_end.saturating_sub(MARGIN)
        };
        let mut pos = 0usize;
        let mut search = skip_to.min(limit);
        while search < limit {
            let input = Input::new(&buf[..data_end]).span(search..data_end);
            let Some(hit) = m.ac.find(input) else { break };
            let a = hit.start();
            if a >= limit {
                break;
            }
            let kind = m
                .kinds
                .get(hit.pattern().as_usize())
                .copied()
                .unwrap_or(Anchor::Encoded);
            lines.advance(&buf, pos, a);
            pos = a;
            match kind {
                Anchor::Dollar | Anchor::Encoded => {
                    if kind == Anchor::Dollar
                        && let Some(len) = decode::plain_template_len(&buf[a..data_end])
                    {
                        search = a + len;
                        continue;
                    }
                    let hard_end = (a + MAX_WINDOW).min(data_end);
                    let (end, cut) = match memchr::memchr(b'\n', &buf[a..hard_end]) {
                        Some(p) => (a + p, false),
                        None => (hard_end, hard_end < data_end || !eof),
                    };
                    let mut wend = end;
                    if wend > a && buf[wend - 1] == b'\r' {
                        wend -= 1;
                    }
                    let w = decode::decode_window(&buf[a..wend], cut);
                    if !w.hits.is_empty() {
                        let prefix = lines.prefix(&buf, data_end);
                        let ts = lineinfo::timestamp(prefix);
                        let src = lineinfo::source_address(prefix);
                        for h in w.hits {
                            on(Event {
                                line: lines.line,
                                timestamp: ts.clone(),
                                source_address: src.clone(),
                                what: What::Payload(h),
                            });
                        }
                    }
                    search = match w.restart {
                        Some(r) if r > 0 => a + r,
                        _ => end.max(a + 1),
                    };
                }
                Anchor::Marker(marker) => {
                    let prefix = lines.prefix(&buf, data_end);
                    on(Event {
                        line: lines.line,
                        timestamp: lineinfo::timestamp(prefix),
                        source_address: lineinfo::source_address(prefix),
                        what: What::Marker { marker, url: None },
                    });
                    search = hit.end();
                }
                Anchor::LookupError => {
                    let prefix = lines.prefix(&buf, data_end);
                    on(Event {
                        line: lines.line,
                        timestamp: lineinfo::timestamp(prefix),
                        source_address: lineinfo::source_address(prefix),
                        what: What::Marker {
                            marker: ExecutionMarker::JndiLookupError,
                            url: lookup_error_url(&buf[hit.end()..data_end]),
                        },
                    });
                    search = hit.end();
                }
            }
        }
        if eof {
            return Ok(total);
        }
        lines.advance(&buf, pos, limit);
        // Keep the current line's first bytes before its start leaves the buffer.
        if let Some(s) = lines.start {
            let end = (s + lineinfo::PREFIX_LEN).min(data_end);
            let line = &buf[s..end];
            let nl = memchr::memchr(b'\n', line).unwrap_or(line.len());
            lines.saved = line[..nl].to_vec();
            lines.start = None;
        }
        buf.copy_within(limit..data_end, 0);
        data_end -= limit;
        skip_to = search.saturating_sub(limit);
    }
}
