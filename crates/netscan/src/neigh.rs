//! The neighbour table: addresses this computer already exchanged packets with, and their
//! MAC addresses. Read from `/proc/net/arp` (IPv4) and `ip neigh show` (both families);
//! reading sends nothing. The parsers are pure functions.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Duration;

/// Entries: address → MAC address (lower case, `aa:bb:cc:dd:ee:ff`).
pub type Neighbours = BTreeMap<IpAddr, String>;

/// Parses `/proc/net/arp`; only complete entries (flag 0x2) with a non-zero MAC count.
#[must_use]
pub fn parse_proc_arp(text: &str) -> Neighbours {
    let mut out = Neighbours::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 4 {
            continue;
        }
        let complete =
            u32::from_str_radix(f[2].trim_start_matches("0x"), 16).is_ok_and(|v| v & 2 != 0);
        if let (true, Ok(ip), Some(mac)) = (complete, f[0].parse::<IpAddr>(), norm_mac(f[3])) {
            out.insert(ip, mac);
        }
    }
    out
}

/// Parses `ip neigh show`: `10.0.0.5 dev eth0 lladdr aa:bb:cc:dd:ee:ff REACHABLE`. Entries
/// in state FAILED or INCOMPLETE have no address and are left out.
#[must_use]
pub fn parse_ip_neigh(text: &str) -> Neighbours {
    let mut out = Neighbours::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let Some(ip) = f.first().and_then(|s| s.parse::<IpAddr>().ok()) else {
            continue;
        };
        if f.iter().any(|s| *s == "FAILED" || *s == "INCOMPLETE") {
            continue;
        }
        let mac = f
            .iter()
            .position(|s| *s == "lladdr")
            .and_then(|i| f.get(i + 1))
            .and_then(|m| norm_mac(m));
        if let Some(mac) = mac {
            out.insert(ip, mac);
        }
    }
    out
}

fn norm_mac(m: &str) -> Option<String> {
    let parts: Vec<&str> = m.split(':').collect();
    let ok = parts.len() == 6
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_hexdigit()));
    (ok && m != "00:00:00:00:00:00").then(|| m.to_ascii_lowercase())
}

/// Reads this computer's neighbour table (in the network namespace the process runs in).
/// Failures leave the table empty: discovery then probes every address.
#[must_use]
pub fn read_neighbours() -> Neighbours {
    let mut out = std::fs::read_to_string("/proc/net/arp")
        .map(|t| parse_proc_arp(&t))
        .unwrap_or_default();
    if let Some(text) = run_bounded("ip", &["neigh", "show"]) {
        out.extend(parse_ip_neigh(&text));
    }
    out
}

/// Runs a local read-only command with a time limit; `None` on any failure.
pub(crate) fn run_bounded(cmd: &str, args: &[&str]) -> Option<String> {
    let mut child = std::process::Command::new(cmd)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let out = child.wait_with_output().ok()?;
    let mut s = String::from_utf8_lossy(&out.stdout).into_owned();
    s.truncate(1 << 20);
    Some(s)
}
