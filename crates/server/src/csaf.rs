//! CSAF 2.0 advisories (the format German vendors and the BSI's CERT-Bund publish), read
//! and mapped onto the advisory model the server already evaluates: one OSV record per
//! vulnerability, whose affected packages come from the product tree.
//!
//! Read by hand over `serde_json::Value` rather than a typed CSAF crate: only a small part
//! of the schema carries what matching needs, unknown fields must be tolerated, and the
//! walk of the product tree has to be bounded (depth, counts) against hostile documents.
//!
//! Mapping:
//! * a product leaf (`product_tree.branches`: `vendor` → `product_name` →
//!   `product_version` or `product_version_range`) with a purl in its
//!   `product_identification_helper` names its package by the purl (`pkg:maven/g/a` →
//!   Maven `g:a`); without a purl the package is the installed program of that name
//!   (ecosystem `Windows`, the name as the vendor wrote it);
//! * `product_version` gives an exact affected version, `product_version_range` a range in
//!   the `vers:` notation (`vers:maven/>=2.0|<2.17.1`) or a bare list of constraints
//!   (`<5.2.0`); `>`, `!=` and `*` constraints are not mapped (the product is skipped and
//!   named in the notes);
//! * `vulnerabilities[].product_status.known_affected` (and `first_affected`,
//!   `last_affected`) mark the affected leaves; `fixed` leaves are named in the record's
//!   details; `remediations` become the remediation text;
//! * the record id is the CVE (else `<tracking id>#<n>`); the tracking id is an alias.

use std::collections::{BTreeMap, HashMap};

use praxcheck_advisories::osv::{
    DatabaseSpecific, OsvAffected, OsvEvent, OsvPackage, OsvRange, OsvRecord, RecordAnnotation,
};
use praxcheck_model::Text;
use serde_json::Value;

/// Largest accepted CSAF document.
pub const MAX_CSAF_BYTES: usize = 8 * 1024 * 1024;
/// Deepest product tree accepted.
const MAX_DEPTH: usize = 32;
/// Most product leaves and vulnerabilities accepted.
const MAX_PRODUCTS: usize = 20_000;
const MAX_VULNERABILITIES: usize = 5_000;

/// Why a CSAF document was refused.
#[derive(Debug, thiserror::Error)]
pub enum CsafError {
    /// Larger than [`MAX_CSAF_BYTES`].
    #[error("larger than {MAX_CSAF_BYTES} bytes")]
    TooLarge,
    /// Not JSON (or nested too deeply for the parser).
    #[error("not JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// JSON, but not a CSAF 2.0 document this server can use.
    #[error("not a CSAF 2.0 advisory: {0}")]
    Invalid(String),
}

/// A CSAF document mapped onto advisory records.
#[derive(Debug, Clone)]
pub struct CsafAdvisory {
    /// `<publisher namespace>/<tracking id>`: a newer revision replaces an older one.
    pub key: String,
    /// The tracking id (`WID-SEC-2021-…`).
    pub tracking_id: String,
    /// `tracking.current_release_date`: which revision is newer.
    pub revision: String,
    /// One record per vulnerability with at least one mapped affected product.
    pub records: Vec<OsvRecord>,
    /// Products or vulnerabilities that could not be mapped, with the reason.
    pub notes: Vec<String>,
}

fn invalid(s: impl Into<String>) -> CsafError {
    CsafError::Invalid(s.into())
}

fn text<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str()
}

/// One product leaf of the tree.
#[derive(Debug, Clone, Default)]
struct Leaf {
    vendor: Option<String>,
    product: Option<String>,
    version: Option<String>,
    range: Option<String>,
    purl: Option<String>,
}

/// Reads and maps a CSAF 2.0 document.
///
/// # Errors
/// Too large, not JSON, not CSAF 2.0, or without any mappable affected product.
pub fn parse(bytes: &[u8]) -> Result<CsafAdvisory, CsafError> {
    if bytes.len() > MAX_CSAF_BYTES {
        return Err(CsafError::TooLarge);
    }
    // serde_json refuses nesting deeper than 128 levels on its own.
    let doc: Value = serde_json::from_slice(bytes)?;
    let document = doc
        .get("document")
        .filter(|d| d.is_object())
        .ok_or_else(|| invalid("no \"document\" object"))?;
    match text(document, &["csaf_version"]) {
        Some("2.0") => {}
        Some(v) => {
            return Err(invalid(format!(
                "csaf_version {v:?}, this server reads 2.0"
            )));
        }
        None => return Err(invalid("no document.csaf_version")),
    }
    let tracking_id = text(document, &["tracking", "id"])
        .filter(|s| !s.trim().is_empty() && s.len() <= 200)
        .ok_or_else(|| invalid("no document.tracking.id"))?
        .to_owned();
    let revision = text(document, &["tracking", "current_release_date"])
        .filter(|s| praxcheck_advisories::parse_date(s).is_some())
        .ok_or_else(|| invalid("no valid document.tracking.current_release_date"))?
        .to_owned();
    let namespace = text(document, &["publisher", "namespace"]).unwrap_or("");
    let title = text(document, &["title"])
        .unwrap_or(&tracking_id)
        .to_owned();
    let mut leaves: HashMap<String, Leaf> = HashMap::new();
    let mut notes = Vec::new();
    if let Some(branches) = doc.pointer("/product_tree/branches") {
        walk(branches, &Leaf::default(), 0, &mut leaves)?;
    }
    // Leaves named outside the branches (full_product_names) carry a name only.
    if let Some(Value::Array(list)) = doc.pointer("/product_tree/full_product_names") {
        for p in list {
            if let (Some(id), Some(name)) = (text(p, &["product_id"]), text(p, &["name"])) {
                leaves.entry(id.to_owned()).or_insert_with(|| Leaf {
                    product: Some(name.to_owned()),
                    purl: text(p, &["product_identification_helper", "purl"]).map(str::to_owned),
                    ..Leaf::default()
                });
            }
        }
    }
    let vulns = match doc.get("vulnerabilities") {
        Some(Value::Array(v)) => v.as_slice(),
        None => &[],
        Some(_) => return Err(invalid("\"vulnerabilities\" is not a list")),
    };
    if vulns.len() > MAX_VULNERABILITIES {
        return Err(invalid(format!(
            "more than {MAX_VULNERABILITIES} vulnerabilities"
        )));
    }
    let mut records = Vec::new();
    for (n, v) in vulns.iter().enumerate() {
        let cve = text(v, &["cve"])
            .filter(|c| c.starts_with("CVE-") && c.len() <= 40)
            .map(str::to_owned);
        let id = cve
            .clone()
            .unwrap_or_else(|| format!("{tracking_id}#{}", n + 1));
        let ids = |status: &str| -> Vec<&str> {
            v.pointer(&format!("/product_status/{status}"))
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default()
        };
        let mut affected: BTreeMap<(String, String), OsvAffected> = BTreeMap::new();
        for pid in ["known_affected", "first_affected", "last_affected"]
            .into_iter()
            .flat_map(ids)
        {
            let Some(leaf) = leaves.get(pid) else {
                notes.push(format!("{id}: product {pid} is not in the product tree"));
                continue;
            };
            match map_leaf(leaf) {
                Ok((package, versions, range)) => {
                    let entry = affected
                        .entry((package.ecosystem.clone(), package.name.clone()))
                        .or_insert_with(|| OsvAffected {
                            package,
                            ranges: Vec::new(),
                            versions: Vec::new(),
                            ecosystem_specific: None,
                        });
                    entry.versions.extend(versions);
                    entry.ranges.extend(range);
                }
                Err(why) => notes.push(format!("{id}: product {pid}: {why}")),
            }
        }
        if affected.is_empty() {
            notes.push(format!("{id}: no affected product could be mapped"));
            continue;
        }
        let fixed: Vec<String> = ids("fixed")
            .into_iter()
            .filter_map(|pid| leaves.get(pid))
            .map(leaf_name)
            .collect();
        let remediation: Vec<&str> = v
            .get("remediations")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|r| text(r, &["details"]))
                    .take(8)
                    .collect()
            })
            .unwrap_or_default();
        // The document's own language in both fields: no translation is made up.
        let remediation = (!remediation.is_empty()).then(|| {
            let t = remediation.join(" ");
            Text::new(t.clone(), t)
        });
        let vuln_title = text(v, &["title"]).unwrap_or(&title).to_owned();
        records.push(OsvRecord {
            id,
            modified: revision.clone(),
            published: text(document, &["tracking", "initial_release_date"]).map(str::to_owned),
            withdrawn: None,
            aliases: vec![tracking_id.clone()],
            summary: Some(vuln_title.clone()),
            details: (!fixed.is_empty()).then(|| format!("fixed in: {}", fixed.join(", "))),
            severity: Vec::new(),
            affected: affected.into_values().collect(),
            references: Vec::new(),
            database_specific: Some(DatabaseSpecific {
                severity: None,
                praxcheck: Some(RecordAnnotation {
                    title: Some(Text::new(vuln_title.clone(), vuln_title)),
                    remediation,
                    ..RecordAnnotation::default()
                }),
            }),
        });
    }
    if records.is_empty() {
        return Err(invalid(
            "no vulnerability names an affected product of the product tree",
        ));
    }
    Ok(CsafAdvisory {
        key: format!("{namespace}/{tracking_id}"),
        tracking_id,
        revision,
        records,
        notes,
    })
}

/// Collects the product leaves of `branches`, bounded in depth and count.
fn walk(
    branches: &Value,
    above: &Leaf,
    depth: usize,
    out: &mut HashMap<String, Leaf>,
) -> Result<(), CsafError> {
    if depth > MAX_DEPTH {
        return Err(invalid(format!(
            "the product tree is deeper than {MAX_DEPTH}"
        )));
    }
    let Value::Array(list) = branches else {
        return Err(invalid("\"branches\" is not a list"));
    };
    for b in list {
        let mut leaf = above.clone();
        let name = text(b, &["name"]).map(str::to_owned);
        match text(b, &["category"]) {
            Some("vendor") => leaf.vendor = name,
            Some("product_name") => leaf.product = name,
            Some("product_version") => leaf.version = name,
            Some("product_version_range") => leaf.range = name,
            _ => {}
        }
        if let Some(p) = b.get("product") {
            if let Some(purl) = text(p, &["product_identification_helper", "purl"]) {
                leaf.purl = Some(purl.to_owned());
            }
            if let Some(id) = text(p, &["product_id"]) {
                if out.len() >= MAX_PRODUCTS {
                    return Err(invalid(format!("more than {MAX_PRODUCTS} products")));
                }
                out.insert(id.to_owned(), leaf.clone());
            }
        }
        if let Some(sub) = b.get("branches") {
            walk(sub, &leaf, depth + 1, out)?;
        }
    }
    Ok(())
}

fn leaf_name(l: &Leaf) -> String {
    [&l.vendor, &l.product, &l.version, &l.range]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

type Mapped = (OsvPackage, Vec<String>, Option<OsvRange>);

/// The package, exact versions and range of one leaf.
fn map_leaf(l: &Leaf) -> Result<Mapped, String> {
    let (package, purl_version) = match &l.purl {
        Some(purl) => purl_package(purl)?,
        None => {
            let name = l
                .product
                .clone()
                .filter(|n| !n.trim().is_empty())
                .ok_or("neither a purl nor a product name")?;
            (
                OsvPackage {
                    ecosystem: "Windows".to_owned(),
                    name,
                    purl: None,
                },
                None,
            )
        }
    };
    if let Some(r) = &l.range {
        return Ok((package, Vec::new(), Some(vers_range(r)?)));
    }
    match l.version.clone().or(purl_version) {
        Some(v) => Ok((package, vec![v], None)),
        None => Err("no version or version range".to_owned()),
    }
}

/// `pkg:maven/group/artifact@version` → Maven `group:artifact`; `pkg:deb/debian/name` →
/// Debian `name`; other types keep their name under the type as the ecosystem.
fn purl_package(purl: &str) -> Result<(OsvPackage, Option<String>), String> {
    let rest = purl
        .strip_prefix("pkg:")
        .ok_or_else(|| format!("{purl:?} is not a purl"))?;
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let (path, version) = match rest.rsplit_once('@') {
        Some((p, v)) => (p, Some(v.to_owned())),
        None => (rest, None),
    };
    let mut parts = path.split('/');
    let kind = parts.next().unwrap_or_default().to_ascii_lowercase();
    let segs: Vec<&str> = parts.collect();
    let (ecosystem, name) = match (kind.as_str(), segs.as_slice()) {
        ("maven", [group, artifact]) => ("Maven".to_owned(), format!("{group}:{artifact}")),
        ("deb", [_, name]) => ("Debian".to_owned(), (*name).to_owned()),
        ("npm", [name]) => ("npm".to_owned(), (*name).to_owned()),
        ("pypi", [name]) => ("PyPI".to_owned(), (*name).to_owned()),
        ("generic", [.., name]) => ("Windows".to_owned(), (*name).to_owned()),
        _ => return Err(format!("purl {purl:?} of a type this server does not map")),
    };
    Ok((
        OsvPackage {
            ecosystem,
            name,
            purl: Some(purl.to_owned()),
        },
        version,
    ))
}

/// A `vers:` range (or bare constraints) as an OSV range: `>=` introduces, `<` fixes,
/// `<=` is the last affected version, `=` an exact version (introduced and last affected).
fn vers_range(r: &str) -> Result<OsvRange, String> {
    let constraints = match r.strip_prefix("vers:") {
        Some(rest) => rest.split_once('/').map_or("", |(_, c)| c),
        None => r,
    };
    let mut events = Vec::new();
    let mut open = false;
    for c in constraints
        .split('|')
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let (op, v) = if let Some(v) = c.strip_prefix(">=") {
            (">=", v)
        } else if let Some(v) = c.strip_prefix("<=") {
            ("<=", v)
        } else if let Some(v) = c.strip_prefix('<') {
            ("<", v)
        } else if let Some(v) = c.strip_prefix('=') {
            ("=", v)
        } else if c.starts_with(['>', '!', '*']) {
            return Err(format!("range {r:?}: constraint {c:?} is not mapped"));
        } else {
            ("=", c)
        };
        let v = v.trim().to_owned();
        if v.is_empty() {
            return Err(format!("range {r:?}: a constraint without a version"));
        }
        let ev = OsvEvent {
            introduced: None,
            fixed: None,
            last_affected: None,
            limit: None,
        };
        match op {
            ">=" => {
                events.push(OsvEvent {
                    introduced: Some(v),
                    ..ev
                });
                open = true;
            }
            "<" | "<=" => {
                if !open {
                    events.push(OsvEvent {
                        introduced: Some("0".to_owned()),
                        ..ev.clone()
                    });
                }
                events.push(if op == "<" {
                    OsvEvent {
                        fixed: Some(v),
                        ..ev
                    }
                } else {
                    OsvEvent {
                        last_affected: Some(v),
                        ..ev
                    }
                });
                open = false;
            }
            _ => {
                if open {
                    return Err(format!(
                        "range {r:?}: an exact version inside an open range"
                    ));
                }
                events.push(OsvEvent {
                    introduced: Some(v.clone()),
                    ..ev.clone()
                });
                events.push(OsvEvent {
                    last_affected: Some(v),
                    ..ev
                });
            }
        }
    }
    if events.is_empty() {
        return Err(format!("range {r:?} has no constraint"));
    }
    Ok(OsvRange {
        kind: "ECOSYSTEM".to_owned(),
        events,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn vers_ranges_map_to_osv_events() {
        let r = vers_range("vers:maven/>=2.0-beta9|<2.15.0").unwrap();
        assert_eq!(r.events[0].introduced.as_deref(), Some("2.0-beta9"));
        assert_eq!(r.events[1].fixed.as_deref(), Some("2.15.0"));
        let r = vers_range("<=5.1").unwrap();
        assert_eq!(r.events[0].introduced.as_deref(), Some("0"));
        assert_eq!(r.events[1].last_affected.as_deref(), Some("5.1"));
        assert!(vers_range("vers:generic/>1.0").is_err());
        assert!(vers_range("vers:generic/").is_err());
    }

    #[test]
    fn purls_name_their_packages() {
        let (p, v) = purl_package("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1").unwrap();
        assert_eq!(p.ecosystem, "Maven");
        assert_eq!(p.name, "org.apache.logging.log4j:log4j-core");
        assert_eq!(v.as_deref(), Some("2.14.1"));
        assert!(purl_package("https://example.org").is_err());
    }

    #[test]
    fn hostile_documents_are_refused_with_a_reason() {
        assert!(matches!(parse(b"{"), Err(CsafError::Json(_))));
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(matches!(parse(deep.as_bytes()), Err(CsafError::Json(_))));
        let e = parse(br#"{"document": {"csaf_version": "1.2"}}"#).unwrap_err();
        assert!(e.to_string().contains("1.2"), "{e}");
        let big = vec![b' '; MAX_CSAF_BYTES + 1];
        assert!(matches!(parse(&big), Err(CsafError::TooLarge)));
        // A product tree nested deeper than the limit (within serde's own limit).
        let mut tree = String::from(r#"{"category":"vendor","name":"x"}"#);
        for _ in 0..40 {
            tree = format!(r#"{{"category":"vendor","name":"x","branches":[{tree}]}}"#);
        }
        let doc = format!(
            r#"{{"document":{{"csaf_version":"2.0","tracking":{{"id":"T","current_release_date":"2026-01-01T00:00:00Z"}}}},"product_tree":{{"branches":[{tree}]}}}}"#
        );
        let e = parse(doc.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("deeper"), "{e}");
    }
}
