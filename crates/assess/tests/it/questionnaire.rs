//! The questionnaire: profile questions first, applicable requirements only, resumable.

use praxcheck_assess::answers::Answers;
use praxcheck_assess::questionnaire::{Input, Topic, open_questions, record};
use praxcheck_assess::{Catalogue, Reply};

use crate::common::doc;

#[test]
fn profile_questions_come_first_and_decide_what_is_asked() {
    let cat = Catalogue::embedded().unwrap();
    let mut answers = Answers::default();
    let d = doc("empfang.json");
    let docs = vec![&d];
    let all = open_questions(&cat, &answers, &docs);
    assert_eq!(all[0].topic, Topic::Profile("persons".into()));
    // The Windows question is answered by the scan of a Windows computer.
    assert!(
        !all.iter()
            .any(|q| q.topic == Topic::Profile("windows".into()))
    );
    // Follow-up questions wait for their parent.
    assert!(
        !all.iter()
            .any(|q| q.topic == Topic::Profile("ti_hosted".into()))
    );
    let before = all.len();
    record(
        &mut answers,
        &Topic::Profile("persons".into()),
        Input::Number(3),
        "2026-11-29",
    );
    record(
        &mut answers,
        &Topic::Profile("large_processing".into()),
        Input::Reply(Reply::No),
        "2026-11-29",
    );
    record(
        &mut answers,
        &Topic::Profile("mobile_devices".into()),
        Input::Reply(Reply::No),
        "2026-11-29",
    );
    record(
        &mut answers,
        &Topic::Profile("ti".into()),
        Input::Reply(Reply::Yes),
        "2026-11-29",
    );
    let now = open_questions(&cat, &answers, &docs);
    assert!(now.len() < before - 20, "{} vs {before}", now.len());
    assert!(
        now.iter()
            .any(|q| q.topic == Topic::Profile("ti_hosted".into()))
    );
    for q in &now {
        if let Topic::Requirement(id) = &q.topic {
            assert!(
                !id.starts_with("A2-") && !id.starts_with("A3-"),
                "{id} asked"
            );
            assert_ne!(id, "A1-30", "mobile question asked");
        }
    }
    // Fully automated requirements have no question.
    assert!(
        !now.iter()
            .any(|q| q.topic == Topic::Requirement("A1-14".into()))
    );
}

#[test]
fn answers_round_trip_and_the_questionnaire_resumes() {
    let cat = Catalogue::embedded().unwrap();
    let d = doc("server.json");
    let docs = vec![&d];
    let mut answers = Answers::default();
    let first = open_questions(&cat, &answers, &docs);
    record(
        &mut answers,
        &first[0].topic,
        Input::Number(12),
        "2026-11-29",
    );
    let reloaded = Answers::from_json(&answers.to_json().unwrap()).unwrap();
    assert_eq!(reloaded, answers);
    let next = open_questions(&cat, &reloaded, &docs);
    assert_eq!(next.len(), first.len() - 1);
    assert_ne!(next[0].topic, first[0].topic);
    // Broken content is refused with the reason.
    let err = Answers::from_json(b"{ nope").unwrap_err().to_string();
    assert!(err.contains("not a praxcheck answers file"), "{err}");
    // So is an acceptance that ends on no real date or accepts nothing in particular.
    for (acc, why) in [
        (
            r#"{"rule": "CVE-2021-44228", "reason": "x", "expires": "bald", "date": "2026-11-29"}"#,
            "accepted[0]: expires \"bald\" is not a date",
        ),
        (
            r#"{"reason": "x", "expires": "2027-01-01", "date": "2026-11-29"}"#,
            "accepted[0]: names neither a finding nor a rule",
        ),
    ] {
        let err = Answers::from_json(format!(r#"{{"accepted": [{acc}]}}"#).as_bytes())
            .unwrap_err()
            .to_string();
        assert!(err.contains(why), "{err}");
    }
    // A file from a newer program is refused, not misread.
    let err = Answers::from_json(br#"{"format": 99}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("newer than this program"), "{err}");
}
