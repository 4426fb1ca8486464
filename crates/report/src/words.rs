//! The shared vocabulary of every renderer: symbols and catalogue keys of severities,
//! lights, efforts and topics, dates in the user's form, reasons a file was unreadable.
//! `text`, `overview` and `html` all use it; it uses none of them (no cycle).

use praxcheck_i18n::{Catalog, Lang};
use praxcheck_model::{Effort, Light, Severity};

/// The symbol for a severity.
#[must_use]
pub fn severity_symbol(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "✖",
        Severity::High => "▲",
        Severity::Medium => "●",
        Severity::Low => "○",
        Severity::Info => "·",
    }
}

/// The catalogue key of a severity word.
#[must_use]
pub fn severity_key(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "severity-critical",
        Severity::High => "severity-high",
        Severity::Medium => "severity-medium",
        Severity::Low => "severity-low",
        Severity::Info => "severity-info",
    }
}

/// Why a file was not (fully) read, in the catalogue's language.
#[must_use]
pub fn reason_text(reason: praxcheck_model::UnreadableReason, cat: &Catalog) -> String {
    cat.t(&format!("reason-{}", reason.as_str().replace('_', "-")))
}

/// What a command says when none of the given paths could be read (issue 11, item 6):
/// the headline, then each path (at most 20) with why, never a result that looks like
/// "no open vulnerabilities".
#[must_use]
pub fn nothing_readable(unreadable: &[praxcheck_model::Unreadable], cat: &Catalog) -> String {
    let mut out = format!(
        "praxcheck: {}: {}",
        cat.t("error-prefix"),
        cat.t("logs-error-no-readable-path")
    );
    for u in unreadable.iter().take(20) {
        out.push_str(&format!(
            "\n   {} – {}",
            crate::term::visible(&u.location.display),
            reason_text(u.reason, cat)
        ));
    }
    out
}

/// The symbol of a light.
#[must_use]
pub fn light_symbol(l: Light) -> &'static str {
    match l {
        Light::Red => "✖",
        Light::Yellow => "▲",
        Light::Green => "✔",
    }
}

/// The catalogue key of a light's word.
#[must_use]
pub fn light_key(l: Light) -> &'static str {
    match l {
        Light::Red => "light-red",
        Light::Yellow => "light-yellow",
        Light::Green => "light-green",
    }
}

/// The catalogue key of an effort.
#[must_use]
pub fn effort_key(e: Effort) -> &'static str {
    match e {
        Effort::Low => "effort-low",
        Effort::Medium => "effort-medium",
        Effort::High => "effort-high",
    }
}

/// A date `YYYY-MM-DD…` in the language's usual form (`29.11.2026` / `2026-11-29`).
#[must_use]
pub fn local_date(d: &str, lang: Lang) -> String {
    let d = d.get(..10).unwrap_or(d);
    match (lang, d.split('-').collect::<Vec<_>>().as_slice()) {
        (Lang::De, [y, m, day]) => format!("{day}.{m}.{y}"),
        _ => d.to_owned(),
    }
}

/// The order topics are shown in.
pub const TOPIC_ORDER: [&str; 11] = [
    "java",
    "software",
    "logs",
    "firewall",
    "updates",
    "backup",
    "remote",
    "protection",
    "ti",
    "network",
    "organisation",
];

/// Position of a topic in [`TOPIC_ORDER`] (unknown topics last).
#[must_use]
pub fn topic_rank(t: &str) -> usize {
    TOPIC_ORDER
        .iter()
        .position(|o| *o == t)
        .unwrap_or(TOPIC_ORDER.len())
}

/// The symbol of a topic: ✖ something failed, ○ something not checked, ✔ all passed.
#[must_use]
pub fn topic_symbol(failed: bool, not_checked: bool) -> &'static str {
    if failed {
        "✖"
    } else if not_checked {
        "○"
    } else {
        "✔"
    }
}
