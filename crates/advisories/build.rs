//! Bundles the embedded advisory set: `data/set.json` (id, version, dates) plus every
//! `data/osv/*.json` record, in file-name order, into one JSON document in `OUT_DIR`.
//! The records are parsed and checked at run time (and by the crate's tests); this script
//! only concatenates, so it needs no dependencies.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new("data");
    println!("cargo:rerun-if-changed=data");
    let meta = std::fs::read_to_string(dir.join("set.json")).unwrap_or_else(|e| {
        panic!("data/set.json: {e}");
    });
    let mut names: Vec<_> = std::fs::read_dir(dir.join("osv"))
        .unwrap_or_else(|e| panic!("data/osv: {e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    let mut records = String::from("[");
    for (i, p) in names.iter().enumerate() {
        println!("cargo:rerun-if-changed={}", p.display());
        let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        if i > 0 {
            records.push(',');
        }
        records.push_str(&text);
    }
    records.push(']');
    let meta = meta.trim();
    let meta = meta
        .strip_suffix('}')
        .unwrap_or_else(|| panic!("data/set.json must be a JSON object"));
    let mut bundle = String::new();
    let _ = write!(bundle, "{meta}, \"records\": {records}}}");
    let out = std::env::var("OUT_DIR").unwrap_or_else(|e| panic!("OUT_DIR: {e}"));
    std::fs::write(Path::new(&out).join("embedded-set.json"), bundle)
        .unwrap_or_else(|e| panic!("writing the bundle: {e}"));
}
