//! `praxcheck logs`: the log collector on its own (`praxcheck_app::collect::logs`).

use std::io::Write as _;

use anyhow::Result;
use praxcheck_app::collect::{self, Started};
use praxcheck_i18n::Catalog;

use crate::EXIT_ERROR;
use crate::args::LogsArgs;

pub(crate) fn run(a: &LogsArgs, quiet: bool, cat: &Catalog) -> Result<u8> {
    let started = Started::now();
    if !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let _ = writeln!(std::io::stderr().lock(), "{} …", cat.t("progress-logs"));
    }
    let collected = collect::logs(&a.paths, &a.exclude, &started);
    let readable = collected.readable_roots;
    let set = crate::assessing::load_set(quiet, cat)?;
    let mut doc = collected.into_document(set.reference());
    doc.canonicalize();
    let code = crate::assessing::emit(doc, &set, &a.out, quiet, cat)?;
    if readable == 0 && !a.paths.is_empty() {
        let _ = writeln!(
            std::io::stderr().lock(),
            "praxcheck: {}: {}",
            cat.t("error-prefix"),
            cat.t("logs-error-no-readable-path")
        );
        return Ok(EXIT_ERROR);
    }
    Ok(code)
}
