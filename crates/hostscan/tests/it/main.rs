//! Integration tests of the host collector.
//!
//! * `linux_tree` runs the Linux collector on fake system trees built by the tests.
//! * `windows` runs the Windows parsers and the whole Windows collector on fixtures in
//!   `tests/fixtures/windows/` (documented in its README).
//! * `live` reads this machine: the firewall inside a network namespace the test creates
//!   (root, `ip` and `nft` needed; SKIPPED otherwise), listening sockets against a socket
//!   the test opens, and the whole collection as a normal user.
//! * `eol` checks the shipped end-of-life table against the shared copy (extended tier).

#![allow(clippy::unwrap_used, clippy::print_stderr, clippy::print_stdout)]

mod backup;
mod eol;
mod linux_tree;
mod live;
mod windows;

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
