//! The log part of the terminal summary: which logs were read and the traces of attacks
//! found in them, with their evidence level.

use std::fmt::Write as _;

use praxcheck_i18n::{Arg, Catalog};
use praxcheck_model::{Document, EvidenceLevel, Finding, LogSourceOrigin};

use crate::term::vis;

fn origin_key(o: LogSourceOrigin) -> String {
    format!("logs-origin-{}", o.as_str().replace('_', "-"))
}

/// How many traces the terminal summary shows without `--all`.
const SHOWN: usize = 10;

/// Whether a finding stands for the log traces of a computer.
#[must_use]
pub fn is_log_finding(f: &Finding) -> bool {
    f.subject.fact.as_deref() == Some("log.evidence")
}

/// One entry per log file with traces: the file and its count in words ("12 traces, lines
/// 3–80"), taken from the document's summary (for an older document without one, counted
/// from its traces); last, when the summary could not list every file, the traces in the
/// files it leaves out (with an empty file).
#[must_use]
pub fn per_file(doc: &Document, cat: &Catalog) -> Vec<(String, String)> {
    let counts = doc.inventory.log_counts();
    let mut out: Vec<(String, String)> = counts
        .files
        .iter()
        .map(|f| {
            (
                f.location.display.clone(),
                cat.t_args(
                    "logs-file-traces",
                    &[
                        ("count", Arg::from(f.traces)),
                        ("first", Arg::from(f.first_line)),
                        ("last", Arg::from(f.last_line)),
                    ],
                ),
            )
        })
        .collect();
    if counts.traces_in_unlisted_files > 0 {
        out.push((
            String::new(),
            cat.t_args(
                "logs-files-unlisted",
                &[("count", Arg::from(counts.traces_in_unlisted_files))],
            ),
        ));
    }
    out
}

/// The terminal summary of the log part of a document (empty when no logs were read).
#[must_use]
pub fn text_summary(doc: &Document, cat: &Catalog, all: bool) -> String {
    let inv = &doc.inventory;
    if inv.log_sources.is_empty() && inv.log_evidence.is_empty() {
        return String::new();
    }
    let mut s = String::new();
    let files: u64 = inv.log_sources.iter().map(|x| x.files_scanned).sum();
    let bytes: u64 = inv.log_sources.iter().map(|x| x.bytes_scanned).sum();
    let _ = writeln!(
        s,
        "{}",
        cat.t_args(
            "logs-summary-title",
            &[("host", Arg::from(vis(&doc.scan.hostname)))]
        )
    );
    let _ = writeln!(
        s,
        "{}",
        cat.t_args(
            "logs-summary-scanned",
            &[
                ("sources", Arg::from(inv.log_sources.len() as u64)),
                ("files", Arg::from(files)),
                (
                    "mb",
                    Arg::from(cat.lang().decimal1(bytes as f64 / 1_048_576.0))
                ),
                (
                    "seconds",
                    Arg::from(cat.lang().decimal1(doc.scan.duration_ms as f64 / 1000.0))
                ),
            ]
        )
    );
    for src in &inv.log_sources {
        let _ = writeln!(
            s,
            "  {}",
            cat.t_args(
                "logs-summary-source",
                &[
                    ("origin", Arg::from(cat.t(&origin_key(src.origin)))),
                    ("path", Arg::from(vis(&src.location.display))),
                    ("files", Arg::from(src.files_scanned)),
                    ("skipped", Arg::from(src.files_skipped)),
                ]
            )
        );
    }
    s.push('\n');
    if inv.log_evidence.is_empty() {
        let _ = writeln!(s, "{}", cat.t("logs-summary-none"));
        let _ = writeln!(s, "{}", cat.t("logs-cannot-prove"));
        return s;
    }
    // Every trace counted, not only the sample the document keeps (issue 11).
    let total = inv.log_counts().traces.max(inv.log_evidence.len() as u64);
    let _ = writeln!(
        s,
        "{}",
        cat.t_args("logs-summary-found", &[("count", Arg::from(total))])
    );
    // Every file with its count (issue 11, item 7), then a sample of the traces.
    let files = per_file(doc, cat);
    let file_limit = if all { files.len() } else { SHOWN };
    for (file, count) in files.iter().take(file_limit) {
        if file.is_empty() {
            let _ = writeln!(s, "  {count}");
        } else {
            let _ = writeln!(s, "  {}: {count}", vis(file));
        }
    }
    if files.len() > file_limit {
        let _ = writeln!(
            s,
            "  {}",
            cat.t_args(
                "summary-more",
                &[("count", Arg::from(files.len() - file_limit))]
            )
        );
    }
    let mut ordered: Vec<&praxcheck_model::LogEvidence> = inv.log_evidence.iter().collect();
    // Executed lookups first.
    ordered.sort_by_key(|e| std::cmp::Reverse(e.level));
    let limit = if all { ordered.len() } else { SHOWN };
    for e in ordered.iter().take(limit) {
        let level = match e.level {
            EvidenceLevel::PayloadSeen => "logs-level-payload-seen",
            EvidenceLevel::LookupExecuted => "logs-level-lookup-executed",
        };
        let _ = writeln!(
            s,
            "  [{}] {}",
            cat.t(level),
            cat.t_args(
                "logs-evidence-where",
                &[
                    ("file", Arg::from(vis(&e.location.display))),
                    ("line", Arg::from(e.line)),
                ]
            )
        );
        if let Some(t) = &e.timestamp {
            let _ = writeln!(
                s,
                "      {}",
                cat.t_args("logs-evidence-when", &[("timestamp", Arg::from(vis(t)))])
            );
        }
        if let Some(a) = &e.source_address {
            let _ = writeln!(
                s,
                "      {}",
                cat.t_args("logs-evidence-from", &[("address", Arg::from(vis(a)))])
            );
        }
        if let Some(p) = &e.payload {
            let _ = writeln!(
                s,
                "      {}",
                cat.t_args("logs-evidence-payload", &[("payload", Arg::from(vis(p)))])
            );
        }
        if let Some(cb) = &e.callback {
            let host = match (&cb.host, cb.port) {
                (Some(h), Some(p)) => format!("{h}:{p}"),
                (Some(h), None) => h.clone(),
                (None, _) => "?".to_owned(),
            };
            let _ = writeln!(
                s,
                "      {}",
                cat.t_args(
                    "logs-evidence-callback",
                    &[
                        ("protocol", Arg::from(vis(&cb.protocol))),
                        ("host", Arg::from(vis(&host))),
                    ]
                )
            );
        }
        if !e.obfuscation.is_empty() {
            let t: Vec<String> = e
                .obfuscation
                .iter()
                .map(|o| cat.t(&format!("obfuscation-{}", o.as_str().replace('_', "-"))))
                .collect();
            let _ = writeln!(
                s,
                "      {}",
                cat.t_args(
                    "logs-evidence-disguise",
                    &[("techniques", Arg::from(t.join(", ")))]
                )
            );
        }
    }
    let shown = ordered.len().min(limit) as u64;
    if total > shown {
        let _ = writeln!(
            s,
            "  {}",
            cat.t_args("logs-summary-more", &[("count", Arg::from(total - shown))])
        );
    }
    s.push('\n');
    let executed = inv
        .log_evidence
        .iter()
        .any(|e| e.level == EvidenceLevel::LookupExecuted);
    if executed {
        let _ = writeln!(s, "{}", cat.t("logs-level-lookup-executed-explain"));
        let _ = writeln!(s, "{}", cat.t("logs-next-steps"));
    } else {
        let _ = writeln!(s, "{}", cat.t("logs-level-payload-seen-explain"));
        let _ = writeln!(s, "{}", cat.t("logs-next-steps-payload-only"));
    }
    let _ = writeln!(s, "{}", cat.t("logs-cannot-prove"));
    s
}
