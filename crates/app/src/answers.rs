//! The answers file on disk: read (a missing file is no answers yet) and written
//! atomically. Parsing and its checks are `praxcheck_assess::Answers`'s.

use std::path::{Path, PathBuf};

use praxcheck_assess::Answers;

/// Errors reading or writing the answers file.
#[derive(Debug, thiserror::Error)]
pub enum AnswersError {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// Not an answers file.
    #[error("{path}: not a praxcheck answers file: {reason}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

/// Reads the file; a missing file is an empty set of answers.
///
/// # Errors
/// When the file exists but cannot be read or parsed, or is from a newer program.
pub fn load(path: &Path) -> Result<Answers, AnswersError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Answers::default()),
        Err(e) => {
            return Err(AnswersError::Io {
                path: path.to_owned(),
                source: e,
            });
        }
    };
    Answers::from_json(&bytes).map_err(|e| AnswersError::Parse {
        path: path.to_owned(),
        reason: e.reason,
    })
}

/// Writes the file atomically (temporary file, sync, rename), creating its folder.
///
/// # Errors
/// When the folder cannot be created or the file written.
pub fn save(answers: &Answers, path: &Path) -> Result<(), AnswersError> {
    let err = |e| AnswersError::Io {
        path: path.to_owned(),
        source: e,
    };
    let json = answers.to_json().map_err(|e| AnswersError::Parse {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    praxcheck_sys::write_atomic(path, &json).map_err(err)
}

/// The answers for a run. A file named explicitly must be readable; the default file in
/// the state folder is skipped when it is not (another user's state folder, for example):
/// then the answers are empty and the error is returned as a note for the user.
///
/// # Errors
/// When the explicitly named file cannot be used.
pub fn load_for_run(
    explicit: Option<&Path>,
) -> Result<(Answers, Option<AnswersError>), AnswersError> {
    match (explicit, crate::folders::answers_path(explicit)) {
        (Some(_), Some(p)) => load(&p).map(|a| (a, None)),
        (None, Some(p)) => Ok(match load(&p) {
            Ok(a) => (a, None),
            Err(e) => (Answers::default(), Some(e)),
        }),
        _ => Ok((Answers::default(), None)),
    }
}
