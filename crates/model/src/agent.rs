//! The scheduled agent's state file (`<state>/agent/last-run.json`, issue 15): what the
//! last `praxcheck agent run` did. A state file, not part of the document; kept here because
//! every type that reaches JSON lives in this crate.

use serde::{Deserialize, Serialize};

/// Format version of the agent state file.
pub const AGENT_STATE_FORMAT: u32 = 1;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunResult {
    /// The scan ran; nothing at or above the threshold is open.
    Ok,
    /// The scan ran; findings at or above the threshold are open.
    Findings,
    /// The scan could not run or was stopped (see `detail`).
    Failed,
    /// The scan is still running (written when it starts).
    Running,
}

/// What happened to the upload after a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum UploadState {
    /// No enrollment in the state folder: reports stay local.
    NotEnrolled,
    /// Enrolled, but this build has no upload connected to the agent.
    NotConnected,
    /// Uploaded.
    Uploaded {
        /// What the server answered (an identifier, no content).
        detail: String,
    },
    /// The upload failed; the report stays local and the next run tries again.
    Failed {
        /// Why.
        reason: String,
    },
}

/// One run of the agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentRun {
    /// Format version, see [`AGENT_STATE_FORMAT`].
    pub format: u32,
    /// When the run started (RFC 3339, UTC).
    pub started_at: String,
    /// When it ended (RFC 3339, UTC); `None` while it runs.
    pub finished_at: Option<String>,
    /// How it ended.
    pub result: RunResult,
    /// The scan's exit code (0 ok, 1 findings, 2 could not run); `None` when it was killed.
    pub exit_code: Option<i32>,
    /// Why it failed, when it did (names the program or file and the reason).
    pub detail: Option<String>,
    /// The JSON document this run wrote into the report folder.
    pub document: Option<String>,
    /// Reports removed by rotation in this run.
    pub rotated: u32,
    /// The upload.
    pub upload: Option<UploadState>,
}

/// Format version of the repeat-scan cache file.
pub const CACHE_FORMAT: u32 = 1;

/// The repeat-scan cache (`<state>/agent/cache/javascan.json`): facts per file on disk, valid
/// only for the scanner build and the limits named in the header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CacheFile {
    /// Format version, see [`CACHE_FORMAT`].
    pub format: u32,
    /// The scanner build that produced the facts (version and a hash of its sources).
    pub scanner: String,
    /// The per-file limits the facts were read with.
    pub limits: String,
    /// The run counter of the last save.
    pub generation: u64,
    /// One entry per file.
    pub entries: Vec<CacheEntry>,
}

/// The facts of one file and what must be equal for them to be reused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CacheEntry {
    /// The path as the walk reached it.
    pub path: String,
    /// Device.
    pub dev: u64,
    /// Inode.
    pub ino: u64,
    /// Size in bytes.
    pub size: u64,
    /// Modification time: seconds and nanoseconds.
    pub mtime: (i64, i64),
    /// Status change time: seconds and nanoseconds.
    pub ctime: (i64, i64),
    /// CRC-32 of the archive's end-of-central-directory record (with its comment).
    pub eocd_crc: Option<u32>,
    /// The run in which the file was last seen.
    pub seen: u64,
    /// The components found in it.
    pub components: Vec<crate::Component>,
    /// Entries not (fully) read.
    pub unreadable: Vec<crate::Unreadable>,
    /// Counters of reading it.
    pub stats: crate::ScanStats,
}
