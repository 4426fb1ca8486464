//! Core tier: bad input never wins. Each hostile file is listed with its reason and the
//! scan goes on to find what comes after it.

use std::collections::BTreeSet;

use praxcheck_model::UnreadableReason;
use praxcheck_testsupport::jar::{JarBuilder, patch_bytes};

use crate::common::{scan, scan_with, write};
use crate::synthetic::{Profile, core_jar};

const STD: &str = "org/apache/logging/log4j/";

fn reasons(out: &praxcheck_javascan::Output, root: &std::path::Path) -> BTreeSet<String> {
    out.unreadable
        .iter()
        .map(|u| {
            let d = u
                .location
                .display
                .strip_prefix(&root.display().to_string())
                .unwrap_or(&u.location.display)
                .to_owned();
            format!("{d} {}", u.reason.as_str())
        })
        .collect()
}

fn good(dir: &std::path::Path) -> std::path::PathBuf {
    write(
        dir,
        "zz-good/log4j-core-2.14.1.jar",
        &core_jar(STD, Profile::Vulnerable214, true, Some("2.14.1")),
    )
}

fn found_good(out: &praxcheck_javascan::Output) -> bool {
    out.components.iter().any(|c| {
        c.location
            .display
            .ends_with("zz-good/log4j-core-2.14.1.jar")
    })
}

#[test]
fn not_a_zip_truncated_and_empty_files() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "text.jar",
        b"this is not a zip file at all, but it is long enough",
    );
    write(dir.path(), "empty.jar", b"");
    let full = core_jar(STD, Profile::Vulnerable214, true, Some("2.14.1"));
    write(dir.path(), "cut.jar", &full[..full.len() / 2]);
    good(dir.path());
    let out = scan(&[dir.path().to_path_buf()]);
    let r = reasons(&out, dir.path());
    assert!(r.contains("/text.jar not_an_archive"), "{r:?}");
    assert!(r.contains("/empty.jar not_an_archive"), "{r:?}");
    assert!(r.iter().any(|x| x.starts_with("/cut.jar ")), "{r:?}");
    assert!(found_good(&out));
}

#[test]
fn unsupported_compression_and_encryption_are_named() {
    let dir = tempfile::tempdir().unwrap();
    // Method 15 (unassigned) on one class entry; encryption flag on another entry.
    let jar = JarBuilder::new()
        .add_stored(
            "org/apache/logging/log4j/core/net/JndiManager.class",
            b"XXXX-odd-method-XXXX",
        )
        .add_stored(
            "org/apache/logging/log4j/core/lookup/JndiLookup.class",
            b"YYYY-encrypted-YYYY",
        )
        .finish();
    let mut bytes = jar.clone();
    // Local and central headers: method field (LFH offset 8, CDH offset 10), flags (6 / 8).
    let mut i = 0;
    while i + 4 <= bytes.len() {
        match &bytes[i..i + 4] {
            b"PK\x03\x04" => {
                let name_len = u16::from_le_bytes([bytes[i + 26], bytes[i + 27]]) as usize;
                let name = bytes[i + 30..i + 30 + name_len].to_vec();
                if name.ends_with(b"JndiManager.class") {
                    bytes[i + 8] = 15;
                } else {
                    bytes[i + 6] |= 1;
                }
            }
            b"PK\x01\x02" => {
                let name_len = u16::from_le_bytes([bytes[i + 28], bytes[i + 29]]) as usize;
                let name = bytes[i + 46..i + 46 + name_len].to_vec();
                if name.ends_with(b"JndiManager.class") {
                    bytes[i + 10] = 15;
                } else {
                    bytes[i + 8] |= 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    write(dir.path(), "odd.jar", &bytes);
    good(dir.path());
    let out = scan(&[dir.path().to_path_buf()]);
    let r = reasons(&out, dir.path());
    assert!(
        r.contains(
            "/odd.jar!/org/apache/logging/log4j/core/net/JndiManager.class unsupported_compression"
        ),
        "{r:?}"
    );
    assert!(
        r.contains("/odd.jar!/org/apache/logging/log4j/core/lookup/JndiLookup.class encrypted"),
        "{r:?}"
    );
    assert!(found_good(&out));
}

#[test]
fn depth_limit_is_reported_and_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let mut inner = core_jar(STD, Profile::Vulnerable214, true, Some("2.14.1"));
    for _ in 0..20 {
        inner = JarBuilder::new().add("n.jar", &inner).finish();
    }
    write(dir.path(), "deep.jar", &inner);
    good(dir.path());
    let out = scan(&[dir.path().to_path_buf()]);
    let depth: Vec<_> = out
        .unreadable
        .iter()
        .filter(|u| u.reason == UnreadableReason::DepthLimit)
        .collect();
    assert_eq!(depth.len(), 1, "{:?}", out.unreadable);
    assert_eq!(depth[0].location.depth(), 17);
    assert!(found_good(&out));
}

#[test]
fn size_limits_cut_bombs_short_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    // A nested "archive" that inflates to 64 MiB of zeros (about 64 KiB compressed).
    let zeros = vec![0u8; 64 << 20];
    let bomb = JarBuilder::new()
        .add("bomb.jar", &zeros)
        .add("x.jar", &zeros)
        .finish();
    assert!(bomb.len() < 1 << 20);
    write(dir.path(), "bomb.jar", &bomb);
    good(dir.path());
    let limits = praxcheck_javascan::Limits {
        max_nested_size: 16 << 20,
        ..praxcheck_javascan::Limits::default()
    };
    let out = scan_with(&[dir.path().to_path_buf()], limits);
    let r = reasons(&out, dir.path());
    assert!(r.contains("/bomb.jar!/bomb.jar size_limit"), "{r:?}");
    assert!(r.contains("/bomb.jar!/x.jar size_limit"), "{r:?}");
    assert!(found_good(&out));
    // With an inflation budget smaller than one entry, the budget is reported.
    let limits = praxcheck_javascan::Limits {
        max_inflate_per_file: 1 << 20,
        ..praxcheck_javascan::Limits::default()
    };
    let out = scan_with(&[dir.path().join("bomb.jar")], limits);
    assert!(
        out.unreadable
            .iter()
            .all(|u| u.reason == UnreadableReason::SizeLimit),
        "{:?}",
        out.unreadable
    );
    assert_eq!(out.unreadable.len(), 2);
}

#[test]
fn traversal_and_non_utf8_names_are_reported_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_jar(STD, Profile::Vulnerable214, true, Some("2.14.1"));
    let jar = JarBuilder::new()
        .add("../../../../tmp/evil.jar", &core)
        .add("/abs/olute.jar", &core)
        .add("lib/MXller.jar", &core)
        .finish();
    // Give one entry a Latin-1 name (not UTF-8): ü = 0xFC.
    let jar = patch_bytes(jar, b"lib/MXller.jar", b"lib/M\xfcller.jar");
    let p = write(dir.path(), "names.jar", &jar);
    let out = scan(&[p]);
    let locs: BTreeSet<String> = out
        .components
        .iter()
        .filter(|c| c.name.ends_with(":log4j-core"))
        .map(|c| c.location.chain.last().unwrap().display().to_owned())
        .collect();
    assert_eq!(
        locs,
        [
            "../../../../tmp/evil.jar",
            "/abs/olute.jar",
            "lib/M\u{fffd}ller.jar"
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
    );
    let raw = out
        .components
        .iter()
        .find(|c| c.location.display.contains("ller.jar"))
        .unwrap();
    assert_eq!(
        raw.location.chain.last().unwrap().bytes(),
        b"lib/M\xfcller.jar".to_vec()
    );
    // Nothing was written next to the scan root.
    assert!(
        !std::path::Path::new("/tmp/evil.jar").exists()
            || std::fs::metadata("/tmp/evil.jar").is_ok_and(|m| m.len() != core.len() as u64)
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_duplicate_paths() {
    let dir = tempfile::tempdir().unwrap();
    let real = good(dir.path());
    std::os::unix::fs::symlink(dir.path(), dir.path().join("zz-good/loop")).unwrap();
    std::os::unix::fs::symlink(&real, dir.path().join("alias.jar")).unwrap();
    std::fs::hard_link(&real, dir.path().join("hard.jar")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone.jar"), dir.path().join("dangling.jar"))
        .unwrap();
    let out = scan(&[dir.path().to_path_buf()]);
    let n = out
        .components
        .iter()
        .filter(|c| c.name.ends_with(":log4j-core"))
        .count();
    assert_eq!(
        n, 1,
        "one physical file is reported once: {:?}",
        out.components
    );
    // The path that is not a symbolic link is reported.
    let shown = &out.components[0].location.display;
    assert!(
        !shown.ends_with("alias.jar") && !shown.contains("/loop/"),
        "{shown}"
    );
    assert!(out.stats.duplicates_skipped >= 2);
    assert!(
        out.unreadable
            .iter()
            .any(|u| u.reason == UnreadableReason::SymlinkLoop),
        "{:?}",
        out.unreadable
    );
    // A dangling link is not an unreadable file: there is nothing behind it.
    assert!(
        !out.unreadable
            .iter()
            .any(|u| u.location.display.ends_with("dangling.jar")),
        "{:?}",
        out.unreadable
    );
}

#[test]
fn missing_root_is_listed_and_others_still_scanned() {
    let dir = tempfile::tempdir().unwrap();
    good(dir.path());
    let out = scan(&[dir.path().join("does-not-exist"), dir.path().to_path_buf()]);
    assert!(
        out.unreadable
            .iter()
            .any(|u| u.reason == UnreadableReason::NotFound)
    );
    assert_eq!(out.readable_roots, 1);
    assert!(found_good(&out));
}

#[test]
fn pseudo_and_network_mounts_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    good(dir.path());
    write(
        dir.path(),
        "proc/x/log4j-core-2.14.1.jar",
        &core_jar(STD, Profile::Vulnerable214, true, Some("2.14.1")),
    );
    write(
        dir.path(),
        "nfs/log4j-core-2.14.1.jar",
        &core_jar(STD, Profile::Vulnerable214, true, Some("2.14.1")),
    );
    let mounts = vec![
        praxcheck_javascan::Mount {
            path: dir.path().join("proc"),
            fs_type: "proc".into(),
            dev: None,
        },
        praxcheck_javascan::Mount {
            path: dir.path().join("nfs"),
            fs_type: "nfs4".into(),
            dev: None,
        },
    ];
    let mut opts = praxcheck_javascan::Options {
        walk: praxcheck_javascan::WalkOptions {
            roots: vec![dir.path().to_path_buf()],
            mounts: mounts.clone(),
            ..Default::default()
        },
        ..Default::default()
    };
    let out = praxcheck_javascan::scan(&opts, &|_| {});
    assert_eq!(
        out.components
            .iter()
            .filter(|c| c.name.ends_with(":log4j-core"))
            .count(),
        1
    );
    let skipped: BTreeSet<String> = out
        .skipped_mounts
        .iter()
        .map(|m| format!("{} {}", m.fs_type, m.reason))
        .collect();
    assert_eq!(
        skipped,
        ["nfs4 network".to_owned(), "proc pseudo".to_owned()]
            .into_iter()
            .collect()
    );
    opts.walk.network_fs = true;
    let out = praxcheck_javascan::scan(&opts, &|_| {});
    assert_eq!(
        out.components
            .iter()
            .filter(|c| c.name.ends_with(":log4j-core"))
            .count(),
        2
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    /// Random corruptions of a valid nested jar (byte flips, truncation, garbage) never
    /// panic, and every problem is reported as a reason rather than an error.
    #[test]
    fn corrupted_archives_never_panic(
        flips in proptest::collection::vec((0usize..4096, proptest::num::u8::ANY), 0..24),
        cut in proptest::option::of(0usize..4096),
    ) {
        let inner = core_jar(STD, Profile::Vulnerable214, true, Some("2.14.1"));
        let mut bytes = JarBuilder::new().add("lib/inner.jar", &inner).add_stored("lib/s.jar", &inner).finish();
        for (pos, val) in flips {
            let n = bytes.len();
            bytes[pos % n] = val;
        }
        if let Some(c) = cut {
            let n = bytes.len();
            bytes.truncate(c % n);
        }
        let limits = praxcheck_javascan::Limits {
            max_nested_size: 1 << 20,
            max_inflate_per_file: 4 << 20,
            ..praxcheck_javascan::Limits::default()
        };
        let out = praxcheck_javascan::scan_archive_bytes("p.jar", bytes, &limits);
        for u in &out.unreadable {
            proptest::prop_assert!(!u.detail.is_empty());
        }
    }
}

/// A raw archive: one STORED local entry holding `data`, and a central directory with
/// `records` entries that all point at it (names `0.jar`, `1.jar`, …). CRCs are left 0:
/// nothing here checks them for nested archives read in place.
fn one_entry_many_records(data: &[u8], records: usize) -> Vec<u8> {
    let le16 = |v: u16| v.to_le_bytes();
    let le32 = |v: u32| v.to_le_bytes();
    let size = u32::try_from(data.len()).unwrap();
    let mut z = Vec::new();
    z.extend_from_slice(b"PK\x03\x04");
    z.extend_from_slice(&le16(10));
    z.extend_from_slice(&le16(0));
    z.extend_from_slice(&le16(0)); // STORED
    z.extend_from_slice(&[0; 8]); // time, date, crc
    z.extend_from_slice(&le32(size));
    z.extend_from_slice(&le32(size));
    z.extend_from_slice(&le16(5));
    z.extend_from_slice(&le16(0));
    z.extend_from_slice(b"0.jar");
    z.extend_from_slice(data);
    let cd_start = u32::try_from(z.len()).unwrap();
    for i in 0..records {
        let name = format!("{i}.jar");
        z.extend_from_slice(b"PK\x01\x02");
        z.extend_from_slice(&le16(20));
        z.extend_from_slice(&le16(10));
        z.extend_from_slice(&le16(0));
        z.extend_from_slice(&le16(0));
        z.extend_from_slice(&[0; 8]);
        z.extend_from_slice(&le32(size));
        z.extend_from_slice(&le32(size));
        z.extend_from_slice(&le16(u16::try_from(name.len()).unwrap()));
        z.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
        z.extend_from_slice(&le32(0)); // local header offset
        z.extend_from_slice(name.as_bytes());
    }
    let cd_size = u32::try_from(z.len()).unwrap() - cd_start;
    let n = u16::try_from(records).unwrap();
    z.extend_from_slice(b"PK\x05\x06");
    z.extend_from_slice(&[0; 4]);
    z.extend_from_slice(&le16(n));
    z.extend_from_slice(&le16(n));
    z.extend_from_slice(&le32(cd_size));
    z.extend_from_slice(&le32(cd_start));
    z.extend_from_slice(&le16(0));
    z
}

#[test]
fn stacked_overlapping_entries_do_not_multiply_the_work() {
    // Eight directory records per level point at one STORED nested archive, seven levels
    // deep: 8^7 = 2 million archives if each record were followed (it took hours at depth
    // 16). Overlapping records are refused, so each level is opened once.
    let mut data = JarBuilder::new()
        .add("x/Y.class", b"\xCA\xFE\xBA\xBE")
        .finish();
    for _ in 0..7 {
        data = one_entry_many_records(&data, 8);
    }
    let out = praxcheck_javascan::scan_archive_bytes(
        "stacked.jar",
        data,
        &praxcheck_javascan::Limits::default(),
    );
    assert!(out.stats.archives_opened <= 8, "{:?}", out.stats);
    let overlaps = out
        .unreadable
        .iter()
        .filter(|u| u.reason == UnreadableReason::Corrupt && u.detail.contains("overlaps"))
        .count();
    assert_eq!(overlaps, 7 * 7, "{:?}", out.unreadable);
}

#[test]
fn many_distinct_nested_archives_stop_at_the_per_file_count() {
    let inner = JarBuilder::new()
        .add("x/Y.class", b"\xCA\xFE\xBA\xBE")
        .finish();
    let mut b = JarBuilder::new();
    for i in 0..50 {
        b = b.add_stored(&format!("lib/{i}.jar"), &inner);
    }
    let limits = praxcheck_javascan::Limits {
        max_nested_per_file: 20,
        ..praxcheck_javascan::Limits::default()
    };
    let out = praxcheck_javascan::scan_archive_bytes("many.war", b.finish(), &limits);
    assert_eq!(out.stats.archives_opened, 21, "{:?}", out.stats);
    let cut = out
        .unreadable
        .iter()
        .filter(|u| {
            u.reason == UnreadableReason::SizeLimit && u.detail.contains("more than 20 nested")
        })
        .count();
    assert_eq!(cut, 30);
}

#[test]
fn zip64_values_near_the_top_of_the_range_are_errors_not_overflows() {
    // A ZIP64 locator whose record offset is u64::MAX.
    let mut z = JarBuilder::new().add("a.txt", b"a").finish();
    let eocd = z.len() - 22;
    let mut loc = Vec::new();
    loc.extend_from_slice(b"PK\x06\x07");
    loc.extend_from_slice(&[0; 4]);
    loc.extend_from_slice(&u64::MAX.to_le_bytes());
    loc.extend_from_slice(&1u32.to_le_bytes());
    z.splice(eocd..eocd, loc);
    let out = praxcheck_javascan::scan_archive_bytes(
        "z64.jar",
        z,
        &praxcheck_javascan::Limits::default(),
    );
    assert!(
        out.unreadable
            .iter()
            .any(|u| u.reason == UnreadableReason::Corrupt),
        "{:?}",
        out.unreadable
    );
    // A nested archive whose ZIP64 compressed size is u64::MAX.
    let inner = JarBuilder::new()
        .add("x/Y.class", b"\xCA\xFE\xBA\xBE")
        .finish();
    let mut z = one_entry_many_records(&inner, 1);
    let cd = z.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
    z[cd + 20..cd + 24].copy_from_slice(&u32::MAX.to_le_bytes());
    // ZIP64 extra field with the compressed size (the uncompressed size is not 0xFFFFFFFF,
    // so only the compressed size is in it).
    let mut extra = Vec::new();
    extra.extend_from_slice(&1u16.to_le_bytes());
    extra.extend_from_slice(&8u16.to_le_bytes());
    extra.extend_from_slice(&u64::MAX.to_le_bytes());
    z[cd + 30..cd + 32].copy_from_slice(&12u16.to_le_bytes());
    let name_end = cd + 46 + 5;
    z.splice(name_end..name_end, extra);
    let eocd = z.len() - 22;
    let cd_size = u32::from_le_bytes(z[eocd + 12..eocd + 16].try_into().unwrap()) + 12;
    z[eocd + 12..eocd + 16].copy_from_slice(&cd_size.to_le_bytes());
    let out = praxcheck_javascan::scan_archive_bytes(
        "huge.jar",
        z,
        &praxcheck_javascan::Limits::default(),
    );
    assert!(
        out.unreadable
            .iter()
            .any(|u| u.location.display.ends_with("0.jar")),
        "{:?}",
        out.unreadable
    );
}

/// Issue 11 item 3: a link inside a scanned tree to a pseudo file system (or to a folder
/// below one, like `/proc/1/root`) is skipped like the mount itself, folder or file.
#[cfg(unix)]
#[test]
fn links_into_a_pseudo_file_system_are_skipped_wherever_they_are() {
    let outside = tempfile::tempdir().unwrap();
    let tree = tempfile::tempdir().unwrap();
    good(tree.path());
    // The "pseudo file system" lives outside the tree; links in the tree lead into it.
    let jar = core_jar(STD, Profile::Vulnerable214, true, Some("2.14.1"));
    write(outside.path(), "pfs/1/root/opt/log4j-core-2.14.1.jar", &jar);
    std::fs::create_dir_all(tree.path().join("deep/er")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("pfs"), tree.path().join("deep/er/p")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("pfs/1/root"),
        tree.path().join("root-of-1"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("pfs/1/root/opt/log4j-core-2.14.1.jar"),
        tree.path().join("linked.jar"),
    )
    .unwrap();
    let opts = praxcheck_javascan::Options {
        walk: praxcheck_javascan::WalkOptions {
            roots: vec![tree.path().to_path_buf()],
            mounts: vec![praxcheck_javascan::Mount {
                path: std::fs::canonicalize(outside.path().join("pfs")).unwrap(),
                fs_type: "proc".into(),
                dev: None,
            }],
            ..Default::default()
        },
        ..Default::default()
    };
    let out = praxcheck_javascan::scan(&opts, &|_| {});
    assert!(
        !out.components.iter().any(|c| {
            let d = &c.location.display;
            d.contains("/deep/er/p") || d.contains("root-of-1") || d.contains("linked.jar")
        }),
        "{:?}",
        out.components
            .iter()
            .map(|c| &c.location.display)
            .collect::<Vec<_>>()
    );
    assert!(found_good(&out));
    let skipped: BTreeSet<String> = out
        .skipped_mounts
        .iter()
        .map(|m| {
            let rel = m
                .path
                .strip_prefix(&tree.path().display().to_string())
                .unwrap_or(&m.path)
                .to_owned();
            format!("{rel} {} {}", m.fs_type, m.reason)
        })
        .collect();
    assert_eq!(
        skipped,
        [
            "/deep/er/p proc pseudo",
            "/linked.jar proc pseudo",
            "/root-of-1 proc pseudo"
        ]
        .into_iter()
        .map(str::to_owned)
        .collect()
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_or_socket_with_an_archive_name_is_named_never_opened() {
    let dir = tempfile::tempdir().unwrap();
    // A FIFO: opening it would block the scan until a writer came.
    let fifo = dir.path().join("app.jar");
    if !praxcheck_testsupport::mkfifo(
        &fifo,
        "a_fifo_or_socket_with_an_archive_name_is_named_never_opened",
    ) {
        return;
    }
    let _sock = std::os::unix::net::UnixListener::bind(dir.path().join("lib.war")).unwrap();
    // A socket with another name is no archive anyone expects: not named.
    let _other = std::os::unix::net::UnixListener::bind(dir.path().join("agent.sock")).unwrap();
    good(dir.path());
    let out = scan(&[dir.path().to_path_buf()]);
    let r = reasons(&out, dir.path());
    assert!(r.contains("/app.jar not_an_archive"), "{r:?}");
    assert!(r.contains("/lib.war not_an_archive"), "{r:?}");
    assert!(!r.iter().any(|x| x.contains("agent.sock")), "{r:?}");
    let fifo_detail = out
        .unreadable
        .iter()
        .find(|u| u.location.display.ends_with("app.jar"))
        .map(|u| u.detail.clone());
    assert_eq!(fifo_detail.as_deref(), Some("not a regular file (FIFO)"));
    assert!(found_good(&out), "the scan goes on after them");
}
