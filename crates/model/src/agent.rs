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
