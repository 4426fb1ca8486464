//! `praxcheck scan` with the host collector: this computer's settings as facts.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_praxcheck"))
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("NO_COLOR", "1")
        // Hermetic: no installed advisories or answers of the user, a fixed assessment date.
        .env("PRAXCHECK_TODAY", "2026-11-29")
        .env("PRAXCHECK_STATE_DIR", "/nonexistent/praxcheck-test-state")
        .env("PRAXCHECK_OUTPUT_DIR", "/nonexistent/praxcheck-test-output")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn host_only_json_document_validates_and_carries_host_facts() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let o = run(&[
        "scan",
        "-q",
        "--host-only",
        // Host findings (firewall off, no backup) depend on the machine; the exit code is
        // not what this test is about.
        "--fail-on",
        "none",
        "--format",
        "json",
        "--connector-address",
        "192.0.2.1",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&praxcheck_model::json_schema()).unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = v.iter_errors(&value).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let doc = praxcheck_model::Document::from_json(&o.stdout).unwrap();
    assert_eq!(doc.scan.collectors, [praxcheck_model::CollectorId::Host]);
    let host = doc.inventory.host.unwrap();
    assert_eq!(host.platform, "linux");
    assert!(host.get("os.name").unwrap().as_text().is_some());
    assert_eq!(
        host.get("ti.connector_address").unwrap().as_text(),
        Some("192.0.2.1")
    );
    assert!(host.get("firewall.enabled").is_some());
    assert!(host.get("backup.found").is_some());
    // Installed packages became components.
    assert!(
        doc.inventory
            .components
            .iter()
            .any(|c| c.kind == praxcheck_model::ComponentKind::OsPackage)
    );
}

#[test]
fn host_summary_in_german_and_english() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let de = run(&["scan", "--host-only", "--fail-on", "none"]);
    assert_eq!(de.status.code(), Some(0));
    let de = String::from_utf8(de.stdout).unwrap();
    for s in [
        "Betriebssystem",
        "Firewall eingeschaltet",
        "Datensicherung",
        "Quelle: ",
    ] {
        assert!(de.contains(s), "{s} missing:\n{de}");
    }
    let en = String::from_utf8(run(&["scan", "--host-only", "--lang", "en"]).stdout).unwrap();
    for s in ["Operating system", "Firewall on", "Backup", "source: "] {
        assert!(en.contains(s), "{s} missing:\n{en}");
    }
}

#[test]
fn bad_host_options_exit_with_2_and_say_why() {
    let o = run(&[
        "scan",
        "--host-only",
        "--connector-address",
        "konnektor.local",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&[
        "scan",
        "--host-only",
        "--backup-config",
        "/nonexistent/backup.toml",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("/nonexistent/backup.toml"), "{err}");
    assert!(err.contains("Rechner-Einstellungen"), "{err}");
    let o = run(&["scan", "--host-only", "--no-host"]);
    assert_eq!(o.status.code(), Some(2));
}
