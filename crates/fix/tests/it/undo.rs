//! Undo restores byte for byte, refuses changed files, and the backup folder protects itself.

use std::path::{Path, PathBuf};

use praxcheck_fix::{Outcome, UndoOutcome};
use praxcheck_model::backup::BackupState;

use crate::support::*;

fn fake_log4j1() -> Vec<u8> {
    jar(&[
        (
            "META-INF/maven/log4j/log4j/pom.properties",
            b"groupId=log4j\nartifactId=log4j\nversion=1.2.17\n".to_vec(),
            DEFLATED,
        ),
        (
            "org/apache/log4j/DailyRollingFileAppender.class",
            vec![0xCA, 0xFE, 1],
            DEFLATED,
        ),
        (
            "org/apache/log4j/net/JMSAppender.class",
            vec![0xCA, 0xFE, 2],
            DEFLATED,
        ),
        (
            "org/apache/log4j/net/SocketServer.class",
            vec![0xCA, 0xFE, 3],
            DEFLATED,
        ),
        (
            "org/apache/log4j/net/SMTPAppender.class",
            vec![0xCA, 0xFE, 4],
            DEFLATED,
        ),
    ])
}

/// Three archives in `apps`: plain, Spring Boot, script-prefixed.
pub fn three(dir: &Path) -> (PathBuf, Vec<(PathBuf, Vec<u8>)>) {
    let apps = dir.join("apps");
    std::fs::create_dir_all(&apps).unwrap();
    let core = fake_core("2.14.1", "org/apache/logging/log4j/");
    let files = vec![
        (apps.join("log4j-core-2.14.1.jar"), core.clone()),
        (
            apps.join("boot.jar"),
            spring_boot(&[("log4j-core-2.14.1.jar", core.clone())]),
        ),
        (apps.join("app.jar"), prefixed(&core)),
    ];
    for (p, b) in &files {
        write(p, b);
    }
    (apps, files)
}

#[test]
fn undo_restores_every_file_byte_for_byte_with_its_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let (apps, files) = three(dir.path());
    let mtimes: Vec<_> = files
        .iter()
        .map(|(p, _)| std::fs::metadata(p).unwrap().modified().unwrap())
        .collect();
    let backup = dir.path().join("backup");
    let (plan, _) = scan_plan(&apps, false);
    let r = praxcheck_fix::apply(&plan, &opts(&backup), nofail()).unwrap();
    assert!(
        r.outcomes
            .iter()
            .all(|(_, o)| matches!(o, Outcome::Fixed(_)))
    );
    for (p, b) in &files {
        assert_ne!(&std::fs::read(p).unwrap(), b);
    }
    let audit = praxcheck_fix::audit(&backup).unwrap();
    assert_eq!(audit.intact, 3);
    assert!(audit.damaged.is_empty());
    for rec in &audit.records {
        assert_eq!(rec.state, BackupState::Applied);
        assert!(rec.sha256_after.is_some());
        assert_eq!(rec.removed.len(), 1);
    }

    let u = praxcheck_fix::undo(&[], &opts(&backup), nofail()).unwrap();
    assert_eq!(u.outcomes.len(), 3);
    assert!(
        u.outcomes
            .iter()
            .all(|(_, o)| matches!(o, UndoOutcome::Restored { replaced: None, .. })),
        "{u:?}"
    );
    for ((p, b), t) in files.iter().zip(mtimes) {
        assert_eq!(
            &std::fs::read(p).unwrap(),
            b,
            "{} restored byte for byte",
            p.display()
        );
        assert_eq!(std::fs::metadata(p).unwrap().modified().unwrap(), t);
    }
    let audit = praxcheck_fix::audit(&backup).unwrap();
    assert!(
        audit
            .records
            .iter()
            .all(|r| r.state == BackupState::Restored)
    );
    // The saved originals are gone once restored; the manifest keeps the history.
    assert!(names_in(&backup.join("objects")).is_empty());
    // Nothing left to undo.
    let again = praxcheck_fix::undo(&[], &opts(&backup), nofail()).unwrap();
    assert!(again.outcomes.is_empty());
    assert!(names_in(&apps).iter().all(|n| !n.contains("praxcheck")));
}

#[test]
fn undo_refuses_a_file_changed_since_the_fix_unless_forced_and_keeps_the_newer_content() {
    let dir = tempfile::tempdir().unwrap();
    let (apps, files) = three(dir.path());
    let backup = dir.path().join("backup");
    let (plan, _) = scan_plan(&apps, false);
    praxcheck_fix::apply(&plan, &opts(&backup), nofail()).unwrap();
    // A vendor update replaces one jar after the fix; another one is uninstalled.
    let (updated, _) = &files[0];
    let vendor = fake_core("2.17.1", "org/apache/logging/log4j/");
    write(updated, &vendor);
    let (deleted, _) = &files[1];
    std::fs::remove_file(deleted).unwrap();

    let u = praxcheck_fix::undo(&[], &opts(&backup), nofail()).unwrap();
    for (p, o) in &u.outcomes {
        if p == updated {
            assert!(
                matches!(o, UndoOutcome::ChangedSinceFix { missing: false }),
                "{o:?}"
            );
        } else if p == deleted {
            assert!(
                matches!(o, UndoOutcome::ChangedSinceFix { missing: true }),
                "{o:?}"
            );
        } else {
            assert!(matches!(o, UndoOutcome::Restored { .. }), "{o:?}");
        }
    }
    assert_eq!(
        std::fs::read(updated).unwrap(),
        vendor,
        "refused file untouched"
    );
    assert!(!deleted.exists());
    assert_eq!(praxcheck_fix::audit(&backup).unwrap().intact, 2);

    let mut forced = opts(&backup);
    forced.force = true;
    let u = praxcheck_fix::undo(&[], &forced, nofail()).unwrap();
    assert_eq!(u.outcomes.len(), 2);
    for (p, o) in &u.outcomes {
        match o {
            UndoOutcome::Restored { replaced, .. } => {
                if p == updated {
                    let saved = replaced
                        .as_ref()
                        .expect("the vendor's file was saved first");
                    assert_eq!(std::fs::read(saved).unwrap(), vendor);
                } else {
                    assert!(replaced.is_none());
                }
            }
            other => panic!("{other:?}"),
        }
    }
    for (p, b) in &files {
        assert_eq!(&std::fs::read(p).unwrap(), b);
    }
}

#[test]
fn undo_can_be_limited_to_paths() {
    let dir = tempfile::tempdir().unwrap();
    let (apps, files) = three(dir.path());
    let backup = dir.path().join("backup");
    let (plan, _) = scan_plan(&apps, false);
    praxcheck_fix::apply(&plan, &opts(&backup), nofail()).unwrap();
    let fixed: Vec<Vec<u8>> = files
        .iter()
        .map(|(p, _)| std::fs::read(p).unwrap())
        .collect();
    let u = praxcheck_fix::undo(&[files[2].0.clone()], &opts(&backup), nofail()).unwrap();
    assert_eq!(u.outcomes.len(), 1);
    assert_eq!(std::fs::read(&files[2].0).unwrap(), files[2].1);
    assert_eq!(std::fs::read(&files[0].0).unwrap(), fixed[0]);
    let u = praxcheck_fix::undo(&[apps], &opts(&backup), nofail()).unwrap();
    assert_eq!(u.outcomes.len(), 2);
    for (p, b) in &files {
        assert_eq!(&std::fs::read(p).unwrap(), b);
    }
}

#[test]
fn two_fixes_of_one_file_are_undone_back_to_the_original() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("fat.jar");
    let original = jar(&[
        (
            "META-INF/MANIFEST.MF",
            b"Manifest-Version: 1.0\r\n\r\n".to_vec(),
            DEFLATED,
        ),
        (
            "lib/log4j-core-2.14.1.jar",
            fake_core("2.14.1", "org/apache/logging/log4j/"),
            STORED,
        ),
        ("lib/log4j-1.2.17.jar", fake_log4j1(), STORED),
    ]);
    write(&p, &original);
    let backup = dir.path().join("backup");
    let (plan, _) = scan_plan(&p, false);
    assert_eq!(
        plan.files[0].removals.len(),
        1,
        "JndiLookup only: {plan:#?}"
    );
    praxcheck_fix::apply(&plan, &opts(&backup), nofail()).unwrap();
    let after_first = std::fs::read(&p).unwrap();
    let (plan, _) = scan_plan(&p, true);
    let classes: Vec<&str> = plan.files[0]
        .removals
        .iter()
        .map(|r| r.class.as_str())
        .collect();
    assert_eq!(
        classes,
        vec![
            "org.apache.log4j.net.JMSAppender",
            "org.apache.log4j.net.SocketServer"
        ],
        "risky 1.x classes; SMTPAppender stays"
    );
    praxcheck_fix::apply(&plan, &opts(&backup), nofail()).unwrap();
    assert_ne!(std::fs::read(&p).unwrap(), after_first);
    let u = praxcheck_fix::undo(std::slice::from_ref(&p), &opts(&backup), nofail()).unwrap();
    assert_eq!(u.outcomes.len(), 2);
    assert_eq!(std::fs::read(&p).unwrap(), original);
}

#[cfg(unix)]
#[test]
fn a_busy_file_is_not_restored_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let (apps, files) = three(dir.path());
    let backup = dir.path().join("backup");
    let (plan, _) = scan_plan(&apps, false);
    praxcheck_fix::apply(&plan, &opts(&backup), nofail()).unwrap();
    let busy = &files[0].0;
    let fixed = std::fs::read(busy).unwrap();
    let Ok(mut child) = std::process::Command::new("sleep")
        .arg("30")
        .stdin(std::fs::File::open(busy).unwrap())
        .spawn()
    else {
        eprintln!("SKIPPED a_busy_file_is_not_restored_unless_forced: no sleep");
        return;
    };
    let u = praxcheck_fix::undo(std::slice::from_ref(busy), &opts(&backup), nofail()).unwrap();
    assert!(
        matches!(&u.outcomes[0].1, UndoOutcome::InUse(p) if p.iter().any(|r| r.pid == child.id())),
        "{u:?}"
    );
    assert_eq!(std::fs::read(busy).unwrap(), fixed);
    let mut forced = opts(&backup);
    forced.force = true;
    let u = praxcheck_fix::undo(std::slice::from_ref(busy), &forced, nofail()).unwrap();
    assert!(
        matches!(&u.outcomes[0].1, UndoOutcome::Restored { .. }),
        "{u:?}"
    );
    assert_eq!(std::fs::read(busy).unwrap(), files[0].1);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_damaged_backup_is_reported_and_nothing_is_changed() {
    let dir = tempfile::tempdir().unwrap();
    let (apps, files) = three(dir.path());
    let backup = dir.path().join("backup");
    let (plan, _) = scan_plan(&apps, false);
    praxcheck_fix::apply(&plan, &opts(&backup), nofail()).unwrap();
    let audit = praxcheck_fix::audit(&backup).unwrap();
    let victim = audit
        .records
        .iter()
        .find(|r| r.path.display().ends_with("boot.jar"))
        .unwrap();
    write(&backup.join(&victim.object), b"not the original");
    let fixed = std::fs::read(&files[1].0).unwrap();
    let audit = praxcheck_fix::audit(&backup).unwrap();
    assert_eq!(audit.damaged.len(), 1);
    let u = praxcheck_fix::undo(&[files[1].0.clone()], &opts(&backup), nofail()).unwrap();
    match &u.outcomes[0].1 {
        UndoOutcome::Failed(e) => assert!(e.to_string().contains("damaged"), "{e}"),
        o => panic!("{o:?}"),
    }
    assert_eq!(std::fs::read(&files[1].0).unwrap(), fixed);
}

#[test]
fn the_backup_folder_is_used_by_one_run_at_a_time_and_a_damaged_manifest_stops_everything() {
    let dir = tempfile::tempdir().unwrap();
    let (apps, files) = three(dir.path());
    let backup = dir.path().join("backup");
    let (plan, _) = scan_plan(&apps, false);
    {
        let _held = praxcheck_fix::Store::open(&backup, true, "", nofail()).unwrap();
        let e = praxcheck_fix::apply(&plan, &opts(&backup), nofail()).unwrap_err();
        assert!(matches!(e, praxcheck_fix::FixError::Busy(_)), "{e}");
    }
    write(&backup.join("manifest.json"), b"{ broken");
    let e = praxcheck_fix::apply(&plan, &opts(&backup), nofail()).unwrap_err();
    assert!(e.to_string().contains("manifest.json"), "{e}");
    for (p, b) in &files {
        assert_eq!(&std::fs::read(p).unwrap(), b);
    }
    let e =
        praxcheck_fix::undo(&[], &opts(&dir.path().join("nothing-here")), nofail()).unwrap_err();
    assert!(matches!(e, praxcheck_fix::FixError::NoBackups(_)), "{e}");
}

/// Fixes the three archives and returns the backup folder and the manifest as JSON.
fn fixed_with_manifest(dir: &Path) -> (PathBuf, serde_json::Value) {
    let (apps, _) = three(dir);
    let backup = dir.join("backup");
    let (plan, _) = scan_plan(&apps, false);
    praxcheck_fix::apply(&plan, &opts(&backup), nofail()).unwrap();
    let m = serde_json::from_slice(&std::fs::read(backup.join("manifest.json")).unwrap()).unwrap();
    (backup, m)
}

fn put_manifest(backup: &Path, m: &serde_json::Value) {
    std::fs::write(
        backup.join("manifest.json"),
        serde_json::to_vec_pretty(m).unwrap(),
    )
    .unwrap();
}

#[test]
fn a_manifest_that_names_files_outside_its_folder_is_refused_and_nothing_is_touched() {
    // The manifest steers deletions and writes; one that points elsewhere must not be
    // followed (it was reproduced deleting an arbitrary file before this check).
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    write(&victim, b"keep me");
    let victim_s = victim.to_str().unwrap().to_owned();
    type Tamper = fn(&mut serde_json::Value, &str);
    let cases: [(&str, Tamper); 5] = [
        ("object", |r, v| r["object"] = v.into()),
        ("object with ..", |r, _| {
            r["object"] = "objects/../../victim.txt".into();
        }),
        ("replaced object", |r, v| r["replaced_object"] = v.into()),
        ("temp", |r, v| {
            r["state"] = "pending".into();
            r["temp"] = v.into();
        }),
        ("relative path", |r, _| r["path"] = "apps/app.jar".into()),
    ];
    for (what, tamper) in cases {
        let case = tempfile::tempdir().unwrap();
        let (backup, mut m) = fixed_with_manifest(case.path());
        tamper(&mut m["records"][0], &victim_s);
        put_manifest(&backup, &m);
        let before = std::fs::read(backup.join("manifest.json")).unwrap();
        let e = praxcheck_fix::undo(&[], &opts(&backup), nofail()).unwrap_err();
        assert!(
            matches!(e, praxcheck_fix::FixError::ManifestRefused { .. }),
            "{what}: {e}"
        );
        assert!(e.to_string().contains("refused"), "{what}: {e}");
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep me", "{what}");
        assert_eq!(
            std::fs::read(backup.join("manifest.json")).unwrap(),
            before,
            "{what}: the manifest is left as it is"
        );
        assert!(praxcheck_fix::audit(&backup).is_err(), "{what}");
    }
}

#[cfg(unix)]
#[test]
fn a_backup_folder_others_can_write_is_refused() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let (backup, _) = fixed_with_manifest(dir.path());
    std::fs::set_permissions(&backup, std::fs::Permissions::from_mode(0o777)).unwrap();
    let e = praxcheck_fix::undo(&[], &opts(&backup), nofail()).unwrap_err();
    assert!(
        matches!(
            e,
            praxcheck_fix::FixError::ManifestRefused {
                problem: praxcheck_fix::store::ManifestProblem::WritableByOthers { .. },
                ..
            }
        ),
        "{e}"
    );
    // Made private again, the same folder is accepted and undo restores.
    std::fs::set_permissions(&backup, std::fs::Permissions::from_mode(0o700)).unwrap();
    let r = praxcheck_fix::undo(&[], &opts(&backup), nofail()).unwrap();
    assert_eq!(
        r.outcomes
            .iter()
            .filter(|(_, o)| matches!(o, UndoOutcome::Restored { .. }))
            .count(),
        3
    );
}

#[cfg(unix)]
#[test]
fn a_recorded_file_now_reached_through_a_link_is_not_restored_even_when_forced() {
    // After the fix, someone who can change the folder replaces it (or the file) with a
    // link to a folder of someone else's: the restore must not write there.
    for replace_folder in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let (backup, m) = fixed_with_manifest(dir.path());
        let apps = dir.path().join("apps");
        let victims = dir.path().join("victims");
        std::fs::create_dir_all(&victims).unwrap();
        let names = ["log4j-core-2.14.1.jar", "boot.jar", "app.jar"];
        for n in names {
            write(&victims.join(n), b"keep me");
        }
        if replace_folder {
            std::fs::rename(&apps, dir.path().join("apps-moved")).unwrap();
            std::os::unix::fs::symlink(&victims, &apps).unwrap();
        } else {
            for n in names {
                std::fs::remove_file(apps.join(n)).unwrap();
                std::os::unix::fs::symlink(victims.join(n), apps.join(n)).unwrap();
            }
        }
        let mut o = opts(&backup);
        o.force = true;
        let r = praxcheck_fix::undo(&[], &o, nofail()).unwrap();
        assert_eq!(r.outcomes.len(), 3, "{r:?}");
        for (p, outcome) in &r.outcomes {
            assert!(
                matches!(
                    outcome,
                    praxcheck_fix::UndoOutcome::Failed(praxcheck_fix::FixError::ManifestRefused {
                        problem: praxcheck_fix::store::ManifestProblem::LinkInPath { .. },
                        ..
                    })
                ),
                "{replace_folder} {}: {outcome:?}",
                p.display()
            );
        }
        for n in names {
            assert_eq!(std::fs::read(victims.join(n)).unwrap(), b"keep me", "{n}");
        }
        // The records stay as they were: put the folder back and the undo works.
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(
                &std::fs::read(backup.join("manifest.json")).unwrap()
            )
            .unwrap()["records"],
            m["records"]
        );
    }
}

/// Issue 11 item 1: the manifest is not trusted beyond reason. A manifest that names a
/// set-user-ID mode open to all and root as owner restores the files with no permission bit
/// they do not have now and with their current owner; a file narrowed since the fix stays
/// narrow.
#[cfg(unix)]
#[test]
fn undo_never_widens_a_mode_or_changes_an_owner_the_manifest_names() {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    let dir = tempfile::tempdir().unwrap();
    let (backup, mut m) = fixed_with_manifest(dir.path());
    let mut paths = Vec::new();
    for r in m["records"].as_array_mut().unwrap() {
        r["mode"] = 0o6777.into();
        r["uid"] = 0.into();
        r["gid"] = 0.into();
        paths.push(PathBuf::from(r["path"].as_str().unwrap()));
    }
    assert_eq!(paths.len(), 3);
    put_manifest(&backup, &m);
    std::fs::set_permissions(&paths[0], std::fs::Permissions::from_mode(0o600)).unwrap();
    // As root the files become another user's, so that the manifest's root would be a change.
    if praxcheck_model::sys::is_root() {
        for p in &paths {
            std::os::unix::fs::chown(p, Some(65534), Some(65534)).unwrap();
        }
    }
    let meta = |p: &Path| {
        let md = std::fs::metadata(p).unwrap();
        (md.mode() & 0o7777, md.uid(), md.gid())
    };
    let before: Vec<_> = paths.iter().map(|p| meta(p)).collect();
    assert_eq!(before[0].0, 0o600);
    let r = praxcheck_fix::undo(&[], &opts(&backup), nofail()).unwrap();
    assert_eq!(
        r.outcomes
            .iter()
            .filter(|(_, o)| matches!(o, UndoOutcome::Restored { .. }))
            .count(),
        3,
        "{:?}",
        r.outcomes
    );
    for (p, b) in paths.iter().zip(&before) {
        assert_eq!(meta(p), *b, "{}", p.display());
        assert_eq!(meta(p).0 & 0o7000, 0, "{}", p.display());
    }
}
