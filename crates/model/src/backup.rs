//! The backup manifest of `praxcheck fix`: which file was changed, what it looked like
//! before and after (SHA-256), where the saved original lies, and how far each change got.
//!
//! The manifest is state, not a report: it lives in the backup folder next to the saved
//! originals and is rewritten atomically after every step, so that an interrupted run can
//! be finished or rolled back by the next one.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::location::PathSegment;

/// Version of the manifest format. Readers refuse newer versions.
pub const BACKUP_MANIFEST_VERSION: u32 = 1;

/// How far the change of one file got.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum BackupState {
    /// The original is saved; the fixed file is being written next to it. The original may
    /// or may not have been replaced yet (the next run finds out by its SHA-256).
    Pending,
    /// The fixed file replaced the original.
    Applied,
    /// `fix --undo` is putting the original back.
    Restoring,
    /// The original was put back; the saved copy was removed.
    Restored,
}

/// One changed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BackupRecord {
    /// Unique id of this change.
    pub id: String,
    /// The file that was changed (absolute, symbolic links resolved).
    pub path: PathSegment,
    /// How far the change got.
    pub state: BackupState,
    /// SHA-256 (hex) of the original.
    pub sha256_before: String,
    /// Size of the original in bytes.
    pub size_before: u64,
    /// SHA-256 (hex) of the fixed file, once it is written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256_after: Option<String>,
    /// Size of the fixed file, once it is written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_after: Option<u64>,
    /// The saved original, relative to the backup folder (`objects/<sha256>`).
    pub object: String,
    /// The temporary file next to the target while a step is in progress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temp: Option<PathSegment>,
    /// What was removed, as nested locations (`inner.jar!/org/…/JndiLookup.class`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
    /// Unix permission bits of the original.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<u32>,
    /// Owner (user id) of the original.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<u32>,
    /// Group id of the original.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gid: Option<u32>,
    /// Modification time of the original, nanoseconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtime_unix_ns: Option<i64>,
    /// When the change was made, RFC 3339 UTC.
    pub fixed_at: String,
    /// When the original was put back, RFC 3339 UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored_at: Option<String>,
    /// When `--undo --force` replaced a file that had changed since the fix, the saved copy of
    /// that file (`objects/<sha256>`), so that nothing is lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_object: Option<String>,
    /// The praxcheck version that made the change.
    pub tool_version: String,
}

/// Errors reading a backup manifest.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The text is not a valid manifest.
    #[error("not a praxcheck backup manifest: {0}")]
    Parse(#[from] serde_json::Error),
    /// Written by a newer praxcheck.
    #[error(
        "backup manifest version {found} is newer than this program supports ({supported}); please update praxcheck"
    )]
    TooNew {
        /// Version in the manifest.
        found: u32,
        /// Version this program writes.
        supported: u32,
    },
}

/// The manifest: every change `praxcheck fix` made with this backup folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BackupManifest {
    /// Format version, see [`BACKUP_MANIFEST_VERSION`].
    pub manifest_version: u32,
    /// The changes, oldest first.
    pub records: Vec<BackupRecord>,
}

impl Default for BackupManifest {
    fn default() -> Self {
        Self {
            manifest_version: BACKUP_MANIFEST_VERSION,
            records: Vec::new(),
        }
    }
}

impl BackupManifest {
    /// Parses a manifest, refusing newer format versions.
    ///
    /// # Errors
    /// When the text is not a manifest or its version is newer than this program knows.
    pub fn from_json(bytes: &[u8]) -> Result<Self, ManifestError> {
        let m: Self = serde_json::from_slice(bytes)?;
        if m.manifest_version > BACKUP_MANIFEST_VERSION {
            return Err(ManifestError::TooNew {
                found: m.manifest_version,
                supported: BACKUP_MANIFEST_VERSION,
            });
        }
        Ok(m)
    }

    /// The manifest as pretty JSON.
    ///
    /// # Errors
    /// Never in practice (all types serialize).
    pub fn to_json_pretty(&self) -> Result<String, ManifestError> {
        Ok(serde_json::to_string_pretty(self)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_newer_versions() {
        let mut m = BackupManifest::default();
        m.records.push(BackupRecord {
            id: "r1".into(),
            path: PathSegment::from_bytes(b"/opt/M\xfcller/app.jar"),
            state: BackupState::Applied,
            sha256_before: "aa".into(),
            size_before: 10,
            sha256_after: Some("bb".into()),
            size_after: Some(9),
            object: "objects/aa".into(),
            temp: None,
            removed: vec!["x.jar!/lookup/JndiLookup.class".into()],
            mode: Some(0o644),
            uid: Some(0),
            gid: Some(0),
            mtime_unix_ns: Some(1),
            fixed_at: "2026-01-01T00:00:00Z".into(),
            restored_at: None,
            replaced_object: None,
            tool_version: "0.1.0".into(),
        });
        let json = m.to_json_pretty().unwrap();
        assert_eq!(BackupManifest::from_json(json.as_bytes()).unwrap(), m);
        let newer = json.replace("\"manifest_version\": 1", "\"manifest_version\": 99");
        assert!(BackupManifest::from_json(newer.as_bytes()).is_err());
    }
}
