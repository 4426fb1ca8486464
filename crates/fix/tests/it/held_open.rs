//! Windows: a jar another program holds open is refused with a reason, not replaced and not
//! half-changed; once the program lets go, the fix goes through. A running Java program
//! opens its jars without `FILE_SHARE_DELETE`, which blocks a rename over them; the helper
//! process here (this test binary, started again for the ignored `holder` test) opens the
//! jar the same way. Runs in the Windows tier under Wine (`scripts/windows.sh test`).

#![cfg(windows)]

use std::os::windows::fs::OpenOptionsExt as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use praxcheck_fix::{FixError, Outcome};

use crate::support::{fake_core, names_in, nofail, opts, scan_plan, write};

const HOLD: &str = "PRAXCHECK_TEST_HOLD_FILE";
const FILE_SHARE_READ: u32 = 0x1;

/// The helper process: holds the file named in `PRAXCHECK_TEST_HOLD_FILE` open (reading
/// shared, no deleting), writes `<file>.held` and waits until that marker is gone (at most
/// 60 seconds).
#[test]
#[ignore = "helper process of a_jar_another_program_holds_open_is_refused_with_a_reason"]
fn holder() {
    let Some(path) = std::env::var_os(HOLD) else {
        return;
    };
    let path = Path::new(&path);
    let _handle = std::fs::OpenOptions::new()
        .read(true)
        .share_mode(FILE_SHARE_READ)
        .open(path)
        .unwrap();
    let marker = path.with_extension("held");
    std::fs::write(&marker, b"held").unwrap();
    let t0 = Instant::now();
    while marker.exists() && t0.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_jar_another_program_holds_open_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let apps = dir.path().join("apps");
    std::fs::create_dir(&apps).unwrap();
    let jar = apps.join("log4j-core-2.14.1.jar");
    write(&jar, &fake_core("2.14.1", "org/apache/logging/log4j/"));
    let before = std::fs::read(&jar).unwrap();
    let (plan, _) = scan_plan(&apps, false);
    assert_eq!(plan.files.len(), 1);

    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "held_open::holder", "--ignored", "--nocapture"])
        .env(HOLD, &jar)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let marker = jar.with_extension("held");
    let t0 = Instant::now();
    while !marker.exists() {
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "the helper did not open the jar"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the helper ended early"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let backup = dir.path().join("backup");
    let report = praxcheck_fix::apply(&plan, &opts(&backup), nofail()).unwrap();
    match &report.outcomes[0].1 {
        Outcome::Failed(FixError::HeldOpen { path, .. }) => {
            assert_eq!(path.file_name(), jar.file_name());
        }
        other => panic!("held open: {other:?}"),
    }
    assert_eq!(std::fs::read(&jar).unwrap(), before, "the original stays");
    // Nothing half-done: no temporary file next to the jar.
    assert_eq!(
        names_in(&apps),
        ["log4j-core-2.14.1.held", "log4j-core-2.14.1.jar"]
    );

    // The program lets go: the same plan goes through.
    std::fs::remove_file(&marker).unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let report = praxcheck_fix::apply(&plan, &opts(&backup), nofail()).unwrap();
    assert!(
        matches!(&report.outcomes[0].1, Outcome::Fixed(_)),
        "{:?}",
        report.outcomes[0].1
    );
    assert_ne!(std::fs::read(&jar).unwrap(), before);
}
