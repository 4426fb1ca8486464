//! `praxcheck questionnaire`: the dialogue is `praxcheck_app::questionnaire`'s; this
//! connects it to the terminal.

use anyhow::{Result, bail};
use praxcheck_app::questionnaire::{Acceptance, Mode};
use praxcheck_i18n::Catalog;

use crate::EXIT_OK;
use crate::args::QuestionnaireArgs;

/// Runs the command.
pub(crate) fn run(a: &QuestionnaireArgs, cat: &Catalog) -> Result<u8> {
    let Some(path) = praxcheck_app::folders::answers_path(a.answers.as_deref()) else {
        bail!("{}", cat.t("error-no-state-dir"));
    };
    let mode = match (&a.accept, a.list) {
        (Some(id), _) => Mode::Accept(Acceptance {
            id: id.clone(),
            reason: a.reason.clone(),
            until: a.until.clone(),
            by: a.by.clone(),
            host: a.host.clone(),
        }),
        (None, true) => Mode::List,
        (None, false) => Mode::Ask {
            from: a.from.clone(),
        },
    };
    let today = praxcheck_app::folders::today();
    let stdin = std::io::stdin().lock();
    praxcheck_app::questionnaire::run(&path, &mode, today, stdin, std::io::stdout().lock(), cat)?;
    Ok(EXIT_OK)
}
