//! `praxcheck net`: the network collector (`praxcheck-netscan`) into a document, then the
//! same output, `--fail-on` and exit codes as `scan`.

use std::io::Write as _;

use anyhow::Result;
use praxcheck_app::collect::{Started, net_document};
use praxcheck_i18n::Catalog;
use praxcheck_netscan::{NetError, NetOptions};

use crate::EXIT_ERROR;
use crate::args::NetArgs;

pub(crate) fn run(a: &NetArgs, quiet: bool, cat: &Catalog) -> Result<u8> {
    let started = Started::now();
    let mut opts = NetOptions::new(a.targets.clone())?;
    opts.allow_public = a.allow_public;
    opts.large = a.large;
    opts.anonymous_ftp = !a.no_anonymous_ftp;
    opts.servers.clone_from(&a.servers);
    opts.active = a.active;
    opts.callback_port = a.callback_port.unwrap_or(0);
    if !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let _ = writeln!(std::io::stderr().lock(), "{} …", cat.t("net-progress"));
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
            let _ = writeln!(
                std::io::stderr().lock(),
                "praxcheck: {}: {} ({e})",
                cat.t("error-prefix"),
                cat.t(key)
            );
            return Ok(EXIT_ERROR);
        }
    };
    let set = crate::assessing::load_set(quiet, cat)?;
    let doc = net_document(facts, &started, set.reference());
    crate::assessing::emit(doc, &set, &a.out, quiet, cat)
}
