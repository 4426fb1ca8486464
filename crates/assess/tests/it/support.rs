//! The support phases of an operating system, judged on the assessment's date from the
//! collector's dates (issue 11 item 6): regular support, Debian's free LTS phase (a note,
//! not a red light), paid or subscription-only extended updates (Windows ESU, Ubuntu ESM:
//! end of life, since the computer is not known to be enrolled), and the end. The same
//! stored document moves through the phases without a rescan.

use praxcheck_model::host::{Confidence, FactValue, HostFact, HostFacts};
use praxcheck_model::{AdvisorySetRef, CheckState, Document, ScanInfo, Severity};

use crate::common::{World, check};

fn os_doc(eol: &str, extended: Option<(&str, &str)>) -> Document {
    let mut doc = Document::new(
        ScanInfo {
            hostname: "empfang".into(),
            os: "linux".into(),
            collectors: vec![praxcheck_model::CollectorId::Host],
            complete: true,
            ..ScanInfo::default()
        },
        AdvisorySetRef::default(),
    );
    let fact = |key: &str, value: FactValue| HostFact {
        key: key.into(),
        value,
        confidence: Confidence::High,
        sources: Vec::new(),
        note: None,
    };
    let mut facts = vec![
        fact("os.family", FactValue::Text("linux".into())),
        fact("os.end_of_life", FactValue::Date(eol.into())),
    ];
    if let Some((end, kind)) = extended {
        facts.push(fact(
            "os.end_of_extended_support",
            FactValue::Date(end.into()),
        ));
        facts.push(fact(
            "os.extended_support_kind",
            FactValue::Text(kind.into()),
        ));
    }
    doc.inventory.host = Some(HostFacts {
        platform: "linux".into(),
        collected_at: "2026-01-01T00:00:00Z".into(),
        privileged: true,
        root: None,
        facts,
    });
    doc
}

/// The states of OS-EOL and OS-LTS, and the OS findings, on a date.
fn on(doc: &Document, date: &str) -> (CheckState, CheckState, Vec<praxcheck_model::Finding>) {
    let mut w = World::new();
    w.today = praxcheck_advisories::parse_date(date).unwrap();
    let mut docs = vec![doc.clone()];
    let a = w.run(&mut docs, &[]);
    let findings = docs[0]
        .findings
        .iter()
        .filter(|f| f.rule_id.starts_with("PRAX-HOST-OS-"))
        .cloned()
        .collect();
    (
        check(&a, "PRAX-HOST-OS-EOL", "empfang").state,
        check(&a, "PRAX-HOST-OS-LTS", "empfang").state,
        findings,
    )
}

#[test]
fn debian_in_lts_gets_a_note_with_the_date_and_turns_red_when_lts_ends() {
    // Debian 12: regular security support until 2026-07-11, Debian LTS until 2028-06-30.
    let doc = os_doc("2026-07-11", Some(("2028-06-30", "free")));
    let (eol, lts, f) = on(&doc, "2026-07-11");
    assert_eq!(
        (eol, lts, f.len()),
        (CheckState::Passed, CheckState::Passed, 0)
    );
    for day in ["2026-07-12", "2028-06-30"] {
        let (eol, lts, f) = on(&doc, day);
        assert_eq!(
            (eol, lts),
            (CheckState::Passed, CheckState::Failed),
            "{day}"
        );
        assert_eq!(f.len(), 1, "{day}");
        assert_eq!(f[0].rule_id, "PRAX-HOST-OS-LTS");
        assert_eq!(
            f[0].severity,
            Severity::Info,
            "free updates still come: a note"
        );
        assert_eq!(
            f[0].title.de, "Sicherheitsupdates durch Debian LTS bis 2028-06-30",
            "{day}"
        );
        assert_eq!(
            f[0].title.en,
            "Security updates from Debian LTS until 2028-06-30"
        );
        assert!(!f[0].explanation.de.contains("kostenpflichtig"));
    }
    let (eol, lts, f) = on(&doc, "2028-07-01");
    assert_eq!((eol, lts), (CheckState::Failed, CheckState::Passed));
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].rule_id.as_str(), f[0].severity),
        ("PRAX-HOST-OS-EOL", Severity::High)
    );
    let ev = serde_json::to_string(&f[0].evidence).unwrap();
    assert!(ev.contains("(LTS) until 2028-06-30"), "{ev}");
}

#[test]
fn paid_or_subscription_extended_updates_do_not_count_as_support() {
    // Windows 10 22H2 (ESU, paid) and Ubuntu 20.04 (ESM, Ubuntu Pro subscription).
    for (eol, end, kind) in [
        ("2025-10-14", "2028-10-10", "paid"),
        ("2025-05-29", "2030-04-02", "subscription"),
    ] {
        let doc = os_doc(eol, Some((end, kind)));
        let (e, l, f) = on(&doc, eol);
        assert_eq!(
            (e, l, f.len()),
            (CheckState::Passed, CheckState::Passed, 0),
            "{kind}"
        );
        let day_after = praxcheck_advisories::parse_date(eol)
            .unwrap()
            .next_day()
            .unwrap();
        let (e, l, f) = on(&doc, &day_after.to_string());
        assert_eq!((e, l), (CheckState::Failed, CheckState::Passed), "{kind}");
        let ev = serde_json::to_string(&f[0].evidence).unwrap();
        assert!(
            ev.contains(&format!("licence or subscription, until {end}")),
            "{ev}"
        );
        assert!(
            f[0].explanation
                .de
                .contains("nur noch gegen Bezahlung oder mit Abonnement")
        );
        let after = praxcheck_advisories::parse_date(end)
            .unwrap()
            .next_day()
            .unwrap();
        let (e, l, f) = on(&doc, &after.to_string());
        assert_eq!((e, l), (CheckState::Failed, CheckState::Passed), "{kind}");
        let ev = serde_json::to_string(&f[0].evidence).unwrap();
        assert!(!ev.contains("until"), "{ev}");
    }
}

#[test]
fn without_extended_data_the_end_of_life_is_the_end() {
    let doc = os_doc("2024-06-30", None);
    assert_eq!(on(&doc, "2024-06-30").0, CheckState::Passed);
    let (e, l, _) = on(&doc, "2024-07-01");
    assert_eq!((e, l), (CheckState::Failed, CheckState::Passed));
}
