//! `praxcheck advisories show` and `praxcheck advisories update --from FILE`.

use std::io::Write as _;

use anyhow::{Context as _, Result, bail};
use praxcheck_advisories::AdvisorySet;
use praxcheck_advisories::update;
use praxcheck_i18n::Catalog;
use praxcheck_report::advisories::{listing, refusal, update_outcome};

use crate::args::UpdateArgs;
use crate::assessing::load_set;
use crate::{EXIT_ERROR, EXIT_OK};

/// `praxcheck advisories update --from FILE`.
pub(crate) fn update(a: &UpdateArgs, quiet: bool, cat: &Catalog) -> Result<u8> {
    let Some(state) = praxcheck_app::folders::state_dir() else {
        bail!("{}", cat.t("error-no-state-dir"));
    };
    let keys = update::trusted_keys().context("trusted keys")?;
    let embedded = AdvisorySet::embedded().context("embedded advisory set")?;
    let mut err = std::io::stderr().lock();
    if update::keys_kind() == "test" && !quiet {
        writeln!(err, "{}", cat.t("advisories-keys-test"))?;
    }
    match update::install(
        &state,
        &a.from,
        a.signature.as_deref(),
        &keys,
        // The real date: expiry protects against replayed old sets, PRAXCHECK_TODAY must
        // not switch that off.
        time::OffsetDateTime::now_utc().date(),
        embedded.meta(),
    ) {
        Ok(outcome) => {
            writeln!(
                std::io::stdout().lock(),
                "{}",
                update_outcome(&outcome, cat)
            )?;
            Ok(EXIT_OK)
        }
        Err(e) => {
            writeln!(
                err,
                "praxcheck: {}: {} {}",
                cat.t("error-prefix"),
                cat.t("update-refused"),
                refusal(&e, cat)
            )?;
            writeln!(err, "  ({e})")?;
            Ok(EXIT_ERROR)
        }
    }
}

/// `praxcheck advisories show`.
pub(crate) fn show(quiet: bool, cat: &Catalog) -> Result<u8> {
    let set = load_set(quiet, cat)?;
    let text = listing(
        &set,
        praxcheck_app::folders::today(),
        update::keys_kind() == "test",
        cat,
    );
    let mut so = std::io::stdout().lock();
    so.write_all(text.as_bytes())?;
    Ok(EXIT_OK)
}
