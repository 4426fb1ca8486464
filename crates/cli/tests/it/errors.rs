//! Error messages speak the user's language down to the operating system's reason: the
//! reason is worded from the catalogue ("Zugriff verweigert" / "permission denied") with
//! the path and the numeric code as evidence; the system's English sentence ("Permission
//! denied", "No such file or directory") never follows a German sentence.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::process::{Command, Output};

/// The binary with `LANG` set and no other language setting.
fn bin(lang: &str, state: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_praxcheck"));
    c.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .env("NO_COLOR", "1")
        .env("PRAXCHECK_STATE_DIR", state)
        .env("PRAXCHECK_OUTPUT_DIR", state.join("out"));
    c
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts that the command could not run and its error says all of `words`, none of
/// `not` (the system's English sentence).
fn says(o: &Output, words: &[&str], not: &str) {
    assert_eq!(o.status.code(), Some(2), "{}", stderr(o));
    let err = stderr(o);
    assert!(words.iter().all(|w| err.contains(w)), "{words:?}: {err}");
    assert!(!err.contains(not), "{not}: {err}");
}

/// [`says`] for a German run (`german` words) and an English one (`english`).
fn says_in_both(run: impl Fn(&str) -> Output, german: &[&str], english: &[&str], not: &str) {
    says(&run(GERMAN), german, not);
    says(&run(ENGLISH), english, not);
}

const GERMAN: &str = "de_DE.UTF-8";
const ENGLISH: &str = "en_US.UTF-8";

#[test]
fn a_missing_from_file_is_said_in_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("weg.json");
    let run = |lang: &str| {
        bin(lang, &dir.path().join("state"))
            .args(["report", "--from"])
            .arg(&missing)
            .output()
            .unwrap()
    };
    says_in_both(
        run,
        &[
            "Dokument kann nicht gelesen werden",
            "weg.json: nicht vorhanden (os error 2)",
        ],
        &["weg.json: not found (os error 2)"],
        "No such file",
    );
}

/// Whether this runs as root (CI): then the command runs as `nobody` via `setpriv`, as
/// root may write anywhere.
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n")
}

#[test]
fn an_output_file_without_permission_is_said_in_the_users_language() {
    let root = is_root();
    if root && !Path::new("/usr/bin/setpriv").exists() {
        eprintln!("SKIPPED output permission: as root this needs setpriv to switch users");
        return;
    }
    let dir = tempfile::tempdir_in("/tmp").unwrap();
    let mode = |p: &Path, m| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m));
    mode(dir.path(), 0o755).unwrap();
    let program = dir.path().join("praxcheck");
    std::fs::copy(env!("CARGO_BIN_EXE_praxcheck"), &program).unwrap();
    mode(&program, 0o755).unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    std::fs::write(logs.join("a.log"), "nothing to see\n").unwrap();
    mode(&logs.join("a.log"), 0o644).unwrap();
    let closed = dir.path().join("closed");
    std::fs::create_dir(&closed).unwrap();
    mode(&closed, 0o555).unwrap();
    let output = closed.join("bericht.json");
    let run = |lang: &str| {
        let state = tempfile::tempdir().unwrap();
        let mut c = if root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(&program);
            c
        } else {
            Command::new(&program)
        };
        c.env_clear()
            .env("LANG", lang)
            .env("NO_COLOR", "1")
            .env("PRAXCHECK_STATE_DIR", state.path())
            .args(["logs", "--format", "json", "--path"])
            .arg(&logs)
            .arg("--output")
            .arg(&output)
            .output()
            .unwrap()
    };
    says_in_both(
        run,
        &[
            "Ausgabedatei kann nicht geschrieben werden",
            "Zugriff verweigert (os error 13)",
        ],
        &["permission denied (os error 13)"],
        "Permission denied",
    );
    assert!(!output.exists());
}

/// An answers file that cannot be read says the system's reason in the user's words too
/// (a folder given as the file).
#[test]
fn an_unreadable_answers_file_is_said_in_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("antworten");
    std::fs::create_dir(&folder).unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let o = bin(GERMAN, &dir.path().join("state"))
        .args(["logs", "--format", "json", "--answers"])
        .arg(&folder)
        .arg("--path")
        .arg(&logs)
        .output()
        .unwrap();
    let german = [
        "Antwortdatei kann nicht gelesen werden",
        "antworten: ist ein Ordner (os error 21)",
    ];
    says(&o, &german, "Is a directory");
}
