//! `assess` is pure: it reads documents and returns verdicts; it never changes its input
//! (ARCHITECTURE.md, "assess reads nothing from the machine and changes no document").

use praxcheck_assess::{Catalogue, Options};
use praxcheck_model::Document;

use crate::common::{World, doc, facts};

fn json(docs: &[Document]) -> Vec<String> {
    docs.iter().map(|d| d.to_json_pretty().unwrap()).collect()
}

#[test]
fn assess_leaves_its_input_documents_unchanged() {
    let w = World::new();
    let cat = Catalogue::embedded().unwrap();
    let opts = Options {
        set: &w.set,
        catalogue: &cat,
        answers: &w.answers,
        today: w.today,
    };
    let docs = vec![doc("empfang.json"), doc("server.json")];
    let before = json(&docs);
    let extra = [facts("empfang.facts.json"), facts("server.facts.json")];
    let out = praxcheck_assess::assess(&docs, &extra, &opts);
    assert_eq!(json(&docs), before, "assess changed its input");
    assert_eq!(out.machines.len(), 2);
    assert!(out.machines.iter().any(|m| !m.findings.is_empty()));
    // Writing the verdicts in is the caller's explicit step, and gives what assess returned.
    let mut written = docs.clone();
    let practice = out.clone().write_into(&mut written);
    assert_eq!(practice, out.practice);
    for (d, m) in written.iter().zip(&out.machines) {
        assert_eq!(d.findings, m.findings);
        assert_eq!(d.assessment.as_ref(), Some(&m.assessment));
        assert_eq!(d.advisory_set, m.advisory_set);
    }
}

#[test]
fn findings_stored_in_a_document_do_not_change_its_verdict() {
    let w = World::new();
    let mut fresh = vec![doc("server.json")];
    let a = w.run(&mut fresh, &[]);
    // Re-assessing the assessed document (now holding findings and an assessment) gives the
    // same verdict: stored judgements are recomputed, never read.
    let mut again = fresh.clone();
    let b = w.run(&mut again, &[]);
    assert_eq!(a, b);
    assert_eq!(json(&fresh), json(&again));
}

#[test]
fn the_assessment_source_reads_no_file_environment_clock_or_network() {
    // The crate's inputs are its arguments and the data compiled in (`include_str!`); the
    // pipeline (`praxcheck-app`) does the reading and writing.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let banned = [
        "std::fs",
        "std::env",
        "std::net",
        "std::process",
        "std::io",
        "SystemTime",
        "now_utc",
        "now_local",
    ];
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            seen += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            for b in banned {
                assert!(
                    !text.contains(b),
                    "{} uses {b}: the assessment must stay pure",
                    path.display()
                );
            }
        }
    }
    assert!(seen >= 5, "read only {seen} source files");
}
