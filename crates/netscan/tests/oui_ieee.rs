//! The vendor (OUI) table checked against the IEEE registry as Debian ships it
//! (`ieee-data`: `/usr/share/ieee-data/oui.csv`, the MA-L assignments): every prefix of our
//! table must be assigned, and to the vendor we name. SKIPPED without the file;
//! `PRAXCHECK_REQUIRE_IEEE_DATA=1` (set by `.ci/run` after installing the package) makes that
//! a failure.

#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::collections::HashMap;

const OUI_CSV: &str = "/usr/share/ieee-data/oui.csv";

/// Words of a vendor name for comparison: lower case, letters and digits only.
fn words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn every_vendor_table_entry_is_the_ieee_assignment_of_its_vendor() {
    let Ok(file) = std::fs::File::open(OUI_CSV) else {
        assert!(
            std::env::var("PRAXCHECK_REQUIRE_IEEE_DATA").as_deref() != Ok("1"),
            "PRAXCHECK_REQUIRE_IEEE_DATA=1 but {OUI_CSV} is missing"
        );
        eprintln!(
            "SKIPPED: vendor table against IEEE: {OUI_CSV} missing (apt-get install ieee-data)"
        );
        return;
    };
    // Registry,Assignment,Organization Name,Organization Address
    let mut ieee: HashMap<String, String> = HashMap::new();
    let mut rdr = csv::Reader::from_reader(file);
    for rec in rdr.records() {
        let rec = rec.unwrap();
        if rec.get(0) == Some("MA-L") {
            ieee.insert(
                rec.get(1).unwrap().to_uppercase(),
                rec.get(2).unwrap_or("").to_owned(),
            );
        }
    }
    assert!(
        ieee.len() > 10_000,
        "only {} MA-L assignments read",
        ieee.len()
    );
    let table = praxcheck_advisories::network::oui_table().unwrap();
    let mut wrong = Vec::new();
    for e in &table {
        let key = e.prefix.replace(':', "");
        match ieee.get(&key) {
            None => wrong.push(format!(
                "{} ({}): not an IEEE MA-L assignment",
                e.prefix, e.vendor
            )),
            Some(org) => {
                // The organisation is IEEE's to the letter, and the first word of our vendor
                // name (the brand) is a word of it.
                let ours = words(&e.vendor);
                let theirs = words(org);
                if org.trim() != e.organisation || !ours.first().is_some_and(|w| theirs.contains(w))
                {
                    wrong.push(format!(
                        "{}: we say {:?} ({:?}), IEEE says {org:?}",
                        e.prefix, e.vendor, e.organisation
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "vendor table entries that disagree with IEEE:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn a_wrong_entry_would_be_caught() {
    // The comparison itself: a brand that is not a word of the IEEE name fails.
    let theirs = words("Brother industries, LTD.");
    assert!(theirs.contains(&words("Brother")[0]));
    assert!(!theirs.contains(&words("Canon")[0]));
}

/// A device kind only for an organisation that makes such devices: the KYOCERA Display
/// prefixes (IEEE: "KYOCERA Display Corporation") are no printers, and the printer entries
/// are organisations whose names say nothing of displays.
#[test]
fn a_display_maker_is_not_a_printer() {
    let table = praxcheck_advisories::network::oui_table().unwrap();
    for mac in [
        "00:17:c8:12:34:56",
        "00:C0:EE:12:34:56",
        "34:A8:43:00:00:01",
    ] {
        let v = praxcheck_netscan::engine::vendor(mac, &table);
        assert!(v.is_none(), "{mac}: {v:?}");
        assert_ne!(
            praxcheck_netscan::engine::device_kind(v.map(|e| e.kind.as_str()), &[]),
            praxcheck_model::DeviceKind::Printer
        );
    }
    let kyocera = praxcheck_netscan::engine::vendor("d4:f0:c9:00:00:01", &table).unwrap();
    assert_eq!(kyocera.organisation, "KYOCERA Document Solutions Inc.");
    assert_eq!(
        praxcheck_netscan::engine::device_kind(Some(kyocera.kind.as_str()), &[]),
        praxcheck_model::DeviceKind::Printer
    );
    for e in &table {
        if ["printer", "nas", "medical_device"].contains(&e.kind.as_str()) {
            assert!(
                !words(&e.organisation).iter().any(|w| w == "display"),
                "{}: {} is filed as {}",
                e.prefix,
                e.organisation,
                e.kind
            );
        }
    }
}
