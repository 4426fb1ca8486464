//! Deterministic failures (injected I/O errors) at every step of a fix and an undo: after
//! each, every archive is the original or the fully fixed version, the backup is intact, no
//! temporary file is left, and a second run finishes the job. (The same points with a real
//! process crash and random SIGKILLs are tested against the binary in the cli crate.)

use std::path::PathBuf;
use std::sync::Arc;

use praxcheck_fix::{FailAt, FailMode, FailPoint, FixError, Outcome, UndoOutcome};
use praxcheck_model::backup::BackupState;

use crate::support::*;
use crate::undo::three;

struct World {
    _dir: tempfile::TempDir,
    apps: PathBuf,
    backup: PathBuf,
    /// (path, original SHA-256, fixed SHA-256)
    files: Vec<(PathBuf, String, String)>,
}

fn world(fixed_shas: &[String]) -> World {
    let dir = tempfile::tempdir().unwrap();
    let (apps, files) = three(dir.path());
    let files = files
        .into_iter()
        .zip(fixed_shas)
        .map(|((p, _), f)| {
            let s = sha(&p);
            (p, s, f.clone())
        })
        .collect();
    World {
        backup: dir.path().join("backup"),
        apps,
        files,
        _dir: dir,
    }
}

/// The fixed SHA-256 of each of the three archives (the rewrite is deterministic).
fn reference() -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let (apps, files) = three(dir.path());
    let (plan, _) = scan_plan(&apps, false);
    praxcheck_fix::apply(&plan, &opts(&dir.path().join("backup")), nofail()).unwrap();
    files.iter().map(|(p, _)| sha(p)).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Original,
    Fixed,
}

/// The invariants after any interruption. Returns each file's state.
fn check(w: &World, ctx: &str) -> Vec<State> {
    let audit = praxcheck_fix::audit(&w.backup).unwrap_or_else(|e| panic!("{ctx}: {e}"));
    assert!(
        audit.damaged.is_empty(),
        "{ctx}: damaged backups {:?}",
        audit.damaged
    );
    w.files
        .iter()
        .map(|(p, orig, fixed)| {
            let cur = sha(p);
            if &cur == orig {
                State::Original
            } else if &cur == fixed {
                // A fixed file always has its original saved and recorded.
                let rec = audit.records.iter().find(|r| {
                    r.path.display() == p.display().to_string()
                        && r.sha256_after.as_deref() == Some(fixed.as_str())
                        && matches!(
                            r.state,
                            BackupState::Pending | BackupState::Applied | BackupState::Restoring
                        )
                });
                assert!(
                    rec.is_some(),
                    "{ctx}: {} is fixed but no record keeps its original",
                    p.display()
                );
                State::Fixed
            } else {
                panic!(
                    "{ctx}: {} is neither the original nor the fixed version",
                    p.display()
                );
            }
        })
        .collect()
}

fn no_temp_files(w: &World, ctx: &str) {
    let left: Vec<String> = names_in(&w.apps)
        .into_iter()
        .filter(|n| n.contains(".praxcheck-"))
        .collect();
    assert!(left.is_empty(), "{ctx}: temporary files left: {left:?}");
    if w.backup.join("objects").exists() {
        let tmp: Vec<String> = names_in(&w.backup.join("objects"))
            .into_iter()
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(tmp.is_empty(), "{ctx}: {tmp:?}");
    }
}

fn fix_all(w: &World) {
    let (plan, _) = scan_plan(&w.apps, false);
    let r = praxcheck_fix::apply(&plan, &opts(&w.backup), nofail()).unwrap();
    for (fp, o) in &r.outcomes {
        assert!(
            matches!(o, Outcome::Fixed(_)),
            "{}: {o:?}",
            fp.path.display()
        );
    }
}

/// How often a point is passed when three files are fixed (or undone).
fn passes(p: FailPoint) -> usize {
    match p {
        FailPoint::ManifestTempWritten => 9,
        _ => 3,
    }
}

fn injected(e: &FixError, p: FailPoint) -> bool {
    matches!(e, FixError::Injected(i) if i.0 == p)
}

#[test]
fn an_error_at_every_fix_step_leaves_originals_or_fixed_files_and_a_rerun_completes() {
    let fixed = reference();
    let mut runs = 0;
    for p in FailPoint::fix_points() {
        for nth in 1..=passes(p) {
            let ctx = format!("{}:{nth}", p.name());
            let w = world(&fixed);
            let (plan, _) = scan_plan(&w.apps, false);
            let hook = Arc::new(FailAt::new(p, nth, FailMode::Error));
            let r = praxcheck_fix::apply(&plan, &opts(&w.backup), hook).unwrap();
            let failed: Vec<_> = r
                .outcomes
                .iter()
                .filter(|(_, o)| matches!(o, Outcome::Failed(e) if injected(e, p)))
                .collect();
            assert_eq!(
                failed.len(),
                1,
                "{ctx}: the injected failure hit exactly one file: {r:?}"
            );
            let states = check(&w, &ctx);
            // Each file's manifest is saved three times: pending, ready, applied; the third
            // save comes after the rename.
            let after_rename = matches!(
                p,
                FailPoint::Renamed | FailPoint::DirSynced | FailPoint::ManifestApplied
            ) || (p == FailPoint::ManifestTempWritten && nth % 3 == 0);
            let failed_path = &failed[0].0.path;
            let i = w
                .files
                .iter()
                .position(|(q, _, _)| q == failed_path)
                .unwrap();
            let expect = if after_rename {
                State::Fixed
            } else {
                State::Original
            };
            assert_eq!(states[i], expect, "{ctx}");
            no_temp_files(&w, &ctx);
            fix_all(&w);
            assert!(check(&w, &ctx).iter().all(|s| *s == State::Fixed), "{ctx}");
            no_temp_files(&w, &ctx);
            runs += 1;
        }
    }
    eprintln!(
        "fix failure points: {} points, {runs} runs with an injected error",
        FailPoint::fix_points().len()
    );
    assert!(runs >= 30);
}

#[test]
fn an_error_at_every_undo_step_leaves_fixed_files_or_originals_and_a_rerun_completes() {
    let fixed = reference();
    let mut runs = 0;
    for p in FailPoint::undo_points() {
        let n = if p == FailPoint::ManifestTempWritten {
            6
        } else {
            3
        };
        for nth in 1..=n {
            let ctx = format!("{}:{nth}", p.name());
            let w = world(&fixed);
            fix_all(&w);
            let hook = Arc::new(FailAt::new(p, nth, FailMode::Error));
            let u = praxcheck_fix::undo(&[], &opts(&w.backup), hook).unwrap();
            let failed = u
                .outcomes
                .iter()
                .filter(|(_, o)| matches!(o, UndoOutcome::Failed(e) if injected(e, p)))
                .count();
            assert_eq!(failed, 1, "{ctx}: {u:?}");
            check(&w, &ctx);
            no_temp_files(&w, &ctx);
            let u = praxcheck_fix::undo(&[], &opts(&w.backup), nofail()).unwrap();
            assert!(
                u.outcomes.iter().all(|(_, o)| matches!(
                    o,
                    UndoOutcome::Restored { .. } | UndoOutcome::AlreadyOriginal
                )),
                "{ctx}: {u:?}"
            );
            assert!(
                check(&w, &ctx).iter().all(|s| *s == State::Original),
                "{ctx}"
            );
            no_temp_files(&w, &ctx);
            runs += 1;
        }
    }
    eprintln!(
        "undo failure points: {} points, {runs} runs with an injected error",
        FailPoint::undo_points().len()
    );
    assert!(runs >= 20);
}
