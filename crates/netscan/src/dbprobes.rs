//! The practice databases, identified without a login: each probe sends only the first
//! message of its protocol and reads the server's first answer, which names a version (or
//! at least the product) before any authentication. No user name that exists, no password,
//! no query is ever sent. The messages are a few fixed bytes each, built by hand: the crates
//! that speak these protocols are full clients that go on to log in.
//!
//! * Microsoft SQL Server: a TDS PRELOGIN (MS-TDS 2.2.6.5); the answer's VERSION option holds
//!   major, minor and build.
//! * PostgreSQL: an SSLRequest (answer `S` or `N`: whether TLS is offered), then a startup
//!   packet with an unsupported protocol version 9.0, which every server refuses before it
//!   looks at a user. The error names the protocol range the server supports and the source
//!   file that refused: 2.0–3.0 is PostgreSQL 13 or older, 3.0–3.0 from `postmaster.c` is 14
//!   to 16, from `backend_startup.c` 17, 3.0–3.2 is 18 or newer.
//! * Firebird: an `op_connect` offering wire protocols 10 to 17 for a made-up database file
//!   and user; the accepted protocol names the server's series (10: 2.0 or older, 11: 2.1,
//!   12: 2.5, 13–15: 3.0, 16 and 17: 4.0 or newer — newer protocols are not offered). The
//!   connection closes before `op_attach`. When no version can be read the service is still
//!   recorded as an open Firebird service ("Firebird-Dienst offen").

use std::net::SocketAddr;
use std::time::Duration;

use praxcheck_model::FactValue;
use tokio::time::Instant;

use crate::engine::{Conn, Connect, Gate};
use crate::probes::{ProbeReport, read_until, send};

/// A TDS PRELOGIN message: packet header (type 0x12, status EOM, length), then the options
/// VERSION (6 bytes, zero), ENCRYPTION (1 byte: 2 = not supported), INSTOPT (1 byte: empty
/// instance name), THREADID (4 bytes, zero), the terminator 0xFF, and their data.
#[must_use]
pub fn tds_prelogin() -> Vec<u8> {
    // (token, length) of each option; data follows the 5-byte entries and the terminator.
    let opts: [(u8, u16, &[u8]); 4] = [
        (0x00, 6, &[0, 0, 0, 0, 0, 0]),
        (0x01, 1, &[2]),
        (0x02, 1, &[0]),
        (0x03, 4, &[0, 0, 0, 0]),
    ];
    let mut head = Vec::new();
    let mut data = Vec::new();
    let mut offset = u16::try_from(opts.len() * 5 + 1).unwrap_or(0);
    for (token, len, bytes) in opts {
        head.push(token);
        head.extend_from_slice(&offset.to_be_bytes());
        head.extend_from_slice(&len.to_be_bytes());
        data.extend_from_slice(bytes);
        offset += len;
    }
    head.push(0xff);
    head.extend(data);
    let total = u16::try_from(head.len() + 8).unwrap_or(0);
    let mut m = vec![0x12, 0x01];
    m.extend_from_slice(&total.to_be_bytes());
    m.extend_from_slice(&[0, 0, 0, 0]);
    m.extend(head);
    m
}

/// The server version (`major.minor.build`) from a PRELOGIN answer: a tabular-result packet
/// (type 0x04) whose VERSION option holds major, minor and a big-endian build. Pure.
#[must_use]
pub fn tds_version(b: &[u8]) -> Option<String> {
    if b.len() < 8 || b[0] != 0x04 {
        return None;
    }
    let payload = &b[8..b.len().min(usize::from(u16::from_be_bytes([b[2], b[3]])))];
    let mut i = 0;
    while let Some(&token) = payload.get(i) {
        if token == 0xff {
            break;
        }
        let entry = payload.get(i + 1..i + 5)?;
        let off = usize::from(u16::from_be_bytes([entry[0], entry[1]]));
        let len = usize::from(u16::from_be_bytes([entry[2], entry[3]]));
        if token == 0x00 && len >= 4 {
            let v = payload.get(off..off + 4)?;
            return Some(format!(
                "{}.{}.{}",
                v[0],
                v[1],
                u16::from_be_bytes([v[2], v[3]])
            ));
        }
        i += 5;
    }
    None
}

pub(crate) async fn mssql(mut conn: Conn, deadline: Instant) -> ProbeReport {
    let mut r = ProbeReport::default();
    if !send(&mut conn.stream, deadline, &tds_prelogin()).await {
        return r;
    }
    let b = read_until(&mut conn.stream, deadline, 4096, |b| {
        b.len() >= 4 && b.len() >= usize::from(u16::from_be_bytes([b[2], b[3]]))
    })
    .await;
    if let Some(v) = tds_version(&b) {
        r.id("mssql");
        r.product = Some(format!("Microsoft SQL Server {v}"));
        r.fact(
            "mssql.version",
            FactValue::Text(v.clone()),
            format!("TDS PRELOGIN answer: VERSION {v}"),
        );
    }
    r
}

/// The PostgreSQL SSLRequest (length 8, code 80877103).
pub const PG_SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];

/// A startup packet asking for protocol 9.0, which no server speaks: refused before any user
/// is looked at. It names no user and no database.
pub const PG_STARTUP_9: [u8; 9] = [0, 0, 0, 9, 0, 9, 0, 0, 0];

/// The server's version range from its refusal of [`PG_STARTUP_9`]: an ErrorResponse
/// (`E`) whose message reads `… server supports A to B` and whose `F` field names the source
/// file. Returns the version text (`at most 13`, `14 to 16`, `17`, `at least 18`) and the
/// evidence. Pure.
#[must_use]
pub fn pg_version(b: &[u8]) -> Option<(String, String)> {
    if b.first() != Some(&b'E') || b.len() < 6 {
        return None;
    }
    let mut message = None;
    let mut file = None;
    for field in b[5..].split(|c| *c == 0) {
        let Some((&t, v)) = field.split_first() else {
            continue;
        };
        let v = String::from_utf8_lossy(v).into_owned();
        match t {
            b'M' => message = Some(v),
            b'F' => file = Some(v),
            _ => {}
        }
    }
    let message = message?;
    let range = message.split("server supports ").nth(1)?.trim().to_owned();
    let (lo, hi) = range.split_once(" to ")?;
    let version = if lo.trim() < "3.0" {
        "at most 13".to_owned()
    } else if hi.trim() > "3.0" {
        "at least 18".to_owned()
    } else if file.as_deref() == Some("backend_startup.c") {
        "17".to_owned()
    } else {
        "14 to 16".to_owned()
    };
    let mut ev = format!("startup refused: {message}");
    if let Some(f) = file {
        ev.push_str(&format!(" ({f})"));
    }
    Some((version, ev))
}

pub(crate) async fn postgresql(
    mut conn: Conn,
    addr: SocketAddr,
    gate: &Gate,
    timeout: Duration,
) -> ProbeReport {
    let mut r = ProbeReport::default();
    let deadline = Instant::now() + timeout;
    if send(&mut conn.stream, deadline, &PG_SSL_REQUEST).await {
        let b = read_until(&mut conn.stream, deadline, 1, |b| !b.is_empty()).await;
        if let Some(&c) = b.first()
            && (c == b'S' || c == b'N')
        {
            r.id("postgresql");
            r.fact(
                "postgresql.tls_offered",
                FactValue::Bool(c == b'S'),
                format!("SSLRequest answered {:?}", char::from(c)),
            );
        }
    }
    // Two messages, two connections (one after the other: the first one's permit is back
    // before the second asks for one).
    drop(conn);
    let Connect::Open(mut c) = gate.connect(addr).await else {
        return r;
    };
    let deadline = Instant::now() + timeout;
    if !send(&mut c.stream, deadline, &PG_STARTUP_9).await {
        return r;
    }
    let b = read_until(&mut c.stream, deadline, 1024, |b| {
        b.len() >= 5
            && b.len() > usize::try_from(u32::from_be_bytes([b[1], b[2], b[3], b[4]])).unwrap_or(0)
    })
    .await;
    if let Some((v, ev)) = pg_version(&b) {
        r.id("postgresql");
        r.product = Some(format!("PostgreSQL {v}"));
        r.fact("postgresql.version", FactValue::Text(v), ev);
    }
    r
}

fn xdr_int(m: &mut Vec<u8>, v: u32) {
    m.extend_from_slice(&v.to_be_bytes());
}

fn xdr_bytes(m: &mut Vec<u8>, b: &[u8]) {
    xdr_int(m, u32::try_from(b.len()).unwrap_or(0));
    m.extend_from_slice(b);
    m.resize(m.len() + (4 - b.len() % 4) % 4, 0);
}

/// Wire protocol versions offered by [`firebird_connect`], oldest first (from 11 on with the
/// 0x8000 flag), with the series each one names when the server accepts it.
const FB_PROTOCOLS: [(u32, &str); 7] = [
    (10, "2.0 or older"),
    (0x8000 | 11, "2.1"),
    (0x8000 | 12, "2.5"),
    (0x8000 | 13, "3.0"),
    (0x8000 | 15, "3.0"),
    (0x8000 | 16, "4.0 or newer"),
    (0x8000 | 17, "4.0 or newer"),
];

/// An `op_connect` (1) for `op_attach` (19), connect version 3, generic architecture, the
/// made-up file `praxcheck-probe`, user identification `praxcheck` on host `praxcheck` (no
/// password, no plug-in data), and the protocols of [`FB_PROTOCOLS`] (type 2..5, rising
/// weight).
#[must_use]
pub fn firebird_connect() -> Vec<u8> {
    let mut m = Vec::new();
    xdr_int(&mut m, 1); // op_connect
    xdr_int(&mut m, 19); // op_attach
    xdr_int(&mut m, 3); // CONNECT_VERSION3
    xdr_int(&mut m, 1); // arch_generic
    xdr_bytes(&mut m, b"praxcheck-probe");
    xdr_int(&mut m, u32::try_from(FB_PROTOCOLS.len()).unwrap_or(0));
    // User identification: CNCT_user (1), CNCT_host (4), CNCT_user_verification (6).
    let mut uid = vec![1, 9];
    uid.extend_from_slice(b"praxcheck");
    uid.extend_from_slice(&[4, 9]);
    uid.extend_from_slice(b"praxcheck");
    uid.extend_from_slice(&[6, 0]);
    xdr_bytes(&mut m, &uid);
    for (weight, (version, _)) in (1u32..).zip(FB_PROTOCOLS) {
        for v in [version, 1, 2, 5, weight] {
            xdr_int(&mut m, v);
        }
    }
    m
}

/// The series from an answer to [`firebird_connect`]: `op_accept` (3), `op_accept_data`
/// (94) or `op_cond_accept` (98) followed by the accepted protocol version. Returns the
/// series (`None` for an unknown version) and the evidence; `None` when the bytes are no
/// Firebird answer. `op_reject` (4) is a Firebird answer without a version. Pure.
#[must_use]
pub fn firebird_answer(b: &[u8]) -> Option<(Option<String>, String)> {
    let word = |i: usize| {
        b.get(i * 4..i * 4 + 4)
            .map(|x| u32::from_be_bytes([x[0], x[1], x[2], x[3]]))
    };
    match word(0)? {
        3 | 94 | 98 => {
            let op = word(0)?;
            let v = word(1)?;
            let series = FB_PROTOCOLS
                .iter()
                .find(|(p, _)| *p == v)
                .map(|(_, s)| (*s).to_owned());
            Some((
                series,
                format!("op_connect accepted (op {op}), protocol {}", v & 0x7fff),
            ))
        }
        4 => Some((None, "op_connect rejected (op_reject)".to_owned())),
        _ => None,
    }
}

pub(crate) async fn firebird(mut conn: Conn, deadline: Instant) -> ProbeReport {
    let mut r = ProbeReport::default();
    if !send(&mut conn.stream, deadline, &firebird_connect()).await {
        return r;
    }
    let b = read_until(&mut conn.stream, deadline, 1024, |b| b.len() >= 16).await;
    if let Some((series, ev)) = firebird_answer(&b) {
        r.id("firebird");
        match series {
            Some(s) => {
                r.product = Some(format!("Firebird {s}"));
                r.fact("firebird.version", FactValue::Text(s), ev);
            }
            None => {
                r.banner = Some("Firebird-Dienst offen / Firebird service open".to_owned());
                r.fact("firebird.open", FactValue::Bool(true), ev);
            }
        }
    }
    r
}
