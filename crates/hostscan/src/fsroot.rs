//! File access below a root folder: `/etc/os-release` is read as `<root>/etc/os-release`,
//! so tests run the Linux collector on fake system trees.

use std::path::{Path, PathBuf};

use praxcheck_model::UnknownReason;

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// It does not exist.
    NotFound,
    /// The operating system refused access.
    Denied(String),
    /// Another error.
    Other(String),
}

impl ReadError {
    /// The unknown-reason for a fact that needed this file.
    #[must_use]
    pub fn reason(&self) -> UnknownReason {
        match self {
            ReadError::Denied(_) => UnknownReason::NeedsPrivilege,
            ReadError::NotFound | ReadError::Other(_) => UnknownReason::Unreadable,
        }
    }

    fn from_io(e: &std::io::Error, shown: &str) -> Self {
        match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::NotFound,
            std::io::ErrorKind::PermissionDenied => {
                ReadError::Denied(format!("{shown}: permission denied"))
            }
            _ => ReadError::Other(format!("{shown}: {e}")),
        }
    }

    /// Why a fact that needed this file is unknown.
    #[must_use]
    pub fn why(&self, shown: &str) -> crate::facts::Why {
        crate::facts::Why::new(
            self.reason(),
            praxcheck_model::UnknownSaid::FileUnreadable {
                file: shown.to_owned(),
            },
            self.message(shown),
        )
    }

    /// A message naming the file.
    #[must_use]
    pub fn message(&self, shown: &str) -> String {
        match self {
            ReadError::NotFound => format!("{shown}: not found"),
            ReadError::Denied(m) | ReadError::Other(m) => m.clone(),
        }
    }
}

/// A system tree below a root folder.
#[derive(Debug, Clone)]
pub struct Fs {
    root: PathBuf,
}

/// Text configuration files larger than this are not read whole.
pub const TEXT_LIMIT: u64 = 8 * 1024 * 1024;

impl Fs {
    /// A tree below `root`.
    #[must_use]
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
        }
    }

    /// The root folder.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The real path of a system path (`/etc/x` → `<root>/etc/x`).
    #[must_use]
    pub fn path(&self, abs: &str) -> PathBuf {
        self.root.join(abs.trim_start_matches('/'))
    }

    /// Reads a file (at most `limit` bytes).
    ///
    /// # Errors
    /// [`ReadError`] naming the system path.
    pub fn read(&self, abs: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        crate::exec::read_limited(&self.path(abs), limit).map_err(|e| ReadError::from_io(&e, abs))
    }

    /// Reads a text file (invalid UTF-8 replaced), at most [`TEXT_LIMIT`] bytes.
    ///
    /// # Errors
    /// [`ReadError`] naming the system path.
    pub fn text(&self, abs: &str) -> Result<String, ReadError> {
        self.read(abs, TEXT_LIMIT)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    /// Whether a path exists (without following a final symbolic link's absence).
    #[must_use]
    pub fn exists(&self, abs: &str) -> bool {
        std::fs::symlink_metadata(self.path(abs)).is_ok()
    }

    /// Whether a path is a folder.
    #[must_use]
    pub fn is_dir(&self, abs: &str) -> bool {
        self.path(abs).is_dir()
    }

    /// Names in a folder, sorted (empty when it cannot be read).
    #[must_use]
    pub fn list(&self, abs: &str) -> Vec<String> {
        self.try_list(abs).unwrap_or_default()
    }

    /// Names in a folder, sorted.
    ///
    /// # Errors
    /// [`ReadError`] naming the folder.
    pub fn try_list(&self, abs: &str) -> Result<Vec<String>, ReadError> {
        let rd = std::fs::read_dir(self.path(abs)).map_err(|e| ReadError::from_io(&e, abs))?;
        let mut v: Vec<String> = rd
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        Ok(v)
    }

    /// The target of a symbolic link, as text.
    #[must_use]
    pub fn read_link(&self, abs: &str) -> Option<String> {
        std::fs::read_link(self.path(abs))
            .ok()
            .map(|p| p.to_string_lossy().into_owned())
    }

    /// Modification time of a path.
    #[must_use]
    pub fn mtime(&self, abs: &str) -> Option<time::OffsetDateTime> {
        std::fs::metadata(self.path(abs))
            .and_then(|m| m.modified())
            .ok()
            .map(crate::facts::from_system_time)
    }

    /// The first of several files that exists, with its text.
    #[must_use]
    pub fn first_text(&self, candidates: &[&str]) -> Option<(String, String)> {
        candidates
            .iter()
            .find_map(|c| self.text(c).ok().map(|t| ((*c).to_owned(), t)))
    }

    /// Files in a folder whose name ends with `suffix` (full system paths), sorted.
    #[must_use]
    pub fn files_with_suffix(&self, dir: &str, suffix: &str) -> Vec<String> {
        self.list(dir)
            .into_iter()
            .filter(|n| n.ends_with(suffix))
            .map(|n| format!("{}/{}", dir.trim_end_matches('/'), n))
            .collect()
    }
}
