//! The namespace lab of the network tests: a practice LAN built from network namespaces that
//! the test creates itself, torn down when the [`Lab`] is dropped (also on a failed
//! assertion). Everything binds inside the lab's namespaces; none has a default route, so no
//! packet can leave them. Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN) and Debian's iproute2,
//! nftables, samba, openssh-server, vsftpd, openssl, plus python3 with pynetdicom.
//!
//! Layout: one namespace `<prefix>sw` holds a bridge; every other namespace gets one veth
//! `eth0` whose peer sits on the bridge. Daemons start with `setsid ip netns exec …` (own
//! process group: smbd signals its whole group when it stops) and are killed by group.

#![allow(clippy::unwrap_used, clippy::print_stderr, dead_code)]

use std::fmt::Write as _;
use std::fs;
use std::net::{IpAddr, SocketAddr};
use std::os::fd::AsFd as _;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// The lab's subnet (inside the lab's namespaces only).
pub const NET: &str = "10.99.7";

/// The helper scripts next to this file.
pub fn script(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/lab")
        .join(name)
        .display()
        .to_string()
}

fn have(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether the lab can run: root and every program in `tools` (names on `PATH`, or
/// `python:<module>` for a Python module). Prints `SKIPPED: <reason>` and returns false when
/// not; fails instead when `PRAXCHECK_REQUIRE_NETLAB=1`.
pub fn available(test: &str, tools: &[&str]) -> bool {
    let mut missing = Vec::new();
    if !rustix::process::geteuid().is_root() {
        missing.push("root (network namespaces)".to_owned());
    }
    for t in tools {
        if let Some(module) = t.strip_prefix("python:") {
            let ok = Command::new("python3")
                .args(["-c", &format!("import {module}")])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                missing.push(format!("python3 module {module}"));
            }
        } else if !have(t) {
            missing.push((*t).to_owned());
        }
    }
    if missing.is_empty() {
        return true;
    }
    let reason = format!("{test}: needs {}", missing.join(", "));
    assert!(
        std::env::var("PRAXCHECK_REQUIRE_NETLAB").as_deref() != Ok("1"),
        "PRAXCHECK_REQUIRE_NETLAB=1 but the lab cannot run: {reason}"
    );
    eprintln!("SKIPPED: {reason}");
    false
}

/// Runs a command to completion (bounded: 20 s), failing the test when it fails.
pub fn sh(args: &[&str]) -> String {
    let out = run_bounded(args, Duration::from_secs(20));
    assert!(
        out.0,
        "command {args:?} failed: {}",
        String::from_utf8_lossy(&out.2)
    );
    String::from_utf8_lossy(&out.1).into_owned()
}

/// Runs a command with a time limit; (success, stdout, stderr). Killed at the limit.
pub fn run_bounded(args: &[&str], limit: Duration) -> (bool, Vec<u8>, Vec<u8>) {
    let Ok(mut child) = Command::new(args[0])
        .args(&args[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        return (false, Vec::new(), b"cannot start".to_vec());
    };
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() < limit => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                break;
            }
        }
    }
    let out = child.wait_with_output().unwrap();
    (out.status.success(), out.stdout, out.stderr)
}

static SEQ: AtomicU32 = AtomicU32::new(0);

/// A lab: its namespaces, daemons and scratch folder. Dropping it tears everything down.
pub struct Lab {
    /// Prefix of every namespace name (unique per process and lab).
    pub prefix: String,
    namespaces: Vec<String>,
    daemons: Vec<(String, Child)>,
    /// Scratch folder (configuration, keys, logs).
    pub dir: tempfile::TempDir,
    switch: String,
    ports: u32,
}

impl Lab {
    /// A new lab with its bridge. Namespace names are `pxl<pid>x<n>-<role>`: unique per run.
    pub fn new() -> Self {
        let n = SEQ.fetch_add(1, Ordering::Relaxed);
        let prefix = format!("pxl{}x{n}-", std::process::id());
        let dir = tempfile::tempdir().unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let switch = format!("{prefix}sw");
        let mut lab = Self {
            prefix,
            namespaces: Vec::new(),
            daemons: Vec::new(),
            dir,
            switch: switch.clone(),
            ports: 0,
        };
        lab.add_namespace(&switch);
        sh(&["ip", "-n", &switch, "link", "add", "br0", "type", "bridge"]);
        sh(&["ip", "-n", &switch, "link", "set", "br0", "up"]);
        lab
    }

    fn add_namespace(&mut self, ns: &str) {
        sh(&["ip", "netns", "add", ns]);
        self.namespaces.push(ns.to_owned());
        // No IPv6: no router solicitations or multicast reports to count.
        sh(&[
            "ip",
            "netns",
            "exec",
            ns,
            "sysctl",
            "-qw",
            "net.ipv6.conf.all.disable_ipv6=1",
            "net.ipv6.conf.default.disable_ipv6=1",
        ]);
        sh(&["ip", "-n", ns, "link", "set", "lo", "up"]);
    }

    /// A host namespace `<prefix><role>` on the bridge with these addresses (last octets in
    /// [`NET`]`.0/24`); returns the namespace name.
    pub fn host(&mut self, role: &str, octets: &[u8]) -> String {
        let ns = format!("{}{role}", self.prefix);
        self.add_namespace(&ns);
        self.ports += 1;
        let peer = format!("p{}", self.ports);
        sh(&[
            "ip",
            "link",
            "add",
            "eth0",
            "netns",
            &ns,
            "type",
            "veth",
            "peer",
            "name",
            &peer,
            "netns",
            &self.switch,
        ]);
        sh(&[
            "ip",
            "-n",
            &self.switch,
            "link",
            "set",
            &peer,
            "master",
            "br0",
            "up",
        ]);
        for o in octets {
            sh(&[
                "ip",
                "-n",
                &ns,
                "addr",
                "add",
                &format!("{NET}.{o}/24"),
                "dev",
                "eth0",
            ]);
        }
        // The veth may be born in the root namespace and moved: its IPv6 setting came along.
        sh(&[
            "ip",
            "netns",
            "exec",
            &ns,
            "sysctl",
            "-qw",
            "net.ipv6.conf.eth0.disable_ipv6=1",
        ]);
        sh(&["ip", "-n", &ns, "link", "set", "eth0", "up"]);
        ns
    }

    /// The namespace name of a role.
    pub fn ns(&self, role: &str) -> String {
        format!("{}{role}", self.prefix)
    }

    /// Starts a daemon in `ns` in its own session and process group; output goes to
    /// `<dir>/<name>.log`.
    pub fn spawn(&mut self, ns: &str, name: &str, cmd: &[&str]) {
        let log = fs::File::create(self.dir.path().join(format!("{name}.log"))).unwrap();
        let child = Command::new("setsid")
            .args(["ip", "netns", "exec", ns])
            .args(cmd)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        self.daemons.push((name.to_owned(), child));
    }

    /// Starts a daemon like [`Self::spawn`], but in a mount namespace of its own with an
    /// empty tmpfs over `/run` holding only `/run/<dir>`: for programs with a compiled-in
    /// runtime folder (sshd's privilege-separation directory `/run/sshd`), so the lab never
    /// creates anything in the host's `/run`. `unshare` makes the namespace's mounts private:
    /// nothing propagates back to the host.
    pub fn spawn_private_run(&mut self, ns: &str, name: &str, dir: &str, cmd: &[&str]) {
        let script = format!(
            "mount -t tmpfs -o mode=0755,size=1m praxcheck-lab /run && mkdir -m 0755 /run/{dir} && exec \"$@\""
        );
        let mut full = vec![
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            &script,
            "sh",
        ];
        full.extend_from_slice(cmd);
        self.spawn(ns, name, &full);
    }

    /// The process ids of the daemons started under `name` and their children (from the
    /// process group the daemon leads).
    pub fn pids(&self, name: &str) -> Vec<u32> {
        let Some((_, child)) = self.daemons.iter().find(|(n, _)| n == name) else {
            return Vec::new();
        };
        let out = run_bounded(
            &["pgrep", "-g", &child.id().to_string()],
            Duration::from_secs(5),
        );
        String::from_utf8_lossy(&out.1)
            .split_whitespace()
            .filter_map(|p| p.parse().ok())
            .collect()
    }

    /// The log of a daemon (for failure messages).
    pub fn log(&self, name: &str) -> String {
        fs::read_to_string(self.dir.path().join(format!("{name}.log"))).unwrap_or_default()
    }

    /// A path in the scratch folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Waits (at most `limit`) until every `addr:port` listens in `ns`; fails the test with
    /// the daemon logs otherwise.
    pub fn wait_listening(&self, ns: &str, wanted: &[SocketAddr], limit: Duration) {
        let start = Instant::now();
        let mut missing: Vec<SocketAddr> = wanted.to_vec();
        while start.elapsed() < limit {
            let out = run_bounded(
                &["ip", "netns", "exec", ns, "ss", "-ltnH"],
                Duration::from_secs(5),
            );
            let text = String::from_utf8_lossy(&out.1).into_owned();
            missing.retain(|a| !text.contains(&format!(" {a} ")));
            if missing.is_empty() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut logs = String::new();
        for (name, _) in &self.daemons {
            let _ = writeln!(logs, "--- {name}\n{}", self.log(name));
        }
        panic!("not listening in {ns} after {limit:?}: {missing:?}\n{logs}");
    }

    /// Runs `f` on a thread that has entered the network namespace `ns` (sockets it opens and
    /// programs it starts live there). The calling thread stays where it is.
    pub fn in_ns<T: Send + 'static>(ns: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
        let path = format!("/run/netns/{ns}");
        std::thread::spawn(move || {
            let fd = fs::File::open(&path).unwrap();
            rustix::thread::move_into_link_name_space(
                fd.as_fd(),
                Some(rustix::thread::LinkNameSpaceType::Network),
            )
            .unwrap();
            f()
        })
        .join()
        .unwrap()
    }

    /// Loads an nftables table into `ns` that counts every IPv4/IPv6 packet the namespace
    /// sends: `local` through loopback (stays in the namespace: for example the ICMP
    /// "host unreachable" the kernel reports to the scanner itself when an address does not
    /// answer ARP), `inside` to the allowed addresses, `outside` to any other; the
    /// destinations of `outside` packets are kept in the set `seen` for the failure message.
    pub fn count_output(&self, ns: &str, allowed: &[IpAddr]) {
        let elems: Vec<String> = allowed.iter().map(ToString::to_string).collect();
        let rules = format!(
            "table inet pxlab {{\n  counter inside {{ }}\n  counter outside {{ }}\n  counter ipv6 {{ }}\n  counter local {{ }}\n  \
             set targets {{ type ipv4_addr; elements = {{ {} }} }}\n  \
             set seen {{ type ipv4_addr . inet_service; flags dynamic; size 1024; }}\n  \
             chain out {{ type filter hook output priority 0; policy accept;\n    \
             oifname \"lo\" counter name \"local\" accept\n    \
             ip daddr @targets counter name \"inside\" accept\n    \
             meta l4proto tcp add @seen {{ ip daddr . tcp dport }}\n    \
             meta l4proto udp add @seen {{ ip daddr . udp dport }}\n    \
             meta nfproto ipv6 counter name \"ipv6\"\n    \
             counter name \"outside\"\n  }}\n}}\n",
            elems.join(", ")
        );
        let f = self.path(&format!("{ns}.nft"));
        fs::write(&f, rules).unwrap();
        sh(&["ip", "netns", "exec", ns, "nft", "-f", f.to_str().unwrap()]);
    }

    /// Loads an nftables table into `ns` that counts every packet it receives on `eth0`.
    pub fn count_input(&self, ns: &str) {
        let rules = "table inet pxlab {\n  counter received { }\n  \
                     chain inp { type filter hook input priority 0; policy accept;\n    \
                     iifname \"eth0\" counter name \"received\"\n  }\n}\n";
        let f = self.path(&format!("{ns}.nft"));
        fs::write(&f, rules).unwrap();
        sh(&["ip", "netns", "exec", ns, "nft", "-f", f.to_str().unwrap()]);
    }

    /// The outside destinations (address . port) [`Self::count_output`] saw, as nft lists them.
    pub fn outside_destinations(ns: &str) -> String {
        sh(&[
            "ip", "netns", "exec", ns, "nft", "list", "table", "inet", "pxlab",
        ])
    }

    /// The packets a named counter of [`Self::count_output`] / [`Self::count_input`] saw.
    pub fn counter(ns: &str, name: &str) -> u64 {
        let out = sh(&[
            "ip", "netns", "exec", ns, "nft", "list", "counter", "inet", "pxlab", name,
        ]);
        out.split_whitespace()
            .skip_while(|w| *w != "packets")
            .nth(1)
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no packet count in {out:?}"))
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        // Daemons by process group first (setsid made each one a group leader).
        for (_, child) in &mut self.daemons {
            let pgid = format!("-{}", child.id());
            let _ = run_bounded(&["kill", "-KILL", "--", &pgid], Duration::from_secs(5));
            let _ = child.kill();
        }
        // Anything else still running in a lab namespace.
        for ns in &self.namespaces {
            let out = run_bounded(&["ip", "netns", "pids", ns], Duration::from_secs(5));
            for pid in String::from_utf8_lossy(&out.1).split_whitespace() {
                let _ = run_bounded(&["kill", "-KILL", pid], Duration::from_secs(5));
            }
        }
        for (_, child) in &mut self.daemons {
            let _ = child.wait();
        }
        for ns in self.namespaces.iter().rev() {
            let _ = run_bounded(&["ip", "netns", "del", ns], Duration::from_secs(10));
        }
    }
}
