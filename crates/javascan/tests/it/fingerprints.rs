//! Extended tier: the fingerprint table is generated from the real release jars, and every
//! version marker is checked against them.
//!
//! Regenerate the committed table with
//! `PRAXCHECK_UPDATE_FINGERPRINTS=1 cargo test -p praxcheck-javascan --test it fingerprints::table_is_current`.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use praxcheck_advisories::AdvisorySet;
use praxcheck_javascan::classfile::fingerprint_for;
use praxcheck_javascan::fingerprints::Table;
use praxcheck_javascan::specs::{SPECS, match_entry};
use praxcheck_versions::compare_maven;

/// The real reference jars: Apache release jars of log4j-core and Log4j 1.x.
pub fn reference_jars(testdata: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let dirs = [
        "jars/mergebase/true-hits",
        "jars/mergebase/false-hits",
        "jars/mergebase/old-hits",
        "jars/google",
    ];
    for d in dirs {
        let Ok(rd) = std::fs::read_dir(testdata.join(d)) else {
            continue;
        };
        for e in rd.filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy().into_owned();
            let is_ref = (name.starts_with("log4j-core-") || name.starts_with("log4j-1."))
                && name.ends_with(".jar");
            if !is_ref {
                continue;
            }
            if let Some(v) = version_of(&e.path()) {
                out.push((e.path(), v));
            }
        }
    }
    out.sort();
    out
}

fn version_of(jar: &Path) -> Option<String> {
    let f = std::fs::File::open(jar).ok()?;
    let mut z = zip::ZipArchive::new(f).ok()?;
    let mut manifest_version = None;
    for i in 0..z.len() {
        let mut e = z.by_index(i).ok()?;
        let name = String::from_utf8_lossy(e.name_raw()).into_owned();
        let pom = name.ends_with("log4j-core/pom.properties")
            || name.ends_with("log4j/log4j/pom.properties");
        if !pom && name != "META-INF/MANIFEST.MF" {
            continue;
        }
        let mut s = String::new();
        e.read_to_string(&mut s).ok()?;
        for line in s.lines() {
            let line = line.trim_end();
            if pom {
                if let Some(v) = line.strip_prefix("version=") {
                    return Some(v.trim().to_owned());
                }
            } else if let Some(v) = line.strip_prefix("Implementation-Version: ") {
                manifest_version = Some(v.trim().to_owned());
            }
        }
    }
    manifest_version
}

fn generate(testdata: &Path) -> Table {
    let mut t = Table {
        generated_by: "PRAXCHECK_UPDATE_FINGERPRINTS=1 cargo test -p praxcheck-javascan --test it fingerprints::table_is_current (from ../shared/testdata/jars: Apache release jars)".to_owned(),
        ..Table::default()
    };
    for (jar, version) in reference_jars(testdata) {
        let rel = jar
            .strip_prefix(testdata)
            .unwrap_or(&jar)
            .display()
            .to_string();
        t.sources.insert(rel, version.clone());
        let f = std::fs::File::open(&jar).unwrap();
        let mut z = zip::ZipArchive::new(f).unwrap();
        for i in 0..z.len() {
            let mut e = z.by_index(i).unwrap();
            let Some(m) = match_entry(e.name_raw()) else {
                continue;
            };
            let spec = &SPECS[m.spec];
            if !spec.fingerprint {
                continue;
            }
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).unwrap();
            let Some(fp) = fingerprint_for(
                spec.canonical,
                &bytes,
                (&m.actual_prefix, &m.canonical_prefix),
            ) else {
                continue;
            };
            let v = t
                .classes
                .entry(spec.canonical.to_owned())
                .or_default()
                .entry(fp)
                .or_default();
            if !v.contains(&version) {
                v.push(version.clone());
                v.sort_by(|a, b| compare_maven(a, b));
            }
        }
    }
    t
}

#[test]
fn table_is_current() {
    let Some(td) = praxcheck_testsupport::testdata("fingerprints::table_is_current") else {
        return;
    };
    let generated = generate(&td);
    assert!(
        generated.sources.len() >= 25,
        "expected the real reference jars, found {:?}",
        generated.sources
    );
    let mut json = serde_json::to_string_pretty(&generated).unwrap();
    json.push('\n');
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/fingerprints.json");
    if std::env::var_os("PRAXCHECK_UPDATE_FINGERPRINTS").is_some() {
        std::fs::write(&path, &json).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        committed == json,
        "data/fingerprints.json differs from what the reference jars give; regenerate with \
         PRAXCHECK_UPDATE_FINGERPRINTS=1 cargo test -p praxcheck-javascan --test it fingerprints::table_is_current"
    );
}

#[test]
fn every_reference_jar_resolves_to_its_exact_version() {
    let Some(td) = praxcheck_testsupport::testdata("fingerprints::exact_versions") else {
        return;
    };
    let mut problems = Vec::new();
    for (jar, version) in reference_jars(&td) {
        let name = jar.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("log4j-core-") {
            continue;
        }
        let Some((_, fp)) = praxcheck_javascan::log4j_core_evidence(&jar) else {
            problems.push(format!("{name}: no log4j-core classes"));
            continue;
        };
        match fp {
            Some(v) if v == vec![version.clone()] => {}
            other => problems.push(format!(
                "{name}: fingerprints give {other:?}, expected [{version}]"
            )),
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn markers_agree_with_reference_jars_and_decide_every_cve() {
    // For every real log4j-core jar: the versions its class markers allow contain its real
    // version, and judging the jar by that range gives exactly the findings the real
    // version gives (so a stripped copy whose fingerprints are unknown is judged right).
    let Some(td) = praxcheck_testsupport::testdata("fingerprints::markers") else {
        return;
    };
    let set = AdvisorySet::embedded().unwrap();
    let statuses = |comps: &[praxcheck_model::Component]| -> std::collections::BTreeSet<String> {
        praxcheck_advisories::match_components(&set, comps)
            .iter()
            .map(|f| format!("{}:{}", f.rule_id, f.status.as_str()))
            .collect()
    };
    let mut problems = Vec::new();
    let mut checked = 0;
    for (jar, version) in reference_jars(&td) {
        let name = jar.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("log4j-core-") {
            continue;
        }
        let Some((markers, _)) = praxcheck_javascan::log4j_core_evidence(&jar) else {
            problems.push(format!("{name}: no log4j-core classes"));
            continue;
        };
        if !markers.contains(&version) {
            problems.push(format!(
                "{name}: markers allow {markers}, which excludes {version}"
            ));
            continue;
        }
        let out = crate::common::scan(std::slice::from_ref(&jar));
        let mut comps: Vec<praxcheck_model::Component> = out
            .components
            .into_iter()
            .filter(|c| c.name == "org.apache.logging.log4j:log4j-core")
            .collect();
        assert_eq!(comps.len(), 1, "{name}");
        comps[0].version = Some(version.clone());
        comps[0].version_range.clear();
        let truth = statuses(&comps);
        comps[0].version = None;
        comps[0].version_range = markers.intervals();
        let by_markers = statuses(&comps);
        if by_markers != truth {
            problems.push(format!(
                "{name}: by markers ({markers}) {by_markers:?}, for {version} {truth:?}"
            ));
        }
        checked += 1;
    }
    assert!(checked >= 25, "checked only {checked}");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn table_covers_the_fingerprinted_classes() {
    let t = praxcheck_javascan::fingerprints::table();
    if t.sources.is_empty() {
        // Only before the first generation; the extended test above regenerates it.
        return;
    }
    let specs: BTreeMap<&str, bool> = SPECS.iter().map(|s| (s.canonical, s.fingerprint)).collect();
    for class in t.classes.keys() {
        assert_eq!(
            specs.get(class.as_str()),
            Some(&true),
            "{class} in table but not fingerprinted"
        );
    }
}
