//! Failure injection for the crash tests: named points between the steps of a fix and an
//! undo, where a test can make the step fail (an I/O error) or the process die on the spot.
//!
//! The engine asks its [`FailHook`] at every point. Production code passes [`NoFail`]. The
//! environment-driven hook ([`from_env`]) exists only in builds with debug assertions (the
//! test builds); in a release build [`from_env`] always returns `None`, so no release run
//! can be made to fail on purpose.

use std::sync::atomic::{AtomicUsize, Ordering};

/// A point between two steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FailPoint {
    /// The copy of the original is written to a temporary file in the backup folder.
    BackupTempWritten,
    /// The copy of the original is synced and renamed to its final name.
    BackupWritten,
    /// A new manifest was written to its temporary file (every manifest update).
    ManifestTempWritten,
    /// The manifest records the pending change.
    ManifestPending,
    /// The fixed archive is written to its temporary file next to the original.
    TempWritten,
    /// The temporary file was re-read and checked.
    TempVerified,
    /// Owner, mode and modification time are set and the temporary file is synced.
    TempSynced,
    /// The manifest records the SHA-256 of the fixed file.
    ManifestReady,
    /// The temporary file was renamed over the original.
    Renamed,
    /// The folder was synced after the rename.
    DirSynced,
    /// The manifest records the change as applied.
    ManifestApplied,
    /// Undo: the manifest records that the original is being restored.
    UndoManifestRestoring,
    /// Undo: the original is written to a temporary file next to the target.
    UndoTempWritten,
    /// Undo: metadata set and the temporary file synced.
    UndoTempSynced,
    /// Undo: renamed over the fixed file.
    UndoRenamed,
    /// Undo: folder synced.
    UndoDirSynced,
    /// Undo: the manifest records the original as restored.
    UndoManifestRestored,
    /// Undo: the saved copy was deleted.
    UndoObjectRemoved,
}

impl FailPoint {
    /// Every point, in the order a fix and an undo pass them.
    pub const ALL: [FailPoint; 18] = [
        FailPoint::BackupTempWritten,
        FailPoint::BackupWritten,
        FailPoint::ManifestTempWritten,
        FailPoint::ManifestPending,
        FailPoint::TempWritten,
        FailPoint::TempVerified,
        FailPoint::TempSynced,
        FailPoint::ManifestReady,
        FailPoint::Renamed,
        FailPoint::DirSynced,
        FailPoint::ManifestApplied,
        FailPoint::UndoManifestRestoring,
        FailPoint::UndoTempWritten,
        FailPoint::UndoTempSynced,
        FailPoint::UndoRenamed,
        FailPoint::UndoDirSynced,
        FailPoint::UndoManifestRestored,
        FailPoint::UndoObjectRemoved,
    ];

    /// The points a fix passes.
    #[must_use]
    pub fn fix_points() -> Vec<FailPoint> {
        Self::ALL.iter().copied().filter(|p| !p.is_undo()).collect()
    }

    /// The points an undo passes.
    #[must_use]
    pub fn undo_points() -> Vec<FailPoint> {
        let mut v: Vec<FailPoint> = Self::ALL.iter().copied().filter(|p| p.is_undo()).collect();
        v.push(FailPoint::ManifestTempWritten);
        v
    }

    /// Whether the point belongs to an undo.
    #[must_use]
    pub fn is_undo(self) -> bool {
        self.name().starts_with("undo-")
    }

    /// Its name (kebab case), as used in `PRAXCHECK_FIX_FAILPOINT`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            FailPoint::BackupTempWritten => "backup-temp-written",
            FailPoint::BackupWritten => "backup-written",
            FailPoint::ManifestTempWritten => "manifest-temp-written",
            FailPoint::ManifestPending => "manifest-pending",
            FailPoint::TempWritten => "temp-written",
            FailPoint::TempVerified => "temp-verified",
            FailPoint::TempSynced => "temp-synced",
            FailPoint::ManifestReady => "manifest-ready",
            FailPoint::Renamed => "renamed",
            FailPoint::DirSynced => "dir-synced",
            FailPoint::ManifestApplied => "manifest-applied",
            FailPoint::UndoManifestRestoring => "undo-manifest-restoring",
            FailPoint::UndoTempWritten => "undo-temp-written",
            FailPoint::UndoTempSynced => "undo-temp-synced",
            FailPoint::UndoRenamed => "undo-renamed",
            FailPoint::UndoDirSynced => "undo-dir-synced",
            FailPoint::UndoManifestRestored => "undo-manifest-restored",
            FailPoint::UndoObjectRemoved => "undo-object-removed",
        }
    }

    /// Parses a name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|p| p.name() == s)
    }
}

/// Decides what happens at a failure point.
pub trait FailHook: Send + Sync {
    /// Called at every point; an error makes the current step fail. A hook may also end
    /// the process (a simulated crash).
    ///
    /// # Errors
    /// When the hook wants the step to fail.
    fn check(&self, point: FailPoint) -> Result<(), InjectedFailure>;
}

/// A failure a hook injected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("injected failure at {}", .0.name())]
pub struct InjectedFailure(pub FailPoint);

/// The production hook: never fails.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoFail;

impl FailHook for NoFail {
    fn check(&self, _: FailPoint) -> Result<(), InjectedFailure> {
        Ok(())
    }
}

/// What a triggered point does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailMode {
    /// The step fails with an error; the program handles it.
    Error,
    /// The process aborts on the spot (no destructors, no cleanup), like a power cut.
    Crash,
}

/// Fails at the `nth` time (1-based) the given point is reached.
#[derive(Debug)]
pub struct FailAt {
    point: FailPoint,
    nth: usize,
    mode: FailMode,
    seen: AtomicUsize,
    delay_ms: u64,
}

impl FailAt {
    /// A hook failing at the `nth` pass of `point`.
    #[must_use]
    pub fn new(point: FailPoint, nth: usize, mode: FailMode) -> Self {
        Self {
            point,
            nth,
            mode,
            seen: AtomicUsize::new(0),
            delay_ms: 0,
        }
    }
}

impl FailHook for FailAt {
    fn check(&self, point: FailPoint) -> Result<(), InjectedFailure> {
        if self.delay_ms > 0 {
            std::thread::sleep(std::time::Duration::from_millis(self.delay_ms));
        }
        if point != self.point {
            return Ok(());
        }
        let n = self.seen.fetch_add(1, Ordering::SeqCst) + 1;
        if n != self.nth {
            return Ok(());
        }
        match self.mode {
            FailMode::Error => Err(InjectedFailure(point)),
            FailMode::Crash => std::process::abort(),
        }
    }
}

/// Only slows every step down (so that a test's random kill lands between steps).
#[derive(Debug)]
struct Delay(u64);

impl FailHook for Delay {
    fn check(&self, _: FailPoint) -> Result<(), InjectedFailure> {
        std::thread::sleep(std::time::Duration::from_millis(self.0));
        Ok(())
    }
}

/// The environment variable naming a failure point: `<point>[:<nth>[:error|crash]]`.
pub const ENV_FAILPOINT: &str = "PRAXCHECK_FIX_FAILPOINT";
/// The environment variable asking for a pause (milliseconds) at every point.
pub const ENV_STEP_DELAY: &str = "PRAXCHECK_FIX_STEP_DELAY_MS";

/// A hook configured by [`ENV_FAILPOINT`] and [`ENV_STEP_DELAY`], in test builds only.
/// Release builds (no debug assertions) always get `None`.
#[must_use]
pub fn from_env() -> Option<Box<dyn FailHook>> {
    if !cfg!(debug_assertions) {
        return None;
    }
    let delay_ms = std::env::var(ENV_STEP_DELAY)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    let spec = std::env::var(ENV_FAILPOINT).ok().filter(|s| !s.is_empty());
    match spec {
        Some(spec) => {
            let mut parts = spec.split(':');
            let point = FailPoint::parse(parts.next().unwrap_or(""))?;
            let nth = parts.next().and_then(|n| n.parse().ok()).unwrap_or(1);
            let mode = match parts.next() {
                Some("error") => FailMode::Error,
                _ => FailMode::Crash,
            };
            let mut hook = FailAt::new(point, nth, mode);
            hook.delay_ms = delay_ms;
            Some(Box::new(hook))
        }
        None if delay_ms > 0 => Some(Box::new(Delay(delay_ms))),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut names: Vec<&str> = FailPoint::ALL.iter().map(|p| p.name()).collect();
        for p in FailPoint::ALL {
            assert_eq!(FailPoint::parse(p.name()), Some(p));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FailPoint::ALL.len());
    }

    #[test]
    fn fails_only_at_the_nth_pass() {
        let h = FailAt::new(FailPoint::Renamed, 2, FailMode::Error);
        assert!(h.check(FailPoint::TempWritten).is_ok());
        assert!(h.check(FailPoint::Renamed).is_ok());
        assert_eq!(
            h.check(FailPoint::Renamed),
            Err(InjectedFailure(FailPoint::Renamed))
        );
        assert!(h.check(FailPoint::Renamed).is_ok());
    }
}
