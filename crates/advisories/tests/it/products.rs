//! Every curated practice product has a fixture with names and versions that must and must
//! not match, and every fixture case holds.

use std::path::Path;

use praxcheck_advisories::{AdvisorySet, match_products};
use praxcheck_model::{Component, ComponentKind, Location, Placement, Status};

#[derive(serde::Deserialize)]
struct Fixture {
    product: String,
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    ecosystem: String,
    name: String,
    version: Option<String>,
    expect: String,
}

fn component(case: &Case) -> Component {
    let loc = Location::file(Path::new("C:/Program Files/Test"));
    let kind = if case.ecosystem == "Maven" {
        ComponentKind::JavaArchive
    } else {
        ComponentKind::Application
    };
    Component {
        id: Component::derive_id(kind, &case.name, &loc, None),
        kind,
        ecosystem: case.ecosystem.clone(),
        name: case.name.clone(),
        version: case.version.clone(),
        version_range: Vec::new(),
        version_source: None,
        purl: None,
        location: loc,
        placement: Placement::Installed,
        open_by: Vec::new(),
        evidence: Vec::new(),
        java: None,
    }
}

fn fixtures_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/products")
}

#[test]
fn every_product_has_a_fixture_with_positive_and_negative_cases() {
    let set = AdvisorySet::embedded().unwrap();
    assert!(set.products().len() >= 10, "{}", set.products().len());
    for p in set.products() {
        let path = fixtures_dir().join(format!("{}.json", p.id));
        let fx: Fixture = serde_json::from_str(
            &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        )
        .unwrap();
        assert_eq!(fx.product, p.id);
        assert!(
            fx.cases.iter().any(|c| c.expect != "none"),
            "{}: no positive case",
            p.id
        );
        assert!(
            fx.cases.iter().any(|c| c.expect == "none"),
            "{}: no negative case",
            p.id
        );
        if !p.advisories.is_empty() {
            assert!(
                fx.cases
                    .iter()
                    .any(|c| c.expect == "vulnerable" || c.expect == "undetermined"),
                "{}: no case that triggers an advisory",
                p.id
            );
            let every_version = p.advisories.iter().all(|a| a.versions.all);
            assert!(
                every_version || fx.cases.iter().any(|c| c.expect == "recognized"),
                "{}: no case of an unaffected version",
                p.id
            );
        }
    }
    // And no fixture without a product.
    for e in std::fs::read_dir(fixtures_dir()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        let id = name.trim_end_matches(".json");
        assert!(
            set.products().iter().any(|p| p.id == id),
            "fixture {name} has no product"
        );
    }
}

#[test]
fn every_fixture_case_holds() {
    let set = AdvisorySet::embedded().unwrap();
    for p in set.products() {
        let path = fixtures_dir().join(format!("{}.json", p.id));
        let fx: Fixture = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for case in &fx.cases {
            let comps = vec![component(case)];
            let (findings, recognized) = match_products(set.products(), &comps);
            let this = recognized.iter().any(|r| r.product.id == p.id);
            let own: Vec<_> = findings
                .iter()
                .filter(|f| p.advisories.iter().any(|a| a.id == f.rule_id))
                .collect();
            let what = format!(
                "{}: {} {:?} ({})",
                p.id, case.name, case.version, case.ecosystem
            );
            match case.expect.as_str() {
                "none" => assert!(!this && own.is_empty(), "{what}: should not match"),
                "recognized" => {
                    assert!(this, "{what}: not recognised");
                    assert!(own.is_empty(), "{what}: unexpected finding {own:?}");
                }
                "vulnerable" | "undetermined" => {
                    assert!(this, "{what}: not recognised");
                    let want = if case.expect == "vulnerable" {
                        Status::Vulnerable
                    } else {
                        Status::Undetermined
                    };
                    assert!(
                        own.iter().any(|f| f.status == want),
                        "{what}: expected {want:?}, got {:?}",
                        own.iter().map(|f| f.status).collect::<Vec<_>>()
                    );
                    let f = own[0];
                    assert!(!f.title.de.is_empty() && !f.remediation.en.is_empty());
                    assert!(!f.explanation.de.contains("{name}"), "{what}");
                    assert!(!f.kbv.is_empty(), "{what}: no KBV mapping");
                }
                other => panic!("{what}: unknown expectation {other}"),
            }
        }
    }
}

#[test]
fn maven_components_never_match_products() {
    let set = AdvisorySet::embedded().unwrap();
    let case = Case {
        ecosystem: "Maven".into(),
        name: "syngo.via".into(),
        version: Some("VB40A".into()),
        expect: "none".into(),
    };
    let comps = vec![component(&case)];
    let (f, r) = match_products(set.products(), &comps);
    assert!(f.is_empty() && r.is_empty());
}

/// A product the host catalogue knows is defined there once (issue 10 step 4): its
/// product-advisory file names the catalogue entry and lists no name patterns of its own,
/// and the loaded set matches with the catalogue's patterns.
#[test]
fn a_product_the_host_catalogue_knows_has_one_definition_of_its_names() {
    let known = praxcheck_advisories::known::Known::embedded();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/products");
    let mut shared = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let id = v["id"].as_str().unwrap();
        let Some(entry) = known.products.iter().find(|k| k.id == id) else {
            assert!(
                v.get("catalogue").is_none(),
                "{id}: names no catalogue entry"
            );
            continue;
        };
        shared += 1;
        assert_eq!(
            v["catalogue"].as_str(),
            Some(id),
            "{}: the catalogue defines {id}; refer to it with \"catalogue\"",
            path.display()
        );
        assert!(
            v.get("match_names").is_none(),
            "{}: a second definition of {id}'s names",
            path.display()
        );
        let set = AdvisorySet::embedded().unwrap();
        let p = set.products().iter().find(|p| p.id == id).unwrap();
        assert_eq!(p.match_names, entry.names, "{id}");
    }
    assert!(shared >= 2, "kbv-xpm and haevg-hpm are shared ({shared})");
}

/// The host collector's own component for a program it recognised is not matched a
/// second time beside the installed program it stands for.
#[test]
fn the_host_collectors_product_component_is_not_matched_twice() {
    let set = AdvisorySet::embedded().unwrap();
    let case = |ecosystem: &str, name: &str| Case {
        ecosystem: ecosystem.to_owned(),
        name: name.to_owned(),
        version: Some("2021.4.1".to_owned()),
        expect: String::new(),
    };
    let comps = vec![
        component(&case("Windows", "KBV Prüfmodul XPM KVDT")),
        component(&case("Product", "kbv-xpm")),
    ];
    let (findings, recognized) = match_products(set.products(), &comps);
    assert_eq!(recognized.len(), 1, "{recognized:?}");
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].status, Status::Undetermined);
}
