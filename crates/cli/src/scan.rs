//! `praxcheck scan`: the collectors (`praxcheck_app::collect::scan`) with a progress bar,
//! then assess and render.

use std::io::IsTerminal as _;
use std::io::Write as _;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use praxcheck_app::collect::{self, CollectError, Started};
use praxcheck_i18n::Catalog;
use praxcheck_javascan::Progress;

use crate::EXIT_ERROR;
use crate::args::ScanArgs;

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
    let started = Started::now();
    let pb = (!a.host_only).then(|| progress_bar(quiet, cat)).flatten();
    let on_progress = |p: Progress| {
        if let Some(pb) = &pb {
            match p {
                Progress::Walked { bytes, .. } => pb.set_length(bytes),
                Progress::ArchiveDone { bytes } => pb.inc(bytes),
            }
        }
    };
    let collected = collect::scan(&a.plan(cat.lang()), &started, &on_progress);
    if let Some(pb) = &pb {
        pb.finish_and_clear();
    }
    let collected = match collected {
        Ok(c) => c,
        Err(CollectError::Host(e)) => {
            return Err(anyhow::Error::new(e).context(cat.t("error-host")));
        }
        Err(CollectError::HostStopped) => return Err(anyhow::anyhow!(cat.t("error-host"))),
    };
    if !quiet {
        for note in collected.cache_notes(cat) {
            let _ = writeln!(std::io::stderr().lock(), "praxcheck: {note}");
        }
    }
    let readable_roots = collected.readable_roots;
    let set = crate::assessing::load_set(quiet, cat)?;
    let doc = collected.into_document(set.reference());
    let for_people = matches!(
        a.out.format,
        None | Some(praxcheck_app::Format::Text | praxcheck_app::Format::Overview)
    );
    if readable_roots == 0 && !a.host_only && for_people {
        // Nothing was read: say only that, with each path and why (issue 11, item 6), never
        // a result that looks like "no open vulnerabilities". (Machine formats still get the
        // document, which records each path's reason, and exit 2 below.)
        let text = praxcheck_report::words::nothing_readable(&doc.unreadable, cat);
        let _ = writeln!(std::io::stderr().lock(), "{text}");
        return Ok(EXIT_ERROR);
    }
    if a.upload {
        crate::service::upload_after_scan(&doc, quiet, cat);
    }
    // Findings (Java components, log traces, host facts), assessment and output (overview
    // and saved reports, or the chosen format).
    let code = crate::assessing::finish_scan(doc, &set, a, quiet, cat, started.instant())?;
    if readable_roots == 0 && !a.host_only {
        return Ok(EXIT_ERROR);
    }
    Ok(code)
}
