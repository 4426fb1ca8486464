//! End of life and outdated firmware of the devices the network scan named, judged on the
//! day of the assessment from the advisory set's device table
//! (`praxcheck_advisories::network::device_table`). The table recognises products and
//! versions in each service's observations again (so a stored document is judged by a newer
//! table without a rescan) and gives, per release line, the end-of-life date and the version
//! to update to:
//! * `net.device.end_of_life` (bool, devices, operating systems, software): the line's end
//!   of life lies before the assessment day;
//! * `net.device.firmware_outdated` (bool): the version is below the line's `update_to`;
//! * `net.db.unsupported` (bool, databases): the database's line is past its end of life.
//!
//! Each instance names `address:port`, product, version, line, date and the table's source
//! in its detail. A version the table has no line for gives no fact (not judged).

use praxcheck_advisories::network::DeviceTable;
use praxcheck_advisories::{Fact, FactValue, Facts};
use praxcheck_model::NetworkFacts;

/// Adds the device facts of a network document.
pub fn facts(n: &NetworkFacts, table: &DeviceTable, today: time::Date, out: &mut Facts) {
    for h in &n.hosts {
        for s in &h.services {
            let at = if h.address.contains(':') {
                format!("[{}]:{}", h.address, s.port)
            } else {
                format!("{}:{}", h.address, s.port)
            };
            for i in table.identify_service(s) {
                let Some(j) = table.judge(&i.entry, &i.version, today) else {
                    continue;
                };
                let what = format!(
                    "{at} {} {} {} ({})",
                    i.vendor, i.product, i.version, j.release
                );
                let fact = |key: &str, value: bool, tail: String| Fact {
                    key: key.to_owned(),
                    value: FactValue::Bool(value),
                    source: "network scan, device table".to_owned(),
                    confidence: None,
                    location: None,
                    detail: Some(format!("{what}: {tail}; {}; {}", i.evidence, j.source)),
                };
                if let Some(eol) = &j.end_of_life {
                    let key = if i.category == "database" {
                        "net.db.unsupported"
                    } else {
                        "net.device.end_of_life"
                    };
                    out.push(fact(key, j.past_end_of_life, format!("end of life {eol}")));
                }
                if let Some(u) = &j.outdated_below {
                    out.push(fact(
                        "net.device.firmware_outdated",
                        true,
                        format!("update to {u}"),
                    ));
                } else if i.category != "database" {
                    out.push(fact(
                        "net.device.firmware_outdated",
                        false,
                        "no newer version in the table".to_owned(),
                    ));
                }
            }
        }
    }
}
