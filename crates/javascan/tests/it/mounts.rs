//! Skipped mounts decided by device (issue 15): a link is resolved path by path only when
//! its target lies on the device of a skipped mount; the mount table carries each mount's
//! device.

use std::collections::BTreeSet;
use std::os::unix::fs::MetadataExt as _;
use std::path::Path;

use praxcheck_javascan::{Mount, Options, Output, WalkOptions};

use crate::common::write;
use crate::synthetic::{Profile, core_jar};

const STD: &str = "org/apache/logging/log4j/";

/// A tree with a plain jar and three links (a folder, a folder below it, a jar) into a
/// folder `pfs` outside the tree.
fn tree_with_links(outside: &Path, tree: &Path) {
    let jar = core_jar(STD, Profile::Vulnerable214, true, Some("2.14.1"));
    write(outside, "pfs/1/root/opt/log4j-core-2.14.1.jar", &jar);
    write(tree, "plain/log4j-core-2.14.1.jar", &jar);
    std::fs::create_dir_all(tree.join("deep/er")).unwrap();
    std::os::unix::fs::symlink(outside.join("pfs"), tree.join("deep/er/p")).unwrap();
    std::os::unix::fs::symlink(outside.join("pfs/1/root"), tree.join("root-of-1")).unwrap();
    std::os::unix::fs::symlink(
        outside.join("pfs/1/root/opt/log4j-core-2.14.1.jar"),
        tree.join("linked.jar"),
    )
    .unwrap();
}

fn scan(tree: &Path, mount: Mount) -> Output {
    let opts = Options {
        walk: WalkOptions {
            roots: vec![tree.to_path_buf()],
            mounts: vec![mount],
            ..Default::default()
        },
        ..Default::default()
    };
    praxcheck_javascan::scan(&opts, &|_| {})
}

fn found(out: &Output, tree: &Path) -> BTreeSet<String> {
    out.components
        .iter()
        .filter(|c| c.name.ends_with(":log4j-core"))
        .map(|c| {
            c.location
                .display
                .strip_prefix(&tree.display().to_string())
                .unwrap_or(&c.location.display)
                .to_owned()
        })
        .collect()
}

#[test]
fn a_link_onto_the_device_of_a_skipped_mount_is_skipped() {
    let outside = tempfile::tempdir().unwrap();
    let tree = tempfile::tempdir().unwrap();
    tree_with_links(outside.path(), tree.path());
    let pfs = std::fs::canonicalize(outside.path().join("pfs")).unwrap();
    let dev = std::fs::metadata(&pfs).unwrap().dev();
    let out = scan(
        tree.path(),
        Mount {
            path: pfs,
            fs_type: "proc".into(),
            dev: Some(dev),
        },
    );
    assert_eq!(
        found(&out, tree.path()),
        BTreeSet::from(["/plain/log4j-core-2.14.1.jar".to_owned()])
    );
    let skipped: BTreeSet<String> = out
        .skipped_mounts
        .iter()
        .map(|m| {
            let rel = m
                .path
                .strip_prefix(&tree.path().display().to_string())
                .unwrap_or(&m.path);
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

/// The device decides: links whose targets are on no skipped mount's device are followed
/// without resolving them (here the mount table names a device the folder is not on, as
/// for a file system mounted below a skipped one).
#[test]
fn a_link_onto_another_device_is_followed() {
    let outside = tempfile::tempdir().unwrap();
    let tree = tempfile::tempdir().unwrap();
    tree_with_links(outside.path(), tree.path());
    let pfs = std::fs::canonicalize(outside.path().join("pfs")).unwrap();
    let dev = std::fs::metadata(&pfs).unwrap().dev();
    let out = scan(
        tree.path(),
        Mount {
            path: pfs,
            fs_type: "proc".into(),
            dev: Some(dev ^ 1),
        },
    );
    assert!(out.skipped_mounts.is_empty(), "{:?}", out.skipped_mounts);
    // The folder links lead to the same physical jar: it is listed once.
    let f = found(&out, tree.path());
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(f.contains("/plain/log4j-core-2.14.1.jar"), "{f:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn the_mount_table_carries_the_device_of_its_files() {
    assert_eq!(praxcheck_javascan::walk::mount_dev("254:0"), Some(65024));
    assert_eq!(praxcheck_javascan::walk::mount_dev("0:21"), Some(21));
    assert_eq!(praxcheck_javascan::walk::mount_dev("x"), None);
    let mounts = praxcheck_javascan::current_mounts();
    let Some(proc_mount) = mounts.iter().rev().find(|m| m.path == Path::new("/proc")) else {
        println!("SKIPPED: no /proc in the mount table");
        return;
    };
    let dev = std::fs::metadata("/proc").unwrap().dev();
    assert_eq!(proc_mount.dev, Some(dev));
}
