//! `praxcheck agent …` and `praxcheck generate …` (issue 15).

use std::process::Command;

fn praxcheck() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_praxcheck"));
    c.env_remove("PRAXCHECK_STATE_DIR")
        .env_remove("PRAXCHECK_OUTPUT_DIR")
        .env("LANG", "C");
    c
}

#[test]
fn version_names_the_commit_and_the_advisory_set() {
    let out = praxcheck().arg("--version").output().unwrap();
    assert!(out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.starts_with("praxcheck 0."), "{s}");
    assert!(
        s.contains("commit ") && s.contains("advisory set praxcheck-"),
        "{s}"
    );
}

#[test]
fn agent_install_status_uninstall_below_a_test_root() {
    let root = tempfile::tempdir().unwrap();
    let out = praxcheck()
        .args(["--lang", "en", "agent", "install", "--root"])
        .arg(root.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let units = root.path().join("etc/systemd/system");
    let service = std::fs::read_to_string(units.join("praxcheck-agent.service")).unwrap();
    assert!(service.contains("ExecStart=/usr/bin/praxcheck --quiet agent run"));
    assert!(service.contains("ReadWritePaths=/var/lib/praxcheck /var/lib/praxcheck/reports"));
    assert!(
        std::fs::symlink_metadata(units.join("timers.target.wants/praxcheck-agent.timer")).is_ok()
    );
    // A run's state file below the root shows up in status.
    std::fs::write(
        root.path().join("var/lib/praxcheck/agent/last-run.json"),
        r#"{"format":1,"started_at":"2026-12-01T02:00:00Z","finished_at":"2026-12-01T02:03:00Z",
            "result":"findings","exit_code":1,"detail":null,
            "document":"/var/lib/praxcheck/reports/praxcheck-h-20261201-020000.json",
            "rotated":2,"upload":{"state":"not_enrolled"}}"#,
    )
    .unwrap();
    let out = praxcheck()
        .args(["--lang", "en", "agent", "status", "--root"])
        .arg(root.path())
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("Service and timer: installed"), "{s}");
    assert!(s.contains("Timer: enabled"), "{s}");
    assert!(
        s.contains("Last run: 2026-12-01T02:00:00Z to 2026-12-01T02:03:00Z, result: findings open"),
        "{s}"
    );
    assert!(s.contains("Upload: not enrolled"), "{s}");
    let out = praxcheck()
        .args(["agent", "uninstall", "--root"])
        .arg(root.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!units.join("praxcheck-agent.service").exists());
    assert!(
        root.path()
            .join("var/lib/praxcheck/agent/last-run.json")
            .exists()
    );
}

#[test]
fn generate_writes_man_pages_completions_and_units() {
    let d = tempfile::tempdir().unwrap();
    for what in ["man", "completions", "units"] {
        let out = praxcheck()
            .args(["--quiet", "generate", what])
            .arg(d.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let man = std::fs::read_to_string(d.path().join("man1/praxcheck.1")).unwrap();
    assert!(
        man.contains(".TH praxcheck 1") && man.contains("agent"),
        "{man}"
    );
    let en = std::fs::read_to_string(d.path().join("en/man1/praxcheck-scan.1")).unwrap();
    assert!(en.contains("Check this computer"), "{en}");
    for f in ["praxcheck.bash", "_praxcheck", "praxcheck.fish"] {
        let t = std::fs::read_to_string(d.path().join(f)).unwrap();
        assert!(t.contains("agent"), "{f}");
    }
    let unit = std::fs::read_to_string(d.path().join("praxcheck-agent.service")).unwrap();
    assert_eq!(
        unit,
        praxcheck_agent::units::service_unit(&praxcheck_agent::units::Layout::default())
    );
}
