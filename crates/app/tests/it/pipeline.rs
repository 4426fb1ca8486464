//! Assess, compare, save and render through the pipeline.

use std::path::PathBuf;

use praxcheck_advisories::AdvisorySet;
use praxcheck_app::{Answers, Format, Pipeline, RenderOptions, render};
use praxcheck_i18n::Lang;
use praxcheck_model::Document;

pub fn doc(name: &str) -> Document {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../assess/tests/fixtures")
        .join(name);
    Document::from_json(&std::fs::read(p).unwrap()).unwrap()
}

fn today() -> time::Date {
    praxcheck_advisories::parse_date("2026-11-29").unwrap()
}

fn opts() -> RenderOptions {
    RenderOptions {
        lang: Lang::De,
        color: false,
        all: false,
        footer: Vec::new(),
    }
}

#[test]
fn assess_stores_the_verdict_in_each_document() {
    let set = AdvisorySet::embedded().unwrap();
    let answers = Answers::default();
    let p = Pipeline::new(&set, &answers, today()).unwrap();
    let run = p.assess(vec![doc("empfang.json"), doc("server.json")], &[]);
    assert_eq!(run.assessment.machines.len(), 2);
    for d in &run.docs {
        let a = d.assessment.as_ref().unwrap();
        assert_eq!(a.machines.len(), 1);
        assert_eq!(d.advisory_set, set.reference());
    }
    // One document: its JSON is the document itself; several: the practice report.
    let one = p.assess(vec![doc("server.json")], &[]);
    let bytes = render(&one, Format::Json, &opts()).unwrap();
    assert_eq!(bytes, one.docs[0].to_json_pretty().unwrap().into_bytes());
    let many = String::from_utf8(render(&run, Format::Json, &opts()).unwrap()).unwrap();
    assert!(many.contains("\"documents\""), "{many}");
}

#[test]
fn compare_with_an_earlier_run_records_what_changed() {
    let set = AdvisorySet::embedded().unwrap();
    let answers = Answers::default();
    let p = Pipeline::new(&set, &answers, today()).unwrap();
    let mut run = p.assess(vec![doc("empfang.json")], &[]);
    p.compare_with(&mut run, vec![doc("empfang-2026-10.json")]);
    let c = run.assessment.comparison.as_ref().unwrap();
    assert_eq!(
        run.docs[0].assessment.as_ref().unwrap().comparison.as_ref(),
        Some(c)
    );
}

#[test]
fn a_saved_run_is_compared_with_the_previous_one_of_its_host() {
    let set = AdvisorySet::embedded().unwrap();
    let answers = Answers::default();
    let p = Pipeline::new(&set, &answers, today()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut first = p.assess(vec![doc("empfang-2026-10.json")], &[]);
    let saved = praxcheck_app::output::save_run(&p, &mut first, dir.path(), Lang::De).unwrap();
    assert!(
        first.assessment.comparison.is_none(),
        "nothing to compare with yet"
    );
    assert!(saved.html.exists());
    let stored = Document::from_json(&std::fs::read(&saved.json).unwrap()).unwrap();
    assert_eq!(stored.findings, first.docs[0].findings);
    let mut second = p.assess(vec![doc("empfang.json")], &[]);
    let again = praxcheck_app::output::save_run(&p, &mut second, dir.path(), Lang::De).unwrap();
    assert_ne!(again.json, saved.json);
    assert!(second.assessment.comparison.is_some());
}
