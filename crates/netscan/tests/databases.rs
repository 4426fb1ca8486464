//! The practice databases identified without a login: fakes of Microsoft SQL Server (TDS
//! PRELOGIN), PostgreSQL and Firebird on 127.0.0.1, and a real private PostgreSQL cluster
//! (SKIPPED without Debian's postgresql; `PRAXCHECK_REQUIRE_POSTGRES=1` makes it a failure).
//! Each fake records every byte it receives: the probes send only their protocol's first
//! message, never a login. Then the assessment: an unsupported version is a red finding, a
//! database on a device that is not the server a yellow one.

#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use praxcheck_advisories::network::{PortProfile, ProfilePort};
use praxcheck_model::{DeviceKind, FactValue, NetHost, NetworkFacts};
use praxcheck_netscan::dbprobes::{
    PG_SSL_REQUEST, PG_STARTUP_9, firebird_answer, firebird_connect, pg_version, tds_prelogin,
    tds_version,
};
use praxcheck_netscan::{NetOptions, scan};

type Log = Arc<Mutex<Vec<Vec<u8>>>>;

/// A fake answering each message it receives with the next of `answers` (then closing);
/// every message received is logged.
fn fake(answers: Vec<Vec<u8>>) -> (u16, Log) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let log: Log = Arc::default();
    let log2 = Arc::clone(&log);
    thread::spawn(move || {
        for (i, c) in l.incoming().take(8).enumerate() {
            let Ok(mut c) = c else { continue };
            let log = Arc::clone(&log2);
            let answer = answers
                .get(i)
                .or(answers.last())
                .cloned()
                .unwrap_or_default();
            thread::spawn(move || {
                let _ = c.set_read_timeout(Some(Duration::from_secs(3)));
                let mut b = [0u8; 4096];
                let n = c.read(&mut b).unwrap_or(0);
                log.lock().unwrap().push(b[..n].to_vec());
                let _ = c.write_all(&answer);
                // Anything further would be logged too.
                let n = c.read(&mut b).unwrap_or(0);
                if n > 0 {
                    log.lock().unwrap().push(b[..n].to_vec());
                }
            });
        }
    });
    (port, log)
}

/// A PRELOGIN answer with VERSION `major.minor.build` and ENCRYPTION off.
fn tds_answer(major: u8, minor: u8, build: u16) -> Vec<u8> {
    let mut m = vec![0x04, 0x01, 0, 26, 0, 0, 1, 0];
    m.extend([0x00, 0, 11, 0, 6, 0x01, 0, 17, 0, 1, 0xff]);
    m.extend([major, minor]);
    m.extend(build.to_be_bytes());
    m.extend([0, 0, 2]);
    m
}

/// A PostgreSQL ErrorResponse as a server refusing protocol 9.0 writes it.
fn pg_error(range: &str, file: &str) -> Vec<u8> {
    let mut body = Vec::new();
    for (t, v) in [
        (b'S', "FATAL".to_owned()),
        (b'C', "0A000".to_owned()),
        (
            b'M',
            format!("unsupported frontend protocol 9.0: server supports {range}"),
        ),
        (b'F', file.to_owned()),
        (b'L', "2222".to_owned()),
    ] {
        body.push(t);
        body.extend(v.as_bytes());
        body.push(0);
    }
    body.push(0);
    let mut m = vec![b'E'];
    m.extend(u32::try_from(body.len() + 4).unwrap().to_be_bytes());
    m.extend(body);
    m
}

fn fb_word(v: u32) -> [u8; 4] {
    v.to_be_bytes()
}

#[test]
fn the_first_messages_are_what_the_protocols_define() {
    let p = tds_prelogin();
    assert_eq!(p[0], 0x12, "PRELOGIN packet type");
    assert_eq!(usize::from(u16::from_be_bytes([p[2], p[3]])), p.len());
    assert_eq!(
        tds_version(&tds_answer(16, 0, 1000)).as_deref(),
        Some("16.0.1000")
    );
    assert_eq!(
        tds_version(&tds_answer(12, 0, 6024)).as_deref(),
        Some("12.0.6024")
    );
    assert_eq!(tds_version(b"HTTP/1.1 400 Bad Request\r\n"), None);
    assert_eq!(
        tds_version(&[0x04, 1, 0, 9, 0, 0, 1, 0, 0x00]),
        None,
        "truncated"
    );

    let (v, ev) = pg_version(&pg_error("2.0 to 3.0", "postmaster.c")).unwrap();
    assert_eq!(v, "at most 13");
    assert!(ev.contains("server supports 2.0 to 3.0"), "{ev}");
    assert_eq!(
        pg_version(&pg_error("3.0 to 3.0", "postmaster.c"))
            .unwrap()
            .0,
        "14 to 16"
    );
    assert_eq!(
        pg_version(&pg_error("3.0 to 3.0", "backend_startup.c"))
            .unwrap()
            .0,
        "17"
    );
    assert_eq!(
        pg_version(&pg_error("3.0 to 3.2", "backend_startup.c"))
            .unwrap()
            .0,
        "at least 18"
    );
    assert_eq!(pg_version(b"N"), None);

    let c = firebird_connect();
    assert_eq!(
        &c[..8],
        &[0, 0, 0, 1, 0, 0, 0, 19],
        "op_connect for op_attach"
    );
    assert!(!c.windows(8).any(|w| w.eq_ignore_ascii_case(b"password")));
    let mut acc = Vec::new();
    for w in [3, 0x8000 | 12, 1, 2] {
        acc.extend(fb_word(w));
    }
    assert_eq!(firebird_answer(&acc).unwrap().0.as_deref(), Some("2.5"));
    let mut rej = Vec::new();
    for w in [4, 0, 0, 0] {
        rej.extend(fb_word(w));
    }
    assert_eq!(firebird_answer(&rej).unwrap().0, None);
    assert_eq!(firebird_answer(b"SSH-2.0-x\r\n"), None);
}

fn options(ports: Vec<ProfilePort>, discovery: u16) -> NetOptions {
    common::options(
        &["127.0.0.1"],
        PortProfile {
            discovery: vec![discovery],
            ports,
        },
    )
}

use common::{port as p, probe};

/// The `PRAX-NET-*` rules that fail on these facts (judged on 2026-12-04), with evidence.
fn failing_rules(facts: &NetworkFacts) -> Vec<(String, String)> {
    common::failing_rules(facts, time::macros::date!(2026 - 12 - 04))
}

#[test]
fn fakes_of_the_three_databases_are_named_without_a_login_and_old_versions_turn_red() {
    let (mssql, mssql_log) = fake(vec![tds_answer(12, 0, 6024)]);
    let (pg, pg_log) = fake(vec![b"N".to_vec(), pg_error("2.0 to 3.0", "postmaster.c")]);
    let mut fb_acc = Vec::new();
    for w in [3, 0x8000 | 12, 1, 2] {
        fb_acc.extend(fb_word(w));
    }
    let (fb, fb_log) = fake(vec![fb_acc]);
    let mut fb_rej = Vec::new();
    for w in [4, 0, 0, 0] {
        fb_rej.extend(fb_word(w));
    }
    let (fb2, _) = fake(vec![fb_rej]);
    let opts = options(
        vec![
            p(mssql, "mssql", "mssql"),
            p(pg, "postgresql", "postgresql"),
            p(fb, "firebird", "firebird"),
            p(fb2, "firebird", "firebird"),
        ],
        mssql,
    );
    let facts = scan(&opts).unwrap();
    assert!(facts.complete);
    let h = &facts.hosts[0];
    assert_eq!(
        probe(h, mssql, "mssql.version"),
        Some(FactValue::Text("12.0.6024".into()))
    );
    assert_eq!(
        probe(h, mssql, "device.product"),
        Some(FactValue::Text("Microsoft SQL Server".into()))
    );
    assert_eq!(
        probe(h, pg, "postgresql.version"),
        Some(FactValue::Text("at most 13".into()))
    );
    assert_eq!(
        probe(h, pg, "postgresql.tls_offered"),
        Some(FactValue::Bool(false))
    );
    assert_eq!(
        probe(h, fb, "firebird.version"),
        Some(FactValue::Text("2.5".into()))
    );
    let s = h.services.iter().find(|s| s.port == fb2).unwrap();
    assert_eq!(s.identified.as_deref(), Some("firebird"));
    assert_eq!(
        s.banner.as_deref(),
        Some("Firebird-Dienst offen / Firebird service open")
    );
    // One host with databases and no server named: it counts as the server.
    assert_eq!(probe(h, mssql, "db.on_server"), Some(FactValue::Bool(true)));

    // Exactly one message each, the protocol's first: no LOGIN7 (TDS type 0x10), no second
    // startup, no op_attach (empty entries are connections without a byte: discovery).
    let mut m = mssql_log.lock().unwrap().clone();
    m.retain(|x| !x.is_empty());
    assert_eq!(m, vec![tds_prelogin()]);
    let mut pgm = pg_log.lock().unwrap().clone();
    pgm.retain(|x| !x.is_empty());
    assert_eq!(pgm, vec![PG_SSL_REQUEST.to_vec(), PG_STARTUP_9.to_vec()]);
    let mut f = fb_log.lock().unwrap().clone();
    f.retain(|x| !x.is_empty());
    assert_eq!(f, vec![firebird_connect()]);

    let failing = failing_rules(&facts);
    let ids: Vec<&str> = failing.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["PRAX-NET-DB-UNSUPPORTED"], "{failing:#?}");
    let e = &failing[0].1;
    assert!(
        e.contains("SQL Server 2014") && e.contains("2024-07-09") && e.contains("PostgreSQL"),
        "{e}"
    );
    assert!(e.contains("https://learn.microsoft.com/"), "{e}");
}

use common::{host, net, service};

fn on_server(h: &NetHost) -> Vec<bool> {
    h.services
        .iter()
        .flat_map(|s| &s.probes)
        .filter(|p| p.key == "db.on_server")
        .map(|p| p.value == FactValue::Bool(true))
        .collect()
}

#[test]
fn a_database_on_a_device_that_is_not_the_server_is_a_yellow_finding() {
    let mk = || {
        vec![
            host(
                "10.0.0.5",
                DeviceKind::Computer,
                vec![service(445, "smb", vec![]), service(1433, "mssql", vec![])],
            ),
            host(
                "10.0.0.9",
                DeviceKind::Computer,
                vec![
                    service(3389, "rdp", vec![]),
                    service(3050, "firebird", vec![]),
                ],
            ),
            host(
                "10.0.0.30",
                DeviceKind::MedicalDevice,
                vec![service(5432, "postgresql", vec![])],
            ),
            host(
                "10.0.0.40",
                DeviceKind::Printer,
                vec![service(631, "ipp", vec![])],
            ),
        ]
    };
    // Several hosts with databases, no server named: every one is reported.
    let mut hosts = mk();
    praxcheck_netscan::engine::databases_on_servers(&mut hosts, &[]);
    assert_eq!(on_server(&hosts[0]), [false]);
    assert_eq!(on_server(&hosts[1]), [false]);
    assert_eq!(on_server(&hosts[2]), [false]);
    assert!(on_server(&hosts[3]).is_empty(), "no database, no fact");
    // The server named: its database is where it belongs; a medical device never is a server.
    let mut hosts = mk();
    praxcheck_netscan::engine::databases_on_servers(
        &mut hosts,
        &["10.0.0.5".parse().unwrap(), "10.0.0.30".parse().unwrap()],
    );
    assert_eq!(on_server(&hosts[0]), [true]);
    assert_eq!(on_server(&hosts[1]), [false]);
    assert_eq!(on_server(&hosts[2]), [true], "named wins over the kind");
    let failing = failing_rules(&net(hosts));
    let ids: Vec<&str> = failing.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["PRAX-NET-DB-EXPOSED"], "{failing:#?}");
    assert!(failing[0].1.contains("10.0.0.9:3050") && !failing[0].1.contains("10.0.0.5"));
    // A medical device with a database and nothing else in the scan.
    let mut hosts = vec![host(
        "10.0.0.30",
        DeviceKind::MedicalDevice,
        vec![service(5432, "postgresql", vec![])],
    )];
    praxcheck_netscan::engine::databases_on_servers(&mut hosts, &[]);
    assert_eq!(on_server(&hosts[0]), [false]);
}

// ---- the real PostgreSQL (the shared private cluster of praxcheck-testsupport) ----

#[test]
fn a_real_postgresql_names_its_version_range_and_logs_no_authentication() {
    let Some(c) = praxcheck_testsupport::pg::PgCluster::start(
        "a_real_postgresql_names_its_version_range_and_logs_no_authentication",
    ) else {
        return;
    };
    let major = c.major();
    // Only what the scan caused counts: the cluster's own setup connected before.
    let before = c.log().len();

    let opts = options(vec![p(c.port, "postgresql", "postgresql")], c.port);
    let facts = scan(&opts).unwrap();
    let h = &facts.hosts[0];
    let s = h.services.iter().find(|s| s.port == c.port).unwrap();
    assert_eq!(s.identified.as_deref(), Some("postgresql"), "{s:#?}");
    let want = match major {
        0..=13 => "at most 13",
        14..=16 => "14 to 16",
        17 => "17",
        _ => "at least 18",
    };
    assert_eq!(
        probe(h, c.port, "postgresql.version"),
        Some(FactValue::Text(want.into())),
        "PostgreSQL {major}: {s:#?}"
    );
    assert_eq!(
        probe(h, c.port, "postgresql.tls_offered"),
        Some(FactValue::Bool(false))
    );
    // The server saw connections but never an authentication attempt or a session.
    let log = c.log();
    let text = log.get(before..).unwrap_or_default();
    assert!(text.contains("unsupported frontend protocol 9.0"), "{text}");
    assert!(!text.contains("connection authorized"), "{text}");
    assert!(!text.contains("authentication failed"), "{text}");
}
