//! Help in the user's language for a clap command (feature `clap`): every text from the
//! message catalogue, German first, down to clap's own words (issue 11 item 6).
//!
//! Keys: `help-about` for the program, `help-<cmd>` for a command, `help-<cmd>-<arg>` for
//! an argument (`help-global-<arg>` for the global ones, `help-output-<arg>` for the shared
//! output options); `help-heading-*`, `help-flag-*` and `help-subcommand-help` for the frame.

use clap::{Arg, ArgAction};
use praxcheck_i18n::Catalog;

/// Replaces the help texts with the catalogue's, recursively. Keys:
/// `help-about` for the program, `help-<cmd>` for a command,
/// `help-<cmd>-<arg>` for an argument (`help-global-<arg>` for the global ones).
fn localize_at(cmd: clap::Command, path: &str, cat: &Catalog) -> clap::Command {
    let key = if path.is_empty() {
        "help-about".to_owned()
    } else {
        format!("help-{path}")
    };
    let mut cmd = german_first_frame(cmd, path.is_empty(), cat);
    if cat.has(&key) {
        cmd = cmd.about(cat.t(&key));
    }
    let arg_ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in arg_ids {
        let k = if path.is_empty() {
            format!("help-global-{id}")
        } else {
            format!("help-{path}-{id}")
        };
        let k2 = format!("help-global-{id}");
        let k3 = format!("help-output-{id}");
        let text = [k, k3, k2]
            .into_iter()
            .find(|k| cat.has(k))
            .map(|k| cat.t(&k));
        let heading = cat.t(
            if cmd
                .get_positionals()
                .any(|a| a.get_id().as_str() == id.as_str())
            {
                "help-heading-arguments"
            } else {
                "help-heading-options"
            },
        );
        cmd = cmd.mut_arg(id.as_str(), |a| {
            let a = a.help_heading(heading);
            match text {
                Some(text) => a.help(text),
                None => a,
            }
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in subs {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}-{name}")
        };
        cmd = cmd.mut_subcommand(name.as_str(), |s| localize_at(s, &sub_path, cat));
    }
    cmd
}

/// The frame of every help page in the user's language (issue 11 item 6): clap writes
/// "Usage:", "Commands:", "Options:", "Arguments:", "Print help" and "Print version" in
/// English, so the usage heading comes from a template, the section headings are set on
/// each argument, and `-h/--help` and `-V/--version` are our own flags with catalogue text.
fn german_first_frame(cmd: clap::Command, root: bool, cat: &Catalog) -> clap::Command {
    // A template is literal text apart from `{…}` tags: the heading must not hold braces.
    let usage = cat.t("help-heading-usage").replace(['{', '}'], "");
    let mut cmd = cmd
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{usage}: {{usage}}\n\n{{all-args}}{{after-help}}"
        ))
        .subcommand_help_heading(cat.t("help-heading-commands"))
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(cat.t("help-flag-help")),
        );
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .global(true)
                .action(ArgAction::Version)
                .help(cat.t("help-flag-version")),
        );
    }
    cmd
}

/// The command with every help text from the catalogue. Builds the command (clap adds its
/// `help` subcommand then), so set the version before.
#[must_use]
pub fn localize(cmd: clap::Command, cat: &Catalog) -> clap::Command {
    let mut cmd = localize_at(cmd, "", cat);
    // clap adds its `help` subcommand while building: build first, then give it our words.
    cmd.build();
    help_subcommands(cmd, cat)
}

fn help_subcommands(cmd: clap::Command, cat: &Catalog) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    let mut cmd = cmd;
    for name in names {
        cmd = if name == "help" {
            cmd.mut_subcommand("help", |h| h.about(cat.t("help-subcommand-help")))
        } else {
            cmd.mut_subcommand(name.as_str(), |s| help_subcommands(s, cat))
        };
    }
    cmd
}

/// Finds `--lang X` / `--lang=X` before clap parses (the help must already be localized).
#[must_use]
pub fn sniff_lang(args: &[std::ffi::OsString]) -> Option<String> {
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        let s = a.to_string_lossy();
        if s == "--lang" {
            return it.next().map(|v| v.to_string_lossy().into_owned());
        }
        if let Some(v) = s.strip_prefix("--lang=") {
            return Some(v.to_owned());
        }
    }
    None
}

/// The `--version` text: version, commit (the binary's build script finds it) and the
/// embedded advisory set.
#[must_use]
pub fn version_text(commit: &str) -> &'static str {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        // The identity only: parsing the whole set here would cost every command startup.
        let set = praxcheck_advisories::AdvisorySet::embedded_meta()
            .map(|m| format!("{} {} ({})", m.id, m.version, m.published))
            .unwrap_or_else(|e| format!("unusable: {e}"));
        format!(
            "{} (commit {commit}, advisory set {set})",
            env!("CARGO_PKG_VERSION")
        )
    })
}
