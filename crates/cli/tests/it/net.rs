//! `praxcheck net`: refusals before any packet, a loopback scan into a document, and the
//! practice view merging the network document with a computer's.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_praxcheck"))
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("NO_COLOR", "1")
        .env("PRAXCHECK_TODAY", "2026-11-29")
        .env("PRAXCHECK_STATE_DIR", "/nonexistent/praxcheck-test-state")
        .env("PRAXCHECK_OUTPUT_DIR", "/nonexistent/praxcheck-test-output")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn public_and_large_targets_are_refused_with_exit_2() {
    let o = run(&["net", "8.8.8.8"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--allow-public"));
    let o = run(&["net", "10.0.0.0/16"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--large"));
    let o = run(&["net", "not-an-address"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_loopback_scan_merges_with_a_computers_document_into_one_practice_view() {
    let tmp = tempfile::tempdir().unwrap();
    let net = tmp.path().join("net.json");
    let o = run(&[
        "net",
        "-q",
        "127.0.0.1",
        "--fail-on",
        "none",
        "--format",
        "json",
        "--output",
        net.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&net).unwrap()).unwrap();
    assert_eq!(doc["scan"]["collectors"], serde_json::json!(["net"]));
    let n = &doc["inventory"]["network"];
    assert_eq!(n["targets"], serde_json::json!(["127.0.0.1"]));
    assert_eq!(n["counters"]["addresses"], 1);
    assert!(n["limits"]["per_host_connections"].as_u64().unwrap() <= 4);
    // A Telnet service as the collector would record it: the practice view judges it.
    doc["inventory"]["network"]["hosts"] = serde_json::json!([{
        "address": "10.99.0.20", "device_kind": "server", "discovered_by": ["tcp_connect"],
        "services": [{"port": 23, "protocol": "tcp", "expected": "telnet", "identified": "telnet",
                      "probes": [{"key": "telnet.open", "type": "bool", "value": true, "evidence": "login:"}]}]
    }]);
    doc["scan"]["hostname"] = serde_json::json!("netscan");
    std::fs::write(&net, serde_json::to_vec(&doc).unwrap()).unwrap();
    let host = tmp.path().join("host.json");
    let o = run(&[
        "scan",
        "-q",
        "--host-only",
        "--fail-on",
        "none",
        "--format",
        "json",
        "--connector-address",
        "192.0.2.1",
        "--output",
        host.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = run(&[
        "report",
        "-q",
        "--from",
        net.to_str().unwrap(),
        "--from",
        host.to_str().unwrap(),
        "--format",
        "json",
        "--fail-on",
        "none",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("PRAX-NET-TELNET"),
        "no telnet finding in the practice view"
    );
    assert!(text.contains("10.99.0.20:23"));
    // Every other format carries it too.
    for fmt in ["csv", "html", "overview", "text", "sarif"] {
        let o = run(&[
            "report",
            "--from",
            net.to_str().unwrap(),
            "--format",
            fmt,
            "--fail-on",
            "none",
            "--lang",
            "en",
        ]);
        assert_eq!(o.status.code(), Some(0), "{fmt}");
        let t = String::from_utf8_lossy(&o.stdout);
        assert!(
            t.contains("Telnet") || t.contains("PRAX-NET-TELNET"),
            "{fmt}: {t}"
        );
        if fmt == "text" || fmt == "sarif" {
            // Issue 12: the device and port are named in these too.
            assert!(
                t.contains("PRAX-NET-TELNET") && t.contains("10.99.0.20:23"),
                "{fmt}: {t}"
            );
        }
    }
    // --fail-on high: the Telnet finding (high) fails the run with exit 1.
    let o = run(&[
        "report",
        "-q",
        "--from",
        net.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn the_active_probe_is_opt_in_and_its_port_needs_it() {
    // --callback-port without --active is refused before any packet.
    let o = run(&["net", "-q", "127.0.0.1", "--callback-port", "1389"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--active"));
    // Without --active, no probe runs and the document says so.
    let o = run(&[
        "net",
        "-q",
        "127.0.0.1",
        "--fail-on",
        "none",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["inventory"]["network"]["active"], false);
    assert!(doc["inventory"]["network"].get("log4shell").is_none());
}
