//! The shipped end-of-life table is exactly the conversion of the endoflife.date copy.

use std::collections::BTreeMap;

use praxcheck_hostscan::eol::{Cycle, EOL_JSON, Extended, ExtendedKind, Table};

/// Converts the YAML front matter of an endoflife.date product file (the `releases:` list;
/// only the scalar fields the table needs).
fn convert(product: &str, md: &str) -> Vec<Cycle> {
    let front = md.split("---").nth(1).unwrap_or("");
    let mut in_releases = false;
    let mut items: Vec<BTreeMap<String, String>> = Vec::new();
    for line in front.lines() {
        if line.starts_with("releases:") {
            in_releases = true;
            continue;
        }
        if !in_releases || line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if !line.starts_with(' ') {
            in_releases = false;
            continue;
        }
        let t = line.trim_start();
        let (is_new, t) = match t.strip_prefix("- ") {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        if is_new {
            items.push(BTreeMap::new());
        }
        if let (Some((k, v)), Some(item)) = (t.split_once(':'), items.last_mut()) {
            let v = v.trim().trim_matches('"').to_owned();
            item.insert(k.trim().to_owned(), v);
        }
    }
    let date = |v: Option<&String>| {
        v.filter(|s| s.len() == 10 && s.as_bytes()[4] == b'-')
            .cloned()
    };
    items
        .iter()
        .map(|i| {
            let cycle = i["releaseCycle"].clone();
            let lts = i.get("lts").is_some_and(|v| v == "true");
            let label = match product {
                "debian" => format!(
                    "Debian {cycle} ({})",
                    i.get("codename").cloned().unwrap_or_default()
                ),
                "ubuntu" => format!(
                    "Ubuntu {cycle}{} ({})",
                    if lts { " LTS" } else { "" },
                    i.get("codename").cloned().unwrap_or_default()
                ),
                "windows" => format!(
                    "Windows {}{}",
                    i.get("releaseLabel")
                        .cloned()
                        .unwrap_or_else(|| cycle.clone()),
                    if lts { " LTSC" } else { "" }
                ),
                _ => i
                    .get("releaseLabel")
                    .cloned()
                    .unwrap_or_else(|| format!("Windows Server {cycle}")),
            };
            Cycle {
                cycle,
                label,
                release_date: date(i.get("releaseDate")),
                eol: date(i.get("eol")),
                extended_support: date(i.get("eoes")),
                latest: i.get("latest").cloned(),
                lts,
                // Where the dates are taken from (the page names the vendor's sources).
                source: Some(format!("https://endoflife.date/{product}")),
            }
        })
        .collect()
}

/// What each product's extended phase (`eoes` in endoflife.date) is, from the vendors' own
/// pages: not in the endoflife.date data, so written here.
fn extended() -> BTreeMap<String, Extended> {
    let e = |name: &str, kind, source: &str| Extended {
        name: name.to_owned(),
        kind,
        source: source.to_owned(),
    };
    BTreeMap::from([
        (
            "debian".to_owned(),
            e(
                "Debian LTS",
                ExtendedKind::Free,
                "https://wiki.debian.org/LTS",
            ),
        ),
        (
            "ubuntu".to_owned(),
            e(
                "Ubuntu Pro (ESM)",
                ExtendedKind::Subscription,
                "https://ubuntu.com/security/esm",
            ),
        ),
        (
            "windows".to_owned(),
            e(
                "Windows ESU",
                ExtendedKind::Paid,
                "https://learn.microsoft.com/windows/whats-new/extended-security-updates",
            ),
        ),
        (
            "windows-server".to_owned(),
            e(
                "Windows Server ESU",
                ExtendedKind::Paid,
                "https://learn.microsoft.com/windows-server/get-started/extended-security-updates-overview",
            ),
        ),
    ])
}

#[test]
fn shipped_table_matches_the_source() {
    let Some(data) = praxcheck_testsupport::shared_data("eol::shipped_table_matches_the_source")
    else {
        return;
    };
    let dir = data.join("endoflife");
    let mut products = BTreeMap::new();
    for p in ["debian", "ubuntu", "windows", "windows-server"] {
        let md = std::fs::read_to_string(dir.join(format!("{p}.md"))).unwrap();
        let cycles = convert(p, &md);
        assert!(cycles.len() > 10, "{p}: only {} cycles", cycles.len());
        products.insert(p.to_owned(), cycles);
    }
    let table = Table {
        source: "endoflife.date (github.com/endoflife-date/endoflife.date, products/{debian,ubuntu,windows,windows-server}.md), MIT licence, Copyright 2020 endoflife.date contributors; see LICENSE".to_owned(),
        products,
        extended: extended(),
    };
    let mut json = serde_json::to_string_pretty(&table).unwrap();
    json.push('\n');
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/endoflife/eol.json");
    if std::env::var_os("PRAXCHECK_UPDATE_EOL").is_some() {
        std::fs::write(&path, &json).unwrap();
    }
    assert!(
        EOL_JSON == json,
        "data/endoflife/eol.json is stale; regenerate with PRAXCHECK_UPDATE_EOL=1 cargo test -p praxcheck-hostscan --test it eol::"
    );
    // The licence travels with the data.
    let lic = std::fs::read_to_string(path.with_file_name("LICENSE")).unwrap();
    assert_eq!(lic, std::fs::read_to_string(dir.join("LICENSE")).unwrap());
}

#[test]
fn debian_12_is_past_its_regular_end_of_life_on_a_fixed_date() {
    let m = praxcheck_hostscan::eol::linux("debian", "12").unwrap();
    assert_eq!(m.cycle.label, "Debian 12 (Bookworm)");
    assert_eq!(m.cycle.eol.as_deref(), Some("2026-07-11"));
    let m = praxcheck_hostscan::eol::linux("ubuntu", "24.04").unwrap();
    assert!(m.cycle.lts);
}
