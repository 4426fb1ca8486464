//! `praxcheck net`: the network collector (`praxcheck-netscan`) into a document, then the
//! same output, `--fail-on` and exit codes as `scan`.

use std::io::Write as _;

use anyhow::Result;
use praxcheck_app::collect::{Started, net_document, net_refusal_key};
use praxcheck_i18n::Catalog;

use crate::EXIT_ERROR;
use crate::args::NetArgs;

pub(crate) fn run(a: &NetArgs, quiet: bool, cat: &Catalog) -> Result<u8> {
    let started = Started::now();
    let opts = a.plan()?;
    if !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let _ = writeln!(std::io::stderr().lock(), "{} …", cat.t("net-progress"));
    }
    let facts = match praxcheck_netscan::scan(&opts) {
        Ok(f) => f,
        Err(e) => {
            let key = net_refusal_key(&e);
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
