//! `praxcheck serve`, `admin`, `enroll`, `upload` end to end on 127.0.0.1 (issue 13).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn praxcheck(state: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_praxcheck"));
    c.env("PRAXCHECK_STATE_DIR", state)
        .env_remove("PRAXCHECK_DATABASE_URL")
        .env_remove("PRAXCHECK_DATA_DIR")
        .env("LANG", "C");
    c
}

fn ok(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

struct Serve(std::process::Child);
impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_machine_enrolls_over_pinned_tls_scans_and_uploads() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let state = tmp.path().join("state");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    // No --plain-http, no certificate: serve generates one into the data folder.
    let _serve = Serve(
        praxcheck(&state)
            .args(["serve", "--listen", &listen, "--data"])
            .arg(&data)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(&listen).is_err() {
        assert!(Instant::now() < deadline, "serve did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(data.join("tls/cert.pem").exists());
    let url = format!("https://{listen}");
    let admin = |args: &[&str]| {
        ok(praxcheck(&state)
            .arg("admin")
            .arg("--data")
            .arg(&data)
            .args(args))
    };
    admin(&["practice", "add", "Praxis CLI"]);
    let token = admin(&["token", "create", "--practice", "Praxis CLI", "--url", &url]);
    let host = ok(praxcheck(&state).args(["enroll", &url, &token]));
    assert!(host.parse::<i64>().is_ok(), "{host}");
    let doc = ok(praxcheck(&state).args([
        "--quiet",
        "scan",
        "--path",
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/fixtures"),
        "--no-save",
        "--format",
        "json",
        "--fail-on",
        "none",
    ]));
    let file = tmp.path().join("scan.json");
    std::fs::write(&file, doc).unwrap();
    let ids = ok(praxcheck(&state).arg("upload").arg(&file));
    assert!(ids.parse::<i64>().is_ok(), "{ids}");
    // scan --upload sends the document after the scan; the scan's own output is unchanged.
    let scan_upload = |state: &Path| {
        praxcheck(state)
            .args(["--lang", "en", "scan", "--path"])
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/fixtures"))
            .args([
                "--no-save",
                "--format",
                "json",
                "--fail-on",
                "none",
                "--upload",
            ])
            .output()
            .unwrap()
    };
    let out = scan_upload(&state);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Sent to the association's service"), "{err}");
    assert!(serde_json::from_slice::<serde_json::Value>(&out.stdout).is_ok());
    // With the server gone the scan still succeeds and the document waits in the spool.
    drop(_serve);
    let out = scan_upload(&state);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Not sent") && err.contains("spool"), "{err}");
    assert_eq!(
        std::fs::read_dir(state.join("agent/spool"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn upload_without_enrollment_says_so_in_german_and_english() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("doc.json");
    std::fs::write(&file, b"{}").unwrap();
    for (lang, want) in [("de", "nicht angemeldet"), ("en", "not enrolled")] {
        let out = praxcheck(tmp.path())
            .args(["--lang", lang, "upload"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{lang}: {err}");
        assert!(err.contains("praxcheck enroll URL TOKEN"), "{lang}: {err}");
    }
}

#[test]
fn the_service_commands_have_german_and_english_help() {
    let tmp = tempfile::tempdir().unwrap();
    let help = |args: &[&str]| ok(praxcheck(tmp.path()).args(args));
    assert!(help(&["--lang", "de", "serve", "--help"]).contains("Unverschlüsseltes HTTP"));
    assert!(help(&["--lang", "en", "serve", "--help"]).contains("Plain HTTP"));
    assert!(help(&["--lang", "de", "enroll", "--help"]).contains("Anmelde-Token vom Verband"));
    assert!(help(&["--lang", "de", "scan", "--help"]).contains("Dienst des Verbands übertragen"));
    assert!(
        help(&["--lang", "de", "admin", "token", "create", "--help"]).contains("Wie viele Rechner")
    );
}
