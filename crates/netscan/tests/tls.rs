//! The HTTPS probe against `openssl s_server` on 127.0.0.1 with a self-signed certificate
//! made by the test (SKIPPED when the openssl command is missing).

#![allow(clippy::unwrap_used)]

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use praxcheck_advisories::network::{PortProfile, ProfilePort};
use praxcheck_netscan::{Neighbours, NetOptions, scan};

struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
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
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let _server = Kill(
        Command::new("openssl")
            .args(["s_server", "-quiet", "-www", "-accept"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("-cert")
            .arg(&crt)
            .arg("-key")
            .arg(&key)
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
    let f = scan(&o).unwrap();
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
}
