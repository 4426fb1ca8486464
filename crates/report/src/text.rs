//! The terminal summary of a scan: one block per affected component, worst first, with
//! where it is, which advisories apply, and what to do; then what could not be read.
//! Severity is shown with a symbol and a word, never by colour alone.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use praxcheck_i18n::{Catalog, Lang};
use praxcheck_model::{Document, Finding, JavaProduct, Severity, Status};

use crate::term::{vis, visible};
use crate::words::{local_date, reason_text, severity_key, severity_symbol};

/// How to render.
#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    /// Language.
    pub lang: Lang,
    /// ANSI colours (only on a terminal, and not with `NO_COLOR`).
    pub color: bool,
    /// Show every component block, not only the first ones.
    pub all: bool,
}

fn color_of(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "\x1b[1;31m",
        Severity::High => "\x1b[31m",
        Severity::Medium => "\x1b[33m",
        Severity::Low => "\x1b[36m",
        Severity::Info => "\x1b[2m",
    }
}

const RESET: &str = "\x1b[0m";
const MAX_BLOCKS: usize = 15;

fn fmt_count(n: u64, lang: Lang) -> String {
    let s = n.to_string();
    let sep = if lang == Lang::De { '.' } else { ',' };
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

fn fmt_secs(ms: u64, lang: Lang) -> String {
    lang.decimal1(ms as f64 / 1000.0)
}

/// Renders the summary.
#[must_use]
pub fn scan_summary(doc: &Document, opts: TextOptions) -> String {
    let cat = Catalog::new(opts.lang);
    let code = opts.lang.code();
    let mut o = String::new();
    let paint = |s: Severity, text: &str| -> String {
        if opts.color {
            format!("{}{text}{RESET}", color_of(s))
        } else {
            text.to_owned()
        }
    };

    let _ = writeln!(
        o,
        "{}",
        cat.t_args("summary-title", &[("host", vis(&doc.scan.hostname).into())])
    );
    let st = &doc.scan.stats;
    let _ = writeln!(
        o,
        "{}",
        cat.t_args(
            "summary-scanned",
            &[
                ("roots", (doc.scan.roots.len() as u64).into()),
                ("files", fmt_count(st.files_seen, opts.lang).into()),
                ("files_n", st.files_seen.into()),
                ("archives", fmt_count(st.archives_opened, opts.lang).into()),
                ("archives_n", st.archives_opened.into()),
                ("seconds", fmt_secs(doc.scan.duration_ms, opts.lang).into()),
            ]
        )
    );
    // The Java summary counts Java components only (host collection adds OS packages).
    let comps: Vec<&praxcheck_model::Component> = doc
        .inventory
        .components
        .iter()
        .filter(|c| c.ecosystem == "Maven")
        .collect();
    let count = |p: &[JavaProduct]| {
        comps
            .iter()
            .filter(|c| {
                c.java
                    .as_ref()
                    .and_then(|j| j.product)
                    .is_some_and(|x| p.contains(&x))
            })
            .count() as u64
    };
    let _ = writeln!(
        o,
        "{}",
        cat.t_args(
            "summary-components",
            &[
                ("total", fmt_count(comps.len() as u64, opts.lang).into()),
                ("log4j2", count(&[JavaProduct::Log4jCore]).into()),
                (
                    "log4j1",
                    count(&[JavaProduct::Log4j1, JavaProduct::Reload4j]).into()
                ),
                (
                    "logback",
                    count(&[JavaProduct::LogbackClassic, JavaProduct::LogbackCore]).into()
                ),
            ]
        )
    );
    let _ = writeln!(
        o,
        "{}",
        cat.t_args(
            "summary-advisories",
            &[
                ("id", vis(&doc.advisory_set.id).into()),
                ("version", doc.advisory_set.version.into()),
                (
                    "date",
                    local_date(&doc.advisory_set.published, opts.lang).into()
                ),
            ]
        )
    );
    if let Some(a) = doc.assessment.as_ref().filter(|a| a.advisories.stale) {
        let _ = writeln!(
            o,
            "{}",
            cat.t_args(
                "overview-advisories-stale",
                &[("days", a.advisories.stale_after_days.into())]
            )
        );
    }
    o.push('\n');

    // One block per component (or subject), worst open finding first.
    let mut by_subject: BTreeMap<String, Vec<&Finding>> = BTreeMap::new();
    for f in &doc.findings {
        let key = f
            .subject
            .component
            .clone()
            .or_else(|| f.subject.fact.clone())
            .unwrap_or_else(|| f.id.clone());
        by_subject.entry(key).or_default().push(f);
    }
    let mut blocks: Vec<(Severity, bool, String, Vec<&Finding>)> = by_subject
        .into_iter()
        .map(|(k, mut fs)| {
            fs.sort_by(|a, b| {
                (b.status.is_open(), b.severity).cmp(&(a.status.is_open(), a.severity))
            });
            let open = fs.iter().any(|f| f.status.is_open());
            let worst = fs
                .iter()
                .filter(|f| f.status.is_open() == open)
                .map(|f| f.severity)
                .max()
                .unwrap_or(Severity::Info);
            (worst, open, k, fs)
        })
        .collect();
    blocks.sort_by(|a, b| (b.1, b.0, &a.2).cmp(&(a.1, a.0, &b.2)));
    let open_blocks = blocks.iter().filter(|b| b.1).count();
    if open_blocks == 0 {
        let _ = writeln!(o, "✔ {}", cat.t("summary-nothing-open"));
    }
    let shown = if opts.all { usize::MAX } else { MAX_BLOCKS };
    for (i, (worst, _, _, fs)) in blocks.iter().filter(|b| b.1).enumerate() {
        if i >= shown {
            let _ = writeln!(
                o,
                "{}",
                cat.t_args("summary-more", &[("count", (open_blocks - shown).into())])
            );
            break;
        }
        let first = fs[0];
        let comp = first
            .subject
            .component
            .as_ref()
            .and_then(|id| doc.inventory.components.iter().find(|c| &c.id == id));
        let head = match comp {
            Some(c) => {
                let name = c.name.rsplit(':').next().unwrap_or(&c.name);
                format!("{} {}", visible(name), visible(&c.version_display()))
            }
            None => vis(first.title.get(code)),
        };
        let word = cat.t(severity_key(*worst)).to_uppercase();
        let _ = writeln!(
            o,
            "{}  {head}",
            paint(*worst, &format!("{} {word}", severity_symbol(*worst)))
        );
        if let Some(l) = &first.subject.location {
            let _ = writeln!(o, "   {}", visible(&l.display));
        }
        let open_list: Vec<String> = fs
            .iter()
            .filter(|f| f.status.is_open())
            .map(|f| {
                let st = if f.status == Status::Undetermined {
                    format!(", {}", cat.t("status-undetermined"))
                } else {
                    String::new()
                };
                format!(
                    "{} ({}{st})",
                    visible(&f.rule_id),
                    cat.t(severity_key(f.severity))
                )
            })
            .collect();
        let _ = writeln!(o, "   {} {}", cat.t("summary-open"), open_list.join(", "));
        let mitigated: Vec<std::borrow::Cow<'_, str>> = fs
            .iter()
            .filter(|f| f.status == Status::Mitigated)
            .map(|f| visible(&f.rule_id))
            .collect();
        if !mitigated.is_empty() {
            let _ = writeln!(
                o,
                "   {} {}",
                cat.t("summary-mitigated"),
                mitigated.join(", ")
            );
        }
        let _ = writeln!(o, "   → {}", visible(first.remediation.get(code)));
        o.push('\n');
    }
    let mitigated_only = blocks.iter().filter(|b| !b.1).count();
    if mitigated_only > 0 {
        let _ = writeln!(
            o,
            "{}",
            cat.t_args(
                "summary-mitigated-only",
                &[("count", (mitigated_only as u64).into())]
            )
        );
    }
    if !doc.unreadable.is_empty() {
        let _ = writeln!(
            o,
            "{}",
            cat.t_args(
                "scan-files-unreadable",
                &[("count", (doc.unreadable.len() as u64).into())]
            )
        );
        for u in doc
            .unreadable
            .iter()
            .take(if opts.all { usize::MAX } else { 5 })
        {
            let _ = writeln!(
                o,
                "   {} – {}",
                visible(&u.location.display),
                reason_text(u.reason, &cat)
            );
        }
        if doc.unreadable.len() > 5 && !opts.all {
            let _ = writeln!(
                o,
                "{}",
                cat.t_args(
                    "summary-more",
                    &[("count", ((doc.unreadable.len() - 5) as u64).into())]
                )
            );
        }
    }
    if let Some(line) = crate::overview::incomplete_sentence(doc, &cat) {
        let _ = writeln!(o, "{line}");
    }
    let mut counts: Vec<(Severity, u64)> = Vec::new();
    for s in Severity::ALL.iter().rev() {
        let n = doc
            .findings
            .iter()
            .filter(|f| f.status.is_open() && f.severity == *s)
            .count() as u64;
        counts.push((*s, n));
    }
    let parts: Vec<String> = counts
        .iter()
        .filter(|(s, _)| *s != Severity::Info)
        .map(|(s, n)| format!("{n} {}", cat.t(severity_key(*s))))
        .collect();
    let _ = writeln!(o, "{} {}", cat.t("summary-result"), parts.join(" · "));
    o
}
