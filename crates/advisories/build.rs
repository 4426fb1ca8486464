//! Bundles the embedded advisory set: `data/set.json` (id, version, dates) plus every
//! `data/osv/*.json` record, every `data/rules/*.json` rule and every `data/products/*.json`
//! product, in file-name order, into one JSON document in `OUT_DIR`. The parts are parsed and
//! checked at run time (and by the crate's tests); this script only concatenates, so it
//! needs no dependencies.
//!
//! It also fixes the keys an advisory update must be signed with (see `SIGNING.md`): the
//! minisign public keys in the file named by the build-time environment variable
//! `PRAXCHECK_RELEASE_PUBKEYS` (release builds), else the test key `keys/test.pub` (every
//! other build; the program then says it is a development build).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut names: Vec<_> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

fn array_of(dir: &Path) -> String {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut out = String::from("[");
    for (i, p) in json_files(dir).iter().enumerate() {
        println!("cargo:rerun-if-changed={}", p.display());
        let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        if i > 0 {
            out.push(',');
        }
        out.push_str(&text);
    }
    out.push(']');
    out
}

fn main() {
    let dir = Path::new("data");
    println!("cargo:rerun-if-changed=data");
    let meta = std::fs::read_to_string(dir.join("set.json")).unwrap_or_else(|e| {
        panic!("data/set.json: {e}");
    });
    let records = array_of(&dir.join("osv"));
    let rules = array_of(&dir.join("rules"));
    let products = array_of(&dir.join("products"));
    let meta = meta.trim();
    let meta = meta
        .strip_suffix('}')
        .unwrap_or_else(|| panic!("data/set.json must be a JSON object"));
    let mut bundle = String::new();
    let _ = write!(
        bundle,
        "{meta}, \"records\": {records}, \"rules\": {rules}, \"products\": {products}}}"
    );
    let out = std::env::var("OUT_DIR").unwrap_or_else(|e| panic!("OUT_DIR: {e}"));
    std::fs::write(Path::new(&out).join("embedded-set.json"), bundle)
        .unwrap_or_else(|e| panic!("writing the bundle: {e}"));

    // Trusted signing keys.
    println!("cargo:rerun-if-env-changed=PRAXCHECK_RELEASE_PUBKEYS");
    println!("cargo:rerun-if-changed=keys/test.pub");
    let (keys, kind) = match std::env::var_os("PRAXCHECK_RELEASE_PUBKEYS") {
        Some(path) if !path.is_empty() => {
            let p = PathBuf::from(&path);
            println!("cargo:rerun-if-changed={}", p.display());
            let text =
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (text, "release")
        }
        _ => {
            let text = std::fs::read_to_string("keys/test.pub")
                .unwrap_or_else(|e| panic!("keys/test.pub: {e}"));
            (text, "test")
        }
    };
    std::fs::write(Path::new(&out).join("trusted-keys.txt"), keys)
        .unwrap_or_else(|e| panic!("writing the trusted keys: {e}"));
    println!("cargo:rustc-env=PRAXCHECK_KEYS_KIND={kind}");
}
