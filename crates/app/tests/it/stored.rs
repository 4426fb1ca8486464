//! `praxcheck report`'s inputs: stored documents and facts read back, assessed and
//! compared (`praxcheck_app::stored`).

use praxcheck_advisories::AdvisorySet;
use praxcheck_app::stored::{self, StoredError};
use praxcheck_app::{Answers, Pipeline};

use crate::pipeline::doc;

fn today() -> time::Date {
    praxcheck_advisories::parse_date("2026-11-29").unwrap()
}

#[test]
fn report_assesses_the_stored_documents_and_compares_with_the_earlier_ones() {
    let dir = tempfile::tempdir().unwrap();
    let now = dir.path().join("now.json");
    let before = dir.path().join("before.json");
    std::fs::write(&now, doc("empfang.json").to_json_pretty().unwrap()).unwrap();
    std::fs::write(&before, doc("empfang.json").to_json_pretty().unwrap()).unwrap();
    let set = AdvisorySet::embedded().unwrap();
    let answers = Answers::default();
    let p = Pipeline::new(&set, &answers, today()).unwrap();

    let run = stored::report(&p, std::slice::from_ref(&now), &[], &[]).unwrap();
    assert_eq!(run.docs.len(), 1);
    assert!(run.docs[0].assessment.is_some());
    assert!(run.assessment.comparison.is_none());

    let run = stored::report(&p, &[now], &[], &[before]).unwrap();
    let c = run.assessment.comparison.as_ref().unwrap();
    assert!(c.fixed.is_empty() && c.new.is_empty(), "{c:?}");
}

#[test]
fn an_unusable_input_names_the_file_and_what_it_should_have_been() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, b"{ not json").unwrap();
    let set = AdvisorySet::embedded().unwrap();
    let answers = Answers::default();
    let p = Pipeline::new(&set, &answers, today()).unwrap();

    let missing = dir.path().join("missing.json");
    let e = stored::report(&p, std::slice::from_ref(&missing), &[], &[]).unwrap_err();
    // The read error names the file itself, once, with what went wrong.
    assert!(matches!(e, StoredError::Read { facts: false, .. }));
    assert_eq!(e.key(), "error-read-document");
    let m = e.to_string();
    assert_eq!(m.matches("missing.json").count(), 1, "{m}");
    assert!(std::error::Error::source(&e).is_none(), "printed once: {m}");
    let e = stored::read_facts(&missing).unwrap_err();
    assert_eq!(e.key(), "error-read-facts");
    assert_eq!(e.to_string().matches("missing.json").count(), 1);

    let e = stored::report(&p, std::slice::from_ref(&junk), &[], &[]).unwrap_err();
    assert_eq!(e.key(), "error-read-document");
    assert!(std::error::Error::source(&e).is_some());

    let e = stored::read_facts(&junk).unwrap_err();
    assert_eq!(e.key(), "error-read-facts");
    assert_eq!(e.to_string(), junk.display().to_string());
}
