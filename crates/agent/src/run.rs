//! `praxcheck agent run`: what the timer executes. One whole-computer scan in a child
//! process (the same program's `scan`, writing its HTML and JSON into the report folder),
//! under a lock so that two runs never overlap, with limits set on itself that the child
//! inherits, bounded in time; then the report folder is rotated ([`REPORTS_KEPT`] scans
//! kept), the upload runs when an enrollment exists, and the state file records the run.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use praxcheck_model::agent::{AGENT_STATE_FORMAT, AgentRun, RunResult, UploadState};

use crate::AgentError;
use crate::install::{agent_dir, make_dir, state_file, write_atomic};

/// How many scans (each an HTML report and a JSON document) the report folder keeps per
/// computer; older ones are removed after each run.
pub const REPORTS_KEPT: usize = 30;

/// The address-space ceiling the run sets on itself (and its scan inherits), a second
/// guard under systemd's `MemoryMax=`: 4 GiB. Address space is not memory in use (each
/// thread reserves some), so it is set well above [`crate::units::MEMORY_MAX`]; what
/// really holds the scan to the ceiling is the unit's cgroup limit.
pub const ADDRESS_SPACE_LIMIT: u64 = 4 << 30;

/// The niceness the run gives itself when started outside the unit.
pub const NICENESS: i32 = 19;

/// The enrollment (credential) file that `praxcheck enroll` (the service's agent side,
/// `praxcheck_server::client`) writes below the state folder.
pub const ENROLLMENT_FILE: &str = "agent/credential.json";

/// How a run is carried out.
#[derive(Debug)]
pub struct RunOptions {
    /// The state folder.
    pub state_dir: PathBuf,
    /// The report folder.
    pub report_dir: PathBuf,
    /// The scan to run (a whole-computer `praxcheck scan`), prepared by the caller; its
    /// exit code 0 = ok, 1 = findings, anything else = failed.
    pub scan: Command,
    /// Stop the scan after this long.
    pub timeout: Duration,
    /// Scans kept in the report folder.
    pub keep: usize,
}

/// What [`run`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The run happened; its record (also in the state file).
    Ran(AgentRun),
    /// Another run holds the lock; nothing was done.
    AlreadyRunning,
}

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The lock of the agent's run: an advisory lock on `<state>/agent/run.lock`, held for the
/// life of the returned file and released by the kernel when the process ends (also on a
/// crash, so a stale lock never blocks the next day).
///
/// # Errors
/// The lock file cannot be created.
pub fn try_lock(state_dir: &Path) -> Result<Option<File>, AgentError> {
    let dir = agent_dir(state_dir);
    make_dir(&dir, 0o700)?;
    let path = dir.join("run.lock");
    let f = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| AgentError::Io {
            path: path.clone(),
            source: e,
        })?;
    // A few short retries: a process forked by another thread of this program holds a copy
    // of the descriptor (and so the lock) until it starts its program. A real earlier run
    // holds it far longer.
    for _ in 0..10 {
        match f.try_lock() {
            Ok(()) => return Ok(Some(f)),
            Err(std::fs::TryLockError::WouldBlock) => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(AgentError::Io { path, source: e });
            }
        }
    }
    Ok(None)
}

/// Lowers this process's priority and caps its address space; the scan started from it
/// inherits both. Best effort: a limit that cannot be set is returned as a note.
#[must_use]
pub fn limit_self() -> Vec<String> {
    #[cfg_attr(not(unix), allow(unused_mut))] // only the unix limits add notes
    let mut notes = Vec::new();
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, getpriority_process, setpriority_process};
        if getpriority_process(None).is_ok_and(|p| p < NICENESS)
            && let Err(e) = setpriority_process(None, NICENESS)
        {
            notes.push(format!("niceness {NICENESS}: {e}"));
        }
        let cur = rustix::process::getrlimit(Resource::As);
        let wanted = cur
            .maximum
            .map_or(ADDRESS_SPACE_LIMIT, |m| m.min(ADDRESS_SPACE_LIMIT));
        if cur.current.is_none_or(|c| c > wanted)
            && let Err(e) = rustix::process::setrlimit(
                Resource::As,
                Rlimit {
                    current: Some(wanted),
                    maximum: cur.maximum,
                },
            )
        {
            notes.push(format!("address space {wanted}: {e}"));
        }
    }
    notes
}

fn write_state(state_dir: &Path, r: &AgentRun) -> Result<(), AgentError> {
    let mut bytes = serde_json::to_vec_pretty(r).map_err(|e| AgentError::Json {
        path: state_file(state_dir),
        reason: e.to_string(),
    })?;
    bytes.push(b'\n');
    write_atomic(&state_file(state_dir), &bytes, 0o600)
}

/// Reads the last run's record, if any.
///
/// # Errors
/// The state file exists but cannot be read or parsed.
pub fn read_state(state_dir: &Path) -> Result<Option<AgentRun>, AgentError> {
    let p = state_file(state_dir);
    match std::fs::read(&p) {
        Ok(b) => serde_json::from_slice(&b)
            .map(Some)
            .map_err(|e| AgentError::Json {
                path: p,
                reason: e.to_string(),
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(AgentError::Io { path: p, source: e }),
    }
}

/// Waits for the child, killing it after `timeout`. Returns its exit code (`None` when it
/// was killed or ended by a signal) and a reason when it did not end normally.
fn wait_bounded(
    child: &mut std::process::Child,
    timeout: Duration,
) -> (Option<i32>, Option<String>) {
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(st)) => {
                return (
                    st.code(),
                    st.code()
                        .is_none()
                        .then(|| format!("the scan ended by a signal ({st})")),
                );
            }
            Ok(None) => {}
            Err(e) => return (None, Some(format!("waiting for the scan: {e}"))),
        }
        if start.elapsed() >= timeout {
            let _ = child.kill();
            let _ = child.wait();
            return (
                None,
                Some(format!(
                    "the scan took longer than {} s and was stopped",
                    timeout.as_secs()
                )),
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The reports of whole-computer scans in the folder, grouped by scan: (base name without
/// extension, newest modification time of its files), newest first per host.
fn report_sets(dir: &Path) -> Vec<(String, Vec<PathBuf>)> {
    let mut sets: std::collections::BTreeMap<String, Vec<PathBuf>> = Default::default();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    for e in rd.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(base) = name
            .strip_suffix(".json")
            .or_else(|| name.strip_suffix(".html"))
        else {
            continue;
        };
        if !base.starts_with("praxcheck-") || !e.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        sets.entry(base.to_owned()).or_default().push(e.path());
    }
    sets.into_iter().collect()
}

/// Keeps the newest `keep` scans of each computer in the report folder and removes the
/// rest. A scan is `praxcheck-<host>-<YYYYMMDD-HHMMSS…>.{json,html}`; the time stamp sorts
/// as text, so the order needs no clock. Returns the number of files removed.
///
/// # Errors
/// A file that cannot be removed.
pub fn rotate(dir: &Path, keep: usize) -> Result<u32, AgentError> {
    // host → [(stamp, files)]
    let mut by_host: std::collections::BTreeMap<String, Vec<(String, Vec<PathBuf>)>> =
        Default::default();
    for (base, files) in report_sets(dir) {
        let rest = &base["praxcheck-".len()..];
        // The stamp is the last two dash-separated parts (date and time).
        let mut parts: Vec<&str> = rest.rsplitn(3, '-').collect();
        if parts.len() < 3 {
            continue;
        }
        let host = parts.pop().unwrap_or_default().to_owned();
        let stamp = format!("{}-{}", parts[1], parts[0]);
        if !stamp.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            continue;
        }
        by_host.entry(host).or_default().push((stamp, files));
    }
    let mut removed = 0;
    for (_, mut scans) in by_host {
        scans.sort_by(|a, b| b.0.cmp(&a.0));
        for (_, files) in scans.into_iter().skip(keep) {
            for f in files {
                std::fs::remove_file(&f).map_err(|e| AgentError::Io { path: f, source: e })?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// The JSON documents in the report folder with their modification times.
fn documents(dir: &Path) -> Vec<(SystemTime, PathBuf)> {
    report_sets(dir)
        .into_iter()
        .flat_map(|(_, files)| files)
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .collect()
}

/// The newest JSON document in the report folder that was not there (or not so) before.
fn new_document(dir: &Path, before: &[(SystemTime, PathBuf)]) -> Option<PathBuf> {
    documents(dir)
        .into_iter()
        .filter(|d| !before.contains(d))
        .max()
        .map(|(_, p)| p)
}

/// Whether an enrollment exists in the state folder.
#[must_use]
pub fn enrolled(state_dir: &Path) -> bool {
    state_dir.join(ENROLLMENT_FILE).is_file()
}

/// Runs the agent once. `upload` is called after a scan that wrote a document, only when an
/// enrollment exists, with the state folder and the document; it returns what happened.
///
/// # Errors
/// The lock or the state file cannot be written (a failing scan is a recorded result, not
/// an error).
pub fn run(
    mut opts: RunOptions,
    upload: &dyn Fn(&Path, &Path) -> UploadState,
) -> Result<Outcome, AgentError> {
    let Some(_lock) = try_lock(&opts.state_dir)? else {
        return Ok(Outcome::AlreadyRunning);
    };
    make_dir(&opts.report_dir, 0o750)?;
    let before = documents(&opts.report_dir);
    let mut rec = AgentRun {
        format: AGENT_STATE_FORMAT,
        started_at: now_rfc3339(),
        finished_at: None,
        result: RunResult::Running,
        exit_code: None,
        detail: None,
        document: None,
        rotated: 0,
        upload: None,
    };
    write_state(&opts.state_dir, &rec)?;
    let program = opts.scan.get_program().to_string_lossy().into_owned();
    let (code, detail) = match opts.scan.spawn() {
        Ok(mut child) => wait_bounded(&mut child, opts.timeout),
        Err(e) => (None, Some(format!("{program}: {e}"))),
    };
    rec.exit_code = code;
    rec.result = match code {
        Some(0) => RunResult::Ok,
        Some(1) => RunResult::Findings,
        _ => RunResult::Failed,
    };
    rec.detail = detail.or_else(|| {
        (rec.result == RunResult::Failed)
            .then(|| format!("{program} scan exited with code {}", code.unwrap_or(-1)))
    });
    let doc = new_document(&opts.report_dir, &before);
    rec.document = doc.as_ref().map(|p| p.display().to_string());
    match rotate(&opts.report_dir, opts.keep.max(1)) {
        Ok(n) => rec.rotated = n,
        Err(e) => {
            let d = rec
                .detail
                .take()
                .map(|d| format!("{d}; "))
                .unwrap_or_default();
            rec.detail = Some(format!("{d}rotation: {e}"));
        }
    }
    rec.upload = Some(match (&doc, enrolled(&opts.state_dir)) {
        (_, false) => UploadState::NotEnrolled,
        (Some(d), true) => upload(&opts.state_dir, d),
        (None, true) => UploadState::Failed {
            reason: "the scan wrote no document".to_owned(),
        },
    });
    rec.finished_at = Some(now_rfc3339());
    write_state(&opts.state_dir, &rec)?;
    Ok(Outcome::Ran(rec))
}
