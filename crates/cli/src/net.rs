//! `praxcheck net`: the network collector (`praxcheck-netscan`) into a document, then the
//! same output, `--fail-on` and exit codes as `scan`.

use std::time::Instant;

use anyhow::Result;
use praxcheck_i18n::Catalog;
use praxcheck_model::{Collect as _, Document, ScanInfo, ScanStats};
use praxcheck_netscan::{NetError, NetOptions};

use crate::EXIT_ERROR;
use crate::args::NetArgs;

pub(crate) fn run(a: &NetArgs, quiet: bool, cat: &Catalog) -> Result<u8> {
    let started = Instant::now();
    let started_at = crate::scan::now_rfc3339();
    let mut opts = NetOptions::new(a.targets.clone())?;
    opts.allow_public = a.allow_public;
    opts.large = a.large;
    opts.anonymous_ftp = !a.no_anonymous_ftp;
    opts.servers.clone_from(&a.servers);
    opts.active = a.active;
    opts.callback_port = a.callback_port.unwrap_or(0);
    if !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let mut err = std::io::stderr().lock();
        let _ = std::io::Write::write_fmt(&mut err, format_args!("{} …\n", cat.t("net-progress")));
    }
    let facts = match praxcheck_netscan::scan(&opts) {
        Ok(f) => f,
        Err(e) => {
            let key = match &e {
                NetError::Public { .. } => "net-error-public",
                NetError::TooLarge { .. } => "net-error-large",
                NetError::NoTargets => "net-error-no-targets",
                _ => "net-error-failed",
            };
            let mut err = std::io::stderr().lock();
            let _ = std::io::Write::write_fmt(
                &mut err,
                format_args!(
                    "praxcheck: {}: {} ({e})\n",
                    cat.t("error-prefix"),
                    cat.t(key)
                ),
            );
            return Ok(EXIT_ERROR);
        }
    };
    let set = crate::assessing::load_set(quiet, cat)?;
    let info = ScanInfo {
        hostname: crate::scan::hostname(),
        os: std::env::consts::OS.to_owned(),
        started_at,
        finished_at: crate::scan::now_rfc3339(),
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        roots: facts.targets.clone(),
        collectors: Vec::new(),
        stats: ScanStats::default(),
        complete: false,
        skipped_mounts: Vec::new(),
    };
    let finished_in_time = facts.complete;
    let mut doc = Document::new(info, set.reference());
    doc.absorb(facts.into_contribution());
    doc.finish();
    doc.scan.complete &= finished_in_time;
    doc.canonicalize();
    crate::emit(doc, &set, &a.out, quiet, cat)
}
