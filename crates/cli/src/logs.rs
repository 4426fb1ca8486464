//! `praxcheck logs`: the log collector on its own, and the log part of `praxcheck scan`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use praxcheck_i18n::{Arg, Catalog};
use praxcheck_logscan::{Options, Root};
use praxcheck_model::{Collect as _, Document, EvidenceLevel, LogSourceOrigin};

use crate::EXIT_ERROR;
use crate::args::LogsArgs;

/// Mount points the log walk must not enter (kernel interfaces, network shares).
pub(crate) fn skip_dirs() -> Vec<PathBuf> {
    use praxcheck_javascan::walk::{NETWORK_FS, PSEUDO_FS};
    praxcheck_javascan::current_mounts()
        .into_iter()
        .filter(|m| {
            PSEUDO_FS.contains(&m.fs_type.as_str()) || NETWORK_FS.contains(&m.fs_type.as_str())
        })
        .map(|m| m.path)
        .filter(|p| p != Path::new("/"))
        .collect()
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

pub(crate) fn run(a: &LogsArgs, quiet: bool, cat: &Catalog) -> Result<u8> {
    let started = Instant::now();
    let started_at = crate::scan::now_rfc3339();
    let roots: Vec<Root> = if a.paths.is_empty() {
        praxcheck_logscan::discover_roots()
    } else {
        a.paths.iter().map(|p| Root::given(absolute(p))).collect()
    };
    let opts = Options {
        exclude: crate::scan_exclusions(&a.exclude),
        skip_dirs: skip_dirs(),
        ..Options::default()
    };
    if !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let mut err = std::io::stderr().lock();
        let _ = std::io::Write::write_fmt(&mut err, format_args!("{} …\n", cat.t("progress-logs")));
    }
    let scan = praxcheck_logscan::scan_roots(&roots, &opts);
    let readable = scan.readable_roots;
    let set = crate::assessing::load_set(quiet, cat)?;
    let mut doc = Document::new(
        crate::scan::scan_info(
            started_at,
            started,
            roots.iter().map(|r| r.path.display().to_string()).collect(),
        ),
        set.reference(),
    );
    doc.absorb(scan.into_contribution());
    doc.finish();
    doc.canonicalize();
    let code = crate::emit(doc, &set, &a.out, quiet, cat)?;
    if readable == 0 && !a.paths.is_empty() {
        let mut err = std::io::stderr().lock();
        let _ = std::io::Write::write_fmt(
            &mut err,
            format_args!(
                "praxcheck: {}: {}\n",
                cat.t("error-prefix"),
                cat.t("logs-error-no-readable-path")
            ),
        );
        return Ok(EXIT_ERROR);
    }
    Ok(code)
}

fn origin_key(o: LogSourceOrigin) -> String {
    format!("logs-origin-{}", o.as_str().replace('_', "-"))
}

/// How many traces the terminal summary shows without `--all`.
const SHOWN: usize = 10;

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
            &[("host", Arg::from(doc.scan.hostname.as_str()))]
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
                    ("path", Arg::from(src.location.display.as_str())),
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
                    ("file", Arg::from(e.location.display.as_str())),
                    ("line", Arg::from(e.line)),
                ]
            )
        );
        if let Some(t) = &e.timestamp {
            let _ = writeln!(
                s,
                "      {}",
                cat.t_args(
                    "logs-evidence-when",
                    &[("timestamp", Arg::from(t.as_str()))]
                )
            );
        }
        if let Some(a) = &e.source_address {
            let _ = writeln!(
                s,
                "      {}",
                cat.t_args("logs-evidence-from", &[("address", Arg::from(a.as_str()))])
            );
        }
        if let Some(p) = &e.payload {
            let _ = writeln!(
                s,
                "      {}",
                cat.t_args(
                    "logs-evidence-payload",
                    &[("payload", Arg::from(p.as_str()))]
                )
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
                        ("protocol", Arg::from(cb.protocol.as_str())),
                        ("host", Arg::from(host)),
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

/// Log folders for `praxcheck scan`: the machine's server-software log folders (without
/// `--path`) or the log folders below the given paths, plus those next to the Java
/// archives found.
pub(crate) fn scan_roots_for(given: &[PathBuf], component_files: &[PathBuf]) -> Vec<Root> {
    let mut roots = if given.is_empty() {
        praxcheck_logscan::discover_roots()
    } else {
        praxcheck_logscan::discover::discover_in(&[], given)
    };
    // Below the given paths only (issue 11): `scan --path a/b` never reads `a/logs`.
    roots.extend(praxcheck_logscan::roots_near_components_below(
        component_files,
        given,
    ));
    praxcheck_logscan::discover::dedupe_nested(roots)
}
