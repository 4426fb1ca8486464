//! Shared helpers: scan paths, assess with the embedded advisories, summarise findings.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use praxcheck_advisories::{AdvisorySet, match_components};
use praxcheck_javascan::{Options, Output, WalkOptions};
use praxcheck_model::{Finding, Status};

pub fn scan(paths: &[PathBuf]) -> Output {
    scan_with(paths, praxcheck_javascan::Limits::default())
}

pub fn scan_with(paths: &[PathBuf], limits: praxcheck_javascan::Limits) -> Output {
    let opts = Options {
        walk: WalkOptions {
            roots: paths.to_vec(),
            exclude: Vec::new(),
            network_fs: false,
            mounts: Vec::new(),
        },
        limits,
        processes: false,
    };
    praxcheck_javascan::scan(&opts, &|_| {})
}

pub fn assess(out: &Output) -> Vec<Finding> {
    let set = AdvisorySet::embedded().expect("embedded advisories");
    match_components(&set, &out.components)
}

pub fn status_word(s: Status) -> &'static str {
    s.as_str()
}

/// Findings as "RULE:status" strings, optionally with the nested part of the location.
pub fn summary(findings: &[Finding], root: &Path) -> BTreeSet<String> {
    findings
        .iter()
        .map(|f| {
            let loc = f
                .subject
                .location
                .as_ref()
                .map(|l| l.display.clone())
                .unwrap_or_default();
            let rel = loc
                .strip_prefix(&root.display().to_string())
                .unwrap_or(&loc)
                .trim_start_matches('/')
                .to_owned();
            format!("{rel} {}:{}", f.rule_id, status_word(f.status))
        })
        .collect()
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, bytes).unwrap();
    p
}
