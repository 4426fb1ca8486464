//! Signed updates: a good set is installed; a tampered, unsigned, wrongly signed, older or
//! expired set is refused with its reason and the installed set stays.

use std::path::{Path, PathBuf};

use praxcheck_advisories::AdvisorySet;
use praxcheck_advisories::update::{
    self, LoadNote, StateDir, TrustedKey, UpdateError, UpdateOutcome, parse_keys,
};

fn date(s: &str) -> time::Date {
    praxcheck_advisories::parse_date(s).unwrap()
}

fn test_secret_key() -> minisign::SecretKey {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("keys/test.key");
    minisign::SecretKeyBox::from_string(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .into_unencrypted_secret_key()
        .unwrap()
}

fn keys() -> Vec<TrustedKey> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("keys/test.pub"))
        .unwrap();
    parse_keys(&text).unwrap()
}

/// The embedded set as a bundle with another version and expiry.
fn bundle(version: u64, expires: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(AdvisorySet::embedded_json()).unwrap();
    v["version"] = version.into();
    v["expires"] = expires.into();
    serde_json::to_string_pretty(&v).unwrap()
}

fn write_signed(dir: &Path, name: &str, text: &str, sk: &minisign::SecretKey) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    let sig = minisign::sign(None, sk, std::io::Cursor::new(text.as_bytes()), None, None).unwrap();
    std::fs::write(update::signature_path(&p), sig.into_string()).unwrap();
    p
}

struct Env {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    state: StateDir,
    embedded: praxcheck_advisories::SetMeta,
}

fn env() -> Env {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_owned();
    let state = StateDir::new(dir.join("state"));
    Env {
        _tmp: tmp,
        dir,
        state,
        embedded: AdvisorySet::embedded().unwrap().meta().clone(),
    }
}

fn install(e: &Env, p: &Path, today: &str) -> Result<UpdateOutcome, UpdateError> {
    update::install(&e.state, p, None, &keys(), date(today), &e.embedded)
}

fn active_version(e: &Env, today: &str) -> (u64, String) {
    let (set, _) = update::load_active(Some(&e.state), &keys(), date(today)).unwrap();
    (set.meta().version, set.source().to_owned())
}

#[test]
fn good_set_is_installed_and_used() {
    let e = env();
    let v = e.embedded.version + 1;
    let p = write_signed(
        &e.dir,
        "set.json",
        &bundle(v, "2099-01-01"),
        &test_secret_key(),
    );
    let out = install(&e, &p, "2026-12-01").unwrap();
    let UpdateOutcome::Installed {
        installed,
        previous,
    } = out
    else {
        panic!("{out:?}")
    };
    assert_eq!(installed.version, v);
    assert_eq!(previous, e.embedded.version);
    assert_eq!(active_version(&e, "2026-12-01"), (v, "installed".into()));
    // Installing the same file again is fine and changes nothing.
    assert!(matches!(
        install(&e, &p, "2026-12-01").unwrap(),
        UpdateOutcome::AlreadyInstalled { .. }
    ));
    let st = e.state.read_state().unwrap().unwrap();
    assert_eq!(st.highest_version, v);
}

#[test]
fn tampered_set_is_refused_and_the_old_set_stays() {
    let e = env();
    let sk = test_secret_key();
    let good = write_signed(
        &e.dir,
        "a.json",
        &bundle(e.embedded.version + 1, "2099-01-01"),
        &sk,
    );
    install(&e, &good, "2026-12-01").unwrap();
    let p = write_signed(
        &e.dir,
        "b.json",
        &bundle(e.embedded.version + 2, "2099-01-01"),
        &sk,
    );
    // One byte changed after signing.
    let mut bytes = std::fs::read(&p).unwrap();
    let i = bytes.iter().position(|b| *b == b'2').unwrap();
    bytes[i] = b'3';
    std::fs::write(&p, bytes).unwrap();
    let err = install(&e, &p, "2026-12-01").unwrap_err();
    assert!(matches!(err, UpdateError::Tampered { .. }), "{err}");
    assert!(err.to_string().contains("b.json"), "{err}");
    assert!(err.to_string().contains("changed after signing"), "{err}");
    assert_eq!(
        active_version(&e, "2026-12-01"),
        (e.embedded.version + 1, "installed".into())
    );
}

#[test]
fn unsigned_set_is_refused() {
    let e = env();
    let p = e.dir.join("set.json");
    std::fs::write(&p, bundle(e.embedded.version + 1, "2099-01-01")).unwrap();
    let err = install(&e, &p, "2026-12-01").unwrap_err();
    assert!(matches!(err, UpdateError::Unsigned { .. }), "{err}");
    assert!(err.to_string().contains("set.json.minisig"), "{err}");
    assert!(e.state.read_state().unwrap().is_none());
    assert_eq!(active_version(&e, "2026-12-01").1, "embedded");
}

#[test]
fn garbage_signature_is_refused() {
    let e = env();
    let p = e.dir.join("set.json");
    std::fs::write(&p, bundle(e.embedded.version + 1, "2099-01-01")).unwrap();
    std::fs::write(update::signature_path(&p), "not a signature\n").unwrap();
    let err = install(&e, &p, "2026-12-01").unwrap_err();
    assert!(matches!(err, UpdateError::BadSignatureFile { .. }), "{err}");
}

#[test]
fn wrongly_signed_set_is_refused() {
    let e = env();
    let other = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let p = write_signed(
        &e.dir,
        "set.json",
        &bundle(e.embedded.version + 1, "2099-01-01"),
        &other.sk,
    );
    let err = install(&e, &p, "2026-12-01").unwrap_err();
    assert!(matches!(err, UpdateError::WrongKey { .. }), "{err}");
    assert!(err.to_string().contains("does not trust"), "{err}");
    assert!(e.state.read_state().unwrap().is_none());
}

#[test]
fn older_set_is_refused_after_a_newer_one() {
    let e = env();
    let sk = test_secret_key();
    let v = e.embedded.version;
    let newer = write_signed(&e.dir, "n.json", &bundle(v + 5, "2099-01-01"), &sk);
    install(&e, &newer, "2026-12-01").unwrap();
    let older = write_signed(&e.dir, "o.json", &bundle(v + 3, "2099-01-01"), &sk);
    let err = install(&e, &older, "2026-12-01").unwrap_err();
    assert!(
        matches!(err, UpdateError::NotNewer { found, current, .. } if found == v + 3 && current == v + 5),
        "{err}"
    );
    assert!(err.to_string().contains("rollback"), "{err}");
    // Nor may a validly signed set older than the one compiled in roll the program back.
    let e2 = env();
    let same = write_signed(&e2.dir, "s.json", &bundle(v, "2099-01-01"), &sk);
    assert!(matches!(
        install(&e2, &same, "2026-12-01").unwrap_err(),
        UpdateError::NotNewer { .. }
    ));
    assert_eq!(
        active_version(&e, "2026-12-01"),
        (v + 5, "installed".into())
    );
}

#[test]
fn rollback_protection_survives_a_removed_set_file() {
    // Even when the installed set file is deleted, the stored highest version still refuses
    // older sets (the state file remembers it).
    let e = env();
    let sk = test_secret_key();
    let v = e.embedded.version;
    install(
        &e,
        &write_signed(&e.dir, "n.json", &bundle(v + 5, "2099-01-01"), &sk),
        "2026-12-01",
    )
    .unwrap();
    let sets = e.state.root().join("advisories/sets");
    for f in std::fs::read_dir(&sets).unwrap() {
        std::fs::remove_file(f.unwrap().path()).unwrap();
    }
    let (set, notes) = update::load_active(Some(&e.state), &keys(), date("2026-12-01")).unwrap();
    assert_eq!(set.source(), "embedded");
    assert!(matches!(notes[0], LoadNote::InstalledUnusable { .. }));
    let older = write_signed(&e.dir, "o.json", &bundle(v + 2, "2099-01-01"), &sk);
    assert!(matches!(
        install(&e, &older, "2026-12-01").unwrap_err(),
        UpdateError::NotNewer { .. }
    ));
}

#[test]
fn expired_set_is_refused() {
    let e = env();
    let p = write_signed(
        &e.dir,
        "set.json",
        &bundle(e.embedded.version + 1, "2026-11-30"),
        &test_secret_key(),
    );
    let err = install(&e, &p, "2026-12-01").unwrap_err();
    assert!(matches!(err, UpdateError::Expired { .. }), "{err}");
    assert!(err.to_string().contains("2026-11-30"), "{err}");
    // The same set was fine the day before it expired.
    assert!(install(&e, &p, "2026-11-30").is_ok());
}

#[test]
fn a_set_without_expiry_or_for_another_feed_is_refused() {
    let e = env();
    let sk = test_secret_key();
    let mut v: serde_json::Value =
        serde_json::from_str(&bundle(e.embedded.version + 1, "2099-01-01")).unwrap();
    v.as_object_mut().unwrap().remove("expires");
    let p = write_signed(&e.dir, "a.json", &v.to_string(), &sk);
    assert!(matches!(
        install(&e, &p, "2026-12-01").unwrap_err(),
        UpdateError::NoExpiry { .. }
    ));
    let mut v: serde_json::Value =
        serde_json::from_str(&bundle(e.embedded.version + 1, "2099-01-01")).unwrap();
    v["id"] = "someone-else".into();
    let p = write_signed(&e.dir, "b.json", &v.to_string(), &sk);
    assert!(matches!(
        install(&e, &p, "2026-12-01").unwrap_err(),
        UpdateError::WrongSetId { .. }
    ));
    let p = write_signed(&e.dir, "c.json", "{\"id\": 1}", &sk);
    assert!(matches!(
        install(&e, &p, "2026-12-01").unwrap_err(),
        UpdateError::NotASet { .. }
    ));
}

#[test]
fn an_installed_set_edited_on_disk_is_ignored() {
    let e = env();
    let v = e.embedded.version + 1;
    let p = write_signed(
        &e.dir,
        "set.json",
        &bundle(v, "2099-01-01"),
        &test_secret_key(),
    );
    install(&e, &p, "2026-12-01").unwrap();
    let installed = e.state.root().join(format!("advisories/sets/{v}.json"));
    let mut text = std::fs::read_to_string(&installed).unwrap();
    text.push(' ');
    std::fs::write(&installed, text).unwrap();
    let (set, notes) = update::load_active(Some(&e.state), &keys(), date("2026-12-01")).unwrap();
    assert_eq!(set.source(), "embedded");
    match &notes[0] {
        LoadNote::InstalledUnusable { reason } => {
            let reason = reason.to_string();
            assert!(reason.contains("changed"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_expired_installed_set_is_still_used_with_a_note() {
    let e = env();
    let v = e.embedded.version + 1;
    let p = write_signed(
        &e.dir,
        "set.json",
        &bundle(v, "2027-01-01"),
        &test_secret_key(),
    );
    install(&e, &p, "2026-12-01").unwrap();
    let (set, notes) = update::load_active(Some(&e.state), &keys(), date("2027-02-01")).unwrap();
    assert_eq!(set.meta().version, v);
    assert!(
        matches!(notes.as_slice(), [LoadNote::InstalledExpired { expires }] if expires == "2027-01-01"),
        "{notes:?}"
    );
}

/// Issue 11 item 6: set versions are bounded to a documented range; a set of 2^64 − 1
/// (which would block every later update) is refused, the installed set stays.
#[test]
fn a_set_version_outside_the_range_is_refused() {
    let e = env();
    let sk = test_secret_key();
    for (i, v) in [u64::MAX, praxcheck_advisories::MAX_SET_VERSION + 1, 0]
        .into_iter()
        .enumerate()
    {
        let p = write_signed(&e.dir, &format!("v{i}.json"), &bundle(v, "2099-01-01"), &sk);
        match install(&e, &p, "2026-01-01") {
            Err(UpdateError::NotASet { reason, .. }) => {
                assert!(reason.contains("outside the valid range"), "{reason}");
                assert!(reason.contains(&v.to_string()), "{reason}");
            }
            other => panic!("version {v}: {other:?}"),
        }
    }
    assert_eq!(active_version(&e, "2026-01-01").0, e.embedded.version);
    // The highest valid version is accepted.
    let top = praxcheck_advisories::MAX_SET_VERSION;
    let p = write_signed(&e.dir, "top.json", &bundle(top, "2099-01-01"), &sk);
    install(&e, &p, "2026-01-01").unwrap();
    assert_eq!(active_version(&e, "2026-01-01").0, top);
}

/// Printed as a chain (`{:#}`, as the program does), no message repeats its cause.
fn assert_no_repetition(e: &(dyn std::error::Error + 'static)) {
    let mut chain = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(c) = cur {
        let m = c.to_string();
        assert!(
            !chain.iter().any(|outer| outer.contains(&m)),
            "{chain:?} repeats {m:?}"
        );
        chain.push(m);
        cur = c.source();
    }
}

#[test]
fn errors_do_not_repeat_the_parsers_text() {
    let e = AdvisorySet::from_bundle_json("{not json", "x.json").unwrap_err();
    assert_no_repetition(&e);
    let env = env();
    let missing = env.dir.join("missing.json");
    let e = install(&env, &missing, "2026-01-01").unwrap_err();
    assert_no_repetition(&e);
    let e = praxcheck_model::Document::from_json(b"{not json").unwrap_err();
    assert_no_repetition(&e);
}

#[cfg(unix)]
#[test]
fn a_fifo_or_device_as_set_or_signature_is_refused_without_waiting() {
    let e = env();
    let fifo = e.dir.join("set.json");
    if !praxcheck_testsupport::mkfifo(
        &fifo,
        "a_fifo_or_device_as_set_or_signature_is_refused_without_waiting",
    ) {
        return;
    }
    let good = write_signed(
        &e.dir,
        "good.json",
        &bundle(e.embedded.version + 1, "2099-01-01"),
        &test_secret_key(),
    );
    let (tx, rx) = std::sync::mpsc::channel();
    let (state, dir, embedded) = (e.state.clone(), e.dir.clone(), e.embedded.clone());
    std::thread::spawn(move || {
        let today = date("2026-01-01");
        let a = update::install(&state, &fifo, None, &keys(), today, &embedded);
        let b = update::install(
            &state,
            &good,
            Some(Path::new("/dev/zero")),
            &keys(),
            today,
            &embedded,
        );
        let c = update::install(&state, &good, Some(&dir), &keys(), today, &embedded);
        let _ = tx.send([a, b, c]);
    });
    let results = rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("a FIFO or device must not hang the update");
    for r in results {
        assert!(matches!(r, Err(UpdateError::NotRegular { .. })), "{r:?}");
    }
}
