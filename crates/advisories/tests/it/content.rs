//! The advisory set's version changes when its content changes (issue 11): the service
//! re-evaluates stored documents only on a new version, so a rule, record, product, device
//! line, port or catalogue entry added under an old version would never reach them.
//!
//! The fingerprint is a SHA-256 over every data file the program embeds (every `*.json`
//! below `data/` except `data/set.json`, whose version and dates are the set's identity),
//! each parsed and written canonically (keys sorted, no white space), with its path. So
//! re-indenting a file or reordering its keys changes nothing; any value does.
//! `set-fingerprints.txt` records one fingerprint per version.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The record of fingerprints, one `version fingerprint` line per set version.
const RECORD: &str = "tests/fixtures/set-fingerprints.txt";

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file below `dir`, sorted by path.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The canonical text of a JSON value: object keys sorted, no white space.
fn canonical(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::Object(m) => {
            let sorted: BTreeMap<&String, &serde_json::Value> = m.iter().collect();
            out.push('{');
            for (i, (k, v)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(k).unwrap());
                out.push(':');
                canonical(v, out);
            }
            out.push('}');
        }
        serde_json::Value::Array(a) => {
            out.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&serde_json::to_string(other).unwrap()),
    }
}

/// The fingerprint of the data files given as (path below `data/`, text).
fn fingerprint(parts: &[(String, String)]) -> String {
    let mut h = Sha256::new();
    for (name, text) in parts {
        let v: serde_json::Value =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("data/{name}: not JSON: {e}"));
        let mut c = String::new();
        canonical(&v, &mut c);
        h.update(name.as_bytes());
        h.update([0]);
        h.update(c.as_bytes());
        h.update([0]);
    }
    h.finalize().iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The data files the program embeds: (path below `data/`, text). A file of another kind
/// below `data/` fails here, so that new data cannot escape the fingerprint.
fn content() -> Vec<(String, String)> {
    let data = crate_dir().join("data");
    let mut parts = Vec::new();
    for p in files(&data) {
        let name = p
            .strip_prefix(&data)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if name == "set.json" || name.ends_with(".md") {
            continue;
        }
        assert!(
            name.ends_with(".json"),
            "data/{name}: not a JSON file; teach tests/it/content.rs to fingerprint it"
        );
        let text = std::fs::read_to_string(&p).unwrap();
        parts.push((name, text));
    }
    parts
}

/// `data/set.json`'s version.
fn set_version() -> u64 {
    let text = std::fs::read_to_string(crate_dir().join("data/set.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["version"].as_u64().expect("data/set.json: version")
}

/// The recorded (version, fingerprint) lines, in file order.
fn recorded() -> Vec<(u64, String)> {
    let text = std::fs::read_to_string(crate_dir().join(RECORD)).unwrap();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (v, f) = l
                .split_once(' ')
                .unwrap_or_else(|| panic!("{RECORD}: bad line {l:?}"));
            (
                v.parse()
                    .unwrap_or_else(|e| panic!("{RECORD}: bad version {v:?}: {e}")),
                f.trim().to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_set_version_changes_when_its_content_changes() {
    let now = fingerprint(&content());
    let version = set_version();
    let record = recorded();
    assert!(
        record.windows(2).all(|w| w[0].0 < w[1].0),
        "{RECORD}: versions must rise from line to line"
    );
    let Some((last, last_fp)) = record.last() else {
        panic!("{RECORD}: empty; record `{version} {now}`");
    };
    assert!(
        version >= *last,
        "data/set.json has version {version}, below the last recorded version {last} in {RECORD}"
    );
    if version > *last {
        assert!(
            now != *last_fp,
            "data/set.json's version was raised to {version} but the content is that of version {last}"
        );
        panic!(
            "data/set.json has version {version} with no fingerprint recorded: add the line `{version} {now}` to {RECORD}"
        );
    }
    assert!(
        now == *last_fp,
        "the advisory set's content changed: raise the version in data/set.json (now {version}) \
         and record the new fingerprint: add the line `{} {now}` to {RECORD}",
        version + 1
    );
}

/// The check can fail: a changed value in any data file, a new file, a removed file or a
/// renamed one gives another fingerprint; white space and key order do not.
#[test]
fn the_fingerprint_sees_every_data_file_and_no_layout() {
    let parts = content();
    let base = fingerprint(&parts);
    for kind in [
        "osv/",
        "rules/",
        "products/",
        "network/ports",
        "network/devices",
        "network/oui",
        "catalogue",
    ] {
        assert!(
            parts.iter().any(|(n, _)| n.starts_with(kind)),
            "no data file {kind}* is fingerprinted"
        );
    }
    for i in 0..parts.len() {
        // A changed value.
        let mut changed = parts.clone();
        let mut v: serde_json::Value = serde_json::from_str(&changed[i].1).unwrap();
        match &mut v {
            serde_json::Value::Object(m) => {
                m.insert("praxcheck_test_change".into(), true.into());
            }
            serde_json::Value::Array(a) => a.push(true.into()),
            other => *other = serde_json::Value::Null,
        }
        changed[i].1 = serde_json::to_string(&v).unwrap();
        assert_ne!(
            fingerprint(&changed),
            base,
            "{}: a change is not seen",
            parts[i].0
        );
        // Removed, or renamed.
        let mut removed = parts.clone();
        removed.remove(i);
        assert_ne!(
            fingerprint(&removed),
            base,
            "{}: removal not seen",
            parts[i].0
        );
        let mut renamed = parts.clone();
        renamed[i].0.push('x');
        assert_ne!(
            fingerprint(&renamed),
            base,
            "{}: renaming not seen",
            parts[i].0
        );
        // Layout only.
        let mut layout = parts.clone();
        let v: serde_json::Value = serde_json::from_str(&layout[i].1).unwrap();
        layout[i].1 = serde_json::to_string(&v).unwrap();
        assert_eq!(
            fingerprint(&layout),
            base,
            "{}: layout changed it",
            parts[i].0
        );
    }
    let mut added = parts.clone();
    added.push(("rules/PRAX-TEST.json".into(), "{}".into()));
    assert_ne!(fingerprint(&added), base, "a new file is not seen");
}
