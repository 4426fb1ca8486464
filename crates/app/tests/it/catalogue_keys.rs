//! Every key of the message catalogue is used: its name appears in the source of a crate
//! (`src/` or `templates/`, tests excluded), or it belongs to a family whose keys are built
//! at run time from a code (listed below with where the code comes from). A key nothing
//! uses is dead text that translators keep up for nothing (issue 10).

use std::path::Path;

use crate::workspace::crates_dir;

/// Families of keys built at run time (`format!("<prefix>{…}")`), with the code's origin.
const BUILT: &[&str] = &[
    "help-",              // app::help: help-<command>-<argument> from the clap tree
    "host-fact-",         // report::host::label_key: from the fact key constants
    "host-section-",      // report::host: the fact areas
    "server-error-",      // server::error::reason: the error codes (CODES; its own test)
    "web-status-",        // web: a finding's status
    "web-severity-",      // web: a severity
    "topic-",             // report: an action's topic
    "obfuscation-",       // report: logscan's obfuscation kinds
    "reason-",            // report: unreadable reason codes
    "logs-origin-",       // report: where a log trace came from
    "evidence-kind-",     // report: evidence kinds
    "advisories-source-", // report: an advisory set's source
];

/// Keys built by a suffix on a used key (`format!("{}-hint", light_key(..))`).
const SUFFIXED: &[(&str, &str)] = &[("light-", "-hint")];

fn source_text() -> String {
    let mut text = String::new();
    for c in std::fs::read_dir(crates_dir()).unwrap() {
        let c = c.unwrap().path();
        for dir in [c.join("src"), c.join("templates")] {
            for p in crate::workspace::files(&dir, |_| true) {
                if let Ok(t) = std::fs::read_to_string(&p) {
                    text.push_str(&t);
                    text.push('\n');
                }
            }
        }
    }
    text
}

fn keys(file: &Path) -> Vec<String> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once('='))
        .map(|(k, _)| k.trim().to_owned())
        .collect()
}

#[test]
fn every_catalogue_key_is_used_in_the_source() {
    let text = source_text();
    let keys = keys(&crates_dir().join("i18n/locales/de.ftl"));
    assert!(
        keys.len() > 500,
        "the catalogue was not read: {}",
        keys.len()
    );
    let unused: Vec<_> = keys
        .iter()
        .filter(|k| !text.contains(k.as_str()))
        .filter(|k| !BUILT.iter().any(|p| k.starts_with(p)))
        .filter(|k| {
            !SUFFIXED.iter().any(|(p, s)| {
                k.starts_with(p)
                    && k.strip_suffix(s)
                        .is_some_and(|base| text.contains(&format!("\"{base}\"")))
            })
        })
        .collect();
    assert!(
        unused.is_empty(),
        "catalogue keys no source uses (remove them from de.ftl and en.ftl): {unused:?}"
    );
}
