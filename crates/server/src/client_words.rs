//! The agent's client errors in the user's words (from the catalogue), and `scan
//! --upload`'s send of a finished document: what `praxcheck enroll`, `upload`, `scan
//! --upload` and `agent run` say when the service cannot be used. Moved from the binary
//! (issue 10): the binary parses and prints, this decides the words.

use std::path::PathBuf;

use praxcheck_i18n::Catalog;

use crate::client::ClientError;
use crate::commands;

/// The agent's state folder (`PRAXCHECK_STATE_DIR` or the platform's).
///
/// # Errors
/// When no state folder can be determined.
pub fn state_dir() -> anyhow::Result<PathBuf> {
    praxcheck_advisories::update::StateDir::default_location()
        .ok_or_else(|| anyhow::anyhow!("no state folder (set PRAXCHECK_STATE_DIR)"))
}

/// The agent's errors in the user's language; others unchanged.
#[must_use]
pub fn explain(e: anyhow::Error, cat: &Catalog) -> anyhow::Error {
    let Some(c) = e.downcast_ref::<ClientError>() else {
        return e;
    };
    let text = match c {
        ClientError::PinMismatch {
            url,
            pinned,
            presented,
        } => cat.t_args(
            "service-pin-mismatch",
            &[
                ("url", url.into()),
                ("pinned", pinned.into()),
                ("presented", presented.into()),
            ],
        ),
        ClientError::Unreachable { url, reason } => cat.t_args(
            "service-unreachable",
            &[("url", url.into()), ("reason", reason.into())],
        ),
        ClientError::Refused {
            url,
            status,
            reason,
        } => cat.t_args(
            "service-refused",
            &[
                ("url", url.into()),
                ("status", (*status).into()),
                ("reason", reason.into()),
            ],
        ),
        ClientError::NotEnrolled { path } => cat.t_args(
            "service-not-enrolled",
            &[("path", path.display().to_string().into())],
        ),
        ClientError::Io { .. } | ClientError::Invalid(_) => return e,
    };
    anyhow::anyhow!(text)
}

/// `scan --upload`: sends the finished document and returns the line to show on standard
/// error: the upload ids, or why it was not sent (the document then waits in the spool,
/// except when the machine is not enrolled). Never an error: the scan does not fail.
pub fn upload_after_scan(doc: &praxcheck_model::Document, cat: &Catalog) -> Result<String, String> {
    let res = doc
        .to_json_pretty()
        .map_err(anyhow::Error::from)
        .and_then(|json| {
            state_dir().and_then(|s| commands::upload_documents(&s, &[json.into_bytes()]))
        });
    match res {
        Ok(ids) => {
            let ids = ids.split_whitespace().collect::<Vec<_>>().join(", ");
            Ok(cat.t_args("service-scan-uploaded", &[("ids", ids.into())]))
        }
        Err(e) => Err(cat.t_args(
            "service-scan-not-uploaded",
            &[("reason", format!("{:#}", explain(e, cat)).into())],
        )),
    }
}
