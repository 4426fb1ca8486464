//! The unit texts: snapshots, and `systemd-analyze verify` on the files `install` writes.

use std::path::PathBuf;
use std::process::Command;

use praxcheck_agent::install::{self, UNIT_DIR};
use praxcheck_agent::units::{self, Layout, SERVICE, TIMER};

#[test]
fn service_unit_snapshot() {
    insta::assert_snapshot!(units::service_unit(&Layout::default()));
}

#[test]
fn timer_unit_snapshot() {
    insta::assert_snapshot!(units::timer_unit());
}

#[test]
fn paths_with_spaces_are_quoted() {
    let l = Layout {
        exe: PathBuf::from("/opt/prax check/praxcheck"),
        ..Layout::default()
    };
    assert!(
        units::service_unit(&l)
            .contains("ExecStart=\"/opt/prax check/praxcheck\" --quiet agent run")
    );
}

fn require() -> bool {
    std::env::var("PRAXCHECK_REQUIRE_SYSTEMD").is_ok_and(|v| v == "1")
}

#[test]
fn systemd_analyze_verify_accepts_the_installed_units() {
    if Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            !require(),
            "systemd-analyze is required (PRAXCHECK_REQUIRE_SYSTEMD=1)"
        );
        eprintln!("SKIPPED: systemd-analyze is not installed");
        return;
    }
    let root = tempfile::tempdir().expect("tmp");
    // ExecStart must name an existing executable for verify: the test binary stands in.
    let layout = Layout {
        exe: std::env::current_exe().expect("exe"),
        ..Layout::default()
    };
    install::install(root.path(), &layout).expect("install");
    let dir = root.path().join(UNIT_DIR);
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg("--man=no")
        .arg(dir.join(TIMER))
        .arg(dir.join(SERVICE))
        .output()
        .expect("systemd-analyze");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "systemd-analyze verify failed:\n{stderr}"
    );
    // verify also warns without failing; our units must be free of warnings about them.
    let ours: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("praxcheck-agent"))
        .collect();
    assert!(ours.is_empty(), "systemd-analyze warnings:\n{stderr}");
}
