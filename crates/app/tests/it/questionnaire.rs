//! The questionnaire's dialogue on bytes in and out (moved from the binary, issue 10).

use praxcheck_app::answers::load;
use praxcheck_app::questionnaire::{Acceptance, Mode, QuestionnaireError, run};
use praxcheck_i18n::{Catalog, Lang};

fn day(s: &str) -> time::Date {
    praxcheck_advisories::parse_date(s).unwrap()
}

fn ask(path: &std::path::Path, input: &str, lang: Lang) -> String {
    let mut out = Vec::new();
    run(
        path,
        &Mode::Ask { from: Vec::new() },
        day("2026-11-29"),
        input.as_bytes(),
        &mut out,
        &Catalog::new(lang),
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn the_dialogue_saves_each_answer_helps_refuses_nonsense_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.json");
    let de = Catalog::new(Lang::De);
    // First question (practice size): a number; then nonsense, help, and quit.
    let text = ask(&path, "12\nvielleicht\n?\nq\n", Lang::De);
    assert!(text.starts_with(&de.t("q-intro")), "{text}");
    assert!(text.contains("[1/"), "{text}");
    assert!(text.contains(&de.t("q-invalid")), "{text}");
    let saved = load(&path).unwrap();
    assert_eq!(
        saved.profile.len() + saved.requirements.len(),
        1,
        "{saved:?}"
    );
    // Resumed: the answered question is not asked again; closing the input keeps all.
    let again = ask(&path, "", Lang::En);
    assert!(again.contains("[1/"), "{again}");
    assert_eq!(load(&path).unwrap(), saved);
}

#[test]
fn an_accepted_risk_needs_a_reason_and_a_future_date() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.json");
    let cat = Catalog::new(Lang::En);
    let accept = |reason: Option<&str>, until: &str| {
        let mut out = Vec::new();
        let mode = Mode::Accept(Acceptance {
            id: "CVE-2021-44228".into(),
            reason: reason.map(str::to_owned),
            until: Some(until.to_owned()),
            by: Some("IT".into()),
            host: None,
        });
        run(&path, &mode, day("2026-11-29"), &b""[..], &mut out, &cat)
            .map(|()| String::from_utf8(out).unwrap())
    };
    assert!(matches!(
        accept(None, "2027-01-01"),
        Err(QuestionnaireError::Refused(_))
    ));
    assert!(matches!(
        accept(Some("vendor patch pending"), "2026-11-28"),
        Err(QuestionnaireError::Refused(_))
    ));
    assert!(!path.exists(), "nothing saved for a refused acceptance");
    let ok = accept(Some(" vendor patch pending "), "2027-01-05").unwrap();
    assert!(ok.contains("2027-01-05"), "{ok}");
    let saved = load(&path).unwrap();
    assert_eq!(saved.accepted.len(), 1);
    assert_eq!(saved.accepted[0].rule.as_deref(), Some("CVE-2021-44228"));
    assert_eq!(saved.accepted[0].reason, "vendor patch pending");
    // The same id again replaces, never duplicates.
    accept(Some("still pending"), "2027-02-01").unwrap();
    assert_eq!(load(&path).unwrap().accepted.len(), 1);
}
