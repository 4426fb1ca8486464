//! Each rule of `praxcheck_sys::write_atomic`. The tests that need another user's files
//! run as root (they `lchown` a link to `nobody`); elsewhere they print SKIPPED, unless
//! `PRAXCHECK_REQUIRE_ROOT=1` makes that a failure.

use std::io::Read as _;
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::Path;

use praxcheck_sys::{write_atomic, write_atomic_mode};

const NOBODY: u32 = 65534;

fn is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

/// True when the test may run; prints SKIPPED (or fails when required) otherwise.
fn need_root(test: &str) -> bool {
    if is_root() {
        return true;
    }
    assert!(
        std::env::var("PRAXCHECK_REQUIRE_ROOT").as_deref() != Ok("1"),
        "{test}: needs root (PRAXCHECK_REQUIRE_ROOT=1)"
    );
    eprintln!("SKIPPED: {test}: needs root to own files as another user");
    false
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn refused(e: &std::io::Error, what: &str) {
    assert_eq!(e.kind(), std::io::ErrorKind::PermissionDenied, "{e}");
    assert!(e.to_string().contains(what), "{e}");
}

#[test]
fn a_new_file_and_a_replaced_one_are_whole_and_no_temporary_file_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("report.html");
    write_atomic(&p, b"one").unwrap();
    assert_eq!(std::fs::read(&p).unwrap(), b"one");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    write_atomic(&p, b"two").unwrap();
    assert_eq!(std::fs::read(&p).unwrap(), b"two");
    // A replaced file keeps its mode; an explicit mode wins.
    assert_eq!(std::fs::metadata(&p).unwrap().mode() & 0o777, 0o640);
    write_atomic_mode(&p, b"three", 0o600).unwrap();
    assert_eq!(std::fs::metadata(&p).unwrap().mode() & 0o777, 0o600);
    assert_eq!(entries(dir.path()), ["report.html"]);
    // A folder is no file.
    let e = write_atomic(dir.path(), b"x").unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{e}");
}

#[test]
fn a_link_planted_under_a_temporary_name_is_never_followed() {
    // The temporary file is created exclusively under a random name: links planted under
    // the names older versions used lead nowhere.
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, b"keep").unwrap();
    let p = dir.path().join("out.json");
    for n in [
        format!(".out.json.praxcheck-tmp-{}", std::process::id()),
        format!(".out.json.tmp-{}", std::process::id()),
    ] {
        std::os::unix::fs::symlink(&victim, dir.path().join(n)).unwrap();
    }
    write_atomic(&p, b"new").unwrap();
    assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
    assert_eq!(std::fs::read(&p).unwrap(), b"new");
}

#[test]
fn devices_pipes_and_links_to_them_are_written_through() {
    // `/dev/null`, and a link to it (as `/dev/stdout` is a link to the terminal or pipe).
    write_atomic(Path::new("/dev/null"), b"nothing").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("null");
    std::os::unix::fs::symlink("/dev/null", &link).unwrap();
    write_atomic(&link, b"nothing").unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // A FIFO, and a link to it: the reader gets the bytes, the FIFO stays a FIFO.
    let fifo = dir.path().join("fifo");
    if !praxcheck_testsupport::mkfifo(&fifo, "devices_pipes_and_links_to_them_are_written_through")
    {
        return;
    }
    let via = dir.path().join("stdout");
    std::os::unix::fs::symlink(&fifo, &via).unwrap();
    for target in [&fifo, &via] {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut s = String::new();
                std::fs::File::open(&fifo)
                    .unwrap()
                    .read_to_string(&mut s)
                    .unwrap();
                s
            })
        };
        write_atomic(target, b"through the pipe").unwrap();
        assert_eq!(reader.join().unwrap(), "through the pipe");
    }
    use std::os::unix::fs::FileTypeExt as _;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn our_own_link_is_followed_and_the_file_it_names_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.html");
    std::fs::write(&real, b"old").unwrap();
    let link = dir.path().join("link.html");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    write_atomic(&link, b"new").unwrap();
    assert_eq!(std::fs::read(&real).unwrap(), b"new");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // A dangling link of ours: the file it names is created.
    let later = dir.path().join("later.html");
    let dangling = dir.path().join("dangling.html");
    std::os::unix::fs::symlink(&later, &dangling).unwrap();
    write_atomic(&dangling, b"made").unwrap();
    assert_eq!(std::fs::read(&later).unwrap(), b"made");
}

#[test]
fn a_link_into_a_system_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Links to names that do not exist (and whose folder does not either): even a broken
    // rule could write nothing there.
    let name = format!("praxcheck-sys-test-{}/x", std::process::id());
    for sys in ["/etc", "/usr/lib", "/boot", "/sys"] {
        let link = dir.path().join("out");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(Path::new(sys).join(&name), &link).unwrap();
        let e = write_atomic(&link, b"x").unwrap_err();
        refused(&e, "system folder");
    }
    // A relative link that climbs into one, too.
    let link = dir.path().join("climb");
    let ups = "../".repeat(dir.path().components().count() + 1);
    std::os::unix::fs::symlink(format!("{ups}etc/{name}"), &link).unwrap();
    refused(&write_atomic(&link, b"x").unwrap_err(), "system folder");
}

#[test]
fn another_users_link_in_a_sticky_shared_folder_is_refused() {
    if !need_root("another_users_link_in_a_sticky_shared_folder_is_refused") {
        return;
    }
    let shared = tempfile::tempdir().unwrap();
    std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o1777)).unwrap();
    let victim_dir = tempfile::tempdir().unwrap();
    let victim = victim_dir.path().join("shadow");
    std::fs::write(&victim, b"secret").unwrap();
    // Planted by `nobody` in the shared folder (owned by root): refused, victim untouched.
    let link = shared.path().join("report.html");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    std::os::unix::fs::lchown(&link, Some(NOBODY), Some(NOBODY)).unwrap();
    let e = write_atomic(&link, b"overwritten").unwrap_err();
    refused(&e, "shared folder");
    assert_eq!(std::fs::read(&victim).unwrap(), b"secret");
    // Our own link there is followed (the kernel's rule too).
    let mine = shared.path().join("mine.html");
    std::os::unix::fs::symlink(&victim, &mine).unwrap();
    write_atomic(&mine, b"ours").unwrap();
    assert_eq!(std::fs::read(&victim).unwrap(), b"ours");
    // So is a link of the folder's owner, when that is another user.
    std::os::unix::fs::chown(shared.path(), Some(NOBODY), Some(NOBODY)).unwrap();
    let own_file = shared.path().join("nobodys.txt");
    std::fs::write(&own_file, b"n").unwrap();
    std::os::unix::fs::chown(&own_file, Some(NOBODY), Some(NOBODY)).unwrap();
    let owners = shared.path().join("owners.html");
    std::os::unix::fs::symlink(&own_file, &owners).unwrap();
    std::os::unix::fs::lchown(&owners, Some(NOBODY), Some(NOBODY)).unwrap();
    write_atomic(&owners, b"fine").unwrap();
    assert_eq!(std::fs::read(&own_file).unwrap(), b"fine");
}

#[test]
fn another_users_link_to_a_file_they_do_not_own_is_refused() {
    if !need_root("another_users_link_to_a_file_they_do_not_own_is_refused") {
        return;
    }
    // Not a shared folder: a user's own folder that root writes into (`--output ~user/x`).
    let home = tempfile::tempdir().unwrap();
    let victim = home.path().join("roots-file");
    std::fs::write(&victim, b"root's").unwrap();
    let link = home.path().join("out.html");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    std::os::unix::fs::lchown(&link, Some(NOBODY), Some(NOBODY)).unwrap();
    let e = write_atomic(&link, b"overwritten").unwrap_err();
    refused(&e, "does not own");
    assert_eq!(std::fs::read(&victim).unwrap(), b"root's");
}

/// Issue 11 item 1: the rules hold for a link planted as a folder of the path as for one
/// to the file (`--output /tmp/evil/report.html` with `/tmp/evil` a link): the kernel's
/// `protected_symlinks` covers this only when it is switched on.
#[test]
fn a_link_planted_as_a_folder_of_the_path_is_refused_like_one_to_the_file() {
    let dir = tempfile::tempdir().unwrap();
    // Our own link into a system folder; the name below it does not exist, so even a broken
    // rule could write nothing there.
    let name = format!("praxcheck-sys-test-{}/x", std::process::id());
    let link = dir.path().join("reports");
    std::os::unix::fs::symlink("/etc", &link).unwrap();
    refused(
        &write_atomic(&link.join(&name), b"x").unwrap_err(),
        "system folder",
    );
    // Our own link to our own folder is followed.
    let real = dir.path().join("real");
    std::fs::create_dir(&real).unwrap();
    std::os::unix::fs::symlink(&real, dir.path().join("via")).unwrap();
    write_atomic(&dir.path().join("via/r.html"), b"ours").unwrap();
    assert_eq!(std::fs::read(real.join("r.html")).unwrap(), b"ours");
    if !need_root("a_link_planted_as_a_folder_of_the_path_is_refused_like_one_to_the_file") {
        return;
    }
    let victim = tempfile::tempdir().unwrap();
    // Another user's link in a sticky shared folder.
    let shared = tempfile::tempdir().unwrap();
    std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o1777)).unwrap();
    let evil = shared.path().join("evil");
    std::os::unix::fs::symlink(victim.path(), &evil).unwrap();
    std::os::unix::fs::lchown(&evil, Some(NOBODY), Some(NOBODY)).unwrap();
    let e = write_atomic(&evil.join("report.html"), b"x").unwrap_err();
    refused(&e, "shared folder");
    // Another user's link in their own folder, to a folder they do not own.
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("out");
    std::os::unix::fs::symlink(victim.path(), &out).unwrap();
    std::os::unix::fs::lchown(&out, Some(NOBODY), Some(NOBODY)).unwrap();
    let e = write_atomic(&out.join("report.html"), b"x").unwrap_err();
    refused(&e, "does not own");
    assert!(
        entries(victim.path()).is_empty(),
        "{:?}",
        entries(victim.path())
    );
}
