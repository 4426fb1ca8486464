//! The fact keys the KBV mapping names (`assess/data/kbv.json`) against the fact-key
//! constants (`praxcheck_model::fact_keys`, issue 10 step 5).

use std::collections::BTreeSet;

use praxcheck_assess::Catalogue;
use praxcheck_model::fact_keys;

/// Keys `kbv.json` names that no collector writes today. Each requirement naming one is
/// answered by its question; this list only shrinks: a key added to `kbv.json` must be a
/// constant (a collected fact) or be added here knowingly.
const NAMED_NOT_COLLECTED: &[&str] = &[
    "accounts.stale",
    "antimalware.removable_scan",
    "autorun.disabled",
    "mail.external_content_blocked",
    "net.device_management_reachable",
    "net.hosts",
    "net.open_services",
    "net.plaintext_management",
    "net.segmented",
    "office.macros_blocked",
    "os.past_end_of_life",
    "privacy.camera_default_off",
    "privacy.microphone_default_off",
    "remote.tools.unattended",
    "removable.encryption_enforced",
    "ti.connector_firmware",
    "ti.pvs_connector_tls",
    "tls.legacy_enabled",
    "uac.enabled",
    "windows.cloud_sync",
    "windows.lm_compatibility_level",
    "windows.telemetry_level",
];

#[test]
fn kbv_fact_keys_are_collected_or_asked() {
    let cat = Catalogue::embedded().unwrap();
    let mut not_collected = BTreeSet::new();
    let mut unasked = Vec::new();
    for r in &cat.requirements {
        let missing: Vec<&str> = r
            .facts
            .iter()
            .map(String::as_str)
            .filter(|k| fact_keys::find(k).is_none())
            .collect();
        if !missing.is_empty() && r.question.is_none() {
            unasked.push(format!("{}: {missing:?}", r.id));
        }
        not_collected.extend(missing);
    }
    assert!(
        unasked.is_empty(),
        "requirements naming uncollected facts without a question: {unasked:#?}"
    );
    let listed: BTreeSet<&str> = NAMED_NOT_COLLECTED.iter().copied().collect();
    assert_eq!(
        not_collected, listed,
        "kbv.json names keys that are not fact-key constants: collect them or list them here"
    );
}

/// The constants are the keys' own text, each once.
#[test]
fn the_constants_are_the_table() {
    assert_eq!(fact_keys::FIREWALL_ENABLED, "firewall.enabled");
    assert_eq!(
        fact_keys::find(fact_keys::REMOTE_RDP_ENABLED).map(|k| k.value_type),
        Some("bool")
    );
    let keys: BTreeSet<&str> = fact_keys::KEYS.iter().map(|k| k.key).collect();
    assert_eq!(keys.len(), fact_keys::KEYS.len());
}
