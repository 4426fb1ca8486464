//! `praxcheck scan`: runs the collectors, assesses, renders.

use std::io::IsTerminal as _;
use std::time::Instant;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use praxcheck_i18n::Catalog;
use praxcheck_javascan::{Limits, Options, Progress, WalkOptions};
use praxcheck_model::{Document, ScanInfo, UnreadableReason};

use crate::args::ScanArgs;
use crate::{EXIT_ERROR, emit, exit_code};

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
    let exclude: Vec<std::path::PathBuf> = a.exclude.iter().map(absolute).collect();
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
    let pb = progress_bar(quiet, cat);
    let on_progress = |p: Progress| {
        if let Some(pb) = &pb {
            match p {
                Progress::Walked { bytes, .. } => pb.set_length(bytes),
                Progress::ArchiveDone { bytes } => pb.inc(bytes),
            }
        }
    };
    let out = praxcheck_javascan::scan(&opts, &on_progress);
    if let Some(pb) = &pb {
        pb.finish_and_clear();
    }
    let set = crate::advisory_set()?;
    let complete = out.stats.dirs_denied == 0
        && !out
            .unreadable
            .iter()
            .any(|u| u.reason == UnreadableReason::PermissionDenied);
    let scan = ScanInfo {
        hostname: hostname(),
        os: std::env::consts::OS.to_owned(),
        started_at,
        finished_at: now_rfc3339(),
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        roots: roots.iter().map(|r| r.display().to_string()).collect(),
        collectors: vec!["java".to_owned()],
        stats: out.stats,
        complete,
        skipped_mounts: out.skipped_mounts,
    };
    let mut doc = Document::new(scan, set.reference());
    doc.inventory.components = out.components;
    doc.unreadable = out.unreadable;
    doc.findings = praxcheck_advisories::match_components(&set, &doc.inventory.components);
    doc.canonicalize();
    emit(&doc, &a.out, quiet, cat)?;
    if out.readable_roots == 0 {
        return Ok(EXIT_ERROR);
    }
    Ok(exit_code(&doc, a.out.fail_on))
}
