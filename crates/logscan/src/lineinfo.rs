//! What the start of a log line tells without keeping the line: its timestamp (exactly as
//! written) and, for access logs, the client address.
//!
//! Recognised timestamp forms (at the start of the line, optionally after `[`):
//! ISO 8601 / Log4j (`2021-12-11T10:00:00.123Z`, `2021-12-11 10:00:00,123`, date only),
//! Tomcat/JUL (`11-Dec-2021 10:00:00.123`), German (`11.12.2021 10:00:00`), syslog
//! (`Dec 11 10:00:00`), time only (`10:00:00.123`); and the bracketed Common Log Format
//! time anywhere in the first bytes (`[11/Dec/2021:10:00:00 +0100]`).

use std::net::IpAddr;

/// Bytes of a line start that are looked at.
pub const PREFIX_LEN: usize = 160;

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn digits(b: &[u8], i: usize, n: usize) -> bool {
    b.len() >= i + n && b[i..i + n].iter().all(u8::is_ascii_digit)
}

fn month(b: &[u8], i: usize) -> bool {
    b.len() >= i + 3 && {
        let m = [
            b[i].to_ascii_lowercase(),
            b[i + 1].to_ascii_lowercase(),
            b[i + 2].to_ascii_lowercase(),
        ];
        MONTHS.iter().any(|x| x.as_bytes() == m)
    }
}

/// `HH:MM:SS` with optional `.fff`/`,fff`; returns the end.
fn time_at(b: &[u8], i: usize) -> Option<usize> {
    if !(digits(b, i, 2)
        && b.get(i + 2) == Some(&b':')
        && digits(b, i + 3, 2)
        && b.get(i + 5) == Some(&b':')
        && digits(b, i + 6, 2))
    {
        return None;
    }
    let mut e = i + 8;
    if matches!(b.get(e), Some(b'.' | b',')) && b.get(e + 1).is_some_and(u8::is_ascii_digit) {
        e += 1;
        while b.get(e).is_some_and(u8::is_ascii_digit) && e < i + 18 {
            e += 1;
        }
    }
    Some(e)
}

/// An optional zone after a time: `Z`, `+01:00`, `+0100`, ` +0100`.
fn zone_at(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'Z') => i + 1,
        Some(b'+' | b'-') if digits(b, i + 1, 2) => {
            if b.get(i + 3) == Some(&b':') && digits(b, i + 4, 2) {
                i + 6
            } else if digits(b, i + 3, 2) {
                i + 5
            } else {
                i
            }
        }
        _ => i,
    }
}

fn text(b: &[u8], s: usize, e: usize) -> Option<String> {
    std::str::from_utf8(b.get(s..e)?).ok().map(str::to_owned)
}

/// The timestamp at the start of a line (or the Common Log Format time in brackets).
#[must_use]
pub fn timestamp(line: &[u8]) -> Option<String> {
    let b = &line[..line.len().min(PREFIX_LEN)];
    let s = usize::from(b.first() == Some(&b'['));
    // ISO 8601: 2021-12-11[T ]10:00:00[.fff][zone] or date only.
    if digits(b, s, 4)
        && matches!(b.get(s + 4), Some(b'-' | b'/'))
        && digits(b, s + 5, 2)
        && b.get(s + 7) == b.get(s + 4)
        && digits(b, s + 8, 2)
    {
        let mut e = s + 10;
        if matches!(b.get(e), Some(b'T' | b' '))
            && let Some(te) = time_at(b, e + 1)
        {
            e = zone_at(b, te);
        }
        return text(b, s, e);
    }
    // Tomcat / java.util.logging: 11-Dec-2021 10:00:00.123
    if digits(b, s, 2)
        && b.get(s + 2) == Some(&b'-')
        && month(b, s + 3)
        && b.get(s + 6) == Some(&b'-')
        && digits(b, s + 7, 4)
    {
        let mut e = s + 11;
        if b.get(e) == Some(&b' ')
            && let Some(te) = time_at(b, e + 1)
        {
            e = te;
        }
        return text(b, s, e);
    }
    // German: 11.12.2021 10:00:00
    if digits(b, s, 2)
        && b.get(s + 2) == Some(&b'.')
        && digits(b, s + 3, 2)
        && b.get(s + 5) == Some(&b'.')
        && digits(b, s + 6, 4)
    {
        let mut e = s + 10;
        if b.get(e) == Some(&b' ')
            && let Some(te) = time_at(b, e + 1)
        {
            e = te;
        }
        return text(b, s, e);
    }
    // syslog: Dec 11 10:00:00 / Dec  1 10:00:00
    if month(b, s) && b.get(s + 3) == Some(&b' ') {
        let d = if b.get(s + 4) == Some(&b' ') {
            s + 5
        } else {
            s + 4
        };
        let dd = if digits(b, d, 2) {
            2
        } else {
            usize::from(digits(b, d, 1))
        };
        if dd > 0
            && b.get(d + dd) == Some(&b' ')
            && let Some(te) = time_at(b, d + dd + 1)
        {
            return text(b, s, te);
        }
    }
    // Time only: 10:00:00.123
    if let Some(te) = time_at(b, s) {
        return text(b, s, te);
    }
    // Common Log Format: [11/Dec/2021:10:00:00 +0100]
    let mut from = 0;
    while let Some(p) = memchr::memchr(b'[', &b[from..]) {
        let i = from + p + 1;
        if digits(b, i, 2)
            && b.get(i + 2) == Some(&b'/')
            && month(b, i + 3)
            && b.get(i + 6) == Some(&b'/')
            && digits(b, i + 7, 4)
            && b.get(i + 11) == Some(&b':')
            && let Some(te) = time_at(b, i + 12)
        {
            let e = if b.get(te) == Some(&b' ') {
                let z = zone_at(b, te + 1);
                if z > te + 1 { z } else { te }
            } else {
                te
            };
            return text(b, i, e);
        }
        from = i;
    }
    None
}

/// The client address of an access-log line: the first field, when it is an IP address.
#[must_use]
pub fn source_address(line: &[u8]) -> Option<String> {
    let b = &line[..line.len().min(PREFIX_LEN)];
    let end = b
        .iter()
        .position(|c| c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let first = std::str::from_utf8(&b[..end]).ok()?;
    first.parse::<IpAddr>().ok().map(|ip| ip.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_common_forms() {
        let cases: &[(&str, Option<&str>)] = &[
            ("2021-12-11 [MyApp] - x", Some("2021-12-11")),
            (
                "2021-12-11T10:00:00.123Z INFO x",
                Some("2021-12-11T10:00:00.123Z"),
            ),
            (
                "2021-12-11 10:00:00,123 INFO x",
                Some("2021-12-11 10:00:00,123"),
            ),
            (
                "[2021-12-11 10:00:00+01:00] x",
                Some("2021-12-11 10:00:00+01:00"),
            ),
            (
                "11-Dec-2021 10:00:00.123 SCHWERWIEGEND",
                Some("11-Dec-2021 10:00:00.123"),
            ),
            ("11.12.2021 10:00:00 Praxis", Some("11.12.2021 10:00:00")),
            ("Dec  1 10:00:00 host java[1]", Some("Dec  1 10:00:00")),
            ("10:00:00.123 [main] INFO", Some("10:00:00.123")),
            (
                "203.0.113.9 - - [11/Dec/2021:10:00:00 +0100] \"GET / HTTP/1.1\"",
                Some("11/Dec/2021:10:00:00 +0100"),
            ),
            ("blahblah", None),
            ("${jndi:ldap://x}", None),
        ];
        for (line, want) in cases {
            assert_eq!(timestamp(line.as_bytes()).as_deref(), *want, "{line}");
        }
    }

    #[test]
    fn source_address_only_for_ip_first_fields() {
        assert_eq!(
            source_address(b"203.0.113.9 - - [11/Dec/2021:10:00:00 +0100] x").as_deref(),
            Some("203.0.113.9")
        );
        assert_eq!(
            source_address(b"2001:db8::1 - - [x]").as_deref(),
            Some("2001:db8::1")
        );
        assert_eq!(source_address(b"2021-12-11 10:00:00 x"), None);
        assert_eq!(source_address(b"Patient M\xfcller"), None);
    }
}
