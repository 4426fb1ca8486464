//! Invariants of ARCHITECTURE.md checked over the workspace's sources and manifests
//! (issue 10 step 7):
//!
//! * **The binary is thin.** `crates/cli/src` (arguments, dispatch, progress, exit codes)
//!   stays at most [`CLI_MAX_LINES`] lines; the pipeline, its decisions and its words live
//!   in `app` and `report`.
//! * **Only the network crates open sockets.** A library crate other than `netscan`, `server`
//!   (which holds the agent's and the update's client side) and `web` must neither depend
//!   (normal or build dependency, from `cargo metadata`) on a networking crate
//!   ([`NET_CRATES`]) nor name a socket-opening API in its `src/` ([`SOCKET_APIS`]: the
//!   `std::net` / `std::os::unix::net` socket types, name resolution, `tokio::net`). Address
//!   types (`Ipv4Addr`, `SocketAddr`) are values, not sockets, and are allowed. The binary
//!   (`praxcheck`) is held to the same rule: it dispatches to those crates.
//! * **Collectors never assign severity.** The collectors' sources never name the types
//!   that carry a verdict ([`VERDICT_TYPES`]: `Severity`, `Finding`, `Assessment`, `Light`),
//!   so they can neither build a finding nor set one in what they hand over.
//!   (That collectors do not depend on `assess` is `layers::crates_depend_in_one_direction`.)
//!
//! Comments are left out of the source scan; identifiers are compared whole, so
//! `UdpSocketServer` (a Log4j class name javascan looks for) is not `UdpSocket`.

use std::collections::BTreeSet;
use std::path::Path;

use crate::workspace::{Package, crates_dir, packages, rust_files};

/// Crates allowed to open sockets.
const NETWORK_PACKAGES: [&str; 3] = ["praxcheck-netscan", "praxcheck-server", "praxcheck-web"];

/// Helpers for tests only (a dev-dependency, never part of the product).
const TEST_ONLY_PACKAGE: &str = "praxcheck-testsupport";

/// Dependencies that open sockets (or exist to).
const NET_CRATES: [&str; 14] = [
    "reqwest",
    "ureq",
    "hyper",
    "hyper-util",
    "axum",
    "socket2",
    "mio",
    "tokio-rustls",
    "hickory-resolver",
    "trust-dns-resolver",
    "curl",
    "attohttpc",
    "isahc",
    "surf",
];

/// Identifiers of socket-opening APIs.
const SOCKET_APIS: [&str; 8] = [
    "TcpStream",
    "TcpListener",
    "UdpSocket",
    "UnixStream",
    "UnixListener",
    "UnixDatagram",
    "ToSocketAddrs",
    "lookup_host",
];

const COLLECTORS: [&str; 4] = ["javascan", "logscan", "hostscan", "netscan"];

/// Identifiers of the verdict types.
const VERDICT_TYPES: [&str; 4] = ["Severity", "Finding", "Assessment", "Light"];

/// `file:line: identifier` for every whole identifier of `names` outside comments.
fn uses(dir: &Path, names: &[&str], paths: &[&str]) -> Vec<String> {
    let mut hits = Vec::new();
    for f in rust_files(dir) {
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let idents: BTreeSet<&str> = code
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .collect();
            for name in names {
                if idents.contains(name) {
                    hits.push(format!("{}:{}: {name}", f.display(), n + 1));
                }
            }
            for p in paths {
                if code.contains(p) {
                    hits.push(format!("{}:{}: {p}", f.display(), n + 1));
                }
            }
        }
    }
    hits
}

fn socket_violations(pkgs: &[Package]) -> Vec<String> {
    let mut bad = Vec::new();
    for Package { name, dir, deps } in pkgs {
        // The test-only crate may bind a port on 127.0.0.1 (the private PostgreSQL cluster
        // of `testsupport::pg`) as long as nothing depends on it outside its tests.
        if deps.contains(TEST_ONLY_PACKAGE) {
            bad.push(format!(
                "{name} depends on {TEST_ONLY_PACKAGE} outside its tests"
            ));
        }
        if NETWORK_PACKAGES.contains(&name.as_str()) || name == TEST_ONLY_PACKAGE {
            continue;
        }
        for d in deps {
            if NET_CRATES.contains(&d.as_str()) {
                bad.push(format!("{name} depends on {d}"));
            }
        }
        for h in uses(&dir.join("src"), &SOCKET_APIS, &["tokio::net"]) {
            bad.push(format!("{name}: {h}"));
        }
    }
    bad
}

#[test]
fn only_the_network_crates_open_sockets() {
    let pkgs = packages();
    assert!(pkgs.len() > 10, "cargo metadata lists the workspace");
    for n in NETWORK_PACKAGES {
        assert!(pkgs.iter().any(|p| p.name == n), "{n} is in the workspace");
    }
    let bad = socket_violations(&pkgs);
    assert!(
        bad.is_empty(),
        "sockets outside the network crates:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_socket_check_catches_a_socket_and_a_network_dependency() {
    // The check itself: the netscan sources name socket APIs, and reqwest is a network crate;
    // under another name both are reported.
    let pkgs = packages();
    let dir = &pkgs
        .iter()
        .find(|p| p.name == "praxcheck-netscan")
        .unwrap()
        .dir;
    let fake = vec![Package {
        name: "praxcheck-logscan".to_owned(),
        dir: dir.clone(),
        deps: BTreeSet::from(["reqwest".to_owned()]),
    }];
    let bad = socket_violations(&fake);
    assert!(
        bad.iter().any(|b| b.ends_with("depends on reqwest")),
        "{bad:?}"
    );
    assert!(bad.iter().any(|b| b.contains("TcpStream")), "{bad:?}");
    // The test-only crate, depended on outside tests, is reported too.
    let fake = vec![Package {
        name: "praxcheck-report".to_owned(),
        dir: dir.join("no-such-src"),
        deps: BTreeSet::from([TEST_ONLY_PACKAGE.to_owned()]),
    }];
    let bad = socket_violations(&fake);
    assert!(
        bad.iter().any(|b| b.ends_with("outside its tests")),
        "{bad:?}"
    );
}

#[test]
fn collectors_never_name_a_verdict_type() {
    for c in COLLECTORS {
        let src = crates_dir().join(c).join("src");
        assert!(src.is_dir(), "{} exists", src.display());
        let hits = uses(&src, &VERDICT_TYPES, &[]);
        assert!(
            hits.is_empty(),
            "collector {c} names a verdict type:\n{}",
            hits.join("\n")
        );
    }
    // The check can fail: the model's finding module names them.
    let model = crates_dir().join("model").join("src");
    assert!(!uses(&model, &VERDICT_TYPES, &[]).is_empty());
}

/// The most lines `crates/cli/src/*.rs` may have together (433 in round six).
const CLI_MAX_LINES: usize = 500;

#[test]
fn the_binary_is_thin() {
    let files = rust_files(&crates_dir().join("cli/src"));
    assert!(files.len() >= 3, "{files:?}");
    let lines: usize = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap().lines().count())
        .sum();
    assert!(
        lines <= CLI_MAX_LINES,
        "crates/cli/src has {lines} lines, more than {CLI_MAX_LINES}: move pipeline and wording to app or report"
    );
}
