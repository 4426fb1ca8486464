//! Limits never hide a vulnerable jar as clean (issue 11): a notable class above the size
//! limit proves its presence, never its absence, and the scan says the entry was not read.

use praxcheck_testsupport::jar::{JarBuilder, class_file};

use crate::common::{assess, scan, summary, write};
use crate::synthetic::{Profile, core_classes};

#[test]
fn an_oversize_jndilookup_class_is_present_not_mitigated() {
    let dir = tempfile::tempdir().unwrap();
    // A valid JndiLookup.class of more than 5 MiB: 90 string constants of 60,000 bytes each
    // (the JVM loads a class of any size).
    let big: Vec<String> = (0..90)
        .map(|i| format!("{i:02}{}", "x".repeat(60_000)))
        .collect();
    let mut strings: Vec<&str> = vec!["Error looking up JNDI resource [{}]."];
    strings.extend(big.iter().map(String::as_str));
    let name = "org/apache/logging/log4j/core/lookup/JndiLookup";
    let class = class_file(name, &strings);
    assert!(class.len() > 5 << 20);
    let mut b = JarBuilder::new()
        .add("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n\r\n")
        .pom("org.apache.logging.log4j", "log4j-core", "2.14.1");
    for (n, bytes) in core_classes("org/apache/logging/log4j/", Profile::Vulnerable214, false) {
        b = b.add(&n, &bytes);
    }
    b = b.add(&format!("{name}.class"), &class);
    let p = write(dir.path(), "a.jar", &b.finish());
    let out = scan(&[p]);
    let s = summary(&assess(&out), dir.path());
    assert!(s.contains("a.jar CVE-2021-44228:vulnerable"), "{s:?}");
    assert!(!s.iter().any(|f| f.ends_with(":mitigated")), "{s:?}");
    // The entry that was not read is named: the result says it is incomplete.
    assert!(
        out.unreadable
            .iter()
            .any(|u| u.location.display.ends_with("JndiLookup.class")),
        "{:?}",
        out.unreadable
    );
}

/// A nest of STORED archives whose leaves hold DEFLATED class entries of 1 MiB each (a
/// smaller equivalent of 4 levels × 16 archives of 4 MiB classes, 262 GB inflated): the
/// class bytes count against the file's inflation budget, and what the budget left out is
/// named.
#[test]
fn inflated_class_and_metadata_bytes_count_against_the_file_budget() {
    let classes = [
        "org/apache/logging/log4j/core/lookup/JndiLookup",
        "org/apache/logging/log4j/core/net/JndiManager",
        "org/apache/logging/log4j/core/lookup/StrSubstitutor",
        "org/apache/logging/log4j/core/lookup/Interpolator",
        "org/apache/logging/log4j/core/LoggerContext",
        "org/apache/logging/log4j/core/pattern/MessagePatternConverter",
        "org/apache/logging/log4j/core/config/LoggerConfig",
        "org/apache/logging/log4j/core/appender/OutputStreamManager",
    ];
    let big = vec![0u8; 1 << 20];
    let mut leaf = JarBuilder::new().add("META-INF/MANIFEST.MF", &big);
    for c in classes {
        leaf = leaf.add(&format!("{c}.class"), &big);
    }
    let mut level = leaf.finish();
    assert!(level.len() < 64 << 10, "{}", level.len());
    for _ in 0..3 {
        let mut b = JarBuilder::new();
        for i in 0..4 {
            b = b.add_stored(&format!("lib/n{i}.jar"), &level);
        }
        level = b.finish();
    }
    // 64 leaves × 9 MiB = 576 MiB if every entry were inflated.
    let limits = praxcheck_javascan::Limits {
        max_inflate_per_file: 32 << 20,
        ..praxcheck_javascan::Limits::default()
    };
    let out = praxcheck_javascan::scan_archive_bytes("nest.jar", level, &limits);
    assert!(
        out.stats.bytes_read <= (32 << 20) + (1 << 20),
        "{} bytes inflated",
        out.stats.bytes_read
    );
    let budget: Vec<_> = out
        .unreadable
        .iter()
        .filter(|u| u.detail.contains("inflation budget"))
        .collect();
    assert!(!budget.is_empty(), "{:?}", out.unreadable);
    assert!(
        budget
            .iter()
            .all(|u| u.reason == praxcheck_model::UnreadableReason::SizeLimit)
    );
    // A class that was not read because of the budget is still present.
    assert!(
        out.components.iter().filter(|c| c.java.is_some()).count() >= 60,
        "{}",
        out.components.len()
    );
}

/// A hostile tree cannot make the document unbounded: components and unread entries per
/// file are capped, and the cut is recorded for the file.
#[test]
fn the_document_of_a_hostile_tree_stays_bounded() {
    let n = praxcheck_javascan::MAX_COMPONENTS_PER_FILE + 40;
    let mut b = JarBuilder::new();
    for i in 0..n {
        let inner = JarBuilder::new()
            .pom("org.example", &format!("a{i}"), "1.0")
            .finish();
        b = b.add_stored(&format!("lib/a{i}.jar"), &inner);
    }
    // Entries named like archives that are none: one unread entry each.
    let bad = praxcheck_javascan::MAX_UNREADABLE_PER_FILE + 10;
    for i in 0..bad {
        b = b.add_stored(&format!("junk/j{i}.jar"), b"not a zip");
    }
    let out = praxcheck_javascan::scan_archive_bytes(
        "hostile.war",
        b.finish(),
        &praxcheck_javascan::Limits::default(),
    );
    assert_eq!(
        out.components.len(),
        praxcheck_javascan::MAX_COMPONENTS_PER_FILE
    );
    // The capped list and the note on the components.
    assert_eq!(
        out.unreadable.len(),
        praxcheck_javascan::MAX_UNREADABLE_PER_FILE + 1
    );
    assert!(
        out.unreadable
            .iter()
            .filter(|u| u.location.display == "hostile.war" && u.detail.contains("not listed"))
            .count()
            == 2,
        "{:?}",
        out.unreadable.last()
    );
}

/// Limits make the result explicitly incomplete (issue 11 item 3): the unread entry is
/// named with its reason, and a document with it is not complete.
fn incomplete(out: praxcheck_javascan::Output) -> bool {
    let mut d = praxcheck_model::Document::new(
        praxcheck_model::ScanInfo::default(),
        praxcheck_model::AdvisorySetRef::default(),
    );
    d.absorb(praxcheck_model::Collect::into_contribution(out));
    d.finish();
    !d.scan.complete
}

#[test]
fn nesting_beyond_the_depth_limit_makes_the_scan_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let mut level = JarBuilder::new()
        .pom("org.apache.logging.log4j", "log4j-core", "2.14.1")
        .finish();
    for i in 0..3 {
        level = JarBuilder::new()
            .add(&format!("lib/n{i}.jar"), &level)
            .finish();
    }
    let p = write(dir.path(), "deep.jar", &level);
    let out = crate::common::scan_with(
        &[p],
        praxcheck_javascan::Limits {
            max_depth: 2,
            ..praxcheck_javascan::Limits::default()
        },
    );
    assert!(
        out.unreadable.iter().any(
            |u| u.reason == praxcheck_model::UnreadableReason::DepthLimit
                && u.location.display.ends_with("lib/n0.jar")
        ),
        "{:?}",
        out.unreadable
    );
    assert!(incomplete(out));
}

#[test]
fn a_central_directory_above_the_limit_makes_the_scan_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = JarBuilder::new().pom("org.apache.logging.log4j", "log4j-core", "2.14.1");
    for i in 0..2000 {
        b = b.add_stored(&format!("res/r{i:05}.txt"), b"x");
    }
    let p = write(dir.path(), "many.jar", &b.finish());
    let out = crate::common::scan_with(
        &[p],
        praxcheck_javascan::Limits {
            max_central_directory: 16 << 10,
            ..praxcheck_javascan::Limits::default()
        },
    );
    let u = out
        .unreadable
        .iter()
        .find(|u| u.location.display.ends_with("many.jar"))
        .expect("the archive is named");
    assert_eq!(u.reason, praxcheck_model::UnreadableReason::SizeLimit);
    assert!(u.detail.contains("central directory"), "{}", u.detail);
    assert!(incomplete(out));
}

#[test]
fn a_directory_size_beyond_the_file_is_corrupt_not_a_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut jar = JarBuilder::new().pom("org.example", "x", "1.0").finish();
    // The end record's central directory size (offset 12 in the 22-byte record).
    let eocd = jar.len() - 22;
    jar[eocd + 12..eocd + 16].copy_from_slice(&u32::MAX.to_le_bytes());
    let p = write(dir.path(), "liar.jar", &jar);
    let out = crate::common::scan(&[p]);
    let u = out
        .unreadable
        .iter()
        .find(|u| u.location.display.ends_with("liar.jar"))
        .expect("named");
    assert_eq!(
        u.reason,
        praxcheck_model::UnreadableReason::Corrupt,
        "{u:?}"
    );
    assert!(!incomplete(out));
}

/// A jar below a path longer than the system opens: the walk names the folder it could
/// not enter with `path_too_long`, and the scan is incomplete.
#[cfg(target_os = "linux")]
#[test]
fn a_path_too_long_to_open_makes_the_scan_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let jar = JarBuilder::new()
        .pom("org.apache.logging.log4j", "log4j-core", "2.14.1")
        .finish();
    write(dir.path(), "seed.jar", &jar);
    // 40 levels of 200 characters (8 KB, beyond PATH_MAX), made one step at a time.
    let name = "d".repeat(200);
    let script = format!(
        "set -e; cd \"$1\"; for i in $(seq 1 40); do mkdir {name}; cd {name}; done; \
         cp \"$1/seed.jar\" deep.jar"
    );
    let ok = std::process::Command::new("bash")
        .args(["-c", &script, "bash"])
        .arg(dir.path())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var("PRAXCHECK_REQUIRE_COREUTILS").as_deref() != Ok("1"),
            "PRAXCHECK_REQUIRE_COREUTILS=1 but bash/mkdir could not build the deep path"
        );
        println!("SKIPPED: could not build a path beyond PATH_MAX");
        return;
    }
    std::fs::remove_file(dir.path().join("seed.jar")).unwrap();
    let out = crate::common::scan(&[dir.path().to_path_buf()]);
    assert!(
        out.unreadable
            .iter()
            .any(|u| u.reason == praxcheck_model::UnreadableReason::PathTooLong),
        "{:?}",
        out.unreadable
    );
    assert!(incomplete(out));
    // Clean up the deep tree step by step as well (remove_dir_all handles long paths).
    let _ = std::fs::remove_dir_all(dir.path());
}
