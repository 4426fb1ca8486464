//! Documents and facts read back from files (`praxcheck report --from/--compare/--facts`):
//! regular files only, capped before allocating (issue 11), so a FIFO never hangs and a
//! huge file is refused.

use std::path::{Path, PathBuf};

use praxcheck_advisories::Facts;
use praxcheck_model::Document;

use crate::{Pipeline, Run};

/// A stored input that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoredError {
    /// A document could not be read or is not a praxcheck document.
    #[error("{}", path.display())]
    Document {
        /// The file.
        path: PathBuf,
        /// Why.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A facts file could not be read or parsed.
    #[error("{}", path.display())]
    Facts {
        /// The file.
        path: PathBuf,
        /// Why.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The file itself could not be read (not a regular file, too large, I/O). The read
    /// error names the file, so it is the message, not a source: printed once.
    #[error("{error}")]
    Read {
        /// Whether it was to be a document or facts.
        facts: bool,
        /// Why, with the file's name.
        error: praxcheck_model::read::ReadError,
    },
}

impl StoredError {
    /// The catalogue key that says what could not be read.
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            Self::Document { .. } => "error-read-document",
            Self::Facts { .. } | Self::Read { facts: true, .. } => "error-read-facts",
            Self::Read { facts: false, .. } => "error-read-document",
        }
    }
}

/// Reads a stored document.
///
/// # Errors
/// When the file is not a regular file, too large, unreadable or not a document.
pub fn read_document(p: &Path) -> Result<Document, StoredError> {
    let err = |source: Box<dyn std::error::Error + Send + Sync>| StoredError::Document {
        path: p.to_owned(),
        source,
    };
    let bytes =
        praxcheck_model::read::read_regular_capped(p, praxcheck_model::read::MAX_DOCUMENT_BYTES)
            .map_err(|error| StoredError::Read {
                facts: false,
                error,
            })?;
    Document::from_json(&bytes).map_err(|e| err(e.into()))
}

/// Reads a facts file (JSON, see RULES.md).
///
/// # Errors
/// When the file cannot be read or parsed.
pub fn read_facts(p: &Path) -> Result<Facts, StoredError> {
    let err = |source: Box<dyn std::error::Error + Send + Sync>| StoredError::Facts {
        path: p.to_owned(),
        source,
    };
    // Capped and regular files only, like documents: a FIFO given as --facts never hangs.
    let bytes =
        praxcheck_model::read::read_regular_capped(p, praxcheck_model::read::MAX_DOCUMENT_BYTES)
            .map_err(|error| StoredError::Read { facts: true, error })?;
    let text = String::from_utf8(bytes).map_err(|e| err(e.into()))?;
    praxcheck_assess::facts::from_json(&text).map_err(|e| err(e.into()))
}

/// `praxcheck report`: the stored documents assessed (with the facts at the same
/// position), compared with the earlier runs' documents when there are any.
///
/// # Errors
/// The first input that cannot be read.
pub fn report(
    pipeline: &Pipeline<'_>,
    from: &[PathBuf],
    facts: &[PathBuf],
    compare: &[PathBuf],
) -> Result<Run, StoredError> {
    let docs = from
        .iter()
        .map(|p| read_document(p))
        .collect::<Result<Vec<_>, _>>()?;
    let facts = facts
        .iter()
        .map(|p| read_facts(p))
        .collect::<Result<Vec<_>, _>>()?;
    let mut run = pipeline.assess(docs, &facts);
    if !compare.is_empty() {
        let old = compare
            .iter()
            .map(|p| read_document(p))
            .collect::<Result<Vec<_>, _>>()?;
        pipeline.compare_with(&mut run, old);
    }
    Ok(run)
}
