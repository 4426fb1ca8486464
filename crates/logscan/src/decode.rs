//! The decoder: the one place that decides whether text holds a Log4Shell payload.
//!
//! Written by hand because no crate does this: it is a small model of what Log4j 2's
//! `StrSubstitutor` and `Interpolator` do with a message, restricted to what an attacker can
//! use to disguise `${jndi:…}` and bounded against hostile input. A pile of regular
//! expressions cannot follow lookups nested to any depth, defaults that split a word across
//! the nesting, or encodings layered on top of each other.
//!
//! Steps for one window of raw bytes (from an anchor to the end of its line, at most
//! [`MAX_WINDOW`] bytes):
//! 1. bytes to characters: UTF-8 where valid, each invalid byte as Windows-1252 (covers
//!    Latin-1 logs; the payload characters are ASCII either way);
//! 2. escape layers undone until nothing changes (at most [`MAX_ROUNDS`] rounds): percent
//!    encoding (`%24`, `%u0024`, `%C4%B1` as UTF-8), `\uXXXX`, `\xXX`, octal `\044`/`\44`,
//!    `\\`, HTML character references (`&#36;`, `&dollar;`);
//! 3. every `${…}` evaluated like Log4j does: inner lookups first, then the first `:-`
//!    splits name and default, then the prefix before the first `:` picks the lookup.
//!    `lower`, `upper`, `base64` and `date` with a quoted literal are computed; every other
//!    lookup (`env`, `sys`, `::`, `k8s`, any made-up name) is assumed to have no value, so its
//!    default is used, as attackers intend. A `jndi` lookup is the event we look for; its
//!    name is kept as text. Unterminated lookups are closed at the end of the window.
//! 4. a JNDI lookup is reported when its name starts with a protocol Log4j's JNDI can reach
//!    out with ([`PROTOCOLS`]); `${jndi:java:comp/env/…}` in a configuration is not an
//!    attack. When the braces of a payload are broken so that no lookup is named `jndi`, the
//!    text is still reported (as [`Obfuscation::BrokenNesting`]) if the letters `jndi:` plus
//!    a protocol appear once the braces are dropped, starting inside a lookup.
//!
//! Bounds: the window, [`MAX_DEPTH`] nesting levels, [`MAX_STEPS`] characters of work per
//! window, [`MAX_ROUNDS`] escape rounds. Linear in the window size otherwise.

use std::collections::BTreeSet;

use base64::Engine as _;
use praxcheck_model::{Callback, MAX_PAYLOAD_CHARS, Obfuscation};

/// Largest window decoded around one anchor, in bytes.
pub const MAX_WINDOW: usize = 16 * 1024;
/// Deepest lookup nesting that is followed.
pub const MAX_DEPTH: usize = 64;
/// Most escape rounds.
pub const MAX_ROUNDS: usize = 6;
/// Most characters of evaluation work per window.
pub const MAX_STEPS: usize = 1 << 20;

/// JNDI protocols that reach out of the process, longest first for prefix matching.
pub const PROTOCOLS: &[&str] = &[
    "ldaps", "ldap", "rmi", "dns", "iiop", "corba", "nds", "nis", "https", "http",
];

/// Stands for the `${` of a JNDI lookup kept as text.
const JNDI_OPEN: char = '\u{E000}';
/// Stands for the `${` of a lookup without a value, kept as text.
const LIT_OPEN: char = '\u{E001}';

/// A payload found by the decoder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The decoded payload (`${jndi:ldap://host/a}`), at most [`MAX_PAYLOAD_CHARS`]
    /// characters.
    pub payload: String,
    /// Whether the payload was cut.
    pub truncated: bool,
    /// Where it would connect to.
    pub callback: Option<Callback>,
    /// Disguises undone, in the order of [`Obfuscation`].
    pub obfuscation: Vec<Obfuscation>,
}

/// What decoding one window gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Window {
    /// Payloads, in order, without duplicates.
    pub hits: Vec<Hit>,
    /// When the window was cut by [`MAX_WINDOW`] inside an unterminated lookup that began
    /// after the window's start: the raw offset to decode again from.
    pub restart: Option<usize>,
}

/// The flag bit of a disguise: its position in [`Obfuscation::ALL`] (every variant is
/// there; the model's test checks it).
fn bit(o: Obfuscation) -> u32 {
    1 << (o as u32)
}

fn flags_to_vec(flags: u32) -> Vec<Obfuscation> {
    Obfuscation::ALL
        .iter()
        .enumerate()
        .filter(|(i, _)| flags & (1 << i) != 0)
        .map(|(_, o)| *o)
        .collect()
}

/// A character with its raw offset and the disguises that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct C {
    ch: char,
    raw: u32,
    flags: u32,
}

/// Windows-1252 code points for bytes 0x80..=0x9F (the rest of the high half is Latin-1).
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}', '\u{178}',
];

fn cp1252(b: u8) -> char {
    if (0x80..=0x9F).contains(&b) {
        CP1252_HIGH[usize::from(b - 0x80)]
    } else {
        char::from(b)
    }
}

fn sanitize(ch: char) -> char {
    if ch == JNDI_OPEN || ch == LIT_OPEN {
        '\u{FFFD}'
    } else {
        ch
    }
}

/// Step 1: bytes to characters (UTF-8, else Windows-1252 per invalid byte).
fn to_chars(raw: &[u8]) -> Vec<C> {
    let mut out = Vec::with_capacity(raw.len());
    let mut off = 0usize;
    for chunk in raw.utf8_chunks() {
        for (i, ch) in chunk.valid().char_indices() {
            out.push(C {
                ch: sanitize(ch),
                raw: u32::try_from(off + i).unwrap_or(u32::MAX),
                flags: 0,
            });
        }
        off += chunk.valid().len();
        for (i, b) in chunk.invalid().iter().enumerate() {
            out.push(C {
                ch: cp1252(*b),
                raw: u32::try_from(off + i).unwrap_or(u32::MAX),
                flags: 0,
            });
        }
        off += chunk.invalid().len();
    }
    out
}

fn hex_val(c: char) -> Option<u32> {
    c.to_digit(16)
}

fn hex_at(t: &[C], i: usize, n: usize) -> Option<u32> {
    let mut v = 0u32;
    for k in 0..n {
        v = v * 16 + hex_val(t.get(i + k)?.ch)?;
    }
    Some(v)
}

/// Decodes bytes produced by percent escapes: UTF-8 where valid, else Windows-1252.
fn push_bytes(out: &mut Vec<C>, bytes: &[(u8, u32, u32)]) {
    let raw_bytes: Vec<u8> = bytes.iter().map(|b| b.0).collect();
    let mut idx = 0usize;
    for chunk in raw_bytes.utf8_chunks() {
        for ch in chunk.valid().chars() {
            let (_, raw, flags) = bytes[idx];
            out.push(C {
                ch: sanitize(ch),
                raw,
                flags,
            });
            idx += ch.len_utf8();
        }
        for b in chunk.invalid() {
            let (_, raw, flags) = bytes[idx];
            out.push(C {
                ch: cp1252(*b),
                raw,
                flags,
            });
            idx += 1;
        }
    }
}

const NAMED_ENTITIES: &[(&str, char)] = &[
    ("dollar", '$'),
    ("lcub", '{'),
    ("lbrace", '{'),
    ("rcub", '}'),
    ("rbrace", '}'),
    ("colon", ':'),
    ("sol", '/'),
    ("period", '.'),
    ("amp", '&'),
];

/// One round of escape decoding. Returns whether anything changed.
fn unescape_round(t: &[C]) -> (Vec<C>, bool) {
    let url = bit(Obfuscation::UrlEncoding);
    let multi = bit(Obfuscation::MultipleUrlEncoding);
    let mut out = Vec::with_capacity(t.len());
    let mut changed = false;
    let mut i = 0;
    while i < t.len() {
        let c = t[i];
        match c.ch {
            '%' => {
                // A run of %XX bytes, decoded together so that %C4%B1 becomes one character.
                let mut bytes: Vec<(u8, u32, u32)> = Vec::new();
                let mut j = i;
                while j < t.len() && t[j].ch == '%' {
                    let Some(v) = hex_at(t, j + 1, 2) else { break };
                    let prev = t[j].flags;
                    let f = prev | url | if prev & url != 0 { multi } else { 0 };
                    bytes.push((u8::try_from(v).unwrap_or(b'?'), t[j].raw, f));
                    j += 3;
                }
                if bytes.is_empty() {
                    if matches!(t.get(i + 1).map(|c| c.ch), Some('u' | 'U'))
                        && let Some(v) = hex_at(t, i + 2, 4)
                        && let Some(ch) = char::from_u32(v)
                    {
                        let f = c.flags | url | if c.flags & url != 0 { multi } else { 0 };
                        out.push(C {
                            ch: sanitize(ch),
                            raw: c.raw,
                            flags: f,
                        });
                        changed = true;
                        i += 6;
                        continue;
                    }
                    out.push(c);
                    i += 1;
                } else {
                    push_bytes(&mut out, &bytes);
                    changed = true;
                    i = j;
                }
            }
            '\\' => {
                let next = t.get(i + 1).map(|c| c.ch);
                match next {
                    Some('u' | 'U') => {
                        if let Some(v) = hex_at(t, i + 2, 4) {
                            let f = c.flags | bit(Obfuscation::UnicodeEscape);
                            // Surrogate pair written as two escapes.
                            let (ch, used) = if (0xD800..0xDC00).contains(&v)
                                && t.get(i + 6).map(|c| c.ch) == Some('\\')
                                && matches!(t.get(i + 7).map(|c| c.ch), Some('u' | 'U'))
                                && let Some(lo) = hex_at(t, i + 8, 4)
                                && (0xDC00..0xE000).contains(&lo)
                            {
                                let cp = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
                                (char::from_u32(cp).unwrap_or('\u{FFFD}'), 12)
                            } else {
                                (char::from_u32(v).unwrap_or('\u{FFFD}'), 6)
                            };
                            out.push(C {
                                ch: sanitize(ch),
                                raw: c.raw,
                                flags: f,
                            });
                            changed = true;
                            i += used;
                            continue;
                        }
                    }
                    Some('x' | 'X') => {
                        if let Some(v) = hex_at(t, i + 2, 2) {
                            out.push(C {
                                ch: cp1252(u8::try_from(v).unwrap_or(b'?')),
                                raw: c.raw,
                                flags: c.flags | bit(Obfuscation::HexEscape),
                            });
                            changed = true;
                            i += 4;
                            continue;
                        }
                    }
                    Some('0'..='7') => {
                        let mut v = 0u32;
                        let mut n = 0;
                        while n < 3
                            && let Some(d) = t.get(i + 1 + n).and_then(|c| c.ch.to_digit(8))
                        {
                            if v * 8 + d > 0xFF {
                                break;
                            }
                            v = v * 8 + d;
                            n += 1;
                        }
                        out.push(C {
                            ch: cp1252(u8::try_from(v).unwrap_or(b'?')),
                            raw: c.raw,
                            flags: c.flags | bit(Obfuscation::OctalEscape),
                        });
                        changed = true;
                        i += 1 + n;
                        continue;
                    }
                    Some('\\') => {
                        out.push(c);
                        changed = true;
                        i += 2;
                        continue;
                    }
                    _ => {}
                }
                out.push(c);
                i += 1;
            }
            '&' => {
                if let Some((ch, used)) = html_entity(t, i) {
                    out.push(C {
                        ch: sanitize(ch),
                        raw: c.raw,
                        flags: c.flags | bit(Obfuscation::HtmlEntity),
                    });
                    changed = true;
                    i += used;
                } else {
                    out.push(c);
                    i += 1;
                }
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    (out, changed)
}

fn html_entity(t: &[C], i: usize) -> Option<(char, usize)> {
    // Longest entity considered: `&#x0000024;` (11 characters).
    let mut body = String::new();
    let mut end = None;
    for k in 1..12 {
        let ch = t.get(i + k)?.ch;
        if ch == ';' {
            end = Some(k);
            break;
        }
        body.push(ch);
    }
    let end = end?;
    let ch = if let Some(num) = body.strip_prefix('#') {
        let v = if let Some(h) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(h, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        char::from_u32(v)?
    } else {
        let lower = body.to_ascii_lowercase();
        NAMED_ENTITIES.iter().find(|(n, _)| *n == lower)?.1
    };
    Some((ch, end + 1))
}

/// Step 2: escape rounds until stable.
fn unescape(mut t: Vec<C>) -> Vec<C> {
    for _ in 0..MAX_ROUNDS {
        if !t.iter().any(|c| matches!(c.ch, '%' | '\\' | '&')) {
            break;
        }
        let (next, changed) = unescape_round(&t);
        t = next;
        if !changed {
            break;
        }
    }
    t
}

/// A JNDI lookup met during evaluation.
#[derive(Debug, Clone)]
struct Event {
    /// The letters of `jndi` as evaluated (`jNdI`).
    prefix: Vec<C>,
    /// Everything after `jndi:` (substituted), with the flags of its characters.
    name: Vec<C>,
    /// Whether the lookup was closed.
    closed: bool,
    /// Flags of the lookup as a whole (nesting, termination).
    flags: u32,
}

struct Eval {
    events: Vec<Event>,
    steps: usize,
}

fn is_open(t: &[C], i: usize) -> bool {
    t.get(i).map(|c| c.ch) == Some('$') && t.get(i + 1).map(|c| c.ch) == Some('{')
}

fn with_flag(v: &[C], f: u32) -> Vec<C> {
    v.iter()
        .map(|c| C {
            flags: c.flags | f,
            ..*c
        })
        .collect()
}

fn text_of(v: &[C]) -> String {
    v.iter().map(|c| c.ch).collect()
}

impl Eval {
    fn new() -> Self {
        Self {
            events: Vec::new(),
            steps: 0,
        }
    }

    /// Substitutes every lookup in `t` (used for values that Log4j scans again).
    fn eval_text(&mut self, t: &[C], depth: usize) -> Vec<C> {
        let mut out = Vec::with_capacity(t.len());
        let mut i = 0;
        while i < t.len() {
            self.steps += 1;
            if is_open(t, i) && depth < MAX_DEPTH && self.steps < MAX_STEPS {
                let (v, end, _) = self.eval_lookup(t, i, depth + 1);
                out.extend(v);
                i = end;
            } else {
                out.push(t[i]);
                i += 1;
            }
        }
        out
    }

    /// Evaluates the lookup that starts at `start` (`${`). Returns its value, the index
    /// after it, and whether it was closed.
    fn eval_lookup(&mut self, t: &[C], start: usize, depth: usize) -> (Vec<C>, usize, bool) {
        let open_flags = t[start].flags | t.get(start + 1).map_or(0, |c| c.flags);
        let mut content: Vec<C> = Vec::new();
        let mut i = start + 2;
        let mut closed = false;
        // A JNDI lookup's name may contain further JNDI lookups; they are folded into this
        // one when it turns out to be a JNDI lookup too.
        let events_before = self.events.len();
        while i < t.len() {
            self.steps += 1;
            if self.steps >= MAX_STEPS {
                break;
            }
            if is_open(t, i) && depth < MAX_DEPTH {
                let (v, end, _) = self.eval_lookup(t, i, depth + 1);
                content.extend(v);
                i = end;
                continue;
            }
            if t[i].ch == '}' {
                closed = true;
                i += 1;
                break;
            }
            content.push(t[i]);
            i += 1;
        }
        let unterminated = if closed {
            0
        } else {
            bit(Obfuscation::Unterminated)
        };
        let value = self.resolve(
            &content,
            closed,
            open_flags | unterminated,
            events_before,
            depth,
        );
        (value, i, closed)
    }

    fn resolve(
        &mut self,
        content: &[C],
        closed: bool,
        flags: u32,
        events_before: usize,
        depth: usize,
    ) -> Vec<C> {
        // Name and default: split at the first `:-`.
        let split = content
            .windows(2)
            .position(|w| w[0].ch == ':' && w[1].ch == '-');
        let (name, default) = match split {
            Some(p) => (&content[..p], Some(&content[p + 2..])),
            None => (content, None),
        };
        let colon = name.iter().position(|c| c.ch == ':');
        let (prefix, key) = match colon {
            Some(p) => (text_of(&name[..p]).to_lowercase(), &name[p + 1..]),
            None => (String::new(), &name[..0]),
        };
        let mut value: Option<Vec<C>> = None;
        if colon.is_some() {
            match prefix.as_str() {
                "jndi" => {
                    let jndi_key = match colon {
                        Some(p) => &content[p + 1..],
                        None => &content[..0],
                    };
                    let mut f = flags;
                    if self.events.len() > events_before {
                        // JNDI lookups inside this one's name: report the outer one.
                        self.events.truncate(events_before);
                        f |= bit(Obfuscation::NestedJndi);
                    }
                    let prefix_chars = match colon {
                        Some(p) => content[..p].to_vec(),
                        None => Vec::new(),
                    };
                    self.events.push(Event {
                        prefix: prefix_chars,
                        closed,
                        name: jndi_key.to_vec(),
                        flags: f | name.iter().take(4).fold(0, |a, c| a | c.flags),
                    });
                    let mut v = Vec::with_capacity(content.len() + 2);
                    v.push(C {
                        ch: JNDI_OPEN,
                        raw: content.first().map_or(0, |c| c.raw),
                        flags,
                    });
                    v.extend_from_slice(content);
                    if closed {
                        v.push(C {
                            ch: '}',
                            raw: content.last().map_or(0, |c| c.raw),
                            flags,
                        });
                    }
                    return v;
                }
                "lower" => value = Some(map_case(key, false, flags)),
                "upper" => value = Some(map_case(key, true, flags)),
                "base64" => {
                    let s: String = text_of(key)
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .collect();
                    let decoded = base64::engine::general_purpose::STANDARD
                        .decode(s.as_bytes())
                        .or_else(|_| {
                            base64::engine::general_purpose::STANDARD_NO_PAD
                                .decode(s.trim_end_matches('='))
                        })
                        .or_else(|_| {
                            base64::engine::general_purpose::URL_SAFE_NO_PAD
                                .decode(s.trim_end_matches('='))
                        });
                    if let Ok(bytes) = decoded {
                        let raw = key.first().map_or(0, |c| c.raw);
                        let f = flags | bit(Obfuscation::Base64);
                        let chars: Vec<C> = to_chars(&bytes)
                            .into_iter()
                            .map(|c| C {
                                ch: c.ch,
                                raw,
                                flags: f,
                            })
                            .collect();
                        value = Some(self.eval_text(&chars, depth));
                    }
                }
                "date" => {
                    if let Some(lit) = date_literal(key) {
                        value = Some(with_flag(&lit, flags | bit(Obfuscation::DateLookup)));
                    }
                }
                _ => {}
            }
        }
        if let Some(v) = value {
            return v;
        }
        if let Some(d) = default {
            let mut f = flags | bit(Obfuscation::DefaultValue);
            if prefix == "env" {
                f |= bit(Obfuscation::EnvLookup);
            } else if prefix == "sys" {
                f |= bit(Obfuscation::SysLookup);
            }
            return with_flag(d, f);
        }
        // No value: the text stays as it was (with its inner lookups substituted).
        let mut v = Vec::with_capacity(content.len() + 2);
        v.push(C {
            ch: LIT_OPEN,
            raw: content.first().map_or(0, |c| c.raw),
            flags,
        });
        v.extend_from_slice(content);
        if closed {
            v.push(C {
                ch: '}',
                raw: content.last().map_or(0, |c| c.raw),
                flags,
            });
        }
        v
    }
}

fn map_case(key: &[C], upper: bool, flags: u32) -> Vec<C> {
    let mut out = Vec::with_capacity(key.len());
    for c in key {
        let mut f = c.flags | flags | bit(Obfuscation::CaseLookup);
        if upper && c.ch == 'ı' {
            f |= bit(Obfuscation::DotlessI);
        }
        if c.ch == JNDI_OPEN || c.ch == LIT_OPEN {
            out.push(C { flags: f, ..*c });
            continue;
        }
        if upper {
            for u in c.ch.to_uppercase() {
                out.push(C {
                    ch: u,
                    flags: f,
                    ..*c
                });
            }
        } else {
            for l in c.ch.to_lowercase() {
                out.push(C {
                    ch: l,
                    flags: f,
                    ..*c
                });
            }
        }
    }
    out
}

/// The value of a `SimpleDateFormat` pattern that holds only literal text (`'j'`, `'nd'i`
/// is not: `i` is no pattern letter but other letters are). `None` when a date field would
/// be printed.
fn date_literal(key: &[C]) -> Option<Vec<C>> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut quoted = false;
    while i < key.len() {
        let c = key[i];
        if c.ch == '\'' {
            if key.get(i + 1).map(|c| c.ch) == Some('\'') {
                out.push(c);
                i += 2;
                continue;
            }
            quoted = !quoted;
            i += 1;
            continue;
        }
        if !quoted && c.ch.is_ascii_alphabetic() {
            return None;
        }
        out.push(c);
        i += 1;
    }
    Some(out)
}

/// The flat text of evaluated characters (`${` restored).
fn flat(v: &[C]) -> String {
    let mut s = String::with_capacity(v.len() + 8);
    for c in v {
        match c.ch {
            JNDI_OPEN | LIT_OPEN => s.push_str("${"),
            ch => s.push(ch),
        }
    }
    s
}

fn bounded(s: &str) -> (String, bool) {
    if s.chars().count() > MAX_PAYLOAD_CHARS {
        (s.chars().take(MAX_PAYLOAD_CHARS).collect(), true)
    } else {
        (s.to_owned(), false)
    }
}

/// True for a character that ends the address a lookup would contact (`ldap://host/path`):
/// whitespace, control characters, quotes, angle brackets and the separators of log
/// formats. Nothing after it belongs to the lookup's own syntax.
pub(crate) fn ends_address(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '"' | '\'' | '`' | '<' | '>' | ',' | ';' | '|')
}

/// The part of a decoded lookup text that is the lookup's own syntax: from its start through
/// the host and path that would be contacted, ending at the first character that cannot
/// belong to an address ([`ends_address`]). What follows in the log line (a patient's name
/// after an unclosed `${jndi:ldap://host/a`) is never part of it.
pub(crate) fn lookup_syntax(text: &str) -> &str {
    text.char_indices()
        .find(|&(_, c)| ends_address(c))
        .map_or(text, |(i, _)| &text[..i])
}

/// Matches a protocol at the start of `s` (ASCII case-insensitive), followed by a
/// non-alphanumeric character or the end.
fn protocol_at(s: &str) -> Option<&'static str> {
    PROTOCOLS.iter().copied().find(|p| {
        s.len() >= p.len()
            && s.is_char_boundary(p.len())
            && s[..p.len()].eq_ignore_ascii_case(p)
            && !s[p.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

fn is_host_end(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '/' | '?' | '}' | '"' | '\'' | '<' | '>' | '\\' | ',' | ';' | '|'
        )
}

/// Callback from the text after `jndi:` (`ldap://host:1389/a`).
pub(crate) fn parse_callback(after_jndi: &str) -> Option<Callback> {
    let protocol = protocol_at(after_jndi)?;
    let rest = &after_jndi[protocol.len()..];
    // The address starts after `//` when it comes soon, else after the `:`/`/` run.
    let head: String = rest.chars().take(40).collect();
    let start = match head.find("//") {
        Some(p) => p + 2,
        None => rest.len() - rest.trim_start_matches([':', '/']).len(),
    };
    let addr = &rest[start..];
    let mut host = String::new();
    let mut port = None;
    let mut chars = addr.char_indices().peekable();
    if addr.starts_with('[') {
        // IPv6 literal.
        for (_, c) in chars.by_ref() {
            host.push(c);
            if c == ']' || host.len() > 64 {
                break;
            }
        }
    }
    while let Some((i, c)) = chars.next() {
        if c == ':' {
            let digits: String = addr[i + 1..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if !digits.is_empty() {
                port = digits.parse::<u16>().ok();
                break;
            }
            if host.is_empty() {
                continue;
            }
            break;
        }
        if c == '$' && addr[i..].starts_with("${") {
            // A lookup left in the host (its value is unknown): keep it whole.
            let mut level = 0usize;
            let mut ended = false;
            for (_, d) in addr[i..].char_indices() {
                if ends_address(d) || host.len() > 255 {
                    // An unclosed lookup in the host: the address ends here.
                    ended = true;
                    break;
                }
                host.push(d);
                if d == '{' {
                    level += 1;
                } else if d == '}' {
                    level = level.saturating_sub(1);
                    if level == 0 {
                        break;
                    }
                }
            }
            if ended {
                break;
            }
            // Skip what was copied.
            let copied = addr[i..]
                .char_indices()
                .scan(0usize, |lvl, (j, d)| {
                    if d == '{' {
                        *lvl += 1;
                    } else if d == '}' {
                        *lvl = lvl.saturating_sub(1);
                        if *lvl == 0 {
                            return Some(Some(j + d.len_utf8()));
                        }
                    }
                    Some(None)
                })
                .flatten()
                .next()
                .unwrap_or(addr.len() - i);
            while chars.peek().is_some_and(|(j, _)| *j < i + copied) {
                chars.next();
            }
            continue;
        }
        if is_host_end(c) {
            break;
        }
        host.push(c);
        if host.len() > 255 {
            break;
        }
    }
    Some(Callback {
        protocol: protocol.to_owned(),
        host: if host.is_empty() { None } else { Some(host) },
        port,
    })
}

/// Letters of the protocol and `jndi` that are upper case.
fn case_mixed(s: &str) -> bool {
    s.chars().take(12).any(|c| c.is_ascii_uppercase())
}

/// The run of characters after a lookup that belongs to the same token (used when a
/// payload's braces close early: `${jndi:rmi}://host/a}`).
fn continuation(t: &[C], from: usize) -> &[C] {
    let mut end = from;
    while end < t.len() && end - from < 256 {
        let ch = t[end].ch;
        if ch.is_whitespace() || matches!(ch, '"' | '\'' | '<' | '>') {
            break;
        }
        end += 1;
    }
    &t[from..end]
}

fn make_hit(text: &str, after_jndi: &str, flags: u32) -> Hit {
    let mut f = flags;
    if case_mixed(&text.chars().skip(2).take(12).collect::<String>()) {
        f |= bit(Obfuscation::CaseMixing);
    }
    let callback = parse_callback(after_jndi);
    if callback
        .as_ref()
        .and_then(|c| c.host.as_ref())
        .is_some_and(|h| h.contains('#'))
    {
        f |= bit(Obfuscation::HashInHost);
    }
    let (payload, truncated) = bounded(lookup_syntax(text));
    Hit {
        payload,
        truncated,
        callback,
        obfuscation: flags_to_vec(f),
    }
}

/// The decision for one top-level lookup: structural JNDI events first, then the check for
/// broken nesting.
fn hits_for_top(events: &[Event], value: &[C], cont: &[C], out: &mut Vec<Hit>) {
    let mut any = false;
    for ev in events {
        let name_flat = flat(&ev.name);
        // Braces of inner lookups do not separate the protocol from `jndi:` for Log4j's
        // purpose here; the name is checked as written after substitution.
        let stripped = strip_braces(&name_flat);
        if protocol_at(&stripped).is_none() {
            continue;
        }
        let flags = ev.flags | ev.name.iter().fold(0, |a, c| a | c.flags);
        // `${jndi:rmi}://host/a`, `${jndi:ldap{x:-:}//host/a}`: the braces closed before
        // the address; the address follows the lookup.
        let cont_head: String = cont.iter().take(3).map(|c| c.ch).collect();
        let continues = ev.closed
            && !stripped.contains("//")
            && (cont_head.starts_with("//") || cont_head.starts_with(":/"));
        let prefix = flat(&ev.prefix);
        let close = if ev.closed { "}" } else { "" };
        let (text, after) = if continues {
            let c = flat(cont);
            (
                format!("${{{prefix}:{name_flat}{close}{c}"),
                format!("{stripped}{}", strip_braces(&c)),
            )
        } else {
            (format!("${{{prefix}:{name_flat}{close}"), name_flat.clone())
        };
        any = true;
        out.push(make_hit(&text, &after, flags));
    }
    if any {
        return;
    }
    // Broken nesting: drop the braces and look for `jndi:` + protocol starting inside the
    // lookup.
    let inside = flat(value);
    let whole = format!("{inside}{}", flat(cont));
    let mut norm = String::with_capacity(whole.len());
    let mut norm_inside_len = 0;
    let mut idx = 0;
    let wb = whole.as_bytes();
    while idx < wb.len() {
        if wb[idx] == b'$' && wb.get(idx + 1) == Some(&b'{') {
            idx += 2;
        } else if wb[idx] == b'}' {
            idx += 1;
        } else {
            let ch_len = whole[idx..].chars().next().map_or(1, char::len_utf8);
            norm.push_str(&whole[idx..idx + ch_len]);
            idx += ch_len;
        }
        if idx <= inside.len() {
            norm_inside_len = norm.len();
        }
    }
    let lower = norm.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = lower[from..].find("jndi:") {
        let at = from + p;
        if at >= norm_inside_len {
            break;
        }
        let after = &norm[at + 5..];
        if protocol_at(after).is_some() {
            let flags = value.iter().chain(cont.iter()).fold(0, |a, c| a | c.flags)
                | bit(Obfuscation::BrokenNesting);
            // Show the evaluated text from the lookup's start through the address.
            let shown_len = inside.len() + flat(cont).len();
            let shown: String = whole.chars().take(shown_len).collect();
            out.push(make_hit(&shown, after, flags));
            return;
        }
        from = at + 5;
    }
}

fn strip_braces(s: &str) -> String {
    s.replace("${", "").replace('}', "")
}

/// Decodes one window (raw bytes from an anchor to the end of its line).
#[must_use]
pub fn decode_window(raw: &[u8], cut: bool) -> Window {
    let chars = unescape(to_chars(raw));
    let mut out = Window::default();
    let mut i = 0;
    let mut steps = 0usize;
    while i + 1 < chars.len() {
        if !is_open(&chars, i) {
            i += 1;
            continue;
        }
        let mut ev = Eval::new();
        let (value, end, closed) = ev.eval_lookup(&chars, i, 1);
        steps += ev.steps;
        let cont = continuation(&chars, end);
        let mut hits = Vec::new();
        hits_for_top(&ev.events, &value, cont, &mut hits);
        for h in hits {
            if !out.hits.contains(&h) {
                out.hits.push(h);
            }
        }
        if !closed && cut && i > 0 {
            out.restart = usize::try_from(chars[i].raw).ok();
            break;
        }
        if end <= i || steps >= MAX_STEPS {
            break;
        }
        i = end;
    }
    out
}

/// Decodes a piece of text as one window (for tests and tools).
#[must_use]
pub fn decode_str(text: &str) -> Vec<Hit> {
    decode_bytes(text.as_bytes())
}

/// Decodes bytes exactly the way the scanner does (anchor search, plain-template fast
/// path, one bounded window per anchor), so tests of the decoder also test which anchors
/// the scanner finds. Each distinct hit once.
#[must_use]
pub fn decode_bytes(bytes: &[u8]) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    let mut r = bytes;
    let _ = crate::stream::scan_stream(&mut r, &mut |e| {
        if let crate::stream::What::Payload(h) = e.what
            && !hits.contains(&h)
        {
            hits.push(h);
        }
    });
    hits
}

/// Length of the raw bytes at the start of `raw` that decode to a `$` (URL encoding at any
/// depth with the `%` and the digits encoded too, `\u`/octal/hex escapes, HTML character
/// references — the same rounds the decoder runs), or `None`. Looks at no more than 64
/// bytes. The scanner asks this for the rare starts its byte checks do not settle
/// (`%25…`, `%26…`, `%5C…`, `&#…`, `&dollar;`).
#[must_use]
pub fn encoded_dollar_len(raw: &[u8]) -> Option<usize> {
    const PREFIX: usize = 64;
    let raw = &raw[..raw.len().min(PREFIX)];
    let t = unescape(to_chars(raw));
    let first = t.first()?;
    if first.ch != '$' || first.raw != 0 || first.flags == 0 {
        return None;
    }
    Some(t.get(1).map_or(raw.len(), |c| c.raw as usize))
}

/// Whether a `${` at the start of `raw` is a plain template that cannot hold a payload,
/// and its length when so. Plain: closed within 256 bytes, ASCII, no nesting or escapes
/// (`$ { \ % &`), not a `jndi` or `base64` lookup, no `jndi` in it and not ending in the
/// start of one (`${x:-j}ndi:` is broken nesting). The slow path finds nothing in such a
/// template (a test checks this on random templates); this only saves time on logs full of
/// `${VAR}` templates.
#[must_use]
pub fn plain_template_len(raw: &[u8]) -> Option<usize> {
    let body = raw.get(2..)?;
    let mut end = None;
    for (k, &b) in body.iter().enumerate().take(256) {
        match b {
            b'}' => {
                end = Some(k);
                break;
            }
            b'$' | b'{' | b'\\' | b'%' | b'&' | b'\n' | b'\r' | 0x80..=0xFF => return None,
            _ => {}
        }
    }
    let end = end?;
    let content = &body[..end];
    if memchr::memchr2(b'j', b'J', content).is_some() {
        let lower = content.to_ascii_lowercase();
        if memchr::memmem::find(&lower, b"jndi").is_some()
            || lower.ends_with(b"j")
            || lower.ends_with(b"jn")
            || lower.ends_with(b"jnd")
        {
            return None;
        }
    }
    if let Some(colon) = memchr::memchr(b':', content) {
        let prefix = &content[..colon];
        if prefix.eq_ignore_ascii_case(b"base64") || prefix.eq_ignore_ascii_case(b"jndi") {
            return None;
        }
    }
    Some(end + 3)
}

/// The flags of a hit as a set (for tests).
#[must_use]
pub fn obfuscation_set(h: &Hit) -> BTreeSet<Obfuscation> {
    h.obfuscation.iter().copied().collect()
}
