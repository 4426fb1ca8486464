//! Scans the paths given as arguments and writes the log part of a document (the evidence
//! sample, the summary, the sources) as JSON to standard output: what `praxcheck logs`
//! stores before the assessment. Used by `bench/logflood.sh` to measure the collector's
//! memory and document size without building the whole program.
#![allow(clippy::print_stdout)]

use std::io::Write as _;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let scan = praxcheck_logscan::scan_paths(&paths, &praxcheck_logscan::Options::default());
    let mut doc = praxcheck_model::Document::new(
        praxcheck_model::ScanInfo::default(),
        praxcheck_model::AdvisorySetRef::default(),
    );
    doc.absorb(praxcheck_model::Collect::into_contribution(scan));
    doc.finish();
    doc.canonicalize();
    let mut out = std::io::stdout().lock();
    out.write_all(doc.to_json_pretty()?.as_bytes())?;
    Ok(())
}
