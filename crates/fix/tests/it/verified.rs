//! The fix renames over a user's file only with a verification token (issue 10 step 8).
//!
//! The type system does most of the work: `verify::Verified` has a private field, so only
//! the `verify` module can build one, and `Verified::rename_over` is the rename. This test
//! keeps the remaining door shut: a plain `rename` call elsewhere in the fix sources
//! would bypass the token, so it fails when one appears outside `Verified::rename_over`
//! (the backup store's own manifest and object files, which are not users' files,
//! excepted), and when a `Verified {` value is built outside `verify.rs`.

use std::path::Path;

fn sources() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Lines that call a rename (std, or the Windows API a port might reach for).
fn rename_calls(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .filter(|l| l.contains("rename(") || l.contains("MoveFileEx") || l.contains("ReplaceFile"))
        .map(|l| l.trim().to_owned())
        .collect()
}

#[test]
fn fix_renames_only_through_the_verified_token() {
    let src = sources();
    assert!(
        src.iter().any(|(p, _)| p == "verify.rs"),
        "verify.rs not found"
    );
    for (path, text) in &src {
        let calls = rename_calls(text);
        match path.as_str() {
            "verify.rs" => assert_eq!(
                calls,
                vec!["std::fs::rename(&self.temp, path)".to_owned()],
                "verify.rs renames only in Verified::rename_over"
            ),
            // The backup store replaces its own manifest and stores objects.
            "store.rs" => assert_eq!(calls.len(), 2, "store.rs: {calls:?}"),
            _ => assert!(
                calls.is_empty(),
                "{path} renames without the token: {calls:?}"
            ),
        }
        if path != "verify.rs" {
            assert!(
                !text.contains("Verified {"),
                "{path} builds a verification token itself"
            );
        }
    }
    let lib = &src.iter().find(|(p, _)| p == "lib.rs").unwrap().1;
    assert_eq!(
        lib.matches(".rename_over(").count(),
        2,
        "the fix and the undo each rename once, with the token"
    );
}
