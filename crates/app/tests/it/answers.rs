//! The answers file on disk.

use praxcheck_app::answers::{load, save};
use praxcheck_assess::questionnaire::{Input, open_questions, record};
use praxcheck_assess::{Answers, Catalogue};

use crate::pipeline::doc;

#[test]
fn answers_are_saved_and_the_questionnaire_resumes() {
    let cat = Catalogue::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state/answers.json");
    let d = doc("server.json");
    let docs = vec![&d];
    // No file yet: no answers yet.
    let mut answers = load(&path).unwrap();
    assert_eq!(answers, Answers::default());
    let first = open_questions(&cat, &answers, &docs);
    record(
        &mut answers,
        &first[0].topic,
        Input::Number(12),
        "2026-11-29",
    );
    save(&answers, &path).unwrap();
    let reloaded = load(&path).unwrap();
    assert_eq!(reloaded, answers);
    let next = open_questions(&cat, &reloaded, &docs);
    assert_eq!(next.len(), first.len() - 1);
    // A broken file is refused with its name and the reason, not silently replaced.
    std::fs::write(&path, "{ nope").unwrap();
    let err = load(&path).unwrap_err().to_string();
    assert!(
        err.contains("answers.json") && err.contains("not a praxcheck answers file"),
        "{err}"
    );
    std::fs::write(
        &path,
        r#"{"accepted": [{"reason": "x", "expires": "2027-01-01", "date": "2026-11-29"}]}"#,
    )
    .unwrap();
    let err = load(&path).unwrap_err().to_string();
    assert!(
        err.contains("answers.json") && err.contains("names neither a finding nor a rule"),
        "{err}"
    );
    // A folder where the file should be is an I/O error naming it.
    let err = load(dir.path()).unwrap_err().to_string();
    assert!(err.contains(&dir.path().display().to_string()), "{err}");
}

#[test]
fn an_explicit_answers_file_must_be_usable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.json");
    std::fs::write(&path, "{ nope").unwrap();
    assert!(praxcheck_app::answers::load_for_run(Some(&path)).is_err());
}
