//! Integration tests of the agent: unit texts (snapshots, `systemd-analyze verify`),
//! install/uninstall below a test root, the run's lock, rotation and state file.

mod cache;
mod units;
mod wintask;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use praxcheck_agent::install::{self, UNIT_DIR};
use praxcheck_agent::run::{self, Outcome, RunOptions};
use praxcheck_agent::units::{Layout, SERVICE, TIMER};
use praxcheck_model::agent::{RunResult, UploadState};

fn test_layout() -> Layout {
    Layout::default()
}

#[test]
fn install_below_a_test_root_writes_units_folders_and_the_wants_link() {
    let root = tempfile::tempdir().expect("tmp");
    let got = install::install(root.path(), &test_layout()).expect("install");
    let unit_dir = root.path().join(UNIT_DIR);
    let service = std::fs::read_to_string(unit_dir.join(SERVICE)).expect("service");
    let timer = std::fs::read_to_string(unit_dir.join(TIMER)).expect("timer");
    assert_eq!(
        service,
        praxcheck_agent::units::service_unit(&test_layout())
    );
    assert_eq!(timer, praxcheck_agent::units::timer_unit());
    let link = unit_dir.join("timers.target.wants").join(TIMER);
    assert_eq!(
        std::fs::read_link(&link).expect("link"),
        PathBuf::from("/etc/systemd/system/praxcheck-agent.timer")
    );
    assert_eq!(got.enabled, install::Enabled::Link(link));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |p: &Path| std::fs::metadata(p).expect("folder").permissions().mode() & 0o7777;
        assert_eq!(mode(&root.path().join("var/lib/praxcheck")), 0o750);
        assert_eq!(mode(&root.path().join("var/lib/praxcheck/reports")), 0o750);
        assert_eq!(mode(&root.path().join("var/lib/praxcheck/agent")), 0o700);
        assert_eq!(mode(&root.path().join("var/lib/praxcheck/backup")), 0o700);
        assert_eq!(mode(&unit_dir.join(SERVICE)), 0o644);
    }
    // Nothing outside the root: the real unit folder has no praxcheck units from this test
    // (a package installed on this machine would put its own into /lib/systemd/system).
    let st = install::status(root.path(), Path::new("/var/lib/praxcheck"));
    assert!(st.units_installed && st.enabled);
    assert!(st.last_run.is_none() && st.timer.is_none());

    // Installing again is idempotent.
    install::install(root.path(), &test_layout()).expect("install again");

    // Uninstall removes units and link, keeps the folders (reports, backups).
    std::fs::write(
        root.path()
            .join("var/lib/praxcheck/reports/praxcheck-h-20260101-000000.json"),
        b"{}",
    )
    .expect("report");
    let removed = install::uninstall(root.path()).expect("uninstall");
    assert_eq!(removed.len(), 3);
    assert!(!unit_dir.join(SERVICE).exists() && !unit_dir.join(TIMER).exists());
    assert!(std::fs::symlink_metadata(unit_dir.join("timers.target.wants").join(TIMER)).is_err());
    assert!(
        root.path()
            .join("var/lib/praxcheck/reports/praxcheck-h-20260101-000000.json")
            .exists()
    );
    let st = install::status(root.path(), Path::new("/var/lib/praxcheck"));
    assert!(!st.units_installed && !st.enabled);
}

#[test]
fn systemctl_show_output_is_read() {
    let t = install::parse_show(
        "ActiveState=active\nNextElapseUSecRealtime=Fri 2026-12-04 02:13:00 UTC\nLastTriggerUSec=n/a\nUnitFileState=enabled\n",
    );
    assert_eq!(t.active, "active");
    assert_eq!(t.next, "Fri 2026-12-04 02:13:00 UTC");
    assert_eq!(t.last, "");
}

fn touch(dir: &Path, name: &str) {
    std::fs::write(dir.join(name), b"{}").expect("write");
}

#[test]
fn rotation_keeps_the_newest_scans_of_each_computer() {
    let d = tempfile::tempdir().expect("tmp");
    for day in 1..=5 {
        for ext in ["json", "html"] {
            touch(
                d.path(),
                &format!("praxcheck-empfang-2026120{day}-020000.{ext}"),
            );
        }
        touch(
            d.path(),
            &format!("praxcheck-my-server-2026120{day}-030000.json"),
        );
    }
    touch(d.path(), "befund.json"); // not ours: stays
    touch(d.path(), "praxcheck-notes.txt");
    let removed = run::rotate(d.path(), 2).expect("rotate");
    assert_eq!(removed, 3 * 2 + 3);
    let mut left: Vec<String> = std::fs::read_dir(d.path())
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "befund.json",
            "praxcheck-empfang-20261204-020000.html",
            "praxcheck-empfang-20261204-020000.json",
            "praxcheck-empfang-20261205-020000.html",
            "praxcheck-empfang-20261205-020000.json",
            "praxcheck-my-server-20261204-030000.json",
            "praxcheck-my-server-20261205-030000.json",
            "praxcheck-notes.txt",
        ]
    );
}

/// A stand-in for `praxcheck scan`: a shell script that writes a document into the report
/// folder and exits with the given code, optionally after sleeping.
fn fake_scan(dir: &Path, report_dir: &Path, code: i32, sleep: &str) -> Command {
    let script = dir.join("scan.sh");
    std::fs::write(
        &script,
        format!(
            "sleep {sleep}\necho '{{}}' > \"$1/praxcheck-testhost-$(date -u +%Y%m%d-%H%M%S%N).json\"\nexit {code}\n"
        ),
    )
    .expect("script");
    let mut c = Command::new("sh");
    c.arg(script).arg(report_dir);
    c
}

fn options(state: &Path, scan: Command) -> RunOptions {
    RunOptions {
        state_dir: state.to_path_buf(),
        report_dir: state.join("reports"),
        scan,
        timeout: Duration::from_secs(20),
        keep: 3,
    }
}

#[test]
fn a_run_records_its_result_rotates_and_reports_no_upload_without_enrollment() {
    let d = tempfile::tempdir().expect("tmp");
    let state = d.path().join("state");
    std::fs::create_dir_all(state.join("reports")).expect("dirs");
    for i in 0..5 {
        let scan = fake_scan(d.path(), &state.join("reports"), i32::from(i == 4), "0");
        let Outcome::Ran(r) =
            run::run(options(&state, scan), &|_, _| panic!("not enrolled")).expect("run")
        else {
            panic!("locked");
        };
        assert_eq!(r.upload, Some(UploadState::NotEnrolled));
        assert!(r.document.is_some(), "{r:?}");
        if i == 4 {
            assert_eq!(r.result, RunResult::Findings);
            assert_eq!(r.exit_code, Some(1));
            assert_eq!(r.rotated, 1);
        }
    }
    let files = std::fs::read_dir(state.join("reports"))
        .expect("dir")
        .count();
    assert_eq!(files, 3);
    let last = run::read_state(&state).expect("state").expect("some");
    assert_eq!(last.result, RunResult::Findings);
    assert!(last.finished_at.is_some());
    let st = install::status(Path::new("/nonexistent-root"), &state);
    assert!(st.last_run.is_none());
}

#[test]
fn a_failing_scan_is_recorded_with_the_reason_and_enrollment_calls_the_upload() {
    let d = tempfile::tempdir().expect("tmp");
    let state = d.path().join("state");
    std::fs::create_dir_all(&state).expect("dirs");
    let enrollment = state.join(run::ENROLLMENT_FILE);
    std::fs::create_dir_all(enrollment.parent().expect("parent")).expect("agent folder");
    std::fs::write(&enrollment, b"{}").expect("enroll");
    let scan = fake_scan(d.path(), &state.join("reports"), 2, "0");
    let called = std::sync::atomic::AtomicBool::new(false);
    let Outcome::Ran(r) = run::run(options(&state, scan), &|s, doc| {
        assert_eq!(s, state.as_path());
        assert!(doc.is_file());
        called.store(true, std::sync::atomic::Ordering::SeqCst);
        UploadState::Failed {
            reason: "test".to_owned(),
        }
    })
    .expect("run") else {
        panic!("locked")
    };
    assert!(called.load(std::sync::atomic::Ordering::SeqCst));
    assert_eq!(r.result, RunResult::Failed);
    assert!(
        r.detail.as_deref().unwrap_or("").contains("code 2"),
        "{r:?}"
    );

    // A program that does not exist.
    let r = run::run(
        options(&state, Command::new("/nonexistent/praxcheck")),
        &|_, _| UploadState::NotConnected,
    )
    .expect("run");
    let Outcome::Ran(r) = r else { panic!("locked") };
    assert_eq!(r.result, RunResult::Failed);
    assert!(
        r.detail
            .as_deref()
            .unwrap_or("")
            .contains("/nonexistent/praxcheck"),
        "{r:?}"
    );
    assert!(matches!(r.upload, Some(UploadState::Failed { .. })));
}

#[test]
fn a_run_that_would_overlap_the_previous_one_does_not_start() {
    let d = tempfile::tempdir().expect("tmp");
    let state = d.path().join("state");
    let held = run::try_lock(&state).expect("lock").expect("free");
    let scan = fake_scan(d.path(), &state.join("reports"), 0, "0");
    assert_eq!(
        run::run(options(&state, scan), &|_, _| UploadState::NotConnected).expect("run"),
        Outcome::AlreadyRunning
    );
    assert!(run::read_state(&state).expect("state").is_none());
    drop(held);
    assert!(run::try_lock(&state).expect("lock").is_some());
}

#[test]
fn a_scan_over_its_time_is_stopped_and_recorded() {
    let d = tempfile::tempdir().expect("tmp");
    let state = d.path().join("state");
    let scan = fake_scan(d.path(), &state.join("reports"), 0, "30");
    let mut o = options(&state, scan);
    o.timeout = Duration::from_millis(500);
    let started = std::time::Instant::now();
    let Outcome::Ran(r) = run::run(o, &|_, _| UploadState::NotConnected).expect("run") else {
        panic!("locked")
    };
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(r.result, RunResult::Failed);
    assert_eq!(r.exit_code, None);
    assert!(
        r.detail.as_deref().unwrap_or("").contains("stopped"),
        "{r:?}"
    );
}
