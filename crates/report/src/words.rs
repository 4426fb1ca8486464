//! The shared vocabulary of every renderer: symbols and catalogue keys of severities,
//! lights, efforts and topics, dates in the user's form, reasons a file was unreadable.
//! `text`, `overview` and `html` all use it; it uses none of them (no cycle).

use praxcheck_i18n::{Arg, Catalog, Lang};
use praxcheck_model::{Allows, Effort, Evidence, Light, Said, Severity};

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

/// What a piece of evidence says, in the catalogue's language: from its kind and
/// parameters ([`Said`]) when it has them, else its technical detail (documents written
/// before evidence was data, and evidence that is data only, such as Maven coordinates).
#[must_use]
pub fn evidence_text(e: &Evidence, cat: &Catalog) -> String {
    let Some(says) = &e.says else {
        return e.detail.clone();
    };
    let prefix = |p: &str| {
        if p.is_empty() {
            cat.t("evidence-archive-root")
        } else {
            p.to_owned()
        }
    };
    match says {
        Said::Relocated { actual, canonical } => cat.t_args(
            "evidence-relocated",
            &[
                ("actual", Arg::from(prefix(actual))),
                ("canonical", Arg::from(prefix(canonical))),
            ],
        ),
        Said::ManifestVersion { version } => cat.t_args(
            "evidence-manifest-version",
            &[("version", Arg::from(version.clone()))],
        ),
        Said::FileNameVersion { file, version } => cat.t_args(
            "evidence-file-name-version",
            &[
                ("file", Arg::from(file.clone())),
                ("version", Arg::from(version.clone())),
            ],
        ),
        Said::MetadataOverruled { version } => cat.t_args(
            "evidence-metadata-overruled",
            &[("version", Arg::from(version.clone()))],
        ),
        Said::Class {
            class,
            needle,
            found,
            allows,
        } => {
            let class = Arg::from(class.clone());
            let observation = match (needle, found) {
                (None, true) => cat.t_args("evidence-class-present", &[("class", class)]),
                (None, false) => cat.t_args("evidence-class-absent", &[("class", class)]),
                (Some(n), true) => cat.t_args(
                    "evidence-class-contains",
                    &[("class", class), ("needle", Arg::from(n.clone()))],
                ),
                (Some(n), false) => cat.t_args(
                    "evidence-class-lacks",
                    &[("class", class), ("needle", Arg::from(n.clone()))],
                ),
            };
            match allows {
                None => observation,
                Some(Allows::Versions(v)) => cat.t_args(
                    "evidence-class-allows",
                    &[
                        ("observation", Arg::from(observation)),
                        ("versions", Arg::from(v.clone())),
                    ],
                ),
                Some(Allows::Contradiction) => cat.t_args(
                    "evidence-class-contradicts",
                    &[("observation", Arg::from(observation))],
                ),
            }
        }
        Said::Fingerprint { versions } => cat.t_args(
            "evidence-fingerprint",
            &[("versions", Arg::from(versions.join(", ")))],
        ),
    }
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
