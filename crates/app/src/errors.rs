//! Errors as the user reads them: an error and its causes joined with `: ` (as `{:#}` of
//! `anyhow` joins them), with every operating-system error worded from the catalogue in
//! the user's language (`praxcheck_report::words::io_error`): the path and the numeric
//! code stay as evidence, the system's English sentence does not reach a German message.

use std::error::Error;

use praxcheck_i18n::Catalog;
use praxcheck_model::read::ReadError;
use praxcheck_report::words::{io_error, read_error};

use crate::answers::AnswersError;
use crate::output::SaveError;
use crate::stored::StoredError;

/// One level of an error in the user's words, when it is (or holds in its message) an
/// operating-system error; `None` for every other error, which is shown as it is.
fn worded(e: &(dyn Error + 'static), cat: &Catalog) -> Option<String> {
    let at = |path: &std::path::Path, io: &std::io::Error| {
        format!("{}: {}", path.display(), io_error(io, cat))
    };
    if let Some(io) = e.downcast_ref::<std::io::Error>() {
        return Some(io_error(io, cat));
    }
    if let Some(r) = e.downcast_ref::<ReadError>() {
        return Some(read_error(r, cat));
    }
    if let Some(praxcheck_model::ModelError::Read(r)) = e.downcast_ref() {
        return Some(read_error(r, cat));
    }
    if let Some(StoredError::Read { error, .. }) = e.downcast_ref() {
        return Some(read_error(error, cat));
    }
    match e.downcast_ref() {
        Some(AnswersError::Io { path, source }) => return Some(at(path, source)),
        Some(AnswersError::Parse { .. }) | None => {}
    }
    match e.downcast_ref() {
        Some(SaveError::Write { path, source }) => return Some(at(path, source)),
        Some(SaveError::Render(_)) | None => {}
    }
    match e.downcast_ref() {
        Some(praxcheck_advisories::update::UpdateError::Io { path, error }) => {
            Some(at(path, error))
        }
        _ => None,
    }
}

/// An error and its causes in the user's words, joined with `: `. A level of another
/// library that writes an operating-system error below it into its own message
/// (`"{path}: {source}"`) gets that error's words too; a cause whose words the level
/// above already ends with is not repeated.
#[must_use]
pub fn error_text<'a>(e: &'a (dyn Error + 'static), cat: &Catalog) -> String {
    let levels: Vec<&'a (dyn Error + 'static)> =
        std::iter::successors(Some(e), |e: &&'a (dyn Error + 'static)| (*e).source()).collect();
    let mut out: Vec<String> = Vec::new();
    for (i, level) in levels.iter().enumerate() {
        let text = worded(*level, cat).unwrap_or_else(|| {
            let mut text = level.to_string();
            for io in levels[i + 1..]
                .iter()
                .filter_map(|d| d.downcast_ref::<std::io::Error>())
            {
                text = text.replace(&io.to_string(), &io_error(io, cat));
            }
            text
        });
        if out.last().is_some_and(|prev| prev.ends_with(&text)) {
            continue;
        }
        out.push(text);
    }
    out.join(": ")
}
