//! The workspace as the invariant tests read it (`layers`, `invariants`): its packages from
//! `cargo metadata` with their normal and build dependencies (test-only dev dependencies do
//! not count), and the Rust files below a folder. One reading, shared.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One package of the workspace.
#[derive(Debug, Clone)]
pub struct Package {
    /// Its name (`praxcheck-model`).
    pub name: String,
    /// The folder of its manifest.
    pub dir: PathBuf,
    /// The names of its normal and build dependencies.
    pub deps: BTreeSet<String>,
}

/// The `crates/` folder.
pub fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The workspace's packages, from `cargo metadata --no-deps --offline`.
pub fn packages() -> Vec<Package> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.toml");
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
            "--manifest-path",
            manifest,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| Package {
            name: p["name"].as_str().unwrap().to_owned(),
            dir: Path::new(p["manifest_path"].as_str().unwrap())
                .parent()
                .unwrap()
                .to_path_buf(),
            deps: p["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["kind"].as_str() != Some("dev"))
                .filter_map(|d| d["name"].as_str())
                .map(str::to_owned)
                .collect(),
        })
        .collect()
}

/// Every `.rs` file below `dir`, sorted (a missing folder has none).
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    files(dir, |p| p.extension().is_some_and(|x| x == "rs"))
}

/// Every file below `dir` that `keep` accepts, sorted (a missing folder has none).
pub fn files(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if keep(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
