//! The Windows scheduled task: a snapshot of the text, and the copy the MSI ships
//! (`packaging/windows/praxcheck-task.xml`, UTF-16LE) is exactly what the function makes.

use praxcheck_agent::wintask::{self, RANDOM_DELAY};

#[test]
fn task_xml_snapshot() {
    insta::assert_snapshot!(wintask::task_xml());
}

#[test]
fn task_runs_as_system_at_idle_priority_with_a_random_delay() {
    let x = wintask::task_xml();
    assert!(x.contains("<UserId>S-1-5-18</UserId>"));
    assert!(x.contains("<Priority>10</Priority>"));
    assert!(x.contains(&format!("<RandomDelay>{RANDOM_DELAY}</RandomDelay>")));
    assert!(x.contains("<Arguments>--quiet agent run</Arguments>"));
    // The declared encoding is the one the file is written in.
    assert!(x.starts_with("<?xml version=\"1.0\" encoding=\"UTF-16\"?>"));
    let b = wintask::task_xml_utf16();
    assert_eq!(&b[..2], &[0xff, 0xfe]);
    let units: Vec<u16> = b[2..]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(String::from_utf16(&units).unwrap(), x);
}

/// The file the MSI ships is generated, not edited: set `PRAXCHECK_UPDATE_TASK_XML=1` to
/// write it after a change to `wintask.rs`.
#[test]
fn the_shipped_task_file_is_the_generated_one() {
    let path = praxcheck_testsupport::workspace_root().join("packaging/windows/praxcheck-task.xml");
    let want = wintask::task_xml_utf16();
    if std::env::var("PRAXCHECK_UPDATE_TASK_XML").as_deref() == Ok("1") {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read(&path).unwrap_or_default();
    assert!(
        have == want,
        "{} differs from wintask::task_xml_utf16(); rerun with PRAXCHECK_UPDATE_TASK_XML=1",
        path.display()
    );
}
