//! The HTTPS probe against `openssl s_server` on 127.0.0.1 with certificates made by the
//! test: a fresh self-signed one, and one whose validity ended years ago (SKIPPED when the
//! openssl command is missing).

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use praxcheck_advisories::network::{PortProfile, ProfilePort};
use praxcheck_model::NetworkFacts;
use praxcheck_netscan::{Neighbours, NetOptions, scan};

struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn openssl(args: &[&str], dir: &Path) {
    let ok = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(ok.success(), "openssl {args:?}");
}

/// Serves `crt`/`key` with `openssl s_server` on a free port of 127.0.0.1 and scans it with
/// the https probe.
fn scan_tls_server(crt: &Path, key: &Path) -> NetworkFacts {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let _server = Kill(
        Command::new("openssl")
            .args(["s_server", "-quiet", "-www", "-accept"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("-cert")
            .arg(crt)
            .arg("-key")
            .arg(key)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    // Wait (bounded) until it listens.
    for _ in 0..50 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut o = NetOptions::new(vec!["127.0.0.1".into()]).unwrap();
    o.neighbours = Some(Neighbours::new());
    o.profile = PortProfile {
        discovery: vec![port],
        ports: vec![ProfilePort {
            port,
            service: "https".into(),
            probe: "https".into(),
        }],
    };
    scan(&o).unwrap()
}

#[test]
fn a_self_signed_certificate_is_seen_with_its_key_and_validity() {
    if Command::new("openssl").arg("version").output().is_err() {
        eprintln!("SKIPPED: no openssl command");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (key, crt) = (dir.path().join("k.pem"), dir.path().join("c.pem"));
    let ok = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "30",
            "-subj",
            "/CN=praxis-server.local/O=Praxis Test",
            "-keyout",
        ])
        .arg(&key)
        .arg("-out")
        .arg(&crt)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(ok.success());
    let f = scan_tls_server(&crt, &key);
    let s = &f.hosts[0].services[0];
    let t = s.tls.as_ref().expect("tls facts");
    assert!(t.self_signed, "{t:?}");
    assert!(!t.expired);
    assert_eq!((t.key_algorithm.as_str(), t.key_bits), ("RSA", 2048));
    assert!(
        t.subject.contains("CN=praxis-server.local"),
        "{}",
        t.subject
    );
    assert!(t.versions_accepted.iter().any(|v| v == "TLSv1.3"), "{t:?}");
    assert!(t.versions_accepted.iter().any(|v| v == "TLSv1.2"), "{t:?}");
    assert_eq!(s.identified.as_deref(), Some("https"));
    let failing = common::failing_rules(&f, time::macros::date!(2026 - 11 - 29));
    let ids: Vec<&str> = failing.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["PRAX-NET-TLS-SELF-SIGNED"], "{failing:#?}");
}

#[test]
fn an_expired_certificate_is_seen_and_judged_with_its_service() {
    if Command::new("openssl").arg("version").output().is_err() {
        eprintln!("SKIPPED: no openssl command");
        return;
    }
    // `openssl req -x509` of OpenSSL 3.0 cannot date a certificate back; `openssl ca
    // -selfsign` takes a start and an end date: valid in 2020 only. Without extensions it is
    // an X.509 v1 certificate, as old printers and NAS boxes present (webpki reads v3 only:
    // the probe checks the handshake signature with the certificate's own key then).
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("index.txt"), "").unwrap();
    std::fs::write(d.join("serial"), "01\n").unwrap();
    std::fs::write(
        d.join("ca.cnf"),
        "[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\nserial = serial\n\
         new_certs_dir = .\ndefault_md = sha256\npolicy = p\n[p]\ncommonName = supplied\n",
    )
    .unwrap();
    openssl(
        &[
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=alt-drucker.local",
            "-keyout",
            "k.pem",
            "-out",
            "r.csr",
        ],
        d,
    );
    openssl(
        &[
            "ca",
            "-batch",
            "-config",
            "ca.cnf",
            "-selfsign",
            "-keyfile",
            "k.pem",
            "-in",
            "r.csr",
            "-out",
            "c.pem",
            "-notext",
            "-startdate",
            "20200101000000Z",
            "-enddate",
            "20201231000000Z",
        ],
        d,
    );
    let f = scan_tls_server(&d.join("c.pem"), &d.join("k.pem"));
    let s = &f.hosts[0].services[0];
    let t = s.tls.as_ref().expect("tls facts");
    assert!(t.expired, "{t:?}");
    assert!(t.self_signed, "{t:?}");
    assert!(t.not_after.starts_with("2020-12-31"), "{t:?}");
    assert_eq!((t.key_algorithm.as_str(), t.key_bits), ("RSA", 2048));
    // Both handshakes (TLS 1.3 and the TLS 1.2-only one) checked the signature with the v1
    // certificate's key.
    assert!(t.versions_accepted.iter().any(|v| v == "TLSv1.3"), "{t:?}");
    assert!(t.versions_accepted.iter().any(|v| v == "TLSv1.2"), "{t:?}");
    // The rule names this service; a fresh certificate (the test above) does not fail it.
    let failing = common::failing_rules(&f, time::macros::date!(2026 - 11 - 29));
    let expired: Vec<&(String, String)> = failing
        .iter()
        .filter(|(id, _)| id == "PRAX-NET-TLS-EXPIRED")
        .collect();
    assert_eq!(expired.len(), 1, "{failing:#?}");
    let addr = format!("127.0.0.1:{}", s.port);
    assert!(expired[0].1.contains(&addr), "{failing:#?}");
}
