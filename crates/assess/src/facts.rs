//! Facts the rules read, taken from a document.
//!
//! The collectors record their own types in the data model; this module turns them into the
//! generic [`Facts`] of the rule engine:
//! * the scan header: `os.family`, `collector.<name>`;
//! * the log collector (`inventory.log_evidence`, `inventory.log_sources`): `log.scanned`
//!   (true when the log collector ran) and one `log.evidence` fact per trace, valued
//!   `payload_seen` or `lookup_executed`, located at the log file, with line, time, source
//!   address, decoded payload and callback in the detail (never the whole line).
//!
//! Callers may add fact sets of their own (`report --facts`, test fixtures); the host
//! collector's facts join here when its model types land on `main`.

use praxcheck_advisories::{Fact, FactValue, Facts};
use praxcheck_model::Document;

/// The facts of one document.
#[must_use]
pub fn from_document(doc: &Document) -> Facts {
    let mut f = Facts::new();
    let src = "scan";
    if !doc.scan.os.is_empty() {
        f.push(Fact::new(
            "os.family",
            FactValue::Text(doc.scan.os.clone()),
            src,
        ));
    }
    for c in &doc.scan.collectors {
        f.push(Fact::new(
            format!("collector.{c}"),
            FactValue::Bool(true),
            src,
        ));
    }
    let inv = &doc.inventory;
    if doc.scan.collectors.iter().any(|c| c == "logs") || !inv.log_sources.is_empty() {
        f.push(Fact::new(
            "log.scanned",
            FactValue::Bool(true),
            "log collector",
        ));
    }
    for e in &inv.log_evidence {
        let mut detail = format!("line {}", e.line);
        if let Some(t) = &e.timestamp {
            detail.push_str(&format!(", {t}"));
        }
        if let Some(a) = &e.source_address {
            detail.push_str(&format!(", from {a}"));
        }
        if let Some(p) = &e.payload {
            detail.push_str(&format!(": {p}"));
            if e.payload_truncated {
                detail.push('…');
            }
        }
        if let Some(c) = &e.callback {
            detail.push_str(&format!(
                " → {}://{}{}",
                c.protocol,
                c.host.as_deref().unwrap_or("?"),
                c.port.map(|p| format!(":{p}")).unwrap_or_default()
            ));
        }
        if let Some(m) = e.marker {
            detail.push_str(&format!(" [{}]", m.as_str()));
        }
        f.push(Fact {
            key: "log.evidence".to_owned(),
            value: FactValue::Text(e.level.as_str().to_owned()),
            source: "log collector".to_owned(),
            confidence: None,
            location: Some(e.location.clone()),
            detail: Some(detail),
        });
    }
    f
}

/// Parses a fact fixture: `{"facts": [{"key": …, "value": …, "source": …}, …]}` or a bare
/// list.
///
/// # Errors
/// When the text is neither.
pub fn from_json(text: &str) -> Result<Facts, serde_json::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum File {
        Wrapped { facts: Vec<Fact> },
        Bare(Vec<Fact>),
    }
    let list = match serde_json::from_str::<File>(text)? {
        File::Wrapped { facts } | File::Bare(facts) => facts,
    };
    Ok(list.into_iter().collect())
}
