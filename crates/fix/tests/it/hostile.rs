//! Bad input never wins: damaged archives give an error naming the file (never a panic and
//! never a changed file), and names that are not UTF-8 are found and kept.

use std::path::PathBuf;

use praxcheck_fix::{FilePlan, Plan, Removal};
use proptest::prelude::*;

use crate::support::*;

fn plan_for(path: PathBuf, chain: &[&str], entry: &str) -> Plan {
    Plan {
        files: vec![FilePlan {
            path,
            removals: vec![Removal {
                chain: chain.iter().map(|c| c.as_bytes().to_vec()).collect(),
                entry: entry.as_bytes().to_vec(),
                display: entry.to_owned(),
                class: praxcheck_fix::JNDI_LOOKUP.to_owned(),
                component: "log4j-core".to_owned(),
                rules: vec!["CVE-2021-44228".to_owned()],
            }],
        }],
        loose: Vec::new(),
    }
}

fn sample() -> Vec<u8> {
    let core = fake_core("2.14.1", "org/apache/logging/log4j/");
    jar_styled(
        Style::Stream,
        &[
            (
                "META-INF/MANIFEST.MF",
                b"Manifest-Version: 1.0\r\n\r\n".to_vec(),
                DEFLATED,
            ),
            ("lib/log4j-core-2.14.1.jar", core, STORED),
            ("z.txt", b"zzzz".to_vec(), DEFLATED),
        ],
        b"c",
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any damage is caught before anything is written: the dry run either succeeds or
    /// names the file, and a real run either fixes it completely or leaves it unchanged.
    #[test]
    fn damaged_archives_are_refused_or_fixed_never_half(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        cut in proptest::option::of(any::<prop::sample::Index>()),
    ) {
        let mut bytes = sample();
        for (i, v) in &flips {
            let at = i.index(bytes.len());
            bytes[at] = *v;
        }
        if let Some(c) = cut {
            let at = c.index(bytes.len());
            bytes.truncate(at.max(1));
        }
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("app.jar");
        write(&p, &bytes);
        let plan = plan_for(p.clone(), &["lib/log4j-core-2.14.1.jar"], "org/apache/logging/log4j/core/lookup/JndiLookup.class");
        let previews = praxcheck_fix::preview(&plan, &praxcheck_javascan::Limits::default(), std::path::Path::new("/proc"));
        if let Some(Err(e)) = &previews[0].rewrite {
            prop_assert!(e.to_string().contains("app.jar"), "{}", e);
        }
        let r = praxcheck_fix::apply(&plan, &opts(&dir.path().join("backup")), nofail()).unwrap();
        match &r.outcomes[0].1 {
            praxcheck_fix::Outcome::Fixed(_) => {
                let after = std::fs::read(&p).unwrap();
                // Entries the fix does not touch keep their bytes, damage included (an
                // entry whose compression method no reader supports is copied as it is):
                // the result may be unreadable only where the original already was.
                prop_assert!(
                    deep_contents_checked(&after).is_some() || deep_contents_checked(&bytes).is_none()
                );
            }
            praxcheck_fix::Outcome::Failed(e) => {
                prop_assert!(e.to_string().contains("app.jar"), "{}", e);
                prop_assert_eq!(std::fs::read(&p).unwrap(), bytes);
            }
            o => prop_assert!(false, "{:?}", o),
        }
        let left: Vec<String> = names_in(dir.path()).into_iter().filter(|n| n.contains(".praxcheck-")).collect();
        prop_assert!(left.is_empty(), "{:?}", left);
    }
}

/// Opens the archive and every nested one; `None` when anything cannot be read.
fn deep_contents_checked(bytes: &[u8]) -> Option<usize> {
    std::panic::catch_unwind(|| deep_contents(bytes).len()).ok()
}

#[cfg(target_os = "linux")]
#[test]
fn names_that_are_not_utf8_are_fixed_and_restored() {
    use std::os::unix::ffi::OsStrExt as _;
    let dir = tempfile::tempdir().unwrap();
    let apps = dir.path().join("apps");
    std::fs::create_dir(&apps).unwrap();
    // A file name in Latin-1 ("Müller.jar") and a nested entry name in CP437 ("Ärzte").
    let core = fake_core("2.14.1", "org/apache/logging/log4j/");
    let inner = jar(&[("lib/XXXXXX-core.jar", core, STORED)]);
    let inner = praxcheck_testsupport::jar::patch_bytes(inner, b"XXXXXX", b"\x8erzte_");
    let p = apps.join(std::ffi::OsStr::from_bytes(b"M\xfcller.jar"));
    write(&p, &inner);
    let (plan, _) = scan_plan(&apps, false);
    assert_eq!(plan.files.len(), 1, "{plan:#?}");
    assert_eq!(plan.files[0].path, p);
    assert_eq!(
        plan.files[0].removals[0].chain,
        vec![b"lib/\x8erzte_-core.jar".to_vec()]
    );
    let backup = dir.path().join("backup");
    let r = praxcheck_fix::apply(&plan, &opts(&backup), nofail()).unwrap();
    assert!(
        matches!(r.outcomes[0].1, praxcheck_fix::Outcome::Fixed(_)),
        "{r:?}"
    );
    assert_ne!(std::fs::read(&p).unwrap(), inner);
    let u = praxcheck_fix::undo(&[], &opts(&backup), nofail()).unwrap();
    assert_eq!(u.outcomes[0].0, p);
    assert_eq!(std::fs::read(&p).unwrap(), inner);
}
