//! `praxcheck questionnaire`: the dialogue is `praxcheck_app::questionnaire`'s; this
//! connects it to the terminal.

use anyhow::{Result, bail};
use praxcheck_i18n::Catalog;

use crate::EXIT_OK;
use crate::args::QuestionnaireArgs;

/// Runs the command.
pub(crate) fn run(a: &QuestionnaireArgs, cat: &Catalog) -> Result<u8> {
    let Some(path) = praxcheck_app::folders::answers_path(a.answers.as_deref()) else {
        bail!("{}", cat.t("error-no-state-dir"));
    };
    let mode = a.mode();
    let today = praxcheck_app::folders::today();
    let stdin = std::io::stdin().lock();
    praxcheck_app::questionnaire::run(&path, &mode, today, stdin, std::io::stdout().lock(), cat)?;
    Ok(EXIT_OK)
}
