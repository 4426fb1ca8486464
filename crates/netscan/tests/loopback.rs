//! The whole scan against fake services on 127.0.0.1 (threads of this test, ephemeral
//! ports mapped through a test port profile): what each probe identifies, the counted
//! limits, that nothing goes outside the targets, that the printer port gets no byte and
//! that no login but anonymous FTP is sent.

#![allow(clippy::unwrap_used)]

mod common;

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use praxcheck_advisories::network::{PortProfile, ProfilePort};
use praxcheck_model::{FactValue, NetworkFacts};
use praxcheck_netscan::engine::{Connect, Gate};
use praxcheck_netscan::{Neighbours, NetOptions, scan};

use common::probe;

type Log = Arc<Mutex<Vec<u8>>>;

/// Starts a fake service; the handler runs once per connection (bounded: the listener
/// thread ends with the test process).
fn serve(handler: impl Fn(&mut TcpStream, &Log) + Send + Sync + 'static) -> (u16, Log) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let log: Log = Arc::default();
    let log2 = Arc::clone(&log);
    let handler = Arc::new(handler);
    thread::spawn(move || {
        for c in l.incoming().take(64) {
            let Ok(mut c) = c else { continue };
            let h = Arc::clone(&handler);
            let log = Arc::clone(&log2);
            thread::spawn(move || {
                let _ = c.set_read_timeout(Some(Duration::from_secs(5)));
                h(&mut c, &log);
            });
        }
    });
    (port, log)
}

fn read_some(c: &mut TcpStream, log: &Log) -> Vec<u8> {
    let mut b = [0u8; 4096];
    let n = c.read(&mut b).unwrap_or(0);
    log.lock().unwrap().extend_from_slice(&b[..n]);
    b[..n].to_vec()
}

fn smb_answer(c: &mut TcpStream, log: &Log) {
    let req = read_some(c, log);
    if req.get(4..8) == Some(b"\xffSMB") {
        // SMB1 negotiate response: status 0, WordCount 17, DialectIndex 0.
        let mut m = vec![0u8; 4];
        let mut h = vec![0u8; 32];
        h[..4].copy_from_slice(b"\xffSMB");
        h[4] = 0x72;
        m.extend(h);
        m.push(17);
        m.extend([0u8, 0]);
        m.extend(vec![0u8; 34 - 2 + 2]);
        let len = (m.len() - 4) as u32;
        m[1..4].copy_from_slice(&len.to_be_bytes()[1..]);
        let _ = c.write_all(&m);
    } else if req.get(4..8) == Some(b"\xfeSMB") {
        let mut m = vec![0u8; 4];
        let mut h = vec![0u8; 64];
        h[..4].copy_from_slice(b"\xfeSMB");
        m.extend(h);
        let mut body = vec![0u8; 65];
        body[0] = 65;
        body[2] = 1; // signing enabled, not required
        body[4..6].copy_from_slice(&0x0311u16.to_le_bytes());
        m.extend(body);
        let len = (m.len() - 4) as u32;
        m[1..4].copy_from_slice(&len.to_be_bytes()[1..]);
        let _ = c.write_all(&m);
        // The SESSION_SETUP with the NTLMSSP NEGOTIATE: Windows 10 22H2 answers with its
        // CHALLENGE.
        let req = read_some(c, log);
        if req.get(4..8) == Some(b"\xfeSMB") && req.get(16) == Some(&1) {
            let challenge = common::ntlm_challenge(common::WINDOWS_CHALLENGE_FLAGS, 10, 0, 19045);
            let _ = c.write_all(&common::smb2_session_setup_answer(
                &common::spnego_response(&challenge),
            ));
            // Anything further (there must be nothing) is logged.
            let _ = read_some(c, log);
        }
    }
}

struct Lab {
    profile: PortProfile,
    ftp_log: Log,
    printer_log: Log,
    smb_log: Log,
    closed: u16,
}

fn lab() -> Lab {
    let (ssh, _) = serve(|c, _| {
        let _ = c.write_all(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n");
        thread::sleep(Duration::from_millis(200));
    });
    let (ftp, ftp_log) = serve(|c, log| {
        let _ = c.write_all(b"220 Praxis FTP ready\r\n");
        loop {
            let line = read_some(c, log);
            if line.is_empty() {
                return;
            }
            let reply: &[u8] = if line.starts_with(b"USER") {
                b"331 Please specify the password.\r\n"
            } else if line.starts_with(b"PASS") {
                b"230 Login successful.\r\n"
            } else {
                b"221 Goodbye.\r\n"
            };
            let _ = c.write_all(reply);
        }
    });
    let (telnet, _) = serve(|c, _| {
        let _ = c
            .write_all(b"\xff\xfd\x18\xff\xfd\x20\r\nDebian GNU/Linux 12\r\npraxis-server login: ");
        thread::sleep(Duration::from_millis(300));
    });
    let (http, _) = serve(|c, log| {
        let _ = read_some(c, log);
        let _ = c.write_all(b"HTTP/1.0 200 OK\r\nServer: GoAhead-Webs\r\nContent-Type: text/html\r\n\r\n<html><head><title>Router Admin Login</title></head><body><input type=\"password\" name=p></body></html>");
    });
    let (redirect, _) = serve(|c, log| {
        let _ = read_some(c, log);
        let _ = c.write_all(
            b"HTTP/1.1 301 Moved\r\nLocation: https://praxis.local/\r\nContent-Length: 0\r\n\r\n",
        );
    });
    let (smb, smb_log) = serve(smb_answer);
    let (rdp, _) = serve(|c, log| {
        let r = read_some(c, log);
        if r.first() == Some(&3) {
            // Connection confirm with RDP_NEG_RSP selectedProtocol 0: standard security.
            let _ = c.write_all(&[
                3, 0, 0, 19, 14, 0xd0, 0, 0, 0x12, 0x34, 0, 2, 0, 8, 0, 0, 0, 0, 0,
            ]);
        }
    });
    let (vnc, _) = serve(|c, log| {
        let _ = c.write_all(b"RFB 003.008\n");
        let _ = read_some(c, log);
        let _ = c.write_all(&[1, 1]);
        let _ = read_some(c, log);
    });
    let (dicom, _) = serve(|c, log| {
        let r = read_some(c, log);
        if r.first() == Some(&1) {
            let _ = c.write_all(&[2, 0, 0, 0, 0, 4, 0, 1, 0, 0]);
            let rel = read_some(c, log);
            if rel.first() == Some(&5) {
                let _ = c.write_all(&[6, 0, 0, 0, 0, 4, 0, 0, 0, 0]);
            }
        }
    });
    let (dicom_rj, _) = serve(|c, log| {
        let _ = read_some(c, log);
        let _ = c.write_all(&[3, 0, 0, 0, 0, 4, 0, 1, 1, 7]);
    });
    let (hl7, _) = serve(|c, log| {
        let r = read_some(c, log);
        if r.first() == Some(&0x0b) {
            let _ = c.write_all(
                b"\x0bMSH|^~\\&|LAB|PRAXIS|||20250101000000||ACK|1|P|2.5\rMSA|AA|1\r\x1c\r",
            );
        }
    });
    let (mysql, _) = serve(|c, _| {
        let _ = c.write_all(b"J\x00\x00\x00\x0a5.5.5-10.11.6-MariaDB-0+deb12u1\x00abcd");
        thread::sleep(Duration::from_millis(200));
    });
    let (printer, printer_log) = serve(|c, log| {
        let _ = c.set_read_timeout(Some(Duration::from_millis(800)));
        let _ = read_some(c, log);
    });
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let p = |port: u16, service: &str, probe: &str| ProfilePort {
        port,
        service: service.into(),
        probe: probe.into(),
    };
    Lab {
        profile: PortProfile {
            discovery: vec![closed, ssh],
            ports: vec![
                p(ssh, "ssh", "banner"),
                p(ftp, "ftp", "ftp"),
                p(telnet, "telnet", "telnet"),
                p(http, "http", "http"),
                p(redirect, "http-alt", "http"),
                p(smb, "smb", "smb"),
                p(rdp, "rdp", "rdp"),
                p(vnc, "vnc", "vnc"),
                p(dicom, "dicom", "dicom"),
                p(dicom_rj, "dicom", "dicom"),
                p(hl7, "hl7-mllp", "hl7"),
                p(mysql, "mysql", "mysql"),
                p(printer, "jetdirect", "connect_only"),
                p(closed, "rdp", "rdp"),
            ],
        },
        ftp_log,
        printer_log,
        smb_log,
        closed,
    }
}

fn options(lab: &Lab, targets: &[&str]) -> NetOptions {
    common::options(targets, lab.profile.clone())
}

fn port_of(lab: &Lab, probe: &str, n: usize) -> u16 {
    lab.profile
        .ports
        .iter()
        .filter(|p| p.probe == probe)
        .nth(n)
        .unwrap()
        .port
}

#[test]
fn every_probe_identifies_its_fake_and_the_limits_hold() {
    let lab = lab();
    let o = options(&lab, &["127.0.0.1"]);
    let t = Instant::now();
    let facts: NetworkFacts = scan(&o).unwrap();
    let took = t.elapsed();
    assert!(facts.complete);
    assert_eq!(facts.hosts.len(), 1, "{facts:#?}");
    let h = &facts.hosts[0];
    assert_eq!(h.discovered_by, ["tcp_connect"]);
    let id = |port: u16| {
        h.services
            .iter()
            .find(|s| s.port == port)
            .and_then(|s| s.identified.clone())
    };
    assert_eq!(id(port_of(&lab, "banner", 0)).as_deref(), Some("ssh"));
    let ssh = h
        .services
        .iter()
        .find(|s| s.port == port_of(&lab, "banner", 0))
        .unwrap();
    assert_eq!(ssh.product.as_deref(), Some("OpenSSH_9.2p1"));
    assert_eq!(id(port_of(&lab, "telnet", 0)).as_deref(), Some("telnet"));
    assert_eq!(
        probe(h, port_of(&lab, "telnet", 0), "telnet.open"),
        Some(FactValue::Bool(true))
    );
    assert_eq!(
        probe(h, port_of(&lab, "ftp", 0), "ftp.anonymous_login"),
        Some(FactValue::Bool(true))
    );
    assert_eq!(
        probe(h, port_of(&lab, "http", 0), "http.plaintext_login"),
        Some(FactValue::Bool(true))
    );
    assert_eq!(
        probe(h, port_of(&lab, "http", 1), "http.plaintext_login"),
        Some(FactValue::Bool(false))
    );
    assert_eq!(
        probe(h, port_of(&lab, "http", 1), "http.redirects_to_https"),
        Some(FactValue::Bool(true))
    );
    assert_eq!(
        probe(h, port_of(&lab, "smb", 0), "smb.v1_accepted"),
        Some(FactValue::Bool(true))
    );
    assert_eq!(
        probe(h, port_of(&lab, "smb", 0), "smb.signing_required"),
        Some(FactValue::Bool(false))
    );
    assert_eq!(
        probe(h, port_of(&lab, "rdp", 0), "rdp.nla_required"),
        Some(FactValue::Bool(false))
    );
    assert_eq!(
        probe(h, port_of(&lab, "vnc", 0), "vnc.no_auth"),
        Some(FactValue::Bool(true))
    );
    assert_eq!(
        probe(h, port_of(&lab, "dicom", 0), "dicom.any_ae_accepted"),
        Some(FactValue::Bool(true))
    );
    assert_eq!(
        probe(h, port_of(&lab, "dicom", 1), "dicom.any_ae_accepted"),
        Some(FactValue::Bool(false))
    );
    assert_eq!(id(port_of(&lab, "hl7", 0)).as_deref(), Some("hl7-mllp"));
    assert_eq!(
        probe(h, port_of(&lab, "mysql", 0), "mysql.version"),
        Some(FactValue::Text("5.5.5-10.11.6-MariaDB-0+deb12u1".into()))
    );
    // The closed port is absent, the printer port present but identified by nothing.
    assert!(!h.services.iter().any(|s| s.port == lab.closed));
    let printer = h
        .services
        .iter()
        .find(|s| s.expected == "jetdirect")
        .unwrap();
    assert!(printer.identified.is_none() && printer.probes.is_empty());
    thread::sleep(Duration::from_millis(900));
    assert!(
        lab.printer_log.lock().unwrap().is_empty(),
        "the printer port got data"
    );
    // The operating system from the NTLMSSP CHALLENGE, after a NEGOTIATE and nothing more:
    // no AUTHENTICATE (type 3) was sent.
    let smb = port_of(&lab, "smb", 0);
    assert_eq!(
        probe(h, smb, "smb.os_product"),
        Some(FactValue::Text("Windows".into()))
    );
    assert_eq!(
        probe(h, smb, "smb.os_version"),
        Some(FactValue::Text("10.0".into()))
    );
    assert_eq!(probe(h, smb, "smb.os_build"), Some(FactValue::Int(19045)));
    assert_eq!(
        probe(h, smb, "device.product"),
        Some(FactValue::Text("Microsoft Windows".into()))
    );
    let sent = lab.smb_log.lock().unwrap().clone();
    let ntlm: Vec<u8> = sent
        .windows(12)
        .filter(|w| w.starts_with(b"NTLMSSP\0"))
        .map(|w| w[8])
        .collect();
    assert_eq!(ntlm, [1], "NTLMSSP messages sent, by type");
    // The only login: USER anonymous, PASS praxcheck@, QUIT.
    let ftp = String::from_utf8(lab.ftp_log.lock().unwrap().clone()).unwrap();
    assert_eq!(ftp, "USER anonymous\r\nPASS praxcheck@\r\nQUIT\r\n");
    // Counted: discovery (2 ports in one wave of 2) + 14 profile ports + the second SMB
    // connection; 12 probes (not the printer, not the closed port).
    assert_eq!(
        facts.counters.connect_attempts,
        2 + 14 + 1,
        "{:?}",
        facts.counters
    );
    assert_eq!(facts.counters.probes, 12);
    assert_eq!(facts.counters.addresses, 1);
    assert_eq!(facts.limits.per_host_connections, 2);
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[test]
fn without_anonymous_ftp_no_login_is_sent() {
    let lab = lab();
    let mut o = options(&lab, &["127.0.0.1"]);
    o.anonymous_ftp = false;
    let facts = scan(&o).unwrap();
    let h = &facts.hosts[0];
    assert_eq!(
        probe(h, port_of(&lab, "ftp", 0), "ftp.anonymous_login"),
        None
    );
    let ftp = h
        .services
        .iter()
        .find(|s| s.port == port_of(&lab, "ftp", 0))
        .unwrap();
    assert_eq!(ftp.identified.as_deref(), Some("ftp"));
    thread::sleep(Duration::from_millis(100));
    assert!(lab.ftp_log.lock().unwrap().is_empty());
}

#[test]
fn the_gate_refuses_every_address_outside_the_targets_and_bounds_concurrency() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (port, _) = serve(|_, _| thread::sleep(Duration::from_millis(300)));
    let target: IpAddr = "127.0.0.1".parse().unwrap();
    let gate = Arc::new(Gate::new(&[target], 2, 3, Duration::from_millis(500)));
    rt.block_on(async {
        let outside = gate
            .connect(SocketAddr::new("127.0.0.2".parse().unwrap(), port))
            .await;
        assert!(matches!(outside, Connect::NotAllowed));
        // Six connections at once to one host: never more than 2 open together.
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..6 {
            let g = Arc::clone(&gate);
            set.spawn(async move {
                if let Connect::Open(c) = g.connect(SocketAddr::new(target, port)).await {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    drop(c);
                }
            });
        }
        while set.join_next().await.is_some() {}
    });
    assert_eq!(
        gate.refused_outside
            .load(std::sync::atomic::Ordering::Relaxed),
        1
    );
    assert_eq!(gate.attempts.load(std::sync::atomic::Ordering::Relaxed), 6);
    assert!(gate.peak() <= 2, "peak {}", gate.peak());
}

#[test]
fn a_silent_service_costs_one_probe_time_limit_and_the_scan_limit_cuts_off() {
    // Accepts and never speaks: the banner probe ends at its time limit.
    let (silent, _) = serve(|_, _| thread::sleep(Duration::from_secs(3)));
    let mut o = NetOptions::new(vec!["127.0.0.1".into()]).unwrap();
    o.neighbours = Some(Neighbours::new());
    o.profile = PortProfile {
        discovery: vec![silent],
        ports: vec![ProfilePort {
            port: silent,
            service: "ssh".into(),
            probe: "banner".into(),
        }],
    };
    o.probe_timeout = Duration::from_millis(300);
    let t = Instant::now();
    let f = scan(&o).unwrap();
    assert!(
        t.elapsed() < Duration::from_millis(1500),
        "{:?}",
        t.elapsed()
    );
    assert!(f.complete);
    assert!(f.hosts[0].services[0].identified.is_none());
    // A scan limit shorter than the probe: the scan stops, says so, keeps the discovery.
    o.probe_timeout = Duration::from_secs(2);
    o.scan_timeout = Duration::from_millis(400);
    let t = Instant::now();
    let f = scan(&o).unwrap();
    assert!(
        t.elapsed() < Duration::from_millis(1200),
        "{:?}",
        t.elapsed()
    );
    assert!(!f.complete);
}

/// Connections the fakes of [`the_whole_scan_keeps_to_the_per_host_and_overall_limits`] hold
/// open: now and at most, per address and in all.
#[derive(Default)]
struct Held {
    now: [usize; 4],
    peak: [usize; 4],
    total: usize,
    total_peak: usize,
}

#[test]
fn the_whole_scan_keeps_to_the_per_host_and_overall_limits() {
    // Four loopback addresses with three silent services each. A fake counts a connection
    // from its accept until it closes it itself after 400 ms (before the probe's time limit),
    // so it never counts one the scanner already let go: what it sees is at most what the
    // scanner had open. The discovery port is a fake of its own and not counted.
    let addrs = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"];
    let first: Vec<TcpListener> = (0..4)
        .map(|_| TcpListener::bind((addrs[0], 0)).unwrap())
        .collect();
    let ports: Vec<u16> = first
        .iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect();
    let held: Arc<Mutex<Held>> = Arc::default();
    let mut listeners = Vec::new();
    for (h, addr) in addrs.iter().enumerate() {
        for (i, port) in ports.iter().enumerate() {
            let l = if h == 0 {
                first[i].try_clone().unwrap()
            } else {
                TcpListener::bind((*addr, *port)).unwrap()
            };
            listeners.push((h, i > 0, l));
        }
    }
    for (h, counted, l) in listeners {
        let held = Arc::clone(&held);
        thread::spawn(move || {
            for c in l.incoming().take(8) {
                let Ok(mut c) = c else { continue };
                let held = Arc::clone(&held);
                thread::spawn(move || {
                    if counted {
                        let mut x = held.lock().unwrap();
                        x.now[h] += 1;
                        x.peak[h] = x.peak[h].max(x.now[h]);
                        x.total += 1;
                        x.total_peak = x.total_peak.max(x.total);
                    }
                    let _ = c.set_read_timeout(Some(Duration::from_millis(400)));
                    let mut b = [0u8; 64];
                    let _ = c.read(&mut b);
                    if counted {
                        let mut x = held.lock().unwrap();
                        x.now[h] -= 1;
                        x.total -= 1;
                    }
                });
            }
        });
    }
    let profile = PortProfile {
        discovery: vec![ports[0]],
        ports: ports[1..]
            .iter()
            .map(|p| ProfilePort {
                port: *p,
                service: "ssh".into(),
                probe: "banner".into(),
            })
            .collect(),
    };
    let mut o = common::options(&addrs, profile);
    o.per_host = 2;
    o.total = 3;
    let f = scan(&o).unwrap();
    assert!(f.complete);
    assert_eq!(f.hosts.len(), 4, "{f:#?}");
    assert!(f.hosts.iter().all(|h| h.services.len() == 3), "{f:#?}");
    assert_eq!(
        (f.limits.per_host_connections, f.limits.total_connections),
        (2, 3)
    );
    // One discovery connection and three port connections per address, no retry.
    assert_eq!(f.counters.connect_attempts, 16);
    let x = held.lock().unwrap();
    assert!(
        x.total_peak <= 3,
        "{} connections open at once",
        x.total_peak
    );
    assert!(x.peak.iter().all(|p| *p <= 2), "per address {:?}", x.peak);
    // The fakes did see connections overlap: the limits were reached, not just not hit.
    assert!(x.total_peak >= 2, "peak {}", x.total_peak);
}

#[test]
fn a_neighbour_table_entry_is_alive_without_discovery_and_names_its_vendor() {
    // 127.0.0.1 is in the (given) neighbour table with a Synology prefix: no discovery
    // connection is made (the discovery port is closed and would find nothing), the profile
    // port is scanned, and the vendor table names the NAS.
    let (open, _) = serve(|c, log| {
        let _ = c.write_all(b"SSH-2.0-OpenSSH_8.2p1\r\n");
        let _ = read_some(c, log);
    });
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let profile = PortProfile {
        discovery: vec![closed],
        ports: vec![ProfilePort {
            port: open,
            service: "ssh".into(),
            probe: "banner".into(),
        }],
    };
    let mut o = common::options(&["127.0.0.1"], profile);
    let table: Neighbours = [(
        "127.0.0.1".parse::<IpAddr>().unwrap(),
        "00:11:32:aa:bb:cc".to_owned(),
    )]
    .into_iter()
    .collect();
    o.neighbours = Some(table);
    let f = scan(&o).unwrap();
    assert_eq!(f.hosts.len(), 1, "{f:#?}");
    let h = &f.hosts[0];
    assert_eq!(h.discovered_by, ["neighbour_table"]);
    assert_eq!(h.mac.as_deref(), Some("00:11:32:aa:bb:cc"));
    assert_eq!(h.vendor.as_deref(), Some("Synology"));
    assert_eq!(h.device_kind, praxcheck_model::DeviceKind::Nas);
    assert_eq!(h.services.len(), 1);
    assert_eq!(h.services[0].identified.as_deref(), Some("ssh"));
    // The profile port only: no discovery connection for a neighbour.
    assert_eq!(f.counters.connect_attempts, 1);
}

#[test]
fn an_smtp_greeting_is_named_and_nothing_is_sent_to_it() {
    // RFC 5321 §4.2: the server speaks first with "220 <domain> <text>"; Postfix's default
    // greeting is "220 <hostname> ESMTP Postfix".
    let (smtp, log) = serve(|c, log| {
        let _ = c.write_all(b"220 mail.praxis.local ESMTP Postfix\r\n");
        let _ = read_some(c, log);
    });
    let profile = PortProfile {
        discovery: vec![smtp],
        ports: vec![ProfilePort {
            port: smtp,
            service: "smtp".into(),
            probe: "banner".into(),
        }],
    };
    let f = scan(&common::options(&["127.0.0.1"], profile)).unwrap();
    let s = &f.hosts[0].services[0];
    assert_eq!(s.identified.as_deref(), Some("smtp"), "{s:#?}");
    assert!(s.banner.as_deref().unwrap_or("").contains("ESMTP Postfix"));
    thread::sleep(Duration::from_millis(200));
    assert!(
        log.lock().unwrap().is_empty(),
        "the banner probe sent bytes"
    );
}
