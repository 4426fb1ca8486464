//! CycloneDX 1.5 SBOM (JSON) of the inventory: every component with its package URL, where
//! it was found and on which machine, and the component findings as `vulnerabilities` with
//! their analysis state (exploitable, in triage, not affected because the vulnerable class is
//! absent, or accepted: will not fix).

use serde_json::{Value, json};
use sha2_free_uuid::uuid_from;

use praxcheck_model::{ComponentKind, Document, Status};

use crate::{ReportError, View};

/// CycloneDX spec version written.
pub const SPEC_VERSION: &str = "1.5";

mod sha2_free_uuid {
    /// A version-4-shaped UUID derived from stable input (FNV-1a over the bytes, twice with
    /// different seeds), so the same documents give the same serial number.
    pub fn uuid_from(input: &str) -> String {
        let h = |seed: u64| {
            let mut x: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
            for b in input.bytes() {
                x ^= u64::from(b);
                x = x.wrapping_mul(0x0100_0000_01b3);
            }
            x
        };
        let a = h(1).to_be_bytes();
        let b = h(2).to_be_bytes();
        let mut v = [0u8; 16];
        v[..8].copy_from_slice(&a);
        v[8..].copy_from_slice(&b);
        v[6] = (v[6] & 0x0f) | 0x40;
        v[8] = (v[8] & 0x3f) | 0x80;
        let hex: String = v.iter().map(|x| format!("{x:02x}")).collect();
        format!(
            "urn:uuid:{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }
}

fn comp_type(k: ComponentKind) -> &'static str {
    match k {
        ComponentKind::JavaArchive | ComponentKind::JavaClasses | ComponentKind::OsPackage => {
            "library"
        }
        ComponentKind::Application | ComponentKind::Runtime => "application",
    }
}

fn bom_ref(doc: &Document, id: &str) -> String {
    format!("{}:{id}", doc.scan.hostname)
}

fn prop(name: &str, value: impl Into<String>) -> Value {
    json!({"name": name, "value": value.into()})
}

/// The SBOM as pretty JSON.
///
/// # Errors
/// When serialising fails (it does not with valid input).
pub fn cyclonedx(view: &View<'_>) -> Result<String, ReportError> {
    let mut components = Vec::new();
    let mut vulns = Vec::new();
    let mut seed = String::new();
    for d in view.docs {
        seed.push_str(&d.scan.hostname);
        seed.push_str(&d.scan.started_at);
        for c in &d.inventory.components {
            seed.push_str(&c.id);
            let (group, name) = match (c.ecosystem.as_str(), c.name.split_once(':')) {
                ("Maven", Some((g, a))) => (Some(g), a),
                _ => (None, c.name.as_str()),
            };
            let mut props = vec![
                prop("praxcheck:host", d.scan.hostname.clone()),
                prop("praxcheck:ecosystem", c.ecosystem.clone()),
                prop("praxcheck:location", c.location.display.clone()),
                prop(
                    "praxcheck:placement",
                    serde_json::to_value(c.placement)?
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                ),
            ];
            if c.version.is_none() {
                props.push(prop("praxcheck:version_range", c.version_display()));
            }
            for p in &c.open_by {
                props.push(prop("praxcheck:open_by", format!("{} ({})", p.name, p.pid)));
            }
            let mut v = json!({
                "type": comp_type(c.kind),
                "bom-ref": bom_ref(d, &c.id),
                "name": name,
                "properties": props,
            });
            if let Some(g) = group {
                v["group"] = json!(g);
            }
            if let Some(ver) = &c.version {
                v["version"] = json!(ver);
            }
            if let Some(p) = &c.purl {
                v["purl"] = json!(p);
            }
            components.push(v);
        }
        for f in &d.findings {
            let Some(cid) = &f.subject.component else {
                continue;
            };
            let (state, extra) = match f.status {
                Status::Vulnerable => ("exploitable", None),
                Status::Undetermined => ("in_triage", None),
                Status::Mitigated => (
                    "not_affected",
                    Some(("justification", json!("code_not_present"))),
                ),
                Status::Accepted => ("exploitable", Some(("response", json!(["will_not_fix"])))),
                Status::Detected => ("exploitable", None),
            };
            let mut analysis = json!({"state": state, "detail": f.explanation.en});
            if let Some((k, v)) = extra {
                analysis[k] = v;
            }
            if let Some(acc) = &f.accepted {
                analysis["detail"] = json!(format!(
                    "Risk accepted until {}: {}",
                    acc.expires, acc.reason
                ));
            }
            let mut rating =
                json!({"severity": f.severity.as_str(), "source": {"name": "praxcheck"}});
            if let Some(s) = f.cvss {
                rating["score"] = json!(f64::from(s));
            }
            let mut v = json!({
                "bom-ref": format!("{}:finding:{}", d.scan.hostname, f.id),
                "id": f.rule_id,
                "source": {"name": "praxcheck", "url": "https://osv.dev"},
                "ratings": [rating],
                "description": f.title.en,
                "recommendation": f.remediation.en,
                "analysis": analysis,
                "affects": [{"ref": bom_ref(d, cid)}],
            });
            if !f.references.is_empty() {
                v["advisories"] = json!(
                    f.references
                        .iter()
                        .map(|u| json!({"url": u}))
                        .collect::<Vec<_>>()
                );
            }
            if !f.aliases.is_empty() {
                v["references"] = json!(
                    f.aliases
                        .iter()
                        .map(|a| json!({"id": a, "source": {"name": "praxcheck"}}))
                        .collect::<Vec<_>>()
                );
            }
            vulns.push(v);
        }
    }
    let first = &view.docs[0];
    let subject = if view.docs.len() == 1 {
        json!({"type": "device", "bom-ref": format!("host:{}", first.scan.hostname), "name": first.scan.hostname})
    } else {
        json!({"type": "device", "bom-ref": "practice", "name": view
            .docs
            .iter()
            .map(|d| d.scan.hostname.clone())
            .collect::<Vec<_>>()
            .join(", ")})
    };
    let bom = json!({
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": uuid_from(&seed),
        "version": 1,
        "metadata": {
            "timestamp": first.scan.started_at,
            "tools": {"components": [{"type": "application", "name": "praxcheck", "version": first.tool.version}]},
            "component": subject,
            "properties": [prop(
                "praxcheck:advisory_set",
                format!("{}@{}", first.advisory_set.id, first.advisory_set.version),
            )],
        },
        "components": components,
        "vulnerabilities": vulns,
    });
    let mut s = serde_json::to_string_pretty(&bom)?;
    s.push('\n');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::sha2_free_uuid::uuid_from;

    #[test]
    fn serial_numbers_are_stable_v4_shaped_uuids() {
        let a = uuid_from("x");
        assert_eq!(a, uuid_from("x"));
        assert_ne!(a, uuid_from("y"));
        assert_eq!(a.len(), 45);
        assert_eq!(&a[23..24], "4");
        assert!("89ab".contains(&a[28..29]));
    }
}
