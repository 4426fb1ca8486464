//! The network part of the terminal summary (issue 12): what the network scan covered and
//! one block per open network finding, worst first, with the device and port it is about.

use std::fmt::Write as _;

use praxcheck_i18n::{Arg, Catalog};
use praxcheck_model::{CollectorId, Document, Finding, Severity};

use crate::term::{vis, visible};
use crate::words::{severity_key, severity_symbol};

/// How many findings the terminal summary shows without `--all`.
const SHOWN: usize = 15;

/// Whether a finding judges a fact of the network scan.
#[must_use]
pub fn is_network_finding(f: &Finding) -> bool {
    f.subject.component.is_none()
        && f.subject
            .fact
            .as_deref()
            .is_some_and(|k| k == "net" || k.starts_with("net."))
}

/// Where a network finding is: its location, else the places (device and port) its
/// evidence names, at most `max` of them, each once.
#[must_use]
pub fn places(f: &Finding, max: usize) -> Vec<String> {
    if let Some(l) = &f.subject.location {
        return vec![l.display.clone()];
    }
    let mut out: Vec<String> = Vec::new();
    for e in &f.evidence {
        // The rule engine writes "key = value (source): detail"; the network facts'
        // detail starts with the device and port ("10.0.0.5:23 telnet", "[fe80::1]:445: …").
        let at = e.path.as_deref().or_else(|| {
            e.detail
                .split_once("): ")
                .and_then(|(_, d)| d.split(' ').next())
                .map(|a| a.trim_end_matches(':'))
        });
        let Some(at) = at else {
            continue;
        };
        if !at.is_empty() && !out.iter().any(|x| x == at) {
            out.push(at.to_owned());
        }
        if out.len() >= max {
            break;
        }
    }
    out
}

/// The terminal summary of the network part of a document (empty when the network
/// collector did not run).
#[must_use]
pub fn text_summary(doc: &Document, cat: &Catalog, all: bool) -> String {
    if !doc.ran(CollectorId::Network) {
        return String::new();
    }
    let code = cat.lang().code();
    let mut s = String::new();
    let hosts = doc.inventory.network.as_ref().map_or(0, |n| n.hosts.len());
    let _ = writeln!(
        s,
        "{}",
        cat.t_args(
            "net-summary-title",
            &[
                ("host", Arg::from(vis(&doc.scan.hostname))),
                ("devices", Arg::from(hosts)),
            ]
        )
    );
    let mut open: Vec<&Finding> = doc
        .findings
        .iter()
        .filter(|f| is_network_finding(f) && f.status.is_open())
        .collect();
    open.sort_by(|a, b| (b.severity, &a.rule_id).cmp(&(a.severity, &b.rule_id)));
    if open.is_empty() {
        let _ = writeln!(s, "✔ {}", cat.t("net-summary-none"));
    }
    let limit = if all { usize::MAX } else { SHOWN };
    for f in open.iter().take(limit) {
        let word = cat.t(severity_key(f.severity)).to_uppercase();
        let _ = writeln!(
            s,
            "{} {word}  {} ({})",
            severity_symbol(f.severity),
            visible(f.title.get(code)),
            visible(&f.rule_id)
        );
        for at in places(f, if all { usize::MAX } else { 5 }) {
            let _ = writeln!(s, "   {}", visible(&at));
        }
        let _ = writeln!(s, "   → {}", visible(f.remediation.get(code)));
    }
    if open.len() > limit {
        let _ = writeln!(
            s,
            "{}",
            cat.t_args("summary-more", &[("count", Arg::from(open.len() - limit))])
        );
    }
    let parts: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .filter(|x| **x != Severity::Info)
        .map(|x| {
            let n = open.iter().filter(|f| f.severity == *x).count();
            format!("{n} {}", cat.t(severity_key(*x)))
        })
        .collect();
    let _ = writeln!(s, "{} {}", cat.t("summary-result"), parts.join(" · "));
    s
}
