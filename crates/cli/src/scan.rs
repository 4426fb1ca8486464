//! `praxcheck scan`: the collectors (`praxcheck_app::collect::scan`) with a progress bar,
//! then `praxcheck_app::command::scan_end` (assess, save, show).

use std::io::IsTerminal as _;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use praxcheck_app::collect::{self, CollectError, Started};
use praxcheck_i18n::Catalog;
use praxcheck_javascan::Progress;

use crate::Console;
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

pub(crate) fn run(a: &ScanArgs, term: &mut Console, cat: &Catalog) -> Result<u8> {
    let started = Started::now();
    let pb = (!a.host_only)
        .then(|| progress_bar(term.quiet, cat))
        .flatten();
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
    let upload = |doc: &_, term: &mut dyn praxcheck_app::command::Terminal| {
        crate::service::upload_after_scan(doc, term, cat);
    };
    Ok(praxcheck_app::command::scan_end(
        collected, a, &started, &upload, term, cat,
    )?)
}
