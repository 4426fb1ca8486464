//! Reading documents from files (issue 11): only regular files, capped before allocating,
//! and never waiting on a FIFO; hostile values inside a document are refused.

#![allow(clippy::unwrap_used)]

use praxcheck_model::read::{FileKind, MAX_DOCUMENT_BYTES, ReadError, read_regular_capped};
use praxcheck_model::{AdvisorySetRef, Document, ModelError, ScanInfo};

fn doc() -> Document {
    Document::new(ScanInfo::default(), AdvisorySetRef::default())
}

#[test]
fn a_regular_document_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("d.json");
    std::fs::write(&p, doc().to_json_pretty().unwrap()).unwrap();
    assert_eq!(Document::read_file(&p).unwrap(), doc());
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pipe.json");
    if !praxcheck_testsupport::mkfifo(&p, "a_fifo_is_refused_without_waiting") {
        return;
    }
    // No writer ever opens the pipe: a blocking open would hang this test.
    let (tx, rx) = std::sync::mpsc::channel();
    let q = p.clone();
    std::thread::spawn(move || {
        let _ = tx.send(Document::read_file(&q).map(|_| ()));
    });
    let r = rx
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("reading a FIFO must not hang");
    match r {
        Err(ModelError::Read(ReadError::NotRegular { kind, .. })) => {
            assert_eq!(kind, FileKind::Pipe);
            assert_eq!(kind.to_string(), "a named pipe");
        }
        other => panic!("{other:?}"),
    }
    let msg = Document::read_file(&p).unwrap_err().to_string();
    assert!(
        msg.contains("pipe.json") && msg.contains("not a regular file"),
        "{msg}"
    );
}

#[cfg(unix)]
#[test]
fn a_device_and_a_folder_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (p, kind) in [
        (std::path::Path::new("/dev/zero"), FileKind::Device),
        (dir.path(), FileKind::Folder),
    ] {
        if !p.exists() {
            println!("SKIPPED: {} is missing", p.display());
            continue;
        }
        match read_regular_capped(p, 1 << 20) {
            Err(ReadError::NotRegular { kind: k, .. }) => assert_eq!(k, kind),
            other => panic!("{}: {other:?}", p.display()),
        }
    }
}

#[test]
fn a_file_above_the_cap_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.json");
    // A sparse file: the cap is checked on the size, nothing is read or allocated.
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(MAX_DOCUMENT_BYTES + 1).unwrap();
    drop(f);
    match Document::read_file(&p) {
        Err(ModelError::Read(ReadError::TooLarge { cap, .. })) => {
            assert_eq!(cap, MAX_DOCUMENT_BYTES);
        }
        other => panic!("{other:?}"),
    }
    match read_regular_capped(&p, 10) {
        Err(ReadError::TooLarge { cap: 10, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_megabyte_hostname_is_refused() {
    let mut d = doc();
    d.scan.hostname = "h".repeat(1 << 20);
    let json = d.to_json_pretty().unwrap();
    let e = Document::from_json(json.as_bytes()).unwrap_err();
    assert!(matches!(e, ModelError::Bounds(_)), "{e}");
    d.scan.hostname = "praxis-empfang.local".to_owned();
    assert!(Document::from_json(d.to_json_pretty().unwrap().as_bytes()).is_ok());
}
