//! Core tier: every archive layout is fixed, a rescan reports it mitigated, and nothing
//! but the removed classes changes (synthetic archives, no shared test data needed).

use std::io::Cursor;
use std::path::{Path, PathBuf};

use praxcheck_model::Status;

use crate::support::*;

/// Raw bytes (local header through data) of every top-level entry, by name.
fn raw_records(bytes: &[u8]) -> Vec<(String, Vec<u8>, u16)> {
    let mut ar = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut v = Vec::new();
    for i in 0..ar.len() {
        let f = ar.by_index_raw(i).unwrap();
        let start = usize::try_from(f.header_start()).unwrap();
        let end = usize::try_from(f.data_start().unwrap() + f.compressed_size()).unwrap();
        let method = match f.compression() {
            zip::CompressionMethod::Stored => 0,
            _ => 8,
        };
        v.push((
            String::from_utf8_lossy(f.name_raw()).into_owned(),
            bytes[start..end].to_vec(),
            method,
        ));
    }
    v
}

struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    /// Nested chain to the archive holding JndiLookup, and the class path in it.
    removed: Vec<String>,
    /// Entries (chains) that must stay STORED.
    stored: Vec<Vec<String>>,
}

fn cases() -> Vec<Case> {
    let core = fake_core("2.14.1", "org/apache/logging/log4j/");
    let jndi = "org/apache/logging/log4j/core/lookup/JndiLookup.class";
    let mut v = Vec::new();
    v.push(Case {
        name: "log4j-core-2.14.1.jar",
        bytes: core.clone(),
        removed: vec![jndi.to_owned()],
        stored: vec![],
    });
    v.push(Case {
        name: "shaded-app.jar",
        bytes: jar_styled(
            Style::Plain,
            &[
                (
                    "META-INF/MANIFEST.MF",
                    b"Manifest-Version: 1.0\r\n\r\n".to_vec(),
                    DEFLATED,
                ),
                ("com/acme/App.class", vec![0xCA, 0xFE, 1], DEFLATED),
                (
                    "com/acme/shaded/log4j2/core/lookup/JndiLookup.class",
                    vec![0xCA, 0xFE, 2],
                    DEFLATED,
                ),
                (
                    "com/acme/shaded/log4j2/core/net/JndiManager.class",
                    vec![0xCA, 0xFE, 3],
                    DEFLATED,
                ),
                (
                    "com/acme/shaded/log4j2/core/pattern/MessagePatternConverter.class",
                    vec![0xCA, 0xFE, 4],
                    DEFLATED,
                ),
            ],
            b"relocated copy",
        ),
        removed: vec!["com/acme/shaded/log4j2/core/lookup/JndiLookup.class".into()],
        stored: vec![],
    });
    v.push(Case {
        name: "boot.jar",
        bytes: spring_boot(&[
            ("log4j-core-2.14.1.jar", core.clone()),
            (
                "other-1.0.jar",
                jar(&[("x/Y.class", vec![1, 2, 3], DEFLATED)]),
            ),
        ]),
        removed: vec![format!("BOOT-INF/lib/log4j-core-2.14.1.jar!/{jndi}")],
        stored: vec![
            vec!["BOOT-INF/lib/log4j-core-2.14.1.jar".into()],
            vec!["BOOT-INF/lib/other-1.0.jar".into()],
        ],
    });
    let war = jar(&[
        ("WEB-INF/web.xml", b"<web-app/>".to_vec(), DEFLATED),
        ("WEB-INF/lib/log4j-core-2.14.1.jar", core.clone(), DEFLATED),
    ]);
    v.push(Case {
        name: "app.ear",
        bytes: jar(&[
            (
                "META-INF/application.xml",
                b"<application/>".to_vec(),
                DEFLATED,
            ),
            ("web.war", war, DEFLATED),
            ("lib/log4j-core-2.14.1.jar", core.clone(), STORED),
        ]),
        removed: vec![
            format!("lib/log4j-core-2.14.1.jar!/{jndi}"),
            format!("web.war!/WEB-INF/lib/log4j-core-2.14.1.jar!/{jndi}"),
        ],
        stored: vec![vec!["lib/log4j-core-2.14.1.jar".into()]],
    });
    let (deep, chain) = nest(core.clone(), "log4j-core-2.14.1.jar", 6);
    v.push(Case {
        name: "deep6.jar",
        bytes: deep,
        removed: vec![format!("{}!/{jndi}", chain.join("!/"))],
        stored: vec![
            chain[..2].to_vec(),
            chain[..4].to_vec(),
            chain[..6].to_vec(),
        ],
    });
    v.push(Case {
        name: "app-exec",
        bytes: prefixed(&core),
        removed: vec![jndi.to_owned()],
        stored: vec![],
    });
    // Nested archives written by a streaming writer (data descriptors) and with ZIP64
    // extra fields: the rewritten nested entry keeps its shape.
    v.push(Case {
        name: "stream.jar",
        bytes: jar_styled(
            Style::Stream,
            &[
                ("a.txt", b"aaaa".to_vec(), DEFLATED),
                ("lib/log4j-core-2.14.1.jar", core.clone(), DEFLATED),
                ("lib/stored-core.jar", core.clone(), STORED),
            ],
            b"",
        ),
        removed: vec![
            format!("lib/log4j-core-2.14.1.jar!/{jndi}"),
            format!("lib/stored-core.jar!/{jndi}"),
        ],
        stored: vec![vec!["lib/stored-core.jar".into()]],
    });
    v.push(Case {
        name: "zip64.jar",
        bytes: jar_styled(
            Style::Zip64,
            &[
                ("a.txt", b"aaaa".to_vec(), DEFLATED),
                ("lib/log4j-core-2.14.1.jar", core.clone(), STORED),
                ("lib/deflated-core.jar", core, DEFLATED),
            ],
            b"zip64 comment",
        ),
        removed: vec![
            format!("lib/deflated-core.jar!/{jndi}"),
            format!("lib/log4j-core-2.14.1.jar!/{jndi}"),
        ],
        stored: vec![vec!["lib/log4j-core-2.14.1.jar".into()]],
    });
    v
}

fn without(contents: &[(String, Vec<u8>)], removed: &[String]) -> Vec<(String, Vec<u8>)> {
    contents
        .iter()
        .filter(|(n, _)| !removed.contains(n))
        .cloned()
        .collect()
}

fn setup(dir: &Path) -> Vec<(Case, PathBuf)> {
    let apps = dir.join("apps");
    std::fs::create_dir_all(&apps).unwrap();
    cases()
        .into_iter()
        .map(|c| {
            let p = apps.join(c.name);
            write(&p, &c.bytes);
            #[cfg(unix)]
            if c.name.ends_with("-exec") {
                use std::os::unix::fs::PermissionsExt as _;
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
            }
            (c, p)
        })
        .collect()
}

#[test]
fn every_layout_is_fixed_and_nothing_else_changes() {
    let dir = tempfile::tempdir().unwrap();
    let files = setup(dir.path());
    let apps = dir.path().join("apps");
    let backup = dir.path().join("backup");
    let (plan, _) = scan_plan(&apps, false);
    assert_eq!(
        plan.files.len(),
        files.len(),
        "every case is planned: {plan:#?}"
    );
    for (c, p) in &files {
        let fp = plan
            .files
            .iter()
            .find(|f| &f.path == p)
            .unwrap_or_else(|| panic!("{} planned", c.name));
        let mut planned: Vec<String> = fp
            .removals
            .iter()
            .map(|r| {
                let mut parts: Vec<String> = r
                    .chain
                    .iter()
                    .map(|s| String::from_utf8_lossy(s).into_owned())
                    .collect();
                parts.push(String::from_utf8_lossy(&r.entry).into_owned());
                parts.join("!/")
            })
            .collect();
        planned.sort();
        let mut expected = c.removed.clone();
        expected.sort();
        assert_eq!(planned, expected, "{}", c.name);
    }

    let report = praxcheck_fix::apply(&plan, &opts(&backup), nofail()).unwrap();
    for (fp, o) in &report.outcomes {
        assert!(
            matches!(o, praxcheck_fix::Outcome::Fixed(_)),
            "{}: {o:?}",
            fp.path.display()
        );
    }

    for (c, p) in &files {
        let after = std::fs::read(p).unwrap();
        // Same entries, same contents, minus the removed classes (at every depth).
        assert_eq!(
            deep_contents(&after),
            without(&deep_contents(&c.bytes), &c.removed),
            "{}",
            c.name
        );
        // Top-level entries that are not on a changed path are byte-identical.
        let changed_top: Vec<&str> = c
            .removed
            .iter()
            .map(|r| r.split("!/").next().unwrap_or(""))
            .collect();
        let before_raw = raw_records(&c.bytes);
        let after_raw = raw_records(&after);
        let before_kept: Vec<_> = before_raw
            .iter()
            .filter(|(n, _, _)| !changed_top.contains(&n.as_str()))
            .collect();
        let after_kept: Vec<_> = after_raw
            .iter()
            .filter(|(n, _, _)| !changed_top.contains(&n.as_str()))
            .collect();
        assert_eq!(
            before_kept, after_kept,
            "{}: kept entries byte-identical",
            c.name
        );
        // Compression methods of every entry are kept (STORED stays STORED).
        let bm: Vec<_> = before_raw
            .iter()
            .filter(|(n, _, _)| !c.removed.contains(n))
            .map(|(n, _, m)| (n, m))
            .collect();
        let am: Vec<_> = after_raw.iter().map(|(n, _, m)| (n, m)).collect();
        assert_eq!(bm, am, "{}", c.name);
        for chain in &c.stored {
            let chain: Vec<&str> = chain.iter().map(String::as_str).collect();
            assert_eq!(
                method_of(&after, &chain),
                STORED,
                "{}: {chain:?} stays STORED",
                c.name
            );
        }
        // A script prefix and the archive comment stay.
        let first_local = c.bytes.windows(4).position(|w| w == b"PK\x03\x04").unwrap();
        assert_eq!(
            after[..first_local],
            c.bytes[..first_local],
            "{}: prefix",
            c.name
        );
        let b_ar = zip::ZipArchive::new(Cursor::new(&c.bytes)).unwrap();
        let a_ar = zip::ZipArchive::new(Cursor::new(&after)).unwrap();
        assert_eq!(b_ar.comment(), a_ar.comment(), "{}: comment", c.name);
    }

    // A rescan reports every affected component as mitigated.
    let st = statuses(&apps, "CVE-2021-44228");
    assert!(st.len() >= files.len(), "{st:?}");
    assert!(st.iter().all(|(_, s)| *s == Status::Mitigated), "{st:#?}");
    // … and there is nothing left to fix.
    let (again, _) = scan_plan(&apps, false);
    assert!(again.files.is_empty(), "{again:#?}");
}

#[test]
fn the_dry_run_changes_nothing_and_creates_no_backup_folder() {
    let dir = tempfile::tempdir().unwrap();
    let files = setup(dir.path());
    let (plan, _) = scan_plan(&dir.path().join("apps"), false);
    let previews = praxcheck_fix::preview(
        &plan,
        &praxcheck_javascan::Limits::default(),
        Path::new("/proc"),
    );
    assert_eq!(previews.len(), files.len());
    for p in &previews {
        let summary = p.rewrite.as_ref().unwrap().as_ref().unwrap();
        assert_eq!(summary.removed.len(), p.file.removals.len());
    }
    for (c, p) in &files {
        assert_eq!(std::fs::read(p).unwrap(), c.bytes, "{} untouched", c.name);
    }
    assert_eq!(names_in(dir.path()), vec!["apps".to_owned()]);
}

#[test]
fn versions_no_advisory_needs_it_for_are_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    for v in ["2.17.1", "2.12.4"] {
        write(
            &dir.path().join(format!("log4j-core-{v}.jar")),
            &fake_core(v, "org/apache/logging/log4j/"),
        );
    }
    write(
        &dir.path().join("log4j-core-2.15.0.jar"),
        &fake_core("2.15.0", "org/apache/logging/log4j/"),
    );
    let (plan, _) = scan_plan(dir.path(), false);
    let names: Vec<String> = plan
        .files
        .iter()
        .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    // 2.15.0 still has CVE-2021-45046, which needs JndiLookup; the others do not.
    assert_eq!(names, vec!["log4j-core-2.15.0.jar".to_owned()]);
}

#[cfg(unix)]
#[test]
fn mode_and_modification_time_are_kept_and_links_are_followed() {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    std::fs::create_dir(&real).unwrap();
    let p = real.join("log4j-core-2.14.1.jar");
    write(&p, &fake_core("2.14.1", "org/apache/logging/log4j/"));
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    let old = std::time::UNIX_EPOCH + std::time::Duration::new(1_639_000_000, 123_456_789);
    std::fs::File::options()
        .write(true)
        .open(&p)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let links = dir.path().join("links");
    std::fs::create_dir(&links).unwrap();
    std::os::unix::fs::symlink(&p, links.join("core.jar")).unwrap();

    let (plan, _) = scan_plan(&links, false);
    assert_eq!(plan.files.len(), 1);
    let report = praxcheck_fix::apply(&plan, &opts(&dir.path().join("backup")), nofail()).unwrap();
    assert!(
        matches!(report.outcomes[0].1, praxcheck_fix::Outcome::Fixed(_)),
        "{report:?}"
    );
    let md = std::fs::metadata(&p).unwrap();
    assert_eq!(md.mode() & 0o7777, 0o640);
    assert_eq!(md.modified().unwrap(), old);
    // The link is still a link, and the file it points to was fixed.
    assert!(
        std::fs::symlink_metadata(links.join("core.jar"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let st = statuses(&p, "CVE-2021-44228");
    assert_eq!(st.len(), 1);
    assert_eq!(st[0].1, Status::Mitigated);
}

#[cfg(unix)]
#[test]
fn hard_linked_and_busy_files_are_left_alone_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let apps = dir.path().join("apps");
    std::fs::create_dir(&apps).unwrap();
    let linked = apps.join("linked.jar");
    write(&linked, &fake_core("2.14.1", "org/apache/logging/log4j/"));
    std::fs::hard_link(&linked, dir.path().join("second-name.jar")).unwrap();
    let busy = apps.join("busy.jar");
    write(&busy, &fake_core("2.14.1", "org/apache/logging/log4j/"));
    let before_busy = std::fs::read(&busy).unwrap();
    // A running program that holds the jar open.
    let mut child = match std::process::Command::new("sleep")
        .arg("30")
        .stdin(std::fs::File::open(&busy).unwrap())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!(
                "SKIPPED hard_linked_and_busy_files_are_left_alone_unless_forced: no sleep ({e})"
            );
            return;
        }
    };
    let (plan, _) = scan_plan(&apps, false);
    assert_eq!(plan.files.len(), 2);
    let backup = dir.path().join("backup");
    let report = praxcheck_fix::apply(&plan, &opts(&backup), nofail()).unwrap();
    for (fp, o) in &report.outcomes {
        if fp.path == busy {
            match o {
                praxcheck_fix::Outcome::InUse(p) => {
                    assert!(
                        p.iter().any(|r| r.pid == child.id() && r.name == "sleep"),
                        "{p:?}"
                    );
                }
                other => panic!("busy: {other:?}"),
            }
        } else {
            assert!(matches!(o, praxcheck_fix::Outcome::HardLinks(2)), "{o:?}");
        }
    }
    assert_eq!(std::fs::read(&busy).unwrap(), before_busy);
    let mut forced = opts(&backup);
    forced.force = true;
    let report = praxcheck_fix::apply(&plan, &forced, nofail()).unwrap();
    assert!(
        report
            .outcomes
            .iter()
            .all(|(_, o)| matches!(o, praxcheck_fix::Outcome::Fixed(_))),
        "{report:?}"
    );
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn an_archive_that_changed_since_the_scan_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("log4j-core-2.14.1.jar");
    write(&p, &fake_core("2.14.1", "org/apache/logging/log4j/"));
    let (plan, _) = scan_plan(&p, false);
    // A vendor update replaces the jar between scan and fix.
    let updated = jar(&[(
        "org/apache/logging/log4j/core/Logger.class",
        vec![1],
        DEFLATED,
    )]);
    write(&p, &updated);
    let report = praxcheck_fix::apply(&plan, &opts(&dir.path().join("backup")), nofail()).unwrap();
    match &report.outcomes[0].1 {
        praxcheck_fix::Outcome::Failed(e) => {
            let msg = e.to_string();
            assert!(
                msg.contains("log4j-core-2.14.1.jar") && msg.contains("not in the archive"),
                "{msg}"
            );
        }
        o => panic!("{o:?}"),
    }
    assert_eq!(std::fs::read(&p).unwrap(), updated);
    assert!(
        names_in(dir.path())
            .iter()
            .all(|n| !n.contains("praxcheck")),
        "no temp file left"
    );
}

#[test]
fn loose_class_files_are_listed_not_changed() {
    let dir = tempfile::tempdir().unwrap();
    let classes = dir.path().join("webapp/WEB-INF/classes");
    let p = "org/apache/logging/log4j/core";
    for (rel, bytes) in [
        (
            format!("{p}/lookup/JndiLookup.class"),
            vec![0xCA, 0xFE, 0xBA, 0xBE, 1],
        ),
        (
            format!("{p}/net/JndiManager.class"),
            vec![0xCA, 0xFE, 0xBA, 0xBE, 2],
        ),
    ] {
        let f = classes.join(rel);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        write(&f, &bytes);
    }
    let (plan, _) = scan_plan(dir.path(), false);
    assert!(plan.files.is_empty(), "{plan:#?}");
    assert_eq!(plan.loose.len(), 1, "{plan:#?}");
    assert_eq!(
        plan.loose[0].path,
        classes.join(format!("{p}/lookup/JndiLookup.class"))
    );
    assert!(plan.loose[0].rules.contains(&"CVE-2021-44228".to_owned()));
}
