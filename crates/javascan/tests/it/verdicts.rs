//! Extended tier: expected verdicts for every file of `../shared/testdata/jars`
//! (`tests/expected/testdata-jars.json`, with the ground truth it rests on in `_notes`).

use std::collections::{BTreeMap, BTreeSet};

use crate::common::{assess, scan};

#[derive(serde::Deserialize)]
struct Expected {
    findings: BTreeSet<String>,
    unreadable: BTreeSet<String>,
}

#[derive(serde::Deserialize)]
struct Manifest {
    files: BTreeMap<String, Expected>,
}

fn split(display: &str, root: &str) -> (String, String) {
    let rel = display
        .strip_prefix(root)
        .unwrap_or(display)
        .trim_start_matches('/');
    match rel.split_once("!/") {
        Some((outer, inner)) => (outer.to_owned(), format!("{inner} ")),
        None => (rel.to_owned(), String::new()),
    }
}

#[test]
fn every_testdata_jar_gets_the_expected_verdict_per_cve() {
    let Some(td) = praxcheck_testsupport::testdata("verdicts::every_testdata_jar") else {
        return;
    };
    let manifest: Manifest =
        serde_json::from_str(include_str!("../expected/testdata-jars.json")).unwrap();
    let jars = td.join("jars");
    let root = jars.display().to_string();
    let out = scan(std::slice::from_ref(&jars));
    let findings = assess(&out);
    let mut actual: BTreeMap<String, Expected> = BTreeMap::new();
    for name in manifest.files.keys() {
        actual.insert(
            name.clone(),
            Expected {
                findings: BTreeSet::new(),
                unreadable: BTreeSet::new(),
            },
        );
    }
    for f in &findings {
        let loc = f.subject.location.as_ref().unwrap();
        let (outer, inner) = split(&loc.display, &root);
        actual
            .entry(outer)
            .or_insert_with(|| Expected {
                findings: BTreeSet::new(),
                unreadable: BTreeSet::new(),
            })
            .findings
            .insert(format!("{inner}{}:{}", f.rule_id, f.status.as_str()));
    }
    for u in &out.unreadable {
        let (outer, inner) = split(&u.location.display, &root);
        actual
            .entry(outer)
            .or_insert_with(|| Expected {
                findings: BTreeSet::new(),
                unreadable: BTreeSet::new(),
            })
            .unreadable
            .insert(format!("{inner}{}", u.reason.as_str()));
    }
    let mut problems = Vec::new();
    for (name, exp) in &manifest.files {
        let act = &actual[name];
        for f in exp.findings.difference(&act.findings) {
            problems.push(format!("{name}: missing {f}"));
        }
        for f in act.findings.difference(&exp.findings) {
            problems.push(format!("{name}: unexpected {f}"));
        }
        for u in exp.unreadable.symmetric_difference(&act.unreadable) {
            problems.push(format!("{name}: unreadable differs: {u}"));
        }
    }
    for name in actual.keys() {
        if !manifest.files.contains_key(name) {
            problems.push(format!("{name}: not in the manifest"));
        }
    }
    // Every file of the folder is covered by the manifest.
    assert!(
        manifest.files.len() >= 95,
        "manifest covers {} files",
        manifest.files.len()
    );
    assert!(problems.is_empty(), "{problems:#?}");
    // Zero false negatives on the known-vulnerable set: every true-hit is vulnerable to 44228.
    for (name, exp) in &manifest.files {
        if name.starts_with("mergebase/true-hits/") {
            assert!(
                exp.findings
                    .iter()
                    .any(|f| f.ends_with("CVE-2021-44228:vulnerable")),
                "{name} must be vulnerable to CVE-2021-44228"
            );
        }
    }
}
