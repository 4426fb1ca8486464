//! Fixture builders and helpers shared by the fix tests.

#![allow(dead_code)]

use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::sync::Arc;

use praxcheck_fix::{FixOptions, NoFail, Plan, PlanOptions};
use praxcheck_model::{Finding, Status};
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

pub const STORED: CompressionMethod = CompressionMethod::Stored;
pub const DEFLATED: CompressionMethod = CompressionMethod::Deflated;

/// How an archive is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Seekable writer: sizes in the local headers.
    Plain,
    /// Streaming writer: data descriptors after each entry.
    Stream,
    /// ZIP64 extra fields on every entry.
    Zip64,
}

/// Builds an archive from (name, bytes, method).
pub fn jar_styled(
    style: Style,
    entries: &[(&str, Vec<u8>, CompressionMethod)],
    comment: &[u8],
) -> Vec<u8> {
    let opts = |m: CompressionMethod| {
        SimpleFileOptions::default()
            .compression_method(m)
            .large_file(style == Style::Zip64)
            .last_modified_time(zip::DateTime::from_date_and_time(2021, 12, 10, 12, 0, 0).unwrap())
            .unix_permissions(0o644)
    };
    match style {
        Style::Stream => {
            let mut w = zip::ZipWriter::new_stream(Vec::new());
            for (name, data, m) in entries {
                w.start_file(*name, opts(*m)).unwrap();
                w.write_all(data).unwrap();
            }
            w.set_raw_comment(comment.to_vec().into_boxed_slice())
                .unwrap();
            w.finish().unwrap().into_inner()
        }
        _ => {
            let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
            for (name, data, m) in entries {
                w.start_file(*name, opts(*m)).unwrap();
                w.write_all(data).unwrap();
            }
            w.set_raw_comment(comment.to_vec().into_boxed_slice())
                .unwrap();
            w.finish().unwrap().into_inner()
        }
    }
}

pub fn jar(entries: &[(&str, Vec<u8>, CompressionMethod)]) -> Vec<u8> {
    jar_styled(Style::Plain, entries, b"")
}

/// A stand-in for log4j-core: Maven metadata, `JndiLookup` and `JndiManager` (not real
/// class bytes; the scan records their presence, takes the version from the pom and checks
/// it against the byte marker hardened releases carry).
pub fn fake_core(version: &str, prefix: &str) -> Vec<u8> {
    let hardened = ["2.3.1", "2.3.2", "2.12.3", "2.12.4"].contains(&version)
        || version.starts_with("2.17")
        || version.starts_with("2.2");
    let mut jndi = vec![0xCA, 0xFE, 0xBA, 0xBE, 9, 9, 9];
    if hardened {
        jndi.extend_from_slice(b"log4j2.enableJndiLookup");
    }
    let pom =
        format!("groupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion={version}\n");
    jar(&[
        (
            "META-INF/MANIFEST.MF",
            b"Manifest-Version: 1.0\r\n\r\n".to_vec(),
            DEFLATED,
        ),
        (
            "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties",
            pom.into_bytes(),
            DEFLATED,
        ),
        (
            &format!("{prefix}core/Logger.class"),
            vec![0xCA, 0xFE, 1, 2, 3],
            DEFLATED,
        ),
        (
            &format!("{prefix}core/lookup/JndiLookup.class"),
            jndi,
            DEFLATED,
        ),
        (
            &format!("{prefix}core/net/JndiManager.class"),
            vec![0xCA, 0xFE, 0xBA, 0xBE, 8, 8],
            DEFLATED,
        ),
        (
            &format!("{prefix}core/lookup/MainMapLookup.class"),
            vec![0xCA, 0xFE, 7],
            STORED,
        ),
    ])
}

/// A script-prefixed self-executable archive.
pub fn prefixed(jar: &[u8]) -> Vec<u8> {
    let mut v = b"#!/bin/sh\nexec java -jar \"$0\" \"$@\"\nexit 1\n".to_vec();
    v.extend_from_slice(jar);
    v
}

/// A Spring Boot style archive: nested jars STORED under BOOT-INF/lib.
pub fn spring_boot(libs: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut entries: Vec<(String, Vec<u8>, CompressionMethod)> = vec![
        (
            "META-INF/MANIFEST.MF".into(),
            b"Manifest-Version: 1.0\r\nMain-Class: org.springframework.boot.loader.JarLauncher\r\nStart-Class: app.Main\r\n\r\n".to_vec(),
            DEFLATED,
        ),
        ("org/springframework/boot/loader/JarLauncher.class".into(), vec![0xCA, 0xFE, 0, 1], DEFLATED),
        ("BOOT-INF/classes/app/Main.class".into(), vec![0xCA, 0xFE, 0, 2], DEFLATED),
    ];
    let mut idx = String::new();
    for (name, bytes) in libs {
        entries.push((format!("BOOT-INF/lib/{name}"), bytes.clone(), STORED));
        idx.push_str(&format!("- \"BOOT-INF/lib/{name}\"\n"));
    }
    entries.push(("BOOT-INF/classpath.idx".into(), idx.into_bytes(), DEFLATED));
    let refs: Vec<(&str, Vec<u8>, CompressionMethod)> = entries
        .iter()
        .map(|(n, b, m)| (n.as_str(), b.clone(), *m))
        .collect();
    jar(&refs)
}

/// Wraps an archive `levels` times (alternating STORED and DEFLATED); returns the outer
/// archive and the chain of nested entry names down to the innermost one.
pub fn nest(inner: Vec<u8>, inner_name: &str, levels: usize) -> (Vec<u8>, Vec<String>) {
    let mut cur = inner;
    let mut cur_name = inner_name.to_owned();
    let mut chain = Vec::new();
    for l in 0..levels {
        let m = if l % 2 == 0 { STORED } else { DEFLATED };
        let entry = format!("lib/{cur_name}");
        chain.insert(0, entry.clone());
        cur = jar(&[
            (
                "META-INF/MANIFEST.MF",
                b"Manifest-Version: 1.0\r\n\r\n".to_vec(),
                DEFLATED,
            ),
            (
                "README.txt",
                format!("level {}", levels - l).into_bytes(),
                DEFLATED,
            ),
            (&entry, cur, m),
        ]);
        cur_name = format!("level{}.jar", levels - l);
    }
    (cur, chain)
}

/// Scans paths and plans the fix, as the `praxcheck fix` command does.
pub fn scan_plan(root: &Path, log4j1: bool) -> (Plan, Vec<Finding>) {
    let out = praxcheck_javascan::scan(
        &praxcheck_javascan::Options {
            walk: praxcheck_javascan::WalkOptions {
                roots: vec![root.to_path_buf()],
                ..Default::default()
            },
            ..Default::default()
        },
        &|_| {},
    );
    let set = praxcheck_advisories::AdvisorySet::embedded().unwrap();
    let findings = praxcheck_advisories::match_components(&set, &out.components);
    let plan = praxcheck_fix::plan(&out.components, &findings, PlanOptions { log4j1 });
    (plan, findings)
}

/// Statuses of the findings of a rule after scanning `roots`.
pub fn statuses(root: &Path, rule: &str) -> Vec<(String, Status)> {
    let (_, findings) = scan_plan(root, false);
    let mut v: Vec<(String, Status)> = findings
        .into_iter()
        .filter(|f| f.rule_id == rule)
        .map(|f| {
            (
                f.subject.location.map(|l| l.display).unwrap_or_default(),
                f.status,
            )
        })
        .collect();
    v.sort();
    v
}

pub fn opts(backup: &Path) -> FixOptions {
    let mut o = FixOptions::new(backup.to_path_buf());
    o.readme = "test".into();
    o
}

pub fn nofail() -> Arc<dyn praxcheck_fix::FailHook> {
    Arc::new(NoFail)
}

pub fn sha(path: &Path) -> String {
    praxcheck_fix::sha256_file(path).unwrap().0
}

/// Reads every entry's uncompressed bytes, recursing into nested archives: a semantic view
/// of an archive (names in order, contents).
pub fn deep_contents(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut ar = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    for i in 0..ar.len() {
        let mut f = ar.by_index(i).unwrap();
        let name = String::from_utf8_lossy(f.name_raw()).into_owned();
        let mut v = Vec::new();
        f.read_to_end(&mut v).unwrap();
        let lower = name.to_ascii_lowercase();
        if (lower.ends_with(".jar") || lower.ends_with(".war") || lower.ends_with(".ear"))
            && zip::ZipArchive::new(Cursor::new(&v)).is_ok()
        {
            for (n, b) in deep_contents(&v) {
                out.push((format!("{name}!/{n}"), b));
            }
        } else {
            out.push((name, v));
        }
    }
    out
}

/// The compression method of a (possibly nested) entry, by chain.
pub fn method_of(bytes: &[u8], chain: &[&str]) -> CompressionMethod {
    let mut ar = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let (first, rest) = chain.split_first().unwrap();
    let mut f = ar.by_name(first).unwrap();
    if rest.is_empty() {
        return f.compression();
    }
    let mut v = Vec::new();
    f.read_to_end(&mut v).unwrap();
    method_of(&v, rest)
}

/// Names of files in a folder (not recursive).
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

pub fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
}
