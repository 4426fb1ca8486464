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
//!   count (the items in the detail). Derived on the assessment date ([`support_phase`]), so
//!   that a stored document moves on without a rescan: `os.past_end_of_life` (no free
//!   security updates any more: past `os.end_of_life`, and past a free extended phase such
//!   as Debian LTS) and `os.lts_phase` (only the free extended phase is left; its end in the
//!   detail); and `remote.tools.unattended` (remote tools that start unattended). A fact the
//!   collector could not determine is marked unknown with its reason; "does not apply here"
//!   makes the rules that need it not applicable instead of not checked.
//!
//! * the network collector (`inventory.network`): `net.scanned` (false in a document without
//!   a network part, which makes the network rules not applicable to it), `net.hosts` (count), one
//!   `net.service` fact per open service (the identified name, else the expected one), every
//!   probe result under `net.<probe key>` (`net.smb.v1_accepted`, `net.rdp.nla_required`, …),
//!   the TLS facts `net.tls.self_signed`, `net.tls.expired`, `net.tls.key_bits`,
//!   `net.plaintext_management` (Telnet, FTP or a login page over plain HTTP is reachable) and
//!   one `net.log4shell` fact per probed HTTP service (`lookup_executed` or `not_detected`);
//!   each instance names `address:port` and the probe's evidence in its detail; the
//!   device table's judgements `net.device.end_of_life`, `net.device.firmware_outdated` and
//!   `net.db.unsupported` (see [`crate::netdevices`]).
//!
//! Callers may add fact sets of their own (`report --facts`, test fixtures).

use praxcheck_advisories::{Fact, FactValue, Facts};
use praxcheck_model::host::{FactValue as HostValue, HostFacts, UnknownReason};
use praxcheck_model::{CollectorId, Document, Log4ShellVerdict, NetworkFacts};

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
                    d.push(format!("… (+{})", v.len() - LIST_DETAIL_ITEMS));
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
                let code = serde_json::to_value(u.reason)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                // The reason code only: the why is worded by the report from `says`; the
                // collector's technical detail (English, a path, an OS message) stays out of
                // the check's text (issue 10 step 6), also in documents written before every
                // unknown fact had a kind.
                let why = code;
                out.mark_unknown(
                    hf.key.clone(),
                    u.reason == UnknownReason::NotApplicable,
                    why.clone(),
                );
                if hf.key == "os.end_of_life" {
                    for key in ["os.past_end_of_life", "os.lts_phase"] {
                        out.mark_unknown(
                            key,
                            u.reason == UnknownReason::NotApplicable,
                            why.clone(),
                        );
                    }
                }
                if hf.key == "remote.tools" {
                    out.mark_unknown(
                        "remote.tools.unattended",
                        u.reason == UnknownReason::NotApplicable,
                        why.clone(),
                    );
                }
                continue;
            }
        };
        if hf.key == "os.end_of_life"
            && let HostValue::Date(d) = &hf.value
            && let Some(eol) = praxcheck_advisories::parse_date(d)
        {
            os_support_facts(h, eol, today, &source, confidence.as_ref(), out);
        }
        out.push(Fact {
            key: hf.key.clone(),
            value,
            source,
            confidence,
            location: None,
            // The collector's note (`HostFact::note`) is a technical note of the document,
            // in English: it never becomes a check's evidence, which reports show.
            detail,
        });
    }
}

/// Where an operating system stands on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupportPhase {
    /// Regular security support, until the end of life (that day included).
    Regular,
    /// Regular support is over; free security updates of the extended phase (Debian LTS,
    /// from the normal security repository) come until this day.
    FreeExtended(time::Date),
    /// No free security updates any more. `paid_until`: the extended phase that only a
    /// subscription or a licence gets (Ubuntu Pro's ESM, Windows ESU), when it still runs.
    Ended {
        /// End of the paid or subscription-only phase, while it lasts.
        paid_until: Option<time::Date>,
    },
}

/// The support phase on `today` of an operating system whose regular security support ends
/// on `end_of_life` and whose extended phase, if any, ends on the given date and is of the
/// given kind (`free`, `subscription`, `paid`: the host fact `os.extended_support_kind`).
/// Only a free extended phase keeps a computer in security updates without a contract.
#[must_use]
pub fn support_phase(
    end_of_life: time::Date,
    extended: Option<(time::Date, &str)>,
    today: time::Date,
) -> SupportPhase {
    if today <= end_of_life {
        return SupportPhase::Regular;
    }
    match extended {
        Some((end, _)) if today > end => SupportPhase::Ended { paid_until: None },
        Some((end, "free")) => SupportPhase::FreeExtended(end),
        Some((end, _)) => SupportPhase::Ended {
            paid_until: Some(end),
        },
        None => SupportPhase::Ended { paid_until: None },
    }
}

/// `os.past_end_of_life` (no free security updates any more) and `os.lts_phase` (only the
/// free extended phase's updates, until the day in its detail), judged on `today`.
fn os_support_facts(
    h: &HostFacts,
    eol: time::Date,
    today: time::Date,
    source: &str,
    confidence: Option<&String>,
    out: &mut Facts,
) {
    let value = |key: &str| {
        h.facts
            .iter()
            .find(|f| f.key == key)
            .and_then(|f| match &f.value {
                HostValue::Date(t) | HostValue::Text(t) => Some(t.as_str()),
                _ => None,
            })
    };
    let extended = value("os.end_of_extended_support")
        .and_then(praxcheck_advisories::parse_date)
        .map(|d| (d, value("os.extended_support_kind").unwrap_or("")));
    let phase = support_phase(eol, extended, today);
    let past_detail = match (phase, extended) {
        (
            SupportPhase::Ended {
                paid_until: Some(d),
            },
            _,
        ) => format!(
            "end of life {eol}; extended security updates only with a licence or \
             subscription, until {d}"
        ),
        (_, Some((d, "free"))) => {
            format!("end of life {eol}; free extended security updates (LTS) until {d}")
        }
        _ => format!("end of life {eol}"),
    };
    let mut push = |key: &str, v: bool, detail: String| {
        let mut f = Fact::new(key, FactValue::Bool(v), source);
        f.confidence = confidence.cloned();
        f.detail = Some(detail);
        out.push(f);
    };
    push(
        "os.past_end_of_life",
        matches!(phase, SupportPhase::Ended { .. }),
        past_detail,
    );
    let lts_until = match phase {
        SupportPhase::FreeExtended(d) => d.to_string(),
        _ => String::new(),
    };
    push(
        "os.lts_phase",
        matches!(phase, SupportPhase::FreeExtended(_)),
        lts_until,
    );
}

fn network_facts(n: &NetworkFacts, out: &mut Facts) {
    let src = "network scan";
    let fact = |key: &str, value: FactValue, detail: String| Fact {
        key: key.to_owned(),
        value,
        source: src.to_owned(),
        confidence: None,
        location: None,
        detail: Some(detail),
    };
    out.push(Fact::new("net.scanned", FactValue::Bool(true), src));
    out.push(fact(
        "net.hosts",
        FactValue::Int(i64::try_from(n.hosts.len()).unwrap_or(i64::MAX)),
        n.hosts
            .iter()
            .take(LIST_DETAIL_ITEMS)
            .map(|h| h.address.clone())
            .collect::<Vec<_>>()
            .join(", "),
    ));
    let mut plaintext = Vec::new();
    for h in &n.hosts {
        for s in &h.services {
            let at = if h.address.contains(':') {
                format!("[{}]:{}", h.address, s.port)
            } else {
                format!("{}:{}", h.address, s.port)
            };
            let name = s.identified.clone().unwrap_or_else(|| s.expected.clone());
            let what = s
                .product
                .as_deref()
                .map(|p| format!("{at} {name} ({p})"))
                .unwrap_or_else(|| format!("{at} {name}"));
            out.push(fact("net.service", FactValue::Text(name.clone()), what));
            for p in &s.probes {
                let value = match &p.value {
                    HostValue::Bool(b) => FactValue::Bool(*b),
                    HostValue::Int(i) => FactValue::Int(*i),
                    HostValue::Text(t) => FactValue::Text(t.clone()),
                    _ => continue,
                };
                if matches!(
                    p.key.as_str(),
                    "ftp.anonymous_login" | "http.plaintext_login"
                ) && value == FactValue::Bool(true)
                {
                    plaintext.push(at.clone());
                }
                out.push(fact(
                    &format!("net.{}", p.key),
                    value,
                    format!("{at}: {}", p.evidence),
                ));
            }
            if name == "telnet" {
                plaintext.push(at.clone());
            }
            if let Some(t) = &s.tls {
                let d = format!(
                    "{at}: {} (issuer {}), valid until {}",
                    t.subject, t.issuer, t.not_after
                );
                out.push(fact(
                    "net.tls.self_signed",
                    FactValue::Bool(t.self_signed),
                    d.clone(),
                ));
                out.push(fact(
                    "net.tls.expired",
                    FactValue::Bool(t.expired),
                    d.clone(),
                ));
                out.push(fact(
                    "net.tls.key_bits",
                    FactValue::Int(i64::from(t.key_bits)),
                    format!("{at}: {} {} bits", t.key_algorithm, t.key_bits),
                ));
            }
        }
    }
    out.push(fact(
        "net.plaintext_management",
        FactValue::Bool(!plaintext.is_empty()),
        plaintext.join(", "),
    ));
    for p in &n.log4shell {
        let verdict = match p.verdict {
            Log4ShellVerdict::LookupExecuted => "lookup_executed",
            Log4ShellVerdict::NotDetected => "not_detected",
        };
        let mut d = format!("{}://{}:{}", p.scheme, p.address, p.port);
        for c in &p.callbacks {
            d.push_str(&format!(
                "; {} ({}) called back from {}{}",
                c.injection_point,
                c.form,
                c.peer,
                if c.from_target {
                    ""
                } else {
                    " (not the target: a proxy or log pipeline looked it up)"
                }
            ));
        }
        out.push(fact(
            "net.log4shell",
            FactValue::Text(verdict.to_owned()),
            d,
        ));
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
    if let Some(n) = &inv.network {
        network_facts(n, &mut f);
        if let Ok(table) = praxcheck_advisories::network::device_table() {
            crate::netdevices::facts(n, &table, today, &mut f);
        }
    } else {
        // A computer's own scan is no network scan: the network rules do not apply to it
        // (the practice view takes them from the network document).
        f.push(Fact::new("net.scanned", FactValue::Bool(false), src));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> time::Date {
        praxcheck_advisories::parse_date(s).unwrap()
    }

    #[test]
    fn support_phases_before_inside_and_after_each_phase() {
        use SupportPhase::{Ended, FreeExtended, Regular};
        let eol = d("2026-07-11");
        let lts = Some((d("2028-06-30"), "free"));
        let esu = Some((d("2028-10-10"), "paid"));
        for (ext, day, want) in [
            (lts, "2026-07-11", Regular),
            (lts, "2026-07-12", FreeExtended(d("2028-06-30"))),
            (lts, "2028-06-30", FreeExtended(d("2028-06-30"))),
            (lts, "2028-07-01", Ended { paid_until: None }),
            (esu, "2026-07-11", Regular),
            (
                esu,
                "2026-07-12",
                Ended {
                    paid_until: Some(d("2028-10-10")),
                },
            ),
            (esu, "2028-10-11", Ended { paid_until: None }),
            (None, "2026-07-12", Ended { paid_until: None }),
        ] {
            assert_eq!(support_phase(eol, ext, d(day)), want, "{ext:?} {day}");
        }
    }
}
