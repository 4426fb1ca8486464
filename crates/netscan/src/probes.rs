//! Identification probes. Each reads at most [`MAX_READ_BYTES`] and finishes within the
//! probe time limit; each sends only what its protocol needs to name itself. Protocol
//! messages are built by hand where no maintained crate speaks the old dialect (SMB1, the
//! X.224 connection request, the DICOM association request: a few fixed bytes each), and so
//! is NTLM's first message: the SMB probe asks the server's operating system with an
//! NTLMSSP NEGOTIATE (no user, no password) and reads the VERSION of its CHALLENGE; the
//! third message, which would log in, is never sent.

use std::net::SocketAddr;
use std::time::Duration;

use praxcheck_model::{FactValue, NetProbe, TlsFacts};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::MAX_READ_BYTES;
use crate::engine::{Conn, Connect, Gate};

/// Options of the probes.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    /// Time limit of one probe.
    pub timeout: Duration,
    /// Whether the anonymous FTP login may be tried.
    pub anonymous_ftp: bool,
}

/// What a probe found.
#[derive(Debug, Clone, Default)]
pub struct ProbeReport {
    /// The service identified.
    pub identified: Option<String>,
    /// Product and version.
    pub product: Option<String>,
    /// First banner line, printable.
    pub banner: Option<String>,
    /// TLS facts.
    pub tls: Option<TlsFacts>,
    /// Probe results.
    pub probes: Vec<NetProbe>,
}

impl ProbeReport {
    pub(crate) fn fact(&mut self, key: &str, value: FactValue, evidence: impl Into<String>) {
        let mut evidence = evidence.into();
        cap(&mut evidence, 200);
        self.probes.push(NetProbe {
            key: key.to_owned(),
            value,
            evidence,
        });
    }
    pub(crate) fn id(&mut self, name: &str) {
        self.identified = Some(name.to_owned());
    }
}

fn cap(s: &mut String, n: usize) {
    if s.len() > n {
        let mut end = n;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
}

/// Printable ASCII of the first line, at most 120 characters.
#[must_use]
pub fn printable_line(b: &[u8]) -> String {
    let line = b
        .split(|&c| c == b'\n')
        .find(|l| l.iter().any(|c| c.is_ascii_graphic()))
        .unwrap_or(b"");
    let mut s: String = line
        .iter()
        .filter(|c| c.is_ascii_graphic() || **c == b' ')
        .map(|&c| char::from(c))
        .collect();
    cap(&mut s, 120);
    s.trim().to_owned()
}

/// Reads until `done(bytes)` says enough, EOF, the cap, or the deadline.
pub(crate) async fn read_until(
    s: &mut TcpStream,
    deadline: Instant,
    max: usize,
    done: impl Fn(&[u8]) -> bool,
) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 2048];
    while buf.len() < max && !done(&buf) {
        match tokio::time::timeout_at(deadline, s.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n.min(max - buf.len())]),
            _ => break,
        }
    }
    buf
}

pub(crate) async fn send(s: &mut TcpStream, deadline: Instant, bytes: &[u8]) -> bool {
    matches!(
        tokio::time::timeout_at(deadline, s.write_all(bytes)).await,
        Ok(Ok(()))
    )
}

fn has_line(b: &[u8]) -> bool {
    b.contains(&b'\n')
}

/// Runs the named probe on an open connection.
pub async fn run(
    probe: &str,
    conn: Conn,
    addr: SocketAddr,
    gate: &Gate,
    o: &ProbeOptions,
) -> ProbeReport {
    let deadline = Instant::now() + o.timeout;
    match probe {
        "banner" | "telnet" | "mysql" => banner(conn, deadline, probe).await,
        "ftp" => ftp(conn, deadline, o.anonymous_ftp).await,
        "http" => http(conn, addr, deadline).await,
        "https" => crate::tls::https(conn, addr, gate, o).await,
        "smb" => smb(conn, addr, gate, o).await,
        "rdp" => rdp(conn, deadline).await,
        "vnc" => vnc(conn, deadline).await,
        "dicom" => dicom(conn, deadline).await,
        "hl7" => hl7(conn, deadline).await,
        "netbios" => netbios(conn, deadline).await,
        "mssql" => crate::dbprobes::mssql(conn, deadline).await,
        "postgresql" => crate::dbprobes::postgresql(conn, addr, gate, o.timeout).await,
        "firebird" => crate::dbprobes::firebird(conn, deadline).await,
        // `connect_only` and unknown probe names: connected and closed, nothing sent.
        _ => ProbeReport::default(),
    }
}

async fn banner(mut conn: Conn, deadline: Instant, kind: &str) -> ProbeReport {
    let b = read_until(&mut conn.stream, deadline, 1024, has_line).await;
    classify_banner(&b, kind)
}

/// Names a service from its greeting. Pure, for tests.
#[must_use]
pub fn classify_banner(b: &[u8], kind: &str) -> ProbeReport {
    let mut r = ProbeReport::default();
    if b.is_empty() {
        return r;
    }
    let line = printable_line(b);
    if b.starts_with(b"SSH-") {
        r.id("ssh");
        r.product = line
            .strip_prefix("SSH-2.0-")
            .or_else(|| line.strip_prefix("SSH-1.99-"))
            .map(|p| p.split(' ').next().unwrap_or(p).to_owned());
    } else if b.first() == Some(&0xff)
        || (kind == "telnet" && line.to_ascii_lowercase().contains("login"))
    {
        r.id("telnet");
        r.fact(
            "telnet.open",
            FactValue::Bool(true),
            format!(
                "greeting: {}",
                printable_line(
                    &b[b.iter()
                        .take_while(|c| **c == 0xff || **c < 0x20 || **c >= 0x80)
                        .count()
                        .min(b.len())..]
                )
            ),
        );
    } else if b.len() > 5
        && b[4] == 0x0a
        && usize::from(b[0]) + usize::from(b[1]) * 256 + 4 <= b.len().max(5) + 1024
    {
        // MySQL/MariaDB handshake: 3-byte length, sequence 0, protocol 10, version NUL-ended.
        let v: Vec<u8> = b[5..].iter().take_while(|c| **c != 0).copied().collect();
        let v = String::from_utf8_lossy(&v).into_owned();
        r.id("mysql");
        r.product = Some(v.clone());
        r.fact(
            "mysql.version",
            FactValue::Text(v.clone()),
            format!("handshake version {v}"),
        );
        return r;
    } else if line.starts_with("220") && line.to_ascii_uppercase().contains("SMTP") {
        r.id("smtp");
    } else if line.starts_with("220") {
        r.id("ftp");
    }
    r.banner = Some(line);
    r
}

async fn ftp(mut conn: Conn, deadline: Instant, anonymous: bool) -> ProbeReport {
    let s = &mut conn.stream;
    let b = read_until(s, deadline, 1024, has_line).await;
    let mut r = classify_banner(&b, "ftp");
    if !b.starts_with(b"220") {
        return r;
    }
    r.id("ftp");
    if !anonymous {
        return r;
    }
    // The public "anonymous" convention: the only login praxcheck ever sends.
    if !send(s, deadline, b"USER anonymous\r\n").await {
        return r;
    }
    let a = read_until(s, deadline, 1024, has_line).await;
    let mut allowed = a.starts_with(b"230");
    let mut evidence = format!("USER anonymous -> {}", printable_line(&a));
    if a.starts_with(b"331") && send(s, deadline, b"PASS praxcheck@\r\n").await {
        let p = read_until(s, deadline, 1024, has_line).await;
        allowed = p.starts_with(b"230");
        evidence.push_str(&format!("; PASS -> {}", printable_line(&p)));
    }
    if a.is_empty() {
        return r;
    }
    let _ = send(s, deadline, b"QUIT\r\n").await;
    r.fact("ftp.anonymous_login", FactValue::Bool(allowed), evidence);
    r
}

/// What an HTTP response head and the start of its body say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpFacts {
    /// Status code.
    pub status: u16,
    /// `Server` header.
    pub server: Option<String>,
    /// `Location` header.
    pub location: Option<String>,
    /// The page title.
    pub title: Option<String>,
    /// The page holds a password field or a login word in its title.
    pub login_page: bool,
}

/// Parses an HTTP response (head and a capped body). Pure.
#[must_use]
pub fn parse_http(b: &[u8]) -> Option<HttpFacts> {
    if !b.starts_with(b"HTTP/") {
        return None;
    }
    let text = String::from_utf8_lossy(b);
    let mut lines = text.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let mut f = HttpFacts {
        status,
        ..HttpFacts::default()
    };
    for l in lines.by_ref() {
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            let mut v = v.trim().to_owned();
            cap(&mut v, 200);
            match k.trim().to_ascii_lowercase().as_str() {
                "server" => f.server = Some(v),
                "location" => f.location = Some(v),
                _ => {}
            }
        }
    }
    let lower = text.to_ascii_lowercase();
    if let (Some(s), Some(e)) = (lower.find("<title>"), lower.find("</title>"))
        && e > s + 7
    {
        let mut t: String = text[s + 7..e]
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        cap(&mut t, 120);
        f.title = Some(t);
    }
    let title = f.title.as_deref().unwrap_or("").to_ascii_lowercase();
    f.login_page = lower.contains("type=\"password\"")
        || lower.contains("type='password'")
        || lower.contains("type=password")
        || [
            "login", "anmeld", "admin", "password", "passwort", "kennwort",
        ]
        .iter()
        .any(|w| title.contains(w));
    Some(f)
}

pub(crate) fn http_request(addr: SocketAddr, path: &str) -> Vec<u8> {
    let host = match addr {
        SocketAddr::V4(a) => a.ip().to_string(),
        SocketAddr::V6(a) => format!("[{}]", a.ip()),
    };
    format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: praxcheck\r\nAccept: */*\r\nConnection: close\r\n\r\n").into_bytes()
}

/// Reads an HTTP response head plus up to 8 KiB of body.
pub(crate) fn http_done(b: &[u8]) -> bool {
    b.windows(4)
        .position(|w| w == b"\r\n\r\n")
        .is_some_and(|p| b.len() >= p + 4 + 8192)
}

pub(crate) fn http_report(r: &mut ProbeReport, b: &[u8], tls: bool) {
    let Some(f) = parse_http(b) else {
        if !b.is_empty() {
            r.banner = Some(printable_line(b));
        }
        return;
    };
    r.id(if tls { "https" } else { "http" });
    r.product.clone_from(&f.server);
    r.banner = f.title.clone();
    let redirect = (300..400).contains(&f.status)
        && f.location
            .as_deref()
            .is_some_and(|l| l.to_ascii_lowercase().starts_with("https://"));
    if !tls {
        r.fact(
            "http.redirects_to_https",
            FactValue::Bool(redirect),
            format!(
                "status {} location {}",
                f.status,
                f.location.as_deref().unwrap_or("-")
            ),
        );
        r.fact(
            "http.plaintext_login",
            FactValue::Bool(f.login_page && !redirect),
            format!("title {:?}", f.title.as_deref().unwrap_or("")),
        );
    }
}

async fn http(mut conn: Conn, addr: SocketAddr, deadline: Instant) -> ProbeReport {
    let mut r = ProbeReport::default();
    if !send(&mut conn.stream, deadline, &http_request(addr, "/")).await {
        return r;
    }
    let b = read_until(&mut conn.stream, deadline, MAX_READ_BYTES, http_done).await;
    http_report(&mut r, &b, false);
    r
}

/// SMB1 NEGOTIATE offering only "NT LM 0.12" (NetBIOS session header, 32-byte SMB header
/// with flags 0x18 and flags2 0xC801, no words, one dialect). No crate speaks SMB1.
pub const SMB1_NEGOTIATE: [u8; 51] = [
    0x00, 0x00, 0x00, 0x2f, 0xff, b'S', b'M', b'B', 0x72, 0, 0, 0, 0, 0x18, 0x01, 0xc8, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x0c, 0x00, 0x02, b'N', b'T', b' ', b'L',
    b'M', b' ', b'0', b'.', b'1', b'2', 0x00,
];

/// SMB2 NEGOTIATE offering 2.0.2, 2.1, 3.0 and 3.0.2 with signing enabled (not required).
#[must_use]
pub fn smb2_negotiate() -> Vec<u8> {
    let mut m = vec![0u8; 4];
    let mut h = vec![0u8; 64];
    h[..4].copy_from_slice(b"\xfeSMB");
    h[4] = 64; // StructureSize
    h[14] = 1; // Credits requested
    m.extend_from_slice(&h);
    let mut n = vec![0u8; 36];
    n[0] = 36; // StructureSize
    n[2] = 4; // DialectCount
    n[4] = 1; // SecurityMode: signing enabled
    n[12..28].copy_from_slice(b"praxcheck-netscn"); // ClientGuid
    m.extend_from_slice(&n);
    for d in [0x0202u16, 0x0210, 0x0300, 0x0302] {
        m.extend_from_slice(&d.to_le_bytes());
    }
    let len = u32::try_from(m.len() - 4).unwrap_or(0).to_be_bytes();
    m[1..4].copy_from_slice(&len[1..]);
    m
}

/// Whether an SMB1 NEGOTIATE answer accepts "NT LM 0.12": `Some(true)` for status 0,
/// WordCount 17 and DialectIndex 0; `Some(false)` for an SMB1 "no dialect" answer or an
/// SMB2 answer; `None` when the bytes are not SMB.
#[must_use]
pub fn smb1_accepted(b: &[u8]) -> Option<bool> {
    if b.len() >= 8 && &b[4..8] == b"\xfeSMB" {
        return Some(false);
    }
    if b.len() < 37 || &b[4..8] != b"\xffSMB" {
        return None;
    }
    let status = u32::from_le_bytes([b[9], b[10], b[11], b[12]]);
    let wc = b[36];
    let idx = b.get(37..39).map(|x| u16::from_le_bytes([x[0], x[1]]));
    Some(status == 0 && wc == 17 && idx == Some(0))
}

/// Signing required from an SMB2 NEGOTIATE answer (SecurityMode bit 0x02).
#[must_use]
pub fn smb2_signing_required(b: &[u8]) -> Option<(bool, u16)> {
    if b.len() < 4 + 64 + 6 || &b[4..8] != b"\xfeSMB" {
        return None;
    }
    let body = &b[68..];
    let mode = u16::from_le_bytes([body[2], body[3]]);
    let dialect = u16::from_le_bytes([body[4], body[5]]);
    Some((mode & 2 != 0, dialect))
}

/// NTLMSSP NEGOTIATE flags (MS-NLMP 2.2.2.5): UNICODE, OEM, REQUEST_TARGET, NTLM,
/// ALWAYS_SIGN, EXTENDED_SESSIONSECURITY, VERSION (so the CHALLENGE carries the server's
/// version), 128, 56.
const NTLM_NEGOTIATE_FLAGS: u32 = 0x0000_0001
    | 0x0000_0002
    | 0x0000_0004
    | 0x0000_0200
    | 0x0000_8000
    | 0x0008_0000
    | NTLM_FLAG_VERSION
    | 0x2000_0000
    | 0x8000_0000;

/// NTLMSSP_NEGOTIATE_VERSION: the message carries a VERSION structure.
const NTLM_FLAG_VERSION: u32 = 0x0200_0000;

/// The NTLMSSP NEGOTIATE message (type 1, MS-NLMP 2.2.1.1): no domain, no workstation, no
/// user and no password — the first of three authentication messages, and the only one
/// praxcheck sends; the connection closes after the server's CHALLENGE.
#[must_use]
pub fn ntlm_negotiate() -> Vec<u8> {
    let mut m = b"NTLMSSP\0".to_vec();
    m.extend(1u32.to_le_bytes());
    m.extend(NTLM_NEGOTIATE_FLAGS.to_le_bytes());
    m.extend([0u8; 16]); // DomainNameFields, WorkstationFields: empty
    m.extend([0, 0, 0, 0, 0, 0, 0, 0x0f]); // VERSION: none of ours, NTLM revision 15
    m
}

/// A DER length (short form below 128, else the long form with one or two bytes).
fn der_len(n: usize) -> Vec<u8> {
    match n {
        0..=0x7f => vec![u8::try_from(n).unwrap_or(0)],
        0x80..=0xff => vec![0x81, u8::try_from(n).unwrap_or(0)],
        _ => {
            let [hi, lo] = u16::try_from(n).unwrap_or(u16::MAX).to_be_bytes();
            vec![0x82, hi, lo]
        }
    }
}

fn der(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    v.extend(der_len(body.len()));
    v.extend_from_slice(body);
    v
}

/// The SPNEGO NegTokenInit (RFC 4178) that offers only NTLMSSP
/// (1.3.6.1.4.1.311.2.2.10) and carries [`ntlm_negotiate`] as its mechToken.
#[must_use]
pub fn spnego_ntlm_negotiate() -> Vec<u8> {
    const SPNEGO_OID: [u8; 6] = [0x2b, 0x06, 0x01, 0x05, 0x05, 0x02];
    const NTLMSSP_OID: [u8; 10] = [0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a];
    let mech_types = der(0xa0, &der(0x30, &der(0x06, &NTLMSSP_OID)));
    let mech_token = der(0xa2, &der(0x04, &ntlm_negotiate()));
    let init = der(0xa0, &der(0x30, &[mech_types, mech_token].concat()));
    der(0x60, &[der(0x06, &SPNEGO_OID), init].concat())
}

/// SMB2 SESSION_SETUP (MS-SMB2 2.2.5, message id 1, after the NEGOTIATE) whose security
/// buffer is [`spnego_ntlm_negotiate`]: the server answers with its NTLMSSP CHALLENGE.
#[must_use]
pub fn smb2_session_setup_ntlm() -> Vec<u8> {
    let blob = spnego_ntlm_negotiate();
    let mut m = vec![0u8; 4];
    let mut h = vec![0u8; 64];
    h[..4].copy_from_slice(b"\xfeSMB");
    h[4] = 64; // StructureSize
    h[12] = 1; // Command: SESSION_SETUP
    h[14] = 1; // Credits requested
    h[24] = 1; // MessageId 1
    m.extend_from_slice(&h);
    let mut s = vec![0u8; 24];
    s[0] = 25; // StructureSize
    s[3] = 1; // SecurityMode: signing enabled
    s[12..14].copy_from_slice(&(64u16 + 24).to_le_bytes()); // SecurityBufferOffset
    s[14..16].copy_from_slice(&u16::try_from(blob.len()).unwrap_or(0).to_le_bytes());
    m.extend_from_slice(&s);
    m.extend_from_slice(&blob);
    let len = u32::try_from(m.len() - 4).unwrap_or(0).to_be_bytes();
    m[1..4].copy_from_slice(&len[1..]);
    m
}

/// The security buffer of an SMB2 SESSION_SETUP answer (NetBIOS header first), within the
/// bytes read; `None` for anything else or an offset that points outside them.
#[must_use]
pub fn smb2_session_setup_blob(b: &[u8]) -> Option<&[u8]> {
    let smb = b.get(4..)?;
    let command = smb.get(12..14)?;
    if smb.get(..4)? != b"\xfeSMB" || u16::from_le_bytes([command[0], command[1]]) != 1 {
        return None;
    }
    let body = smb.get(64..72)?;
    if u16::from_le_bytes([body[0], body[1]]) != 9 {
        return None;
    }
    let off = usize::from(u16::from_le_bytes([body[4], body[5]]));
    let len = usize::from(u16::from_le_bytes([body[6], body[7]]));
    smb.get(off..off.checked_add(len)?)
}

/// The VERSION structure of an NTLMSSP message (MS-NLMP 2.2.2.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NtlmVersion {
    /// ProductMajorVersion.
    pub major: u8,
    /// ProductMinorVersion.
    pub minor: u8,
    /// ProductBuild.
    pub build: u16,
    /// NTLMRevisionCurrent.
    pub revision: u8,
}

impl NtlmVersion {
    /// The product the version names: Samba answers with a fixed 6.1 build 0 (no Windows
    /// build is 0, `ntlmssp_version_blob` in Samba's source), anything else is Windows.
    #[must_use]
    pub fn product(&self) -> &'static str {
        if self.build == 0 && (self.major, self.minor) == (6, 1) {
            "Samba"
        } else {
            "Windows"
        }
    }
}

/// The server's VERSION from an NTLMSSP CHALLENGE (type 2, MS-NLMP 2.2.1.2) found in `b`
/// (the message may sit inside a SPNEGO answer): `Ok(None)` when the message says it carries
/// none (flag NEGOTIATE_VERSION off, or a payload offset that points into where the VERSION
/// would be), `Err` with the reason when `b` holds no whole CHALLENGE header. Written by
/// hand, like the SMB messages: the NTLM crates on crates.io are whole authentication
/// stacks that go on to log in, and these are eight bytes at a fixed place.
///
/// # Errors
/// No NTLMSSP signature, not a CHALLENGE, or fewer bytes than its fixed header.
pub fn ntlm_challenge_version(b: &[u8]) -> Result<Option<NtlmVersion>, &'static str> {
    let start = b
        .windows(8)
        .position(|w| w == b"NTLMSSP\0")
        .ok_or("no NTLMSSP message")?;
    let m = &b[start..];
    let u16_at = |i: usize| m.get(i..i + 2).map(|x| u16::from_le_bytes([x[0], x[1]]));
    let u32_at = |i: usize| {
        m.get(i..i + 4)
            .map(|x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
    };
    if u32_at(8).ok_or("truncated NTLMSSP message")? != 2 {
        return Err("not an NTLMSSP CHALLENGE");
    }
    // TargetNameFields at 12, NegotiateFlags at 20, TargetInfoFields at 40, VERSION at 48.
    let flags = u32_at(20).ok_or("truncated CHALLENGE")?;
    let (Some(name_len), Some(name_off), Some(info_len), Some(info_off)) =
        (u16_at(12), u32_at(16), u16_at(40), u32_at(44))
    else {
        return Err("truncated CHALLENGE");
    };
    if flags & NTLM_FLAG_VERSION == 0 {
        return Ok(None);
    }
    // A payload that starts before byte 56 overlaps the VERSION: the field is not there.
    let overlaps = |len: u16, off: u32| len > 0 && off < 56;
    if overlaps(name_len, name_off) || overlaps(info_len, info_off) {
        return Ok(None);
    }
    let v = m.get(48..56).ok_or("truncated CHALLENGE: no VERSION")?;
    Ok(Some(NtlmVersion {
        major: v[0],
        minor: v[1],
        build: u16::from_le_bytes([v[2], v[3]]),
        revision: v[7],
    }))
}

/// Adds the facts of an NTLMSSP VERSION read through `via` (`SMB1`, `SMB2`):
/// `smb.os_product` (`Windows`, `Samba`), `smb.os_version` (`major.minor`) and
/// `smb.os_build`.
pub fn smb_os_facts(r: &mut ProbeReport, v: NtlmVersion, via: &str) {
    let ev = format!(
        "{via} NTLMSSP CHALLENGE VERSION {}.{} build {} (NTLM revision {}), before any login",
        v.major, v.minor, v.build, v.revision
    );
    r.fact(
        "smb.os_product",
        FactValue::Text(v.product().to_owned()),
        &ev,
    );
    r.fact(
        "smb.os_version",
        FactValue::Text(format!("{}.{}", v.major, v.minor)),
        &ev,
    );
    r.fact("smb.os_build", FactValue::Int(i64::from(v.build)), ev);
}

/// SMB1 SESSION_SETUP_ANDX in its extended-security form (MS-SMB 2.2.4.6.1, message id 1,
/// after [`SMB1_NEGOTIATE`], whose flags ask for extended security) whose security blob is
/// [`spnego_ntlm_negotiate`]: for servers that speak SMB1 only (Windows XP and Server 2003,
/// old embedded devices). Empty NativeOS and NativeLanMan: nothing about us.
#[must_use]
pub fn smb1_session_setup_ntlm() -> Vec<u8> {
    let blob = spnego_ntlm_negotiate();
    let mut m = vec![0u8; 4];
    let mut h = SMB1_NEGOTIATE[4..36].to_vec();
    h[4] = 0x73; // SMB_COM_SESSION_SETUP_ANDX
    h[30] = 1; // MID 1
    m.extend_from_slice(&h);
    m.push(12); // WordCount
    m.extend([0xff, 0, 0, 0]); // no AndX command
    m.extend(4356u16.to_le_bytes()); // MaxBufferSize
    m.extend(1u16.to_le_bytes()); // MaxMpxCount
    m.extend(0u16.to_le_bytes()); // VcNumber
    m.extend(0u32.to_le_bytes()); // SessionKey
    m.extend(u16::try_from(blob.len()).unwrap_or(0).to_le_bytes());
    m.extend(0u32.to_le_bytes()); // Reserved
    m.extend(0x8000_0044u32.to_le_bytes()); // EXTENDED_SECURITY, NT_STATUS, UNICODE
    // The strings after the blob are UTF-16, aligned to two bytes from the SMB header.
    let pad = usize::from((32 + 1 + 24 + 2 + blob.len()) % 2 == 1);
    let count = blob.len() + pad + 4;
    m.extend(u16::try_from(count).unwrap_or(0).to_le_bytes());
    m.extend_from_slice(&blob);
    m.extend(std::iter::repeat_n(0u8, pad + 4));
    let len = u32::try_from(m.len() - 4).unwrap_or(0).to_be_bytes();
    m[1..4].copy_from_slice(&len[1..]);
    m
}

/// The security blob of an SMB1 SESSION_SETUP_ANDX answer in its extended-security form
/// (WordCount 4), NetBIOS header first; `None` for anything else or a length past the bytes
/// read.
#[must_use]
pub fn smb1_session_setup_blob(b: &[u8]) -> Option<&[u8]> {
    let smb = b.get(4..)?;
    if smb.get(..5)? != b"\xffSMB\x73" || *smb.get(32)? != 4 {
        return None;
    }
    let words = smb.get(33..41)?;
    let len = usize::from(u16::from_le_bytes([words[6], words[7]]));
    smb.get(43..43usize.checked_add(len)?)
}

fn netbios_done(b: &[u8]) -> bool {
    b.len() >= 4
        && b.len() >= 4 + ((usize::from(b[1]) << 16) | (usize::from(b[2]) << 8) | usize::from(b[3]))
}

async fn smb(mut conn: Conn, addr: SocketAddr, gate: &Gate, o: &ProbeOptions) -> ProbeReport {
    let mut r = ProbeReport::default();
    let deadline = Instant::now() + o.timeout;
    if send(&mut conn.stream, deadline, &SMB1_NEGOTIATE).await {
        let b = read_until(&mut conn.stream, deadline, 4096, netbios_done).await;
        match smb1_accepted(&b) {
            Some(v) => {
                r.id("smb");
                let ev = if b.len() > 38 && b[4] == 0xff {
                    format!(
                        "SMB1 NEGOTIATE answer: status 0x{:08x}, WordCount {}, DialectIndex 0x{:04x}",
                        u32::from_le_bytes([b[9], b[10], b[11], b[12]]),
                        b[36],
                        u16::from_le_bytes([b[37], b[38]])
                    )
                } else {
                    "answered the SMB1 NEGOTIATE in SMB2".to_owned()
                };
                r.fact("smb.v1_accepted", FactValue::Bool(v), ev);
                // SMB1 accepted: the operating system through SMB1's session setup, which
                // reaches servers that speak no SMB2. NEGOTIATE only, as below.
                if v && send(&mut conn.stream, deadline, &smb1_session_setup_ntlm()).await {
                    let b = read_until(&mut conn.stream, deadline, 4096, netbios_done).await;
                    if let Some(Ok(Some(os))) =
                        smb1_session_setup_blob(&b).map(ntlm_challenge_version)
                    {
                        smb_os_facts(&mut r, os, "SMB1");
                    }
                }
            }
            None if b.is_empty() => {
                r.fact(
                    "smb.v1_accepted",
                    FactValue::Bool(false),
                    "connection closed without an answer to the SMB1 NEGOTIATE",
                );
            }
            None => {}
        }
    }
    drop(conn);
    // Signing: a second connection with an SMB2 NEGOTIATE.
    if let Connect::Open(mut c) = gate.connect(addr).await {
        let deadline = Instant::now() + o.timeout;
        if send(&mut c.stream, deadline, &smb2_negotiate()).await {
            let b = read_until(&mut c.stream, deadline, 4096, netbios_done).await;
            if let Some((req, dialect)) = smb2_signing_required(&b) {
                r.id("smb");
                r.fact(
                    "smb.signing_required",
                    FactValue::Bool(req),
                    format!(
                        "SMB2 NEGOTIATE answer: dialect 0x{dialect:04x}, signing {}",
                        if req { "required" } else { "not required" }
                    ),
                );
                // The operating system: the first leg of NTLM authentication (NEGOTIATE)
                // and the server's CHALLENGE, which names its version. Nothing more is sent:
                // no user, no password, no AUTHENTICATE.
                let known = r.probes.iter().any(|p| p.key == "smb.os_build");
                if !known && send(&mut c.stream, deadline, &smb2_session_setup_ntlm()).await {
                    let b = read_until(&mut c.stream, deadline, 4096, netbios_done).await;
                    if let Some(Ok(Some(v))) =
                        smb2_session_setup_blob(&b).map(ntlm_challenge_version)
                    {
                        smb_os_facts(&mut r, v, "SMB2");
                    }
                }
            }
        }
    }
    r
}

/// X.224 Connection Request with an RDP negotiation request for standard RDP security only
/// (requestedProtocols 0): a server that insists on NLA refuses it.
pub const RDP_CR_STANDARD: [u8; 19] = [
    0x03, 0x00, 0x00, 0x13, 0x0e, 0xe0, 0, 0, 0, 0, 0, 0x01, 0x00, 0x08, 0x00, 0, 0, 0, 0,
];

/// Whether an answer to [`RDP_CR_STANDARD`] means NLA is required, with the evidence.
#[must_use]
pub fn rdp_nla_required(b: &[u8]) -> Option<(bool, String)> {
    if b.len() < 11 || b[0] != 3 || b[5] != 0xd0 {
        return None;
    }
    let Some(neg) = b.get(11..19) else {
        return Some((
            false,
            "connection confirm without negotiation: standard RDP security".to_owned(),
        ));
    };
    let v = u32::from_le_bytes([neg[4], neg[5], neg[6], neg[7]]);
    match neg[0] {
        0x02 => Some((
            v & 0x0a != 0,
            format!("RDP_NEG_RSP selectedProtocol {v} for a standard-security request"),
        )),
        0x03 => Some((v == 5 || v == 6, format!("RDP_NEG_FAILURE code {v}"))),
        _ => None,
    }
}

async fn rdp(mut conn: Conn, deadline: Instant) -> ProbeReport {
    let mut r = ProbeReport::default();
    if !send(&mut conn.stream, deadline, &RDP_CR_STANDARD).await {
        return r;
    }
    let b = read_until(&mut conn.stream, deadline, 512, |b| {
        b.len() >= 4 && b.len() >= usize::from(u16::from_be_bytes([b[2], b[3]]))
    })
    .await;
    if let Some((nla, ev)) = rdp_nla_required(&b) {
        r.id("rdp");
        r.fact("rdp.nla_required", FactValue::Bool(nla), ev);
    }
    r
}

/// VNC security types from the server's answer to its own protocol version; type 1 = None.
#[must_use]
pub fn vnc_types(version: &[u8], rest: &[u8]) -> Option<Vec<u8>> {
    if version.ends_with(b"003.003\n") {
        // RFB 3.3: the server picks one type, a u32.
        let t = rest.get(..4)?;
        return Some(vec![t[3]]);
    }
    let n = usize::from(*rest.first()?);
    rest.get(1..=n).map(<[u8]>::to_vec)
}

async fn vnc(mut conn: Conn, deadline: Instant) -> ProbeReport {
    let mut r = ProbeReport::default();
    let s = &mut conn.stream;
    let v = read_until(s, deadline, 12, |b| b.len() >= 12).await;
    if v.len() < 12 || !v.starts_with(b"RFB ") {
        if !v.is_empty() {
            r.banner = Some(printable_line(&v));
        }
        return r;
    }
    r.id("vnc");
    r.product = Some(printable_line(&v));
    let answer: &[u8] = if v.ends_with(b"003.003\n") {
        b"RFB 003.003\n"
    } else if v.ends_with(b"003.007\n") {
        b"RFB 003.007\n"
    } else {
        b"RFB 003.008\n"
    };
    if !send(s, deadline, answer).await {
        return r;
    }
    let rest = read_until(s, deadline, 256, |b| {
        !b.is_empty() && (v.ends_with(b"003.003\n") && b.len() >= 4 || b.len() > usize::from(b[0]))
    })
    .await;
    if let Some(types) = vnc_types(&v, &rest) {
        // Nothing is chosen: the connection closes before any authentication.
        r.fact(
            "vnc.no_auth",
            FactValue::Bool(types.contains(&1)),
            format!("security types {types:?}"),
        );
    }
    r
}

/// An A-ASSOCIATE-RQ for the Verification service with a made-up called AE title
/// (`ANY-SCP`) and calling AE title `PRAXCHECK`: a device that accepts it accepts any title.
#[must_use]
pub fn dicom_associate_rq() -> Vec<u8> {
    fn item(t: u8, body: &[u8]) -> Vec<u8> {
        let mut v = vec![t, 0];
        v.extend_from_slice(&u16::try_from(body.len()).unwrap_or(0).to_be_bytes());
        v.extend_from_slice(body);
        v
    }
    let mut pdu = vec![0x00, 0x01, 0, 0];
    pdu.extend_from_slice(b"ANY-SCP         ");
    pdu.extend_from_slice(b"PRAXCHECK       ");
    pdu.extend_from_slice(&[0u8; 32]);
    pdu.extend(item(0x10, b"1.2.840.10008.3.1.1.1"));
    let mut pc = vec![1, 0, 0, 0];
    pc.extend(item(0x30, b"1.2.840.10008.1.1"));
    pc.extend(item(0x40, b"1.2.840.10008.1.2"));
    pdu.extend(item(0x20, &pc));
    let mut ui = item(0x51, &16384u32.to_be_bytes());
    ui.extend(item(0x52, b"2.25.305828885421131187473440136094549366373"));
    pdu.extend(item(0x50, &ui));
    let mut m = vec![0x01, 0];
    m.extend_from_slice(&u32::try_from(pdu.len()).unwrap_or(0).to_be_bytes());
    m.extend(pdu);
    m
}

async fn dicom(mut conn: Conn, deadline: Instant) -> ProbeReport {
    let mut r = ProbeReport::default();
    let s = &mut conn.stream;
    if !send(s, deadline, &dicom_associate_rq()).await {
        return r;
    }
    let b = read_until(s, deadline, 4096, |b| {
        b.len() >= 6
            && b.len()
                >= 6 + usize::try_from(u32::from_be_bytes([b[2], b[3], b[4], b[5]]))
                    .unwrap_or(usize::MAX)
    })
    .await;
    match b.first() {
        Some(0x02) => {
            r.id("dicom");
            r.fact(
                "dicom.any_ae_accepted",
                FactValue::Bool(true),
                "A-ASSOCIATE-AC for the made-up called AE title ANY-SCP",
            );
            // A-RELEASE-RQ, then the answer (or the time limit).
            if send(s, deadline, &[0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0]).await {
                let _ = read_until(s, deadline, 64, |b| b.len() >= 10).await;
            }
        }
        Some(0x03) => {
            r.id("dicom");
            r.fact(
                "dicom.any_ae_accepted",
                FactValue::Bool(false),
                format!(
                    "A-ASSOCIATE-RJ result {} source {} reason {}",
                    b.get(7).unwrap_or(&0),
                    b.get(8).unwrap_or(&0),
                    b.get(9).unwrap_or(&0)
                ),
            );
        }
        Some(0x07) => r.id("dicom"),
        _ => {}
    }
    r
}

async fn hl7(mut conn: Conn, deadline: Instant) -> ProbeReport {
    let mut r = ProbeReport::default();
    let s = &mut conn.stream;
    // An acknowledgement message: a receiver files nothing for it.
    let msg = b"\x0bMSH|^~\\&|PRAXCHECK|PRAXCHECK|||20260101000000||ACK|PRAXCHECK1|P|2.5\rMSA|AA|PRAXCHECK1\r\x1c\r";
    if !send(s, deadline, msg).await {
        return r;
    }
    let b = read_until(s, deadline, 4096, |b| b.windows(2).any(|w| w == b"\x1c\r")).await;
    if b.first() == Some(&0x0b) && b.windows(4).any(|w| w == b"MSH|") {
        r.id("hl7-mllp");
        let msh = printable_line(&b[1..]);
        r.fact(
            "hl7.unauthenticated_mllp",
            FactValue::Bool(true),
            format!("MLLP answer {}", msh.split('\r').next().unwrap_or("")),
        );
    }
    r
}

/// A NetBIOS name in first-level encoding (RFC 1001 14.1): 16 bytes (padded with spaces,
/// `suffix` last), each split into two nibbles + 'A', with its length byte and terminator.
fn netbios_name(name: &str, suffix: u8) -> Vec<u8> {
    let mut raw = [b' '; 16];
    for (d, s) in raw.iter_mut().zip(name.bytes().take(15)) {
        *d = s;
    }
    raw[15] = suffix;
    let mut v = vec![0x20];
    for b in raw {
        v.push(b'A' + (b >> 4));
        v.push(b'A' + (b & 0x0f));
    }
    v.push(0);
    v
}

/// A NetBIOS session request (RFC 1002 4.3.2) to `*SMBSERVER` from `PRAXCHECK`: the session
/// service names itself by a positive (0x82) or negative (0x83) answer. No SMB is sent.
#[must_use]
pub fn netbios_session_request() -> Vec<u8> {
    let mut body = netbios_name("*SMBSERVER", 0x20);
    body.extend(netbios_name("PRAXCHECK", 0x00));
    let mut m = vec![0x81, 0, 0, u8::try_from(body.len()).unwrap_or(0)];
    m.extend(body);
    m
}

async fn netbios(mut conn: Conn, deadline: Instant) -> ProbeReport {
    let mut r = ProbeReport::default();
    if !send(&mut conn.stream, deadline, &netbios_session_request()).await {
        return r;
    }
    let b = read_until(&mut conn.stream, deadline, 64, |b| b.len() >= 4).await;
    match b.first() {
        Some(0x82) => {
            r.id("netbios-ssn");
            r.banner = Some("NetBIOS session accepted".to_owned());
        }
        Some(0x83) => {
            r.id("netbios-ssn");
            r.banner = Some(format!(
                "NetBIOS session refused (code 0x{:02x})",
                b.get(4).unwrap_or(&0)
            ));
        }
        _ => {}
    }
    r
}
