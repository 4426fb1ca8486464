//! `praxcheck scan`: runs the collectors, assesses, renders.

use std::io::IsTerminal as _;
use std::io::Write as _;
use std::time::Instant;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use praxcheck_i18n::Catalog;
use praxcheck_javascan::{Limits, Options, Progress, WalkOptions};
use praxcheck_model::{Collect as _, Document, ScanInfo};

use crate::EXIT_ERROR;
use crate::args::ScanArgs;

/// RFC 3339 UTC timestamp.
pub(crate) fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// This machine's host name.
pub(crate) fn hostname() -> String {
    for p in ["/proc/sys/kernel/hostname", "/etc/hostname"] {
        if let Ok(s) = std::fs::read_to_string(p) {
            let s = s.trim();
            if !s.is_empty() {
                return s.to_owned();
            }
        }
    }
    std::env::var("COMPUTERNAME")
        .or_else(|_| std::env::var("HOSTNAME"))
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// The scan header before any collector has added to it: this machine, the start and end
/// time, and the roots the command was given or chose.
pub(crate) fn scan_info(started_at: String, started: Instant, roots: Vec<String>) -> ScanInfo {
    ScanInfo {
        hostname: hostname(),
        os: std::env::consts::OS.to_owned(),
        started_at,
        finished_at: now_rfc3339(),
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        roots,
        collectors: Vec::new(),
        stats: praxcheck_model::ScanStats::default(),
        complete: true,
        skipped_mounts: Vec::new(),
    }
}

fn progress_bar(quiet: bool, cat: &Catalog) -> Option<ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let style =
        ProgressStyle::with_template("{spinner} {msg} {wide_bar} {bytes}/{total_bytes} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    pb.set_style(style);
    pb.set_message(cat.t("progress-java"));
    Some(pb)
}

pub(crate) fn run(a: &ScanArgs, quiet: bool, cat: &Catalog) -> Result<u8> {
    let started = Instant::now();
    let started_at = crate::scan::now_rfc3339();
    // Absolute paths in every report: they are what a fix or an IT provider needs.
    let absolute = |p: &std::path::PathBuf| std::path::absolute(p).unwrap_or_else(|_| p.clone());
    let roots: Vec<std::path::PathBuf> = if a.paths.is_empty() {
        praxcheck_javascan::default_roots()
    } else {
        a.paths.iter().map(absolute).collect()
    };
    let exclude = crate::scan_exclusions(&a.exclude);
    let opts = Options {
        walk: WalkOptions {
            roots: roots.clone(),
            exclude,
            network_fs: a.network_fs,
            mounts: praxcheck_javascan::current_mounts(),
        },
        limits: Limits {
            max_depth: a.max_depth,
            ..Limits::default()
        },
        processes: !a.no_processes,
    };
    // Host facts: this computer's settings, on by default when no paths are given. They
    // are read while the Java archives are searched.
    let with_host = !a.no_host && (a.paths.is_empty() || a.host || a.host_only);
    let host_opts = praxcheck_hostscan::Options {
        connector_address: a.connector_address,
        backup_config: a.backup_config.clone(),
        lang: cat.lang(),
        ..praxcheck_hostscan::Options::default()
    };
    let (out, host) = std::thread::scope(|s| {
        let host = with_host.then(|| s.spawn(|| praxcheck_hostscan::collect(&host_opts)));
        let out = if a.host_only {
            praxcheck_javascan::Output::default()
        } else {
            let pb = progress_bar(quiet, cat);
            let on_progress = |p: Progress| {
                if let Some(pb) = &pb {
                    match p {
                        Progress::Walked { bytes, .. } => pb.set_length(bytes),
                        Progress::ArchiveDone { bytes } => pb.inc(bytes),
                    }
                }
            };
            let cache = crate::agent::open_cache(a.no_cache, &opts.limits);
            let out = praxcheck_javascan::scan_with_cache(
                &opts,
                cache
                    .as_ref()
                    .map(|c| c as &dyn praxcheck_javascan::FactCache),
                &on_progress,
            );
            crate::agent::save_cache(cache, quiet);
            if let Some(pb) = &pb {
                pb.finish_and_clear();
            }
            out
        };
        (out, host.map(|h| h.join()))
    });
    let host = match host {
        None => None,
        Some(Ok(Ok(h))) => Some(h),
        Some(Ok(Err(e))) => return Err(anyhow::Error::new(e).context(cat.t("error-host"))),
        Some(Err(_)) => return Err(anyhow::anyhow!(cat.t("error-host"))),
    };
    let set = crate::assessing::load_set(quiet, cat)?;
    let java_roots = if a.host_only {
        Vec::new()
    } else {
        roots.iter().map(|r| r.display().to_string()).collect()
    };
    let mut doc = Document::new(scan_info(started_at, started, java_roots), set.reference());
    let readable_roots = out.readable_roots;
    // The log collector, for the log folders of the software on this machine (or below the
    // given paths) and next to the Java archives found.
    let logs = (!a.no_logs && !a.host_only)
        .then(|| {
            let files: Vec<std::path::PathBuf> = out
                .components
                .iter()
                .filter_map(|c| c.location.chain.first())
                .map(|seg| std::path::PathBuf::from(seg.display()))
                .collect();
            let log_roots = crate::logs::scan_roots_for(
                &a.paths.iter().map(absolute).collect::<Vec<_>>(),
                &files,
            );
            (!log_roots.is_empty()).then(|| {
                let log_opts = praxcheck_logscan::Options {
                    exclude: opts.walk.exclude.clone(),
                    skip_dirs: crate::logs::skip_dirs(),
                    ..praxcheck_logscan::Options::default()
                };
                praxcheck_logscan::scan_roots(&log_roots, &log_opts)
            })
        })
        .flatten();
    if !a.host_only {
        doc.absorb(out.into_contribution());
    }
    if let Some(h) = host {
        doc.absorb(h.into_contribution());
    }
    if let Some(l) = logs {
        doc.absorb(l.into_contribution());
    }
    doc.finish();
    let for_people = matches!(
        a.out.format,
        None | Some(praxcheck_app::Format::Text | praxcheck_app::Format::Overview)
    );
    if readable_roots == 0 && !a.host_only && for_people {
        // Nothing was read: say only that, with each path and why (issue 11, item 6), never
        // a result that looks like "no open vulnerabilities". (Machine formats still get the
        // document, which records each path's reason, and exit 2 below.)
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "praxcheck: {}: {}",
            cat.t("error-prefix"),
            cat.t("logs-error-no-readable-path")
        );
        for u in doc.unreadable.iter().take(20) {
            let _ = writeln!(
                err,
                "   {} – {}",
                praxcheck_report::term::visible(&u.location.display),
                praxcheck_report::words::reason_text(u.reason, cat)
            );
        }
        return Ok(EXIT_ERROR);
    }
    if a.upload {
        crate::service::upload_after_scan(&doc, quiet, cat)?;
    }
    // Findings (Java components, log traces, host facts), assessment and output (overview
    // and saved reports, or the chosen format).
    let code = crate::assessing::finish_scan(doc, &set, a, quiet, cat, started)?;
    if readable_roots == 0 && !a.host_only {
        return Ok(EXIT_ERROR);
    }
    Ok(code)
}
