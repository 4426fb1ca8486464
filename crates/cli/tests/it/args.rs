//! The command tree through the public API: the plain command the binary parses with
//! first agrees with the localized one.

use clap::FromArgMatches as _;
use praxcheck_cli::args::{Cli, command, command_plain};
use praxcheck_i18n::Catalog;

/// A valid command line gives the same arguments from the plain command as from the
/// localized one; help, version and errors fail with the plain one (and are then
/// shown by the localized one).
#[test]
fn the_plain_command_parses_like_the_localized_one() {
    let cat = Catalog::new(praxcheck_i18n::Lang::De);
    let parse = |cmd: clap::Command, line: &[&str]| {
        cmd.try_get_matches_from(line)
            .ok()
            .and_then(|m| Cli::from_arg_matches(&m).ok())
            .map(|c| format!("{c:?}"))
    };
    for line in [
        &["praxcheck", "scan"][..],
        &[
            "praxcheck",
            "--quiet",
            "scan",
            "--path",
            "/opt",
            "--format",
            "json",
        ],
        &[
            "praxcheck",
            "scan",
            "--lang",
            "en",
            "--no-cache",
            "--exclude",
            "/x",
        ],
        &["praxcheck", "-q", "logs", "--path", "/var/log"],
        &[
            "praxcheck",
            "report",
            "--from",
            "a.json",
            "--format",
            "html",
        ],
        &["praxcheck", "advisories", "show"],
        &["praxcheck", "agent", "status"],
        &["praxcheck", "net", "127.0.0.1", "--format", "csv"],
    ] {
        let plain = parse(command_plain(), line);
        assert!(plain.is_some(), "{line:?}");
        assert_eq!(plain, parse(command(&cat), line), "{line:?}");
    }
    for line in [
        &["praxcheck"][..],
        &["praxcheck", "--help"],
        &["praxcheck", "scan", "-h"],
        &["praxcheck", "-V"],
        &["praxcheck", "scan", "--version"],
        &["praxcheck", "help", "scan"],
        &["praxcheck", "scan", "--format", "yaml"],
        &["praxcheck", "scan", "--no-such-option"],
    ] {
        assert!(
            command_plain().try_get_matches_from(line).is_err(),
            "{line:?}"
        );
        assert!(
            command(&cat).try_get_matches_from(line).is_err(),
            "{line:?}"
        );
    }
}
