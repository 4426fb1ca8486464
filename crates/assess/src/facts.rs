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
//! * the host collector (`inventory.host`): every host fact under its own key — booleans,
//!   numbers and words as they are; dates and timestamps as words; lists and records as their
//!   count (the items in the detail). Derived: `os.past_end_of_life` (the `os.end_of_life`
//!   date is before the assessment date, so a stored document goes past end of life without a
//!   rescan) and `remote.tools.unattended` (remote tools that start unattended). A fact the
//!   collector could not determine is marked unknown with its reason; "does not apply here"
//!   makes the rules that need it not applicable instead of not checked.
//!
//! Callers may add fact sets of their own (`report --facts`, test fixtures).

use praxcheck_advisories::{Fact, FactValue, Facts};
use praxcheck_model::host::{FactValue as HostValue, HostFacts, UnknownReason};
use praxcheck_model::{CollectorId, Document};

/// How many list items a count fact names in its detail.
const LIST_DETAIL_ITEMS: usize = 10;

fn host_facts(h: &HostFacts, today: time::Date, out: &mut Facts) {
    for hf in &h.facts {
        let source = hf
            .sources
            .iter()
            .map(|s| s.reference.clone())
            .collect::<Vec<_>>()
            .join("; ");
        let confidence = Some(
            serde_json::to_value(hf.confidence)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
        );
        let count = |n: usize| FactValue::Int(i64::try_from(n).unwrap_or(i64::MAX));
        let (value, detail) = match &hf.value {
            HostValue::Bool(b) => (FactValue::Bool(*b), None),
            HostValue::Int(i) => (FactValue::Int(*i), None),
            HostValue::Text(t) | HostValue::Date(t) | HostValue::Timestamp(t) => {
                (FactValue::Text(t.clone()), None)
            }
            HostValue::List(v) => {
                let mut d: Vec<String> = v.iter().take(LIST_DETAIL_ITEMS).cloned().collect();
                if v.len() > LIST_DETAIL_ITEMS {
                    d.push(format!("… {} more", v.len() - LIST_DETAIL_ITEMS));
                }
                (count(v.len()), Some(d.join(", ")))
            }
            HostValue::Services(v) => (count(v.len()), None),
            HostValue::FirewallRules(v) => (count(v.len()), None),
            HostValue::Accounts(v) => (count(v.len()), None),
            HostValue::BackupTools(v) => (count(v.len()), None),
            HostValue::BackupTargets(v) => (count(v.len()), None),
            HostValue::RemoteTools(v) => {
                let unattended: Vec<&str> = v
                    .iter()
                    .filter(|t| t.starts_unattended == Some(true))
                    .map(|t| t.name.as_str())
                    .collect();
                let mut f = Fact::new(
                    "remote.tools.unattended",
                    count(unattended.len()),
                    source.clone(),
                );
                f.confidence.clone_from(&confidence);
                f.detail = Some(unattended.join(", "));
                out.push(f);
                (count(v.len()), None)
            }
            HostValue::Shares(v) => (count(v.len()), None),
            HostValue::Antimalware(v) => (count(v.len()), None),
            HostValue::Volumes(v) => (count(v.len()), None),
            HostValue::Unknown(u) => {
                let why = serde_json::to_value(u.reason)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                out.mark_unknown(
                    hf.key.clone(),
                    u.reason == UnknownReason::NotApplicable,
                    format!("{why}: {}", u.detail),
                );
                if hf.key == "os.end_of_life" {
                    out.mark_unknown(
                        "os.past_end_of_life",
                        u.reason == UnknownReason::NotApplicable,
                        format!("{why}: {}", u.detail),
                    );
                }
                if hf.key == "remote.tools" {
                    out.mark_unknown(
                        "remote.tools.unattended",
                        u.reason == UnknownReason::NotApplicable,
                        format!("{why}: {}", u.detail),
                    );
                }
                continue;
            }
        };
        if hf.key == "os.end_of_life"
            && let HostValue::Date(d) = &hf.value
            && let Some(eol) = praxcheck_advisories::parse_date(d)
        {
            let mut f = Fact::new(
                "os.past_end_of_life",
                FactValue::Bool(eol < today),
                source.clone(),
            );
            f.confidence.clone_from(&confidence);
            f.detail = Some(format!("end of life {d}"));
            out.push(f);
        }
        out.push(Fact {
            key: hf.key.clone(),
            value,
            source,
            confidence,
            location: None,
            detail: detail.or_else(|| hf.note.clone()),
        });
    }
}

/// The facts of one document, judged on the given day (end-of-life dates pass with time).
#[must_use]
pub fn from_document(doc: &Document, today: time::Date) -> Facts {
    let mut f = Facts::new();
    let src = "scan";
    let host_family = doc
        .inventory
        .host
        .as_ref()
        .is_some_and(|h| h.facts.iter().any(|x| x.key == "os.family"));
    if !doc.scan.os.is_empty() && !host_family {
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
    if let Some(h) = &inv.host {
        host_facts(h, today, &mut f);
    }
    if doc.ran(CollectorId::Logs) || !inv.log_sources.is_empty() {
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
