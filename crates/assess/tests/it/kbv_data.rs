//! The KBV catalogue: 92 requirements in the documented counts, each mapped to a fact or a
//! question, with the data the report needs.

use std::collections::{BTreeMap, HashSet};

use praxcheck_advisories::AdvisorySet;
use praxcheck_assess::{Automation, Catalogue};

#[test]
fn counts_per_anlage_are_50_10_17_6_9() {
    let cat = Catalogue::embedded().unwrap();
    let mut counts: BTreeMap<u8, usize> = BTreeMap::new();
    for r in &cat.requirements {
        *counts.entry(r.anlage).or_default() += 1;
    }
    assert_eq!(
        counts.into_iter().collect::<Vec<_>>(),
        vec![(1, 50), (2, 10), (3, 17), (4, 6), (5, 9)]
    );
    assert_eq!(cat.requirements.len(), 92);
    assert_eq!(cat.anlagen.len(), 5);
}

#[test]
fn ids_numbers_and_texts_are_complete() {
    let cat = Catalogue::embedded().unwrap();
    let mut ids = HashSet::new();
    for r in &cat.requirements {
        assert!(ids.insert(r.id.clone()), "duplicate {}", r.id);
        assert_eq!(r.id, format!("A{}-{}", r.anlage, r.number));
        for t in [&r.title, &r.demand, &r.topic] {
            assert!(
                !t.de.trim().is_empty() && !t.en.trim().is_empty(),
                "{}",
                r.id
            );
        }
        assert!(
            r.deadline == "2025-04-01" || r.deadline == "2025-10-01",
            "{}: {}",
            r.id,
            r.deadline
        );
        assert!(
            ["kzbv-text", "grundschutz", "secondary", "title-only"]
                .contains(&r.demand_basis.as_str()),
            "{}",
            r.id
        );
        // No demand text was checked against the official PDF; the report says so.
        assert!(!r.verified_against_pdf, "{}", r.id);
    }
    // Numbers run without gaps.
    for (anlage, n) in [(1u8, 50u32), (2, 10), (3, 17), (4, 6), (5, 9)] {
        for i in 1..=n {
            assert!(
                cat.get(&format!("A{anlage}-{i}")).is_some(),
                "A{anlage}-{i}"
            );
        }
    }
}

#[test]
fn every_requirement_maps_to_a_fact_or_a_question() {
    let cat = Catalogue::embedded().unwrap();
    let set = AdvisorySet::embedded().unwrap();
    let known_rules: HashSet<String> = set
        .rules()
        .iter()
        .map(|r| r.id.clone())
        .chain(
            set.products()
                .iter()
                .flat_map(|p| p.advisories.iter().map(|a| a.id.clone())),
        )
        .collect();
    for r in &cat.requirements {
        assert!(
            r.question.is_some() || !r.facts.is_empty() || !r.rules.is_empty(),
            "{} is mapped to neither a fact nor a question",
            r.id
        );
        for rule in &r.rules {
            assert!(known_rules.contains(rule), "{}: unknown rule {rule}", r.id);
        }
        match r.automated {
            Automation::Full => assert!(!r.rules.is_empty(), "{}: full without rules", r.id),
            Automation::Partial => assert!(
                !r.facts.is_empty() || !r.rules.is_empty(),
                "{}: partial without facts",
                r.id
            ),
            Automation::None => assert!(r.question.is_some(), "{}: no question", r.id),
        }
        // A requirement that a program cannot fully decide needs a question.
        if r.automated != Automation::Full {
            assert!(r.question.is_some(), "{} has no question", r.id);
        }
    }
    // Every rule's KBV ids exist.
    for rule in set.rules() {
        for k in &rule.kbv {
            assert!(cat.get(k).is_some(), "{}: unknown KBV id {k}", rule.id);
        }
    }
    for p in set.products() {
        for a in &p.advisories {
            for k in &a.kbv {
                assert!(cat.get(k).is_some(), "{}: unknown KBV id {k}", a.id);
            }
        }
    }
}

#[test]
fn the_research_named_checks_are_automated() {
    // standards.md §1.3 names agent checks for these; they must map to facts.
    let cat = Catalogue::embedded().unwrap();
    for id in [
        "A1-11", "A1-14", "A1-16", "A1-19", "A1-20", "A1-21", "A1-22", "A1-26", "A5-4",
    ] {
        let r = cat.get(id).unwrap();
        assert_ne!(r.automated, Automation::None, "{id}");
        assert!(!r.facts.is_empty(), "{id}");
    }
}
