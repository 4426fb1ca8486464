//! `praxcheck admin … user add` and `user reset-totp` (issue 14): no default password, the
//! password from standard input, role and practice checked; a lost second factor reset.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

fn admin(data: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_praxcheck"));
    c.arg("admin")
        .arg("--data")
        .arg(data)
        .args(args)
        .env("PRAXCHECK_LANG", "en")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(s) = stdin {
        input.write_all(s.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

#[test]
fn user_add_reads_the_password_from_stdin_and_checks_role_and_practice() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let o = admin(&data, &["practice", "add", "Praxis Test"], None);
    assert!(o.status.success());
    let pw = Some("a long enough password\n");
    // Without --password-stdin there is no way to give a password: refused by the parser.
    let o = admin(
        &data,
        &["user", "add", "a@b.example", "--role", "association-admin"],
        pw,
    );
    assert_eq!(o.status.code(), Some(2));
    let add = |args: &[&str], input| {
        let mut a = vec!["user", "add"];
        a.extend_from_slice(args);
        a.push("--password-stdin");
        admin(&data, &a, input)
    };
    let o = add(
        &["a@b.example", "--role", "association-admin"],
        Some("short\n"),
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("12"));
    let o = add(&["p@b.example", "--role", "practice-admin"], pw);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--practice"));
    let o = add(
        &[
            "p@b.example",
            "--role",
            "practice-admin",
            "--practice",
            "99",
        ],
        pw,
    );
    assert!(!o.status.success());
    let o = add(
        &[
            "a@b.example",
            "--role",
            "association-admin",
            "--practice",
            "1",
        ],
        pw,
    );
    assert!(!o.status.success());
    let o = add(&["a@b.example", "--role", "association-admin"], pw);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = add(
        &["p@b.example", "--role", "practice-staff", "--practice", "1"],
        pw,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = add(&["A@b.example", "--role", "association-admin"], pw);
    assert!(String::from_utf8_lossy(&o.stderr).contains("exists"));
    // The operator turns a lost second factor off; an unknown user is refused.
    let o = admin(&data, &["user", "reset-totp", "A@b.example"], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = admin(&data, &["user", "reset-totp", "nobody@b.example"], None);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no such user"));
}
