//! Several machines into one practice view; KBV coverage from facts and answers; comparison
//! with an earlier run.

use praxcheck_assess::{Answer, Reply};
use praxcheck_model::{KbvStatus, Light};

use crate::common::{World, doc, facts};

fn status(a: &praxcheck_model::Assessment, id: &str) -> (KbvStatus, Vec<String>) {
    let r = a.kbv.requirements.iter().find(|r| r.id == id).unwrap();
    (r.status, r.basis.clone())
}

fn yes(date: &str) -> Answer {
    Answer {
        reply: Some(Reply::Yes),
        number: None,
        date: date.into(),
        note: None,
    }
}

#[test]
fn two_machines_merge_into_one_practice_view() {
    let w = World::new();
    let mut docs = vec![doc("empfang.json"), doc("server.json")];
    let a = w.run(
        &mut docs,
        &[facts("empfang.facts.json"), facts("server.facts.json")],
    );
    assert_eq!(a.machines.len(), 2);
    assert_eq!(a.machines[0].hostname, "empfang");
    assert_eq!(a.machines[1].hostname, "server");
    assert!(a.checks.iter().any(|c| c.host == "empfang"));
    assert!(a.checks.iter().any(|c| c.host == "server"));
    assert_eq!(a.light, Light::Red);
    // Each document keeps its own assessment.
    assert_eq!(
        docs[1].assessment.as_ref().unwrap().machines[0].hostname,
        "server"
    );
    // Backup: the server has none, so A1-21 is not met practice-wide.
    let (st, basis) = status(&a, "A1-21");
    assert_eq!(st, KbvStatus::NotFulfilled);
    assert!(
        basis
            .iter()
            .any(|b| b == "finding:PRAX-HOST-BACKUP-NONE@server"),
        "{basis:?}"
    );
    // The firewall is off at the reception.
    let (st, basis) = status(&a, "A1-11");
    assert_eq!(st, KbvStatus::NotFulfilled);
    assert!(
        basis.iter().any(|b| b.contains("FIREWALL-OFF@empfang")),
        "{basis:?}"
    );
    // The practice score counts the checks of both machines.
    let single = docs[0].assessment.as_ref().unwrap();
    assert!(a.score.possible > single.score.possible);
}

#[test]
fn kbv_not_checked_is_never_fulfilled_and_the_worst_machine_wins() {
    let w = World::new();
    // A1-20 (anti-malware) is decided by the host rules alone.
    let mut docs = vec![doc("empfang.json")];
    let a = w.run(&mut docs, &[facts("empfang.facts.json")]);
    assert_eq!(status(&a, "A1-20").0, KbvStatus::Fulfilled);
    // Without host facts it is not checked, never fulfilled.
    let mut docs = vec![doc("empfang.json")];
    let a = w.run(&mut docs, &[]);
    assert_eq!(status(&a, "A1-20").0, KbvStatus::NotChecked);
    // One machine checked and fine, one not checked: not checked.
    let mut second = doc("empfang.json");
    second.scan.hostname = "arzt1".into();
    let mut docs = vec![doc("empfang.json"), second];
    let a = w.run(&mut docs, &[facts("empfang.facts.json")]);
    assert_eq!(status(&a, "A1-20").0, KbvStatus::NotChecked);
    // Updates (A1-14): the vulnerable Java components say "not met" whatever the host says.
    assert_eq!(status(&a, "A1-14").0, KbvStatus::NotFulfilled);
}

#[test]
fn answers_fill_the_kbv_coverage_and_evidence_beats_a_yes() {
    let mut w = World::new();
    w.answers
        .requirements
        .insert("A1-25".into(), yes("2026-11-29"));
    w.answers
        .requirements
        .insert("A1-11".into(), yes("2026-11-29"));
    w.answers.requirements.insert(
        "A1-10".into(),
        Answer {
            reply: Some(Reply::No),
            number: None,
            date: "2026-11-29".into(),
            note: None,
        },
    );
    w.answers.requirements.insert(
        "A1-24".into(),
        Answer {
            reply: Some(Reply::No),
            number: None,
            date: "2026-11-29".into(),
            note: None,
        },
    );
    w.answers.profile.insert(
        "persons".into(),
        Answer {
            reply: None,
            number: Some(4),
            date: "2026-11-29".into(),
            note: None,
        },
    );
    for (k, r) in [
        ("large_processing", Reply::No),
        ("mobile_devices", Reply::No),
        ("large_devices", Reply::No),
        ("ti", Reply::Yes),
    ] {
        w.answers.profile.insert(
            k.into(),
            Answer {
                reply: Some(r),
                number: None,
                date: "2026-11-29".into(),
                note: None,
            },
        );
    }
    let mut docs = vec![doc("empfang.json")];
    let a = w.run(&mut docs, &[facts("empfang.facts.json")]);
    assert_eq!(
        status(&a, "A1-25"),
        (KbvStatus::Fulfilled, vec!["answer:yes".to_owned()])
    );
    assert_eq!(status(&a, "A1-24").0, KbvStatus::NotFulfilled);
    // "Yes, we have a firewall" – but it is switched off on this computer.
    assert_eq!(status(&a, "A1-11").0, KbvStatus::NotFulfilled);
    // Four persons, no large processing: Anlagen 2 and 3 do not apply.
    let anl = |n: u8| a.kbv.anlagen.iter().find(|x| x.anlage == n).unwrap();
    assert_eq!(anl(2).applies, Some(false));
    assert_eq!(anl(2).not_applicable, 10);
    assert_eq!(anl(3).not_applicable, 17);
    assert_eq!(anl(4).not_applicable, 6);
    assert_eq!(anl(5).applies, Some(true));
    // No mobile devices: their requirements do not apply either.
    assert_eq!(status(&a, "A1-30").0, KbvStatus::NotApplicable);
    // The counts add up per Anlage.
    for x in &a.kbv.anlagen {
        let n = x.fulfilled + x.not_fulfilled + x.not_checked + x.not_applicable;
        let expect = [50, 10, 17, 6, 9][usize::from(x.anlage) - 1];
        assert_eq!(n, expect, "Anlage {}", x.anlage);
    }
    // The answered scored question now earns points; "no" makes an action.
    let c = a.checks.iter().find(|c| c.id == "kbv.A1-25").unwrap();
    assert_eq!(c.earned, c.points);
    let training = a
        .actions
        .iter()
        .find(|x| x.kbv == vec!["A1-10".to_owned()])
        .unwrap();
    assert!(training.why.de.contains("A1-10"), "{:?}", training.why);
    // A1-24 is not scored: its "no" shows in the KBV coverage, not as an action.
    assert!(!a.actions.iter().any(|x| x.kbv == vec!["A1-24".to_owned()]));
}

#[test]
fn compare_shows_fixed_new_and_unchanged() {
    let w = World::new();
    let mut old = vec![doc("empfang-2026-10.json")];
    let old_a = w.run(&mut old, &[]);
    let mut new = vec![doc("empfang.json")];
    let _ = w.run(&mut new, &[]);
    let c = praxcheck_assess::compare(&old, &old_a, &new);
    assert_eq!(c.old_scanned_at, "2026-10-01T08:00:00Z");
    assert!(
        c.fixed.iter().any(|f| f
            .location
            .as_deref()
            .is_some_and(|l| l.contains("Altes Labor"))),
        "{:?}",
        c.fixed
    );
    assert!(
        c.new
            .iter()
            .any(|f| f.rule_id == "PRAX-PROD-ZEISS-FORUM-LOG4SHELL")
    );
    assert!(c.unchanged.iter().any(|f| {
        f.rule_id == "CVE-2021-44228"
            && f.location
                .as_deref()
                .is_some_and(|l| l.contains("termine.war"))
    }));
    // Nothing is in two lists.
    for f in &c.fixed {
        assert!(!c.unchanged.iter().any(|u| u.id == f.id && u.host == f.host));
    }
    assert!(c.fixed.windows(2).all(|p| p[0].severity >= p[1].severity));
}
