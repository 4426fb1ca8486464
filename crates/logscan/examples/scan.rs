//! Scans the paths given as arguments and prints the evidence as JSON lines (a debugging
//! aid; the product command is `praxcheck logs`).
#![allow(clippy::print_stdout)]

use std::path::PathBuf;

fn main() -> Result<(), serde_json::Error> {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let scan = praxcheck_logscan::scan_paths(&paths, &praxcheck_logscan::Options::default());
    for e in &scan.evidence {
        println!("{}", serde_json::to_string(e)?);
    }
    for u in &scan.unreadable {
        println!(
            "unreadable {} {} {}",
            u.location,
            u.reason.as_str(),
            u.detail
        );
    }
    for s in &scan.sources {
        println!("{}", serde_json::to_string(s)?);
    }
    Ok(())
}
