//! Which file a path is (issue 16, round five): a hard link is the same file, a copy is
//! not, on Linux and on Windows (under Wine in `scripts/windows.sh test`, where the
//! identity is the volume serial number and file index from `GetFileInformationByHandle`;
//! before, it was `(0, 0)` for every file there).

use std::path::Path;

use praxcheck_sys::{file_identity, open_file_identity};

fn id(p: &Path) -> (u64, u64) {
    file_identity(p, &std::fs::metadata(p).unwrap())
}

#[test]
fn a_hard_link_is_the_same_file_and_a_copy_is_not() {
    let d = tempfile::tempdir().unwrap();
    let a = d.path().join("log4j-core-2.14.1.jar");
    let link = d.path().join("hard-link.jar");
    let copy = d.path().join("copy.jar");
    let other = d.path().join("other.jar");
    std::fs::write(&a, b"PK\x05\x06 the same bytes").unwrap();
    std::fs::hard_link(&a, &link).unwrap();
    std::fs::copy(&a, &copy).unwrap();
    std::fs::write(&other, b"PK\x05\x06 the same bytes").unwrap();

    let ia = id(&a);
    assert_ne!(ia, (0, 0), "the identity is known");
    assert_eq!(id(&link), ia, "a hard link is the same file");
    assert_ne!(id(&copy), ia, "a copy is another file");
    assert_ne!(id(&other), ia, "a file with the same bytes is another file");
    assert_ne!(id(&copy), id(&other));
    // Asked again (Windows opens the file each time), the answer stays.
    assert_eq!(id(&a), ia);

    // The open handle's identity is the name's, and stays with the file when the name
    // moves on: the fix's "still the file we saved" check relies on it.
    let f = std::fs::File::open(&a).unwrap();
    let md = f.metadata().unwrap();
    assert_eq!(open_file_identity(&f, &md), ia);
    drop(f);
    let moved = d.path().join("moved.jar");
    std::fs::rename(&a, &moved).unwrap();
    assert_eq!(id(&moved), ia, "a renamed file keeps its identity");
    std::fs::copy(&copy, &a).unwrap();
    assert_ne!(id(&a), ia, "a new file under the old name is another file");
}

#[test]
fn folders_have_an_identity_of_their_own() {
    let d = tempfile::tempdir().unwrap();
    let sub = d.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let f = sub.join("a.jar");
    std::fs::write(&f, b"x").unwrap();
    let (ir, is, i_f) = (id(d.path()), id(&sub), id(&f));
    assert_ne!(is, (0, 0), "a folder's identity is known");
    assert_ne!(ir, is);
    assert_ne!(is, i_f);
    // The same folder named another way (with a trailing `.`) is the same folder.
    assert_eq!(id(&sub.join(".")), is);
}

#[test]
fn a_file_that_is_gone_is_unknown_not_equal_to_another() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("a.jar");
    std::fs::write(&f, b"x").unwrap();
    let md = std::fs::metadata(&f).unwrap();
    std::fs::remove_file(&f).unwrap();
    // Unix takes the identity from the metadata already read; Windows must open the file,
    // and a vanished one is unknown.
    let gone = file_identity(&f, &md);
    if cfg!(windows) {
        assert_eq!(gone, (0, 0));
    } else {
        assert_ne!(gone, (0, 0));
    }
}
