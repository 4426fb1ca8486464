//! Backup folders as tools leave them, examined within strict limits.

use std::time::{Duration, Instant};

use praxcheck_hostscan::backup::{Limits, date_in_name, examine_folder, examine_folder_bounded};
use time::macros::datetime;

use crate::linux_tree::Tree;

fn limits() -> Limits {
    Limits {
        deadline: Instant::now() + Duration::from_secs(30),
        max_entries: 200_000,
    }
}

fn rfc(t: Option<time::OffsetDateTime>) -> Option<String> {
    t.map(praxcheck_hostscan::facts::rfc3339)
}

#[test]
fn borg_repository() {
    let tr = Tree::new();
    tr.file(
        "borg/README",
        "This is a Borg Backup repository.\nSee https://borgbackup.readthedocs.io/\n",
    )
    .file("borg/config", "[repository]\nversion = 1\n")
    .file("borg/data/0/1", vec![0u8; 700])
    .file("borg/data/0/2", vec![0u8; 300])
    .file("borg/index.17", "i")
    .mtime("borg/index.17", datetime!(2026-11-27 23:40 UTC))
    .file("borg/hints.17", "h")
    .mtime("borg/hints.17", datetime!(2026-11-27 23:40 UTC))
    .mtime("borg/README", datetime!(2024-01-01 00:00 UTC))
    .mtime("borg/config", datetime!(2024-01-01 00:00 UTC));
    let ex = examine_folder(&tr.path("borg"), limits());
    assert_eq!(ex.method, "borg repository: index/hints files");
    assert_eq!(rfc(ex.newest).as_deref(), Some("2026-11-27T23:40:00Z"));
    assert_eq!(ex.total_size, 1000);
    assert!(ex.complete);
}

#[test]
fn rsnapshot_intervals() {
    let tr = Tree::new();
    for (d, t) in [
        ("daily.0", datetime!(2026-11-28 03:00 UTC)),
        ("daily.1", datetime!(2026-11-27 03:00 UTC)),
        ("weekly.0", datetime!(2026-11-23 03:00 UTC)),
    ] {
        tr.file(
            &format!("snap/{d}/localhost/srv/praxis/db.dat"),
            vec![0u8; 100],
        )
        .mtime(&format!("snap/{d}/localhost/srv/praxis/db.dat"), t)
        .mtime(&format!("snap/{d}/localhost/srv/praxis"), t)
        .mtime(&format!("snap/{d}/localhost/srv"), t)
        .mtime(&format!("snap/{d}/localhost"), t)
        .mtime(&format!("snap/{d}"), t);
    }
    let ex = examine_folder(&tr.path("snap"), limits());
    assert_eq!(ex.method, "rsnapshot intervals");
    assert_eq!(ex.backups_seen, Some(3));
    assert_eq!(rfc(ex.newest).as_deref(), Some("2026-11-28T03:00:00Z"));
}

#[test]
fn windows_server_backup_folder_by_dated_names() {
    let tr = Tree::new();
    tr.file(
        "E/WindowsImageBackup/SRV-PRAXIS/Backup 2026-11-27 200012/a.vhdx",
        vec![0u8; 4000],
    )
    .file(
        "E/WindowsImageBackup/SRV-PRAXIS/Backup 2026-11-28 200009/a.vhdx",
        vec![0u8; 4100],
    )
    .file("E/WindowsImageBackup/SRV-PRAXIS/Catalog/GlobalCatalog", "c");
    let ex = examine_folder(&tr.path("E"), limits());
    assert_eq!(ex.method, "Windows Server Backup: WindowsImageBackup");
    assert_eq!(ex.backups_seen, Some(2));
    assert_eq!(rfc(ex.newest).as_deref(), Some("2026-11-28T20:00:09Z"));
    assert_eq!(ex.newest_size, Some(4100));
    assert_eq!(ex.previous_median, Some(4000));
}

#[test]
fn mirror_copy_takes_the_newest_file_time() {
    let tr = Tree::new();
    tr.file("mirror/praxis/db/patienten.dat", vec![0u8; 50])
        .mtime(
            "mirror/praxis/db/patienten.dat",
            datetime!(2026-11-28 01:30 UTC),
        )
        .file("mirror/praxis/briefe/2019/a.doc", vec![0u8; 20])
        .mtime(
            "mirror/praxis/briefe/2019/a.doc",
            datetime!(2019-05-01 10:00 UTC),
        )
        .mtime("mirror/praxis/briefe/2019", datetime!(2019-05-01 10:00 UTC))
        .mtime("mirror/praxis/briefe", datetime!(2019-05-01 10:00 UTC))
        .mtime("mirror/praxis/db", datetime!(2026-11-28 01:30 UTC))
        .mtime("mirror/praxis", datetime!(2026-11-01 00:00 UTC));
    let ex = examine_folder(&tr.path("mirror"), limits());
    assert_eq!(ex.method, "newest file modification time (mirror copy)");
    assert_eq!(rfc(ex.newest).as_deref(), Some("2026-11-28T01:30:00Z"));
    assert_eq!(ex.total_size, 70);
}

#[test]
fn an_empty_folder_holds_no_backup() {
    let tr = Tree::new();
    tr.dir("leer").file("leer/Thumbs.db", "x");
    let ex = examine_folder(&tr.path("leer"), limits());
    assert!(ex.readable);
    assert_eq!(ex.newest, None);
    assert_eq!(ex.backups_seen, Some(0));
    let missing = examine_folder(&tr.path("nicht-da"), limits());
    assert!(!missing.readable);
    assert!(missing.problem.unwrap().contains("not attached"));
}

#[test]
fn a_large_backup_is_not_walked_beyond_the_limits() {
    let tr = Tree::new();
    for d in 0..40 {
        for f in 0..100 {
            tr.file(&format!("big/2026-11-28/dir{d}/f{f}"), "x");
        }
    }
    tr.file("big/2026-11-27/one", "y");
    let ex = examine_folder(
        &tr.path("big"),
        Limits {
            deadline: Instant::now() + Duration::from_secs(30),
            max_entries: 500,
        },
    );
    assert!(!ex.complete, "4000 entries against a limit of 500");
    // The newest backup is still known by its name; its size is not trusted.
    assert_eq!(rfc(ex.newest).as_deref(), Some("2026-11-28T00:00:00Z"));
    assert_eq!(ex.newest_size, None);
    assert_eq!(ex.previous_median, None);
    // A deadline already passed stops at once, on a thread that is given up on.
    let ex = examine_folder_bounded(
        &tr.path("big"),
        Limits {
            deadline: Instant::now(),
            max_entries: 1_000_000,
        },
    );
    assert!(!ex.complete);
}

#[test]
fn names_with_dates_in_the_forms_practices_use() {
    for (name, want) in [
        ("Sicherung_28.11.2026.zip", "2026-11-28T00:00:00Z"),
        ("backup-20261128-2215.tar", "2026-11-28T22:15:00Z"),
        ("2026_11_28 praxis.7z", "2026-11-28T00:00:00Z"),
    ] {
        assert_eq!(rfc(date_in_name(name)).as_deref(), Some(want), "{name}");
    }
}
