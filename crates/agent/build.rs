//! Build script: a hash of the sources of the Java collector and the data model, so the
//! repeat-scan cache never reuses facts of another scanner build (`cache::SCANNER_ID`).
//! FNV-1a by hand: a build script needs no cryptographic hash, only a stable one.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut all = Vec::new();
    for d in [
        "javascan/src",
        "javascan/data",
        "javascan/Cargo.toml",
        "model/src",
    ] {
        let p = base.join(d);
        println!("cargo:rerun-if-changed={}", p.display());
        if p.is_file() {
            all.push(p);
        } else {
            files(&p, &mut all);
        }
    }
    all.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in &all {
        let rel = p
            .strip_prefix(&base)
            .unwrap_or(p)
            .to_string_lossy()
            .into_owned();
        for b in rel
            .bytes()
            .chain([0])
            .chain(std::fs::read(p).unwrap_or_default())
            .chain([0])
        {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=PRAXCHECK_SCANNER_HASH={h:016x}");
}
