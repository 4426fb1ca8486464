//! Integration tests of the host collector.
//!
//! * `linux_tree` runs the Linux collector on fake system trees built by the tests.
//! * `windows` runs the Windows parsers and the whole Windows collector on fixtures in
//!   `tests/fixtures/windows/` (documented in its README).
//! * `live` reads this machine: the firewall inside a network namespace the test creates
//!   (root, `ip` and `nft` needed; SKIPPED otherwise), listening sockets against a socket
//!   the test opens, and the whole collection as a normal user.
//! * `unknown_words` walks every unknown fact and note the collectors give on these trees and
//!   fixtures and checks that a German report words each from the catalogue, never in English.
//! * `eol` checks the shipped end-of-life table against the shared copy (extended tier).

#![allow(clippy::unwrap_used, clippy::print_stderr, clippy::print_stdout)]

mod backup;
mod eol;
mod known;
mod linux_tree;
mod live;
mod unknown_words;
mod windows;
mod windows_native;

/// Every fact a collection wrote has a key listed in `keys::KEYS`, with the value type
/// listed there (or unknown).
pub fn assert_keys_listed(facts: &praxcheck_model::HostFacts) {
    for f in &facts.facts {
        let k = praxcheck_hostscan::keys::find(&f.key)
            .unwrap_or_else(|| panic!("{} is not in keys::KEYS", f.key));
        let ty = serde_json::to_value(&f.value).unwrap()["type"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            ty == k.value_type || ty == "unknown",
            "{}: {ty} but listed as {}",
            f.key,
            k.value_type
        );
    }
}

/// `docs/host-facts.md` describes every key.
#[test]
fn the_documentation_lists_every_key() {
    let doc =
        std::fs::read_to_string(praxcheck_testsupport::workspace_root().join("docs/host-facts.md"))
            .unwrap();
    for k in praxcheck_hostscan::keys::KEYS {
        // Profile keys are documented as `firewall.profile.{domain,private,public}.…`.
        let documented = doc.contains(&format!("`{}`", k.key))
            || k.key.starts_with("firewall.profile.")
                && doc.contains(&format!(
                    "`firewall.profile.{{domain,private,public}}.{}`",
                    k.key.rsplit('.').next().unwrap()
                ))
            || doc.contains(&format!("`{}`, `", k.key))
            || doc.contains(&format!(", `{}`", k.key));
        assert!(documented, "{} is not in docs/host-facts.md", k.key);
    }
}
