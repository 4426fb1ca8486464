//! Times the assessment of a stored document against an advisory set file, in process
//! (used by `bench/assess.sh`):
//!
//! ```text
//! cargo run --release -p praxcheck-assess --example bench_assess -- SET.json DOC.json [RUNS]
//! ```
//!
//! Prints, per run, the time to assess (match every component, products, rules, score,
//! light, actions, KBV coverage); parsing the set and the document is timed separately.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::Instant;

use praxcheck_advisories::AdvisorySet;
use praxcheck_assess::{Answers, Catalogue, Options};
use praxcheck_model::Document;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(set_path), Some(doc_path)) = (args.first(), args.get(1)) else {
        eprintln!("usage: bench_assess SET.json DOC.json [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.get(2).map_or(Ok(5), |s| s.parse())?;
    let t = Instant::now();
    let set = AdvisorySet::from_bundle_json(&std::fs::read_to_string(set_path)?, "bench")?;
    let load_set = t.elapsed();
    let t = Instant::now();
    let doc = Document::from_json(&std::fs::read(doc_path)?)?;
    let load_doc = t.elapsed();
    let cat = Catalogue::embedded()?;
    let answers = Answers::default();
    let opts = Options {
        set: &set,
        catalogue: &cat,
        answers: &answers,
        today: praxcheck_advisories::parse_date("2026-11-29").ok_or("date")?,
    };
    println!(
        "set: {} records, parsed and indexed in {:.0} ms; document: {} components, parsed in {:.0} ms",
        set.records().len(),
        load_set.as_secs_f64() * 1000.0,
        doc.inventory.components.len(),
        load_doc.as_secs_f64() * 1000.0
    );
    let mut times = Vec::new();
    let mut findings = 0;
    for _ in 0..runs {
        let docs = vec![doc.clone()];
        let t = Instant::now();
        let a = praxcheck_assess::assess(&docs, &[], &opts);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        findings = a.machines[0].findings.len();
        std::hint::black_box(a);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "assess: {findings} findings; median {:.0} ms, min {:.0} ms, max {:.0} ms over {runs} runs",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
    Ok(())
}
