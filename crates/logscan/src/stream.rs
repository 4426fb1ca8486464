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
    /// `$` followed by an encoded `{` (slow path always).
    EncodedBrace,
    /// An encoded `$`: a lookup only when a `{` or another escape follows.
    EncodedDollar,
    /// A trace of the lookup having run.
    Marker(ExecutionMarker),
    /// Log4j's "Error looking up JNDI resource [url]" (the URL follows).
    LookupError,
}

struct Matcher {
    /// The signs that a lookup ran (patterns chosen so that their first three bytes are
    /// rare, which keeps the SIMD search fast).
    markers: AhoCorasick,
    kinds: Vec<Anchor>,
}

fn matcher() -> Option<&'static Matcher> {
    static M: OnceLock<Option<Matcher>> = OnceLock::new();
    M.get_or_init(|| {
        let markers = [
            (
                "JndiLookup.lookup(",
                Anchor::Marker(ExecutionMarker::JndiLookupFrame),
            ),
            (
                "JndiManager.lookup(",
                Anchor::Marker(ExecutionMarker::JndiLookupFrame),
            ),
            ("JNDI resource [", Anchor::LookupError),
            (
                "Reference Class Name:",
                Anchor::Marker(ExecutionMarker::ReferenceClassName),
            ),
            (
                "BadAttributeValueException:",
                Anchor::Marker(ExecutionMarker::BadAttributeValue),
            ),
            // HTML character references that may stand for `$` (`&#36;`, `&#x24;`,
            // `&dollar;`): candidates for an encoded `$`, checked by the decoder.
            ("&#", Anchor::EncodedDollar),
            ("&dollar;", Anchor::EncodedDollar),
            ("&Dollar;", Anchor::EncodedDollar),
            ("&DOLLAR;", Anchor::EncodedDollar),
        ];
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(markers.iter().map(|(p, _)| p))
            .ok()?;
        Some(Matcher {
            markers: ac,
            kinds: markers.iter().map(|(_, k)| *k).collect(),
        })
    })
    .as_ref()
}

/// The anchor at `i` (a `$`, `%` or `\` found by `memchr3`) and its length, if any.
fn anchor_at(b: &[u8], i: usize) -> Option<(Anchor, usize)> {
    let rest = &b[i..];
    match rest.first()? {
        b'$' => match rest.get(1)? {
            b'{' => Some((Anchor::Dollar, 2)),
            // `$` then an encoded `{` (`$%7B`, `$%257B`, `$\u007B`, `$\173`, `$&#123;`).
            b'%' | b'\\' | b'&' => Some((Anchor::EncodedBrace, 2)),
            _ => None,
        },
        b'%' => {
            for p in [&b"%24"[..], b"%2524", b"%252524"] {
                if rest.starts_with(p) {
                    return Some((Anchor::EncodedDollar, p.len()));
                }
            }
            // Rarer layers (`%25%32%34`, `%25u0024`, `%26%2336;`, `%5Cu0024`): the decoder's
            // own rounds decide.
            let enc = rest.get(1..3).map(<[u8]>::to_ascii_uppercase);
            if matches!(enc.as_deref(), Some(b"25" | b"26" | b"5C")) {
                return decode::encoded_dollar_len(rest).map(|l| (Anchor::EncodedDollar, l));
            }
            if rest.len() >= 6 && matches!(rest[1], b'u' | b'U') && &rest[2..6] == b"0024" {
                return Some((Anchor::EncodedDollar, 6));
            }
            None
        }
        // HTML character references (`&#36;`, `&#x24;`, `&dollar;`), found by the marker
        // search.
        b'&' => decode::encoded_dollar_len(rest).map(|l| (Anchor::EncodedDollar, l)),
        b'\\' => {
            let r1 = rest.get(1)?;
            if matches!(r1, b'u' | b'U') && rest.get(2..6) == Some(b"0024") {
                Some((Anchor::EncodedDollar, 6))
            } else if (matches!(r1, b'x' | b'X') && rest.get(2..4) == Some(b"24"))
                || rest.get(1..4) == Some(b"044")
            {
                Some((Anchor::EncodedDollar, 4))
            } else if rest.get(1..3) == Some(b"44") {
                Some((Anchor::EncodedDollar, 3))
            } else {
                None
            }
        }
        _ => None,
    }
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

/// Reads until the buffer is full or the input ends. Returns the bytes read and the error
/// that stopped the reading, if any (the bytes before it are still scanned).
fn fill<R: Read + ?Sized>(r: &mut R, buf: &mut [u8]) -> (usize, Option<io::Error>) {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return (n, Some(e)),
        }
    }
    (n, None)
}

/// The URL in `Error looking up JNDI resource [url]` (bounded, up to `]` on the line).
fn lookup_error_url(after: &[u8]) -> Option<String> {
    let limit = after.len().min(1024);
    let part = &after[..limit];
    // Only the address itself: the bracket may never close, and what follows the URL on
    // the line (patient text) is no part of it.
    let end = part
        .iter()
        .position(|&b| b == b']' || (b < 0x80 && crate::decode::ends_address(char::from(b))))
        .unwrap_or(part.len());
    let s = String::from_utf8_lossy(&part[..end]).into_owned();
    if s.is_empty() { None } else { Some(s) }
}

/// A trace found in one region, with its line counted from the region's start.
struct Found {
    rel_line: u64,
    timestamp: Option<String>,
    source_address: Option<String>,
    what: What,
}

/// What scanning one region of the buffer gave.
struct Region {
    found: Vec<Found>,
    /// Line feeds in the region.
    newlines: u64,
    /// First position after the region not to search again (a window ran past it).
    next_search: usize,
}

/// The first bytes of the line that contains `at`: from the line start when it lies at or
/// after `floor`, else the carried prefix (`None`: a line starts at `floor`).
fn line_prefix<'a>(buf: &'a [u8], floor: usize, at: usize, carried: Option<&'a [u8]>) -> &'a [u8] {
    let start = match memchr::memrchr(b'\n', &buf[floor..at]) {
        Some(p) => floor + p + 1,
        None => match carried {
            Some(c) => return c,
            None => floor,
        },
    };
    let line = &buf[start..(start + lineinfo::PREFIX_LEN).min(buf.len())];
    &line[..memchr::memchr(b'\n', line).unwrap_or(line.len())]
}

/// Scans the anchors and markers that start in `buf[from..to]` (windows may read on to the
/// end of `buf`). `carried` is the start of the line that began before `from`; `None` when
/// a line starts at `from`.
/// `eof` tells whether the data in `buf` ends the stream.
fn scan_region(
    m: &Matcher,
    buf: &[u8],
    from: usize,
    to: usize,
    search_from: usize,
    eof: bool,
    carried: Option<&[u8]>,
) -> Region {
    let mut found = Vec::new();
    let mut line = 0u64;
    let mut pos = from;
    let advance = |line: &mut u64, pos: &mut usize, to: usize| {
        if to > *pos {
            *line += memchr::memchr_iter(b'\n', &buf[*pos..to]).count() as u64;
            *pos = to;
        }
    };
    // Signs of execution, found first (few), then merged with the anchors by position;
    // the HTML-reference starts join the anchor candidates.
    let (ents, marks): (Vec<_>, Vec<_>) = m
        .markers
        .find_iter(Input::new(buf).span(from..buf.len()))
        .take_while(|h| h.start() < to)
        .map(|h| {
            let k = m
                .kinds
                .get(h.pattern().as_usize())
                .copied()
                .unwrap_or(Anchor::Marker(ExecutionMarker::JndiLookupFrame));
            (h.start(), h.end(), k)
        })
        .partition(|(_, _, k)| *k == Anchor::EncodedDollar);
    let mut mi = 0;
    let mut ei = 0;
    let mut search = search_from.max(from);
    loop {
        while ei < ents.len() && ents[ei].0 < search {
            ei += 1;
        }
        let byte = if search < to {
            memchr::memchr3(b'$', b'%', b'\\', &buf[search..to]).map(|p| search + p)
        } else {
            None
        };
        let cand = match (byte, ents.get(ei).map(|e| e.0)) {
            (Some(b), Some(e)) => Some(b.min(e)),
            (b, e) => b.or(e),
        };
        // Markers before the next candidate go first.
        while mi < marks.len() && cand.is_none_or(|c| marks[mi].0 < c) {
            let (a, e, kind) = marks[mi];
            mi += 1;
            let what = match kind {
                Anchor::Marker(marker) => {
                    // The deserialisation sign is only Neo23x0's exact phrase.
                    if marker == ExecutionMarker::BadAttributeValue
                        && !buf[..a].ends_with(b"header with value of ")
                    {
                        continue;
                    }
                    What::Marker { marker, url: None }
                }
                _ => What::Marker {
                    marker: ExecutionMarker::JndiLookupError,
                    url: lookup_error_url(&buf[e..]),
                },
            };
            if kind == Anchor::LookupError && !buf[..a].ends_with(b"Error looking up ") {
                continue;
            }
            advance(&mut line, &mut pos, a);
            let prefix = line_prefix(buf, from, a, carried);
            found.push(Found {
                rel_line: line,
                timestamp: lineinfo::timestamp(prefix),
                source_address: lineinfo::source_address(prefix),
                what,
            });
        }
        let Some(a) = cand else { break };
        let Some((kind, len)) = anchor_at(buf, a) else {
            search = a + 1;
            continue;
        };
        if kind == Anchor::Dollar
            && let Some(tlen) = decode::plain_template_len(&buf[a..])
        {
            search = a + tlen;
            continue;
        }
        // An encoded `$` starts a lookup only when `{` or another escape follows
        // (`%24filter` in an OData query does not).
        if kind == Anchor::EncodedDollar
            && !matches!(buf.get(a + len), Some(b'{' | b'%' | b'\\' | b'&'))
        {
            search = a + len;
            continue;
        }
        let hard_end = (a + MAX_WINDOW).min(buf.len());
        let (end, cut) = match memchr::memchr(b'\n', &buf[a..hard_end]) {
            Some(p) => (a + p, false),
            None => (hard_end, hard_end < buf.len() || !eof),
        };
        let mut wend = end;
        if wend > a && buf[wend - 1] == b'\r' {
            wend -= 1;
        }
        let w = decode::decode_window(&buf[a..wend], cut);
        if !w.hits.is_empty() {
            advance(&mut line, &mut pos, a);
            let prefix = line_prefix(buf, from, a, carried);
            let ts = lineinfo::timestamp(prefix);
            let src = lineinfo::source_address(prefix);
            for h in w.hits {
                found.push(Found {
                    rel_line: line,
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
    advance(&mut line, &mut pos, to);
    Region {
        found,
        newlines: line,
        next_search: search,
    }
}

/// Regions smaller than this are not split between threads.
const SPLIT_MIN: usize = 256 * 1024;

/// Scans a text stream; calls `on` for every trace, in order. Returns the bytes scanned.
///
/// Each buffer is split at a line feed into two halves scanned on two threads (windows end
/// at line ends, so the halves are independent); line numbers are joined afterwards.
///
/// # Errors
/// Read errors of the underlying stream (traces found before the error were reported).
pub fn scan_stream<R: Read + ?Sized>(r: &mut R, on: &mut dyn FnMut(Event)) -> io::Result<u64> {
    let Some(m) = matcher() else {
        return Err(io::Error::other("marker automaton could not be built"));
    };
    let mut buf = vec![0u8; BUF_LEN];
    let mut data_end = 0usize;
    let mut total = 0u64;
    let mut line_base = 1u64;
    // The first bytes of the line that continues at the start of the buffer.
    let mut carried: Option<Vec<u8>> = None;
    // Anchors before this position were covered by a decoded window.
    let mut skip_to = 0usize;
    loop {
        let (n, err) = fill(r, &mut buf[data_end..]);
        data_end += n;
        total += n as u64;
        let eof = data_end < buf.len() || err.is_some();
        let limit = if eof {
            data_end
        } else {
            data_end.saturating_sub(MARGIN)
        };
        let data = &buf[..data_end];
        let split = if limit >= 2 * SPLIT_MIN {
            memchr::memchr(b'\n', &data[limit / 2..limit]).map(|p| limit / 2 + p + 1)
        } else {
            None
        };
        let regions = match split {
            Some(sp) => {
                let (a, b) = rayon::join(
                    || scan_region(m, data, 0, sp, skip_to, eof, carried.as_deref()),
                    || scan_region(m, data, sp, limit, sp, eof, None),
                );
                vec![a, b]
            }
            None => vec![scan_region(
                m,
                data,
                0,
                limit,
                skip_to,
                eof,
                carried.as_deref(),
            )],
        };
        let mut next_search = 0;
        for reg in regions {
            for f in reg.found {
                on(Event {
                    line: line_base + f.rel_line,
                    timestamp: f.timestamp,
                    source_address: f.source_address,
                    what: f.what,
                });
            }
            line_base += reg.newlines;
            next_search = reg.next_search;
        }
        if let Some(e) = err {
            return Err(e);
        }
        if eof {
            return Ok(total);
        }
        // Keep the current line's first bytes before its start leaves the buffer.
        if limit > 0 && data[limit - 1] == b'\n' {
            carried = None;
        } else if let Some(p) = memchr::memrchr(b'\n', &data[..limit]) {
            let s = p + 1;
            let line = &data[s..(s + lineinfo::PREFIX_LEN).min(data_end)];
            carried = Some(line[..memchr::memchr(b'\n', line).unwrap_or(line.len())].to_vec());
        } else if carried.is_none() {
            // The buffer began a line that has not ended yet.
            let line = &data[..lineinfo::PREFIX_LEN.min(data_end)];
            carried = Some(line.to_vec());
        }
        buf.copy_within(limit..data_end, 0);
        data_end -= limit;
        skip_to = next_search.saturating_sub(limit);
    }
}
