//! The host collector recognises what the catalogue lists (`advisories/data/catalogue.json`,
//! issue 10 step 4): products by name, publisher and package, remote-access ports.

use praxcheck_advisories::known::Known;
use praxcheck_hostscan::{ports, products};

#[test]
fn every_catalogue_example_is_recognised_by_the_collector() {
    for entry in &Known::embedded().products {
        for e in &entry.examples {
            let got = products::match_name(e, None).map(|s| s.id.as_str());
            assert_eq!(got, Some(entry.id.as_str()), "{e:?}");
        }
        for p in &entry.packages {
            let got = products::match_package(p).map(|s| s.id.as_str());
            assert!(got.is_some(), "package {p:?} of {}", entry.id);
        }
    }
    assert_eq!(products::products().len(), Known::embedded().products.len());
}

#[test]
fn the_ports_come_from_the_catalogue() {
    for r in &Known::embedded().remote_access_ports {
        assert_eq!(ports::service_of(r.first), Some(r.service.as_str()));
        assert_eq!(ports::service_of(r.last), Some(r.service.as_str()));
    }
    assert_eq!(ports::services_of_specs(&["3389".into()]), ["rdp"]);
}

/// A new remote-maintenance tool is a data-only change: the same catalogue text with one
/// more entry recognises it, with no code.
#[test]
fn a_new_remote_maintenance_tool_is_an_entry_of_data() {
    let text = include_str!("../../../advisories/data/catalogue.json");
    let mut v: serde_json::Value = serde_json::from_str(text).unwrap();
    v["products"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "id": "fernhilfe-pro",
            "name": "FernHilfe Pro",
            "kind": "remote_maintenance",
            "names": ["*FernHilfe Pro*"],
            "publishers": ["*Beispiel GmbH*"],
            "examples": ["FernHilfe Pro 4.2 (Beispiel GmbH)"]
        }));
    let known = Known::from_json(&v.to_string()).unwrap();
    let hit = known.match_name("FernHilfe Pro 4.2", Some("Beispiel GmbH"));
    assert_eq!(hit.map(|p| p.id.as_str()), Some("fernhilfe-pro"));
    assert!(
        known
            .match_name("FernHilfe Pro 4.2", Some("Andere AG"))
            .is_none()
    );
    // Not in the embedded catalogue, so not recognised today.
    assert!(products::match_name("FernHilfe Pro 4.2", Some("Beispiel GmbH")).is_none());
}
