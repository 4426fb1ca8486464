//! `praxcheck fix` as a user runs it, and the crash proof: the real binary is made to die
//! at every step of a fix and an undo (deterministic failure points, process abort) and is
//! killed at random moments (SIGKILL); after each, every archive is the original or the
//! fully fixed version and the backup is intact, and the next run completes the job.

#![allow(clippy::print_stderr)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use praxcheck_fix::FailPoint;
use praxcheck_model::backup::BackupState;
use praxcheck_testsupport::jar::{JarBuilder, class_file};

pub(crate) fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_praxcheck"));
    c.env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove(praxcheck_fix::ENV_BACKUP_DIR)
        .env_remove(praxcheck_fix::failpoint::ENV_FAILPOINT)
        .env_remove(praxcheck_fix::failpoint::ENV_STEP_DELAY)
        .env("NO_COLOR", "1");
    c
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn sha(p: &Path) -> String {
    praxcheck_fix::sha256_file(p).unwrap().0
}

/// A log4j-core stand-in with real class files (constant pools carry the version markers).
pub(crate) fn core(version: &str) -> Vec<u8> {
    let p = "org/apache/logging/log4j/";
    JarBuilder::new()
        .pom("org.apache.logging.log4j", "log4j-core", version)
        .add(
            &format!("{p}core/lookup/JndiLookup.class"),
            &class_file(&format!("{p}core/lookup/JndiLookup"), &[]),
        )
        .add(
            &format!("{p}core/net/JndiManager.class"),
            &class_file(&format!("{p}core/net/JndiManager"), &[]),
        )
        .add(
            &format!("{p}core/lookup/StrSubstitutor.class"),
            &class_file(&format!("{p}core/lookup/StrSubstitutor"), &[]),
        )
        .finish()
}

/// Three archives: a plain jar, a Spring Boot jar (nested jar STORED), a script-prefixed
/// self-executable jar.
pub(crate) fn three(apps: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(apps).unwrap();
    let c = core("2.14.1");
    let boot = JarBuilder::new()
        .add(
            "META-INF/MANIFEST.MF",
            b"Manifest-Version: 1.0\r\nMain-Class: org.springframework.boot.loader.JarLauncher\r\n\r\n",
        )
        .add("BOOT-INF/classes/app/Main.class", &class_file("app/Main", &[]))
        .add_stored("BOOT-INF/lib/log4j-core-2.14.1.jar", &c)
        .finish();
    let mut exec = b"#!/bin/sh\nexec java -jar \"$0\" \"$@\"\n".to_vec();
    exec.extend_from_slice(&c);
    let files = vec![
        (apps.join("log4j-core-2.14.1.jar"), c),
        (apps.join("boot.jar"), boot),
        (apps.join("termin-app"), exec),
    ];
    for (p, b) in &files {
        std::fs::write(p, b).unwrap();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&files[2].0, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    files.into_iter().map(|(p, _)| p).collect()
}

struct World {
    _dir: tempfile::TempDir,
    apps: PathBuf,
    backup: PathBuf,
    files: Vec<(PathBuf, String, String)>,
}

impl World {
    fn new(fixed: &[String]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let apps = dir.path().join("apps");
        let files = three(&apps)
            .into_iter()
            .zip(fixed)
            .map(|(p, f)| {
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

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = bin();
        c.arg("--lang")
            .arg("en")
            .arg("fix")
            .args(args)
            .arg("--backup-dir")
            .arg(&self.backup)
            .arg(&self.apps);
        c
    }
}

fn reference() -> Vec<String> {
    let w = World::new(&[String::new(), String::new(), String::new()]);
    let o = w.cmd(&["--yes"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    w.files.iter().map(|(p, _, _)| sha(p)).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum State {
    Original,
    Fixed,
}

/// The invariants: every archive is the original or the fixed version; every fixed one has
/// its original saved (intact) and recorded; the manifest is readable.
fn check(w: &World, ctx: &str) -> Vec<State> {
    let audit = praxcheck_fix::audit(&w.backup).unwrap_or_else(|e| panic!("{ctx}: {e}"));
    assert!(audit.damaged.is_empty(), "{ctx}: {:?}", audit.damaged);
    w.files
        .iter()
        .map(|(p, orig, fixed)| {
            let cur = sha(p);
            if &cur == orig {
                State::Original
            } else if &cur == fixed {
                assert!(
                    audit.records.iter().any(|r| {
                        r.path.display() == p.display().to_string()
                            && r.sha256_after.as_deref() == Some(fixed.as_str())
                            && r.state != BackupState::Restored
                    }),
                    "{ctx}: {} is fixed but its original is not recorded",
                    p.display()
                );
                State::Fixed
            } else {
                panic!("{ctx}: {} is neither original nor fixed", p.display());
            }
        })
        .collect()
}

fn leftovers(w: &World) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(&w.apps)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".praxcheck-"))
        .collect();
    v.sort();
    v
}

fn finish_fix(w: &World, ctx: &str) {
    let o = w.cmd(&["--yes"]).output().unwrap();
    assert!(
        matches!(o.status.code(), Some(0)),
        "{ctx}: recovery run: {}",
        stdout(&o)
    );
    assert!(
        check(w, ctx).iter().all(|s| *s == State::Fixed),
        "{ctx}: {}",
        stdout(&o)
    );
    assert!(leftovers(w).is_empty(), "{ctx}: {:?}", leftovers(w));
}

fn finish_undo(w: &World, ctx: &str) {
    let o = w.cmd(&["--undo"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{ctx}: undo run: {}", stdout(&o));
    assert!(
        check(w, ctx).iter().all(|s| *s == State::Original),
        "{ctx}: {}",
        stdout(&o)
    );
    assert!(leftovers(w).is_empty(), "{ctx}: {:?}", leftovers(w));
}

fn failpoints_available(test: &str) -> bool {
    if cfg!(debug_assertions) {
        return true;
    }
    eprintln!("SKIPPED {test}: failure points exist only in builds with debug assertions");
    false
}

#[cfg(unix)]
fn died_by_signal(o: &std::process::ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt as _;
    o.signal().is_some()
}
#[cfg(not(unix))]
fn died_by_signal(o: &std::process::ExitStatus) -> bool {
    !o.success()
}

/// How often a point is passed when three files are fixed / undone.
fn passes(p: FailPoint, undo: bool) -> usize {
    match (p, undo) {
        (FailPoint::ManifestTempWritten, false) => 9,
        (FailPoint::ManifestTempWritten, true) => 6,
        _ => 3,
    }
}

#[test]
fn a_crash_at_every_step_leaves_originals_or_fixed_files_and_the_next_run_completes() {
    if !failpoints_available("a_crash_at_every_step…") {
        return;
    }
    let fixed = reference();
    let mut runs = 0usize;
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for undo in [false, true] {
        let points = if undo {
            FailPoint::undo_points()
        } else {
            FailPoint::fix_points()
        };
        for p in points {
            for nth in 1..=passes(p, undo) {
                let ctx = format!("{}{}:{nth}", if undo { "undo " } else { "" }, p.name());
                let w = World::new(&fixed);
                if undo {
                    finish_fix(&w, &ctx);
                }
                let args: &[&str] = if undo { &["--undo"] } else { &["--yes"] };
                let o = w
                    .cmd(args)
                    .env(
                        praxcheck_fix::failpoint::ENV_FAILPOINT,
                        format!("{}:{nth}:crash", p.name()),
                    )
                    .output()
                    .unwrap();
                assert!(
                    died_by_signal(&o.status),
                    "{ctx}: the process should have died at the point: {:?} {}",
                    o.status,
                    stdout(&o)
                );
                let states = check(&w, &ctx);
                let key = format!(
                    "{} fixed, {} original, {} temp files",
                    states.iter().filter(|s| **s == State::Fixed).count(),
                    states.iter().filter(|s| **s == State::Original).count(),
                    leftovers(&w).len()
                );
                *seen.entry(key).or_default() += 1;
                if undo {
                    finish_undo(&w, &ctx);
                } else {
                    finish_fix(&w, &ctx);
                    finish_undo(&w, &ctx);
                }
                runs += 1;
            }
        }
    }
    eprintln!(
        "crash matrix: {} fix points + {} undo points, {runs} crashed runs; states after the crash: {seen:#?}",
        FailPoint::fix_points().len(),
        FailPoint::undo_points().len()
    );
    assert!(runs >= 60);
}

/// A small deterministic generator (xorshift), so a failing run can be repeated with
/// `PRAXCHECK_KILL_SEED`.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

/// What the manifest and the files looked like after a kill.
fn snapshot(w: &World, states: &[State]) -> String {
    let audit = praxcheck_fix::audit(&w.backup).unwrap();
    let mut recs: Vec<&str> = audit
        .records
        .iter()
        .map(|r| match r.state {
            BackupState::Pending if r.sha256_after.is_some() => "pending(ready)",
            BackupState::Pending => "pending",
            BackupState::Applied => "applied",
            BackupState::Restoring => "restoring",
            BackupState::Restored => "restored",
        })
        .collect();
    recs.sort_unstable();
    format!(
        "files {:?} · records {:?} · temp files {}",
        states,
        recs,
        leftovers(w).len()
    )
}

#[test]
fn random_sigkills_never_leave_a_half_written_archive() {
    if !failpoints_available("random_sigkills…") {
        return;
    }
    let seed = std::env::var("PRAXCHECK_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_2021_1210_u64);
    let runs: usize = std::env::var("PRAXCHECK_KILL_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let mut rng = Rng(seed);
    let fixed = reference();
    // A pause at every step spreads a run over time, so that kills land between steps.
    let delay = "3";
    // How long an undisturbed run takes (only to choose kill times; nothing is asserted
    // about time).
    let span = |undo: bool| {
        let w = World::new(&fixed);
        if undo {
            finish_fix(&w, "span");
        }
        let t = Instant::now();
        let o = w
            .cmd(if undo { &["--undo"] } else { &["--yes"] })
            .env(praxcheck_fix::failpoint::ENV_STEP_DELAY, delay)
            .output()
            .unwrap();
        assert!(o.status.success());
        t.elapsed()
    };
    let spans = [span(false), span(true)];
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let (mut killed, mut completed) = (0usize, 0usize);
    for i in 0..runs {
        let undo = i % 3 == 2;
        let ctx = format!(
            "seed {seed} run {i} ({})",
            if undo { "undo" } else { "fix" }
        );
        let w = World::new(&fixed);
        if undo {
            finish_fix(&w, &ctx);
        }
        let max = spans[usize::from(undo)].as_micros() as u64 + 1;
        let at = Duration::from_micros(rng.next() % max);
        let mut child = w
            .cmd(if undo { &["--undo"] } else { &["--yes"] })
            .env(praxcheck_fix::failpoint::ENV_STEP_DELAY, delay)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        // `Child::kill` sends SIGKILL on Unix.
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.success() {
            completed += 1;
        } else {
            killed += 1;
        }
        let states = check(&w, &ctx);
        *seen.entry(snapshot(&w, &states)).or_default() += 1;
        if undo {
            finish_undo(&w, &ctx);
        } else {
            finish_fix(&w, &ctx);
            finish_undo(&w, &ctx);
        }
    }
    eprintln!(
        "SIGKILL runs: {runs} (seed {seed}): {killed} killed, {completed} finished before the kill; states seen right after the kill: {seen:#?}"
    );
    assert!(killed > runs / 2, "most runs should be killed mid-way");
}

#[test]
fn dry_run_shows_the_plan_in_german_and_english_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let apps = dir.path().join("apps");
    let files = three(&apps);
    // A broken archive beside them is named with its reason, in the user's language.
    std::fs::write(apps.join("kaputt.jar"), b"PK\x03\x04 not really a jar").unwrap();
    let before: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let backup = dir.path().join("backup");
    let de = bin()
        .args(["fix", "--backup-dir"])
        .arg(&backup)
        .arg(&apps)
        .output()
        .unwrap();
    let text = stdout(&de);
    assert_eq!(de.status.code(), Some(1), "{text}");
    assert!(text.contains("Probelauf"), "{text}");
    assert!(text.contains("Würde ändern:"), "{text}");
    assert!(
        text.contains("boot.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar!/org/apache/logging/log4j/core/lookup/JndiLookup.class"),
        "{text}"
    );
    assert!(text.contains("CVE-2021-44228"), "{text}");
    assert!(
        text.contains("3 Archive würden geändert, 3 Klassen entfernt."),
        "{text}"
    );
    assert!(text.contains("praxcheck fix --yes"), "{text}");
    let broken = text
        .lines()
        .find(|l| l.contains("kaputt.jar"))
        .unwrap_or_default();
    assert!(
        broken.starts_with("Nicht lesbar, nicht geprüft:")
            && (broken.ends_with("kein gültiges Archiv")
                || broken.ends_with("beschädigtes Archiv")
                || broken.ends_with("Datei unvollständig (abgeschnitten)")),
        "{text}"
    );
    let en = bin()
        .args(["--lang", "en", "fix", "--backup-dir"])
        .arg(&backup)
        .arg(&apps)
        .output()
        .unwrap();
    let text = stdout(&en);
    assert!(text.contains("dry run"), "{text}");
    assert!(text.contains("Would change:"), "{text}");
    for (p, b) in files.iter().zip(&before) {
        assert_eq!(&std::fs::read(p).unwrap(), b);
    }
    assert!(!backup.exists(), "a dry run creates no backup folder");
}

#[test]
fn fix_then_rescan_shows_mitigated_the_backup_folder_is_not_scanned_and_undo_restores() {
    let dir = tempfile::tempdir().unwrap();
    let apps = dir.path().join("apps");
    let files = three(&apps);
    let before: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).unwrap()).collect();
    // The backup folder inside the scanned folder: configured by the environment, as a
    // practice's IT provider would.
    let backup = apps.join("praxcheck-backup");
    let o = bin()
        .env(praxcheck_fix::ENV_BACKUP_DIR, &backup)
        .args(["--lang", "en", "fix", "--yes"])
        .arg(&apps)
        .output()
        .unwrap();
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(
        text.contains("Done: 3 changed, 0 left unchanged, 0 failed."),
        "{text}"
    );
    assert!(text.contains("Backup: "), "{text}");
    // A copy of a vulnerable jar someone dropped into the backup folder is not scanned.
    std::fs::write(backup.join("copy-of-log4j-core-2.14.1.jar"), core("2.14.1")).unwrap();
    let scan = bin()
        .env(praxcheck_fix::ENV_BACKUP_DIR, &backup)
        .args(["scan", "--format", "json", "--no-processes", "--path"])
        .arg(&apps)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&scan.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    let jndi: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["rule_id"] == "CVE-2021-44228")
        .collect();
    assert_eq!(jndi.len(), 3, "{jndi:#?}");
    assert!(jndi.iter().all(|f| f["status"] == "mitigated"), "{jndi:#?}");
    let text = String::from_utf8_lossy(&scan.stdout);
    assert!(
        !text.contains("praxcheck-backup"),
        "the backup folder is left out"
    );
    // Undo restores byte for byte.
    let o = bin()
        .env(praxcheck_fix::ENV_BACKUP_DIR, &backup)
        .args(["--lang", "en", "fix", "--undo"])
        .output()
        .unwrap();
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert_eq!(text.matches("Restored: ").count(), 3, "{text}");
    for (p, b) in files.iter().zip(&before) {
        assert_eq!(&std::fs::read(p).unwrap(), b, "{}", p.display());
    }
}

#[test]
fn undo_refuses_a_changed_file_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let apps = dir.path().join("apps");
    let files = three(&apps);
    let backup = dir.path().join("backup");
    let run = |args: &[&str]| {
        bin()
            .args(["--lang", "en", "fix", "--backup-dir"])
            .arg(&backup)
            .args(args)
            .output()
            .unwrap()
    };
    let o = run(&["--yes", apps.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let vendor = core("2.17.1");
    std::fs::write(&files[0], &vendor).unwrap();
    let o = run(&["--undo", files[0].to_str().unwrap()]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("changed since the fix"), "{text}");
    assert_eq!(std::fs::read(&files[0]).unwrap(), vendor);
    let o = run(&["--undo", "--force", files[0].to_str().unwrap()]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(text.contains("was saved first"), "{text}");
}

#[test]
fn undo_refuses_a_tampered_backup_list_in_german_and_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let apps = dir.path().join("apps");
    let files = three(&apps);
    let backup = dir.path().join("backup");
    let o = bin()
        .args(["fix", "--yes", "--backup-dir"])
        .arg(&backup)
        .arg(&apps)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, b"keep me").unwrap();
    let mp = backup.join("manifest.json");
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(&mp).unwrap()).unwrap();
    m["records"][0]["object"] = victim.to_str().unwrap().into();
    std::fs::write(&mp, serde_json::to_vec(&m).unwrap()).unwrap();
    let fixed: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let o = bin()
        .args(["fix", "--undo", "--backup-dir"])
        .arg(&backup)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("praxcheck fix kann nicht beginnen"), "{err}");
    assert!(
        err.contains("wird abgelehnt, nichts wurde geändert")
            && err.contains("nennt eine gesicherte Datei außerhalb von objects/"),
        "{err}"
    );
    assert_eq!(std::fs::read(&victim).unwrap(), b"keep me");
    for (p, b) in files.iter().zip(&fixed) {
        assert_eq!(&std::fs::read(p).unwrap(), b);
    }
}

#[test]
fn a_nested_archive_that_cannot_be_read_is_named_and_not_called_nothing_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let apps = dir.path().join("apps");
    std::fs::create_dir_all(&apps).unwrap();
    let outer = JarBuilder::new()
        .add("app/Main.class", &class_file("app/Main", &[]))
        .add_stored("lib/broken.jar", b"PK\x03\x04 cut off here")
        .finish();
    std::fs::write(apps.join("praxis.war"), outer).unwrap();
    let o = bin()
        .args(["fix", "--backup-dir"])
        .arg(dir.path().join("backup"))
        .arg(&apps)
        .output()
        .unwrap();
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("praxis.war!/lib/broken.jar"), "{text}");
    assert!(
        text.contains(
            "Eine Datei konnte nicht geprüft werden und kann eine JndiLookup-Klasse enthalten"
        ),
        "{text}"
    );
}

#[test]
fn fix_help_is_localized() {
    let o = bin().args(["fix", "--help"]).output().unwrap();
    let t = stdout(&o);
    assert!(
        t.contains("Gesicherte Originale Byte für Byte wiederherstellen"),
        "{t}"
    );
    let o = bin()
        .args(["--lang", "en", "fix", "--help"])
        .output()
        .unwrap();
    let t = stdout(&o);
    assert!(
        t.contains("Restore the saved originals byte for byte"),
        "{t}"
    );
}
