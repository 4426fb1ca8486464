//! Windows Defender Firewall: per profile on/off and default inbound action
//! (`Get-NetFirewallProfile -PolicyStore ActiveStore`, falling back to the registry values
//! `…\FirewallPolicy\{Domain,Standard,Public}Profile\EnableFirewall` and their policy
//! counterparts), and enabled inbound allow rules that open remote-access ports.

use praxcheck_model::{Confidence, FactValue, FirewallRule};

use super::{Sections, hklm, unknown_all};
use crate::facts::{Facts, cmdlet};
use crate::keys;
use crate::ports;
use crate::pwsh::{enum_name, int, many, strings, text};

/// `GpoBoolean`: False 0, True 1, NotConfigured 2.
const GPO_BOOLEAN: &[(i64, &str)] = &[(0, "False"), (1, "True"), (2, "NotConfigured")];
/// `Action`: NotConfigured 0, Allow 2, Block 4.
const ACTION: &[(i64, &str)] = &[(0, "NotConfigured"), (2, "Allow"), (4, "Block")];
/// `Profile` flags: Any 0, Domain 1, Private 2, Public 4.
const PROFILE_FLAGS: &[(i64, &str)] = &[(1, "domain"), (2, "private"), (4, "public")];

/// The per-profile fact keys: (profile, `….enabled`, `….default_inbound`).
const PROFILE_FACT_KEYS: [(&str, &str, &str); 3] = [
    (
        "domain",
        keys::FIREWALL_PROFILE_DOMAIN_ENABLED,
        keys::FIREWALL_PROFILE_DOMAIN_DEFAULT_INBOUND,
    ),
    (
        "private",
        keys::FIREWALL_PROFILE_PRIVATE_ENABLED,
        keys::FIREWALL_PROFILE_PRIVATE_DEFAULT_INBOUND,
    ),
    (
        "public",
        keys::FIREWALL_PROFILE_PUBLIC_ENABLED,
        keys::FIREWALL_PROFILE_PUBLIC_DEFAULT_INBOUND,
    ),
];

fn profile_key(name: &str) -> Option<&'static str> {
    match name.to_ascii_lowercase().as_str() {
        "domain" | "domainprofile" => Some("domain"),
        "private" | "standardprofile" => Some("private"),
        "public" | "publicprofile" => Some("public"),
        _ => None,
    }
}

/// Decodes the `Profile` of a rule (a number with flags, or names like "Domain, Private").
#[must_use]
pub fn rule_profiles(v: &serde_json::Value) -> Vec<String> {
    match crate::pwsh::prop(v, "Profile") {
        Some(serde_json::Value::String(s)) if s.parse::<i64>().is_err() => {
            let l = s.to_ascii_lowercase();
            if l == "any" {
                return vec!["any".into()];
            }
            l.split(',')
                .filter_map(|p| profile_key(p.trim()))
                .map(str::to_owned)
                .collect()
        }
        Some(p) => match crate::pwsh::as_int(p) {
            Some(0) | None => vec!["any".into()],
            Some(n) => PROFILE_FLAGS
                .iter()
                .filter(|(bit, _)| n & bit != 0)
                .map(|(_, s)| (*s).to_owned())
                .collect(),
        },
        None => vec!["any".into()],
    }
}

/// `firewall.*` facts.
pub fn collect(s: &Sections, f: &mut Facts) {
    let src_cmdlet = vec![cmdlet("Get-NetFirewallProfile -PolicyStore ActiveStore")];
    // (profile, enabled, default inbound) from the cmdlet, else from the registry.
    let mut profiles: Vec<(&'static str, Option<bool>, String)> = Vec::new();
    let mut srcs = src_cmdlet.clone();
    match s.get("firewall_profiles") {
        Ok(v) => {
            for p in many(v) {
                let Some(key) = text(p, "Name").as_deref().and_then(profile_key) else {
                    continue;
                };
                let enabled = match enum_name(p, "Enabled", GPO_BOOLEAN).as_deref() {
                    Some("True") => Some(true),
                    Some("False") => Some(false),
                    // Not configured in the active store: the default is on.
                    Some("NotConfigured") => Some(true),
                    _ => None,
                };
                let inbound = match enum_name(p, "DefaultInboundAction", ACTION).as_deref() {
                    Some("Allow") => "allow",
                    _ => "block",
                };
                profiles.push((key, enabled, inbound.to_owned()));
            }
        }
        Err(_) => {
            srcs = vec![
                hklm(
                    "SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\*Profile\\EnableFirewall",
                ),
                hklm("SOFTWARE\\Policies\\Microsoft\\WindowsFirewall\\*Profile\\EnableFirewall"),
            ];
            if let Ok(v) = s.get("firewall_registry") {
                for p in many(v) {
                    let Some(key) = text(p, "Profile").as_deref().and_then(profile_key) else {
                        continue;
                    };
                    // A policy value overrides the local one.
                    let en = int(p, "PolicyEnableFirewall").or_else(|| int(p, "EnableFirewall"));
                    let inbound = int(p, "PolicyDefaultInboundAction")
                        .or_else(|| int(p, "DefaultInboundAction"));
                    profiles.push((
                        key,
                        en.map(|e| e != 0),
                        // Registry: 0 allow, 1 block (absent = block).
                        if inbound == Some(0) {
                            "allow".into()
                        } else {
                            "block".into()
                        },
                    ));
                }
            }
        }
    }
    if profiles.is_empty() {
        let why = s.get("firewall_profiles").err().unwrap_or_else(|| {
            crate::facts::Why::new(
                praxcheck_model::UnknownReason::ParseError,
                praxcheck_model::UnknownSaid::ValueMissing {
                    value: "firewall_profiles".into(),
                },
                "no firewall profiles in the output",
            )
        });
        unknown_all(
            f,
            &[keys::FIREWALL_ENABLED, keys::FIREWALL_DEFAULT_INBOUND],
            &why,
            &srcs,
        );
    } else {
        for (k, en, inbound) in &profiles {
            // `profile_key` only yields the three names of the table.
            let Some(&(_, enabled_key, inbound_key)) =
                PROFILE_FACT_KEYS.iter().find(|(p, _, _)| p == k)
            else {
                continue;
            };
            match en {
                Some(e) => f.put(
                    enabled_key,
                    FactValue::Bool(*e),
                    Confidence::High,
                    srcs.clone(),
                ),
                None => {
                    f.unknown(
                        enabled_key,
                        praxcheck_model::UnknownReason::ParseError,
                        praxcheck_model::UnknownSaid::ValueMissing {
                            value: "Enabled".into(),
                        },
                        "no value",
                        srcs.clone(),
                    );
                    continue;
                }
            };
            f.put(
                inbound_key,
                FactValue::Text(inbound.clone()),
                Confidence::High,
                srcs.clone(),
            );
        }
        let all_on = profiles.iter().all(|(_, e, _)| *e == Some(true));
        let off: Vec<&str> = profiles
            .iter()
            .filter(|(_, e, _)| *e == Some(false))
            .map(|(k, _, _)| *k)
            .collect();
        f.put_noted(
            keys::FIREWALL_ENABLED,
            FactValue::Bool(all_on),
            Confidence::High,
            srcs.clone(),
            if off.is_empty() {
                "on in every profile".to_owned()
            } else {
                format!("off in: {}", off.join(", "))
            },
        );
        let any_allow = profiles.iter().any(|(_, _, i)| i == "allow");
        f.put(
            keys::FIREWALL_DEFAULT_INBOUND,
            FactValue::Text(if any_allow { "allow" } else { "block" }.into()),
            Confidence::High,
            srcs.clone(),
        );
        f.put(
            keys::FIREWALL_BACKEND,
            FactValue::Text("windows-defender-firewall".into()),
            Confidence::High,
            srcs,
        );
    }
    // Inbound allow rules that open remote-access ports.
    let rsrc = vec![
        cmdlet("Get-NetFirewallRule -Direction Inbound -Enabled True -Action Allow"),
        cmdlet("Get-NetFirewallPortFilter"),
    ];
    match s.get("firewall_rules") {
        Ok(v) => {
            let mut rules = Vec::new();
            for r in many(v) {
                let ports_raw = strings(r, "LocalPort").unwrap_or_else(|| vec!["unknown".into()]);
                let protocol = text(r, "Protocol")
                    .unwrap_or_else(|| "any".into())
                    .to_ascii_lowercase();
                // Only TCP/UDP rules open ports; "Any" opens all of them.
                if !["tcp", "udp", "any", "6", "17"].contains(&protocol.as_str()) {
                    continue;
                }
                // "Any" port rules are mostly scoped to one program (the application filter
                // is not read), so only rules naming remote-access ports count.
                if ports_raw.iter().any(|p| p.eq_ignore_ascii_case("any")) {
                    continue;
                }
                let services = ports::services_of_specs(&ports_raw);
                if services.is_empty() {
                    continue;
                }
                let remote =
                    strings(r, "RemoteAddress").map_or_else(|| "any".to_owned(), |v| v.join(","));
                rules.push(FirewallRule {
                    location: text(r, "Name").unwrap_or_default(),
                    display_name: text(r, "DisplayName"),
                    direction: "inbound".into(),
                    action: "allow".into(),
                    protocol: match protocol.as_str() {
                        "6" => "tcp".into(),
                        "17" => "udp".into(),
                        p => p.to_owned(),
                    },
                    ports: ports_raw,
                    remote: if remote.eq_ignore_ascii_case("any") {
                        "any".into()
                    } else {
                        remote
                    },
                    profiles: rule_profiles(r),
                    services,
                });
            }
            rules.sort();
            f.put(
                keys::FIREWALL_INBOUND_REMOTE_ACCESS_RULES,
                FactValue::FirewallRules(rules),
                Confidence::High,
                rsrc,
            );
        }
        Err(why) => f.unknown_why(keys::FIREWALL_INBOUND_REMOTE_ACCESS_RULES, why, rsrc),
    }
}
