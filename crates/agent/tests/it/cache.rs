//! The repeat-scan cache: unchanged files are not read again (their facts are reused), a
//! changed, replaced or touched file is read again, another scanner build or other limits
//! discard the cache, and a damaged cache file is ignored.

use std::path::Path;

use praxcheck_agent::cache::{self, ScanCache};
use praxcheck_javascan::{FactCache, Limits, Options, Output, WalkOptions};
use praxcheck_testsupport::jar::JarBuilder;

fn jar(version: &str) -> Vec<u8> {
    JarBuilder::new()
        .pom("org.apache.logging.log4j", "log4j-core", version)
        .add(
            "org/apache/logging/log4j/core/lookup/JndiLookup.class",
            b"\xca\xfe\xba\xbe",
        )
        .finish()
}

fn scan(root: &Path, state: &Path, limits: &Limits) -> (Output, u64) {
    let opts = Options {
        walk: WalkOptions {
            roots: vec![root.to_path_buf()],
            ..WalkOptions::default()
        },
        limits: limits.clone(),
        processes: false,
    };
    let c = ScanCache::load(state, limits);
    let out = praxcheck_javascan::scan_with_cache(&opts, Some(&c as &dyn FactCache), &|_| {});
    let hits = c.hits();
    c.save().expect("save");
    (out, hits)
}

fn versions(o: &Output) -> Vec<(String, Option<String>)> {
    o.components
        .iter()
        .map(|c| (c.location.display.clone(), c.version.clone()))
        .collect()
}

#[test]
fn unchanged_files_are_reused_and_changed_ones_read_again() {
    let d = tempfile::tempdir().expect("tmp");
    let tree = d.path().join("tree");
    let state = d.path().join("state");
    std::fs::create_dir_all(&tree).expect("tree");
    for (n, v) in [
        ("a", "2.14.1"),
        ("b", "2.17.1"),
        ("c", "2.15.0"),
        ("d", "2.16.0"),
    ] {
        std::fs::write(tree.join(format!("{n}.jar")), jar(v)).expect("jar");
    }
    let limits = Limits::default();
    let (first, hits) = scan(&tree, &state, &limits);
    assert_eq!(hits, 0);
    assert_eq!(first.components.len(), 4);
    assert!(cache::cache_file(&state).is_file());

    // Unchanged: every file from the cache, the same facts, and the cache file is not
    // written again (a write would carry the next generation number, so the bytes differ).
    let bytes = |p: &Path| std::fs::read(p).expect("cache file");
    let before = bytes(&cache::cache_file(&state));
    let (second, hits) = scan(&tree, &state, &limits);
    assert_eq!(hits, 4);
    assert_eq!(versions(&second), versions(&first));
    assert_eq!(second.components, first.components);
    assert_eq!(
        bytes(&cache::cache_file(&state)),
        before,
        "unchanged cache rewritten"
    );

    // Changed content (same size, modification time put back): the change time differs.
    let a = tree.join("a.jar");
    let mtime = std::fs::metadata(&a)
        .expect("md")
        .modified()
        .expect("mtime");
    let changed = jar("2.14.0");
    assert_eq!(changed.len(), jar("2.14.1").len());
    std::fs::write(&a, &changed).expect("write");
    std::fs::File::options()
        .write(true)
        .open(&a)
        .expect("open")
        .set_modified(mtime)
        .expect("set mtime");
    // Replaced by another file (new inode) under the same name.
    let b = tree.join("b.jar");
    std::fs::write(
        tree.join("b.new"),
        JarBuilder::new().pom("com.example", "b", "2.0").finish(),
    )
    .expect("new");
    std::fs::rename(tree.join("b.new"), &b).expect("rename");
    // Touched only (content the same).
    std::fs::File::options()
        .write(true)
        .open(tree.join("c.jar"))
        .expect("open")
        .set_modified(std::time::SystemTime::now())
        .expect("touch");
    let (third, hits) = scan(&tree, &state, &limits);
    assert_eq!(hits, 1, "only d.jar is unchanged");
    assert_ne!(
        bytes(&cache::cache_file(&state)),
        before,
        "changed files not stored"
    );
    let v = versions(&third);
    assert!(
        v.iter()
            .any(|(p, v)| p.ends_with("a.jar") && v.as_deref() == Some("2.14.0")),
        "{v:?}"
    );
    assert!(
        v.iter()
            .any(|(p, v)| p.ends_with("b.jar") && v.as_deref() == Some("2.0")),
        "{v:?}"
    );
    assert!(
        v.iter()
            .any(|(p, v)| p.ends_with("c.jar") && v.as_deref() == Some("2.15.0")),
        "{v:?}"
    );

    // Other limits: nothing reused.
    let other = Limits {
        max_depth: 3,
        ..Limits::default()
    };
    let (_, hits) = scan(&tree, &state, &other);
    assert_eq!(hits, 0);
}

/// Replaces `from` by `to` (same length) in a cache file and puts the checksum right, so
/// that the file is valid but says something else.
fn rewrite(path: &Path, from: &[u8], to: &[u8]) {
    assert_eq!(from.len(), to.len());
    let mut b = std::fs::read(path).expect("cache");
    let at = b
        .windows(from.len())
        .position(|w| w == from)
        .expect("found");
    b[at..at + from.len()].copy_from_slice(to);
    let n = b.len() - 4;
    let crc = crc32fast::hash(&b[..n]);
    b[n..].copy_from_slice(&crc.to_le_bytes());
    std::fs::write(path, b).expect("write");
}

/// A scan with a cache that must not be used: nothing reused, the reason says why, every
/// file read again, and the cache rewritten so that the next scan reuses it.
fn refused(tree: &Path, state: &Path, limits: &Limits, why: &str) {
    let c = ScanCache::load(state, limits);
    let reason = c.discarded().unwrap_or("").to_owned();
    assert!(reason.contains(why), "{reason:?} should say {why:?}");
    assert!(
        reason.contains(&cache::cache_file(state).display().to_string()),
        "{reason:?} names the file"
    );
    // The kind the user's note is worded from: another build or format is foreign,
    // everything else here is damage.
    let kind = c.discard().map(|d| d.kind);
    let expected = if why.starts_with("written by scanner") || why.starts_with("cache format") {
        cache::DiscardKind::Foreign
    } else {
        cache::DiscardKind::Damaged
    };
    assert_eq!(kind, Some(expected), "{why}");
    drop(c);
    let (out, hits) = scan(tree, state, limits);
    assert_eq!((hits, out.components.len()), (0, 1));
    let (out, hits) = scan(tree, state, limits);
    assert_eq!(
        (hits, out.components.len()),
        (1, 1),
        "rewritten after {why}"
    );
}

#[test]
fn a_damaged_or_foreign_cache_is_ignored() {
    let d = tempfile::tempdir().expect("tmp");
    let tree = d.path().join("tree");
    let state = d.path().join("state");
    std::fs::create_dir_all(&tree).expect("tree");
    std::fs::write(tree.join("a.jar"), jar("2.14.1")).expect("jar");
    let limits = Limits::default();
    scan(&tree, &state, &limits);
    let path = cache::cache_file(&state);

    // Another scanner build wrote it.
    let mut other = cache::SCANNER_ID.as_bytes().to_vec();
    let last = other.len() - 1;
    other[last] = if other[last] == b'x' { b'y' } else { b'x' };
    rewrite(&path, cache::SCANNER_ID.as_bytes(), &other);
    refused(
        &tree,
        &state,
        &limits,
        &format!("written by scanner {}", String::from_utf8_lossy(&other)),
    );

    // Another cache format (the number after the magic).
    let mut b = std::fs::read(&path).expect("cache");
    b[8..12].copy_from_slice(&99u32.to_le_bytes());
    std::fs::write(&path, &b).expect("write");
    refused(&tree, &state, &limits, "cache format 99");

    // Truncated (a crash cannot do this: the file is replaced atomically; a full disk or a
    // copy can), at every length from nothing to one byte short.
    let whole = std::fs::read(&path).expect("cache");
    for n in [
        0,
        1,
        8,
        12,
        13,
        whole.len() / 2,
        whole.len() - 5,
        whole.len() - 1,
    ] {
        std::fs::write(&path, &whole[..n]).expect("write");
        let why = if n < 16 {
            "not a praxcheck cache file"
        } else {
            "checksum mismatch"
        };
        refused(&tree, &state, &limits, why);
    }

    // One bit flipped anywhere: in the header, a key or the facts.
    for at in [9, 20, whole.len() / 2, whole.len() - 10, whole.len() - 1] {
        let mut b = whole.clone();
        b[at] ^= 0x10;
        std::fs::write(&path, &b).expect("write");
        let why = if at < 12 {
            "cache format"
        } else {
            "checksum mismatch"
        };
        refused(&tree, &state, &limits, why);
    }

    // The JSON cache of format 1: ignored, and removed when the cache is written.
    let legacy = path.with_file_name("javascan.json");
    std::fs::write(&legacy, b"{\"format\":1,").expect("write");
    std::fs::write(&path, b"{\"format\":1,").expect("write");
    refused(&tree, &state, &limits, "not a praxcheck cache file");
    assert!(!legacy.exists(), "the old cache file is removed");
}
