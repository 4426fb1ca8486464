//! A private PostgreSQL cluster for one test: `initdb` on a temporary data folder,
//! `postgres` listening on 127.0.0.1 at a free port (and a unix socket inside the folder
//! only), stopped and removed when the guard drops. Run as root, the cluster belongs to
//! the unprivileged `postgres` user (or `nobody`), since PostgreSQL refuses to run as
//! root.
//!
//! The service connects as `praxcheck`, a role that owns its database but is not a
//! superuser, so the row-level security policies apply to it as they would in production.
//!
//! Without PostgreSQL's programs the test prints `SKIPPED: …` and returns; with
//! `PRAXCHECK_REQUIRE_POSTGRES=1` (CI) it fails instead.
//!
//! Used by the server's and the web's tests and by netscan's probe of a real PostgreSQL;
//! the cluster logs every connection (`log_connections=on`, [`PgCluster::log`]).

// A test harness: a setup step that fails is a failing test, so it may unwrap.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A running private cluster.
pub struct PgCluster {
    dir: tempfile::TempDir,
    /// The data folder when it is not `<dir>/data` (on a small mount; WAL stays in `dir`).
    data_dir: Option<PathBuf>,
    bin: PathBuf,
    owner: Option<(u32, u32)>,
    /// The TCP port on 127.0.0.1.
    pub port: u16,
    next_db: std::sync::atomic::AtomicU32,
}

/// PostgreSQL's program folder: the newest `/usr/lib/postgresql/<major>/bin` (Debian's
/// layout), else `pg_config --bindir`.
fn bindir() -> Option<PathBuf> {
    let mut majors: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let major = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((major, bin))
        })
        .collect();
    majors.sort();
    if let Some((_, bin)) = majors.pop() {
        return Some(bin);
    }
    let out = Command::new("pg_config").arg("--bindir").output().ok()?;
    let bin = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    bin.join("initdb").exists().then_some(bin)
}

/// uid and gid of the first of `postgres`, `nobody` in /etc/passwd.
fn unprivileged_user() -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    for want in ["postgres", "nobody"] {
        for line in passwd.lines() {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() > 3 && f[0] == want {
                return Some((f[2].parse().ok()?, f[3].parse().ok()?));
            }
        }
    }
    None
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|u| u == "0"))
        })
        .unwrap_or(false)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Skips (returns `None` after printing `SKIPPED`) or fails under
/// `PRAXCHECK_REQUIRE_POSTGRES=1`.
#[allow(clippy::print_stderr)] // the SKIPPED line is the point
fn skip(test: &str, why: &str) -> Option<PgCluster> {
    assert!(
        std::env::var("PRAXCHECK_REQUIRE_POSTGRES").as_deref() != Ok("1"),
        "{test}: PRAXCHECK_REQUIRE_POSTGRES=1 but {why}"
    );
    eprintln!("SKIPPED: {test}: {why} (install Debian's postgresql)");
    None
}

impl PgCluster {
    /// Starts a fresh cluster, or `None` (SKIPPED) without PostgreSQL.
    pub fn start(test: &str) -> Option<Self> {
        Self::start_in(test, None)
    }

    /// A cluster whose data folder is `data` (e.g. on a small mount) and whose WAL stays on
    /// the temporary folder, as production keeps WAL on a disk of its own.
    pub fn start_with_data(test: &str, data: &Path) -> Option<Self> {
        Self::start_in(test, Some(data.to_owned()))
    }

    fn start_in(test: &str, data_dir: Option<PathBuf>) -> Option<Self> {
        let Some(bin) = bindir() else {
            return skip(test, "PostgreSQL's initdb was not found");
        };
        let owner = if is_root() {
            match unprivileged_user() {
                Some(u) => Some(u),
                None => return skip(test, "running as root and no unprivileged user"),
            }
        } else {
            None
        };
        let dir = tempfile::Builder::new()
            .prefix("praxcheck-pg")
            .tempdir()
            .unwrap();
        if let Some((uid, gid)) = owner {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).unwrap();
        }
        if let (Some(d), Some((uid, gid))) = (&data_dir, owner) {
            std::fs::create_dir_all(d).unwrap();
            std::os::unix::fs::chown(d, Some(uid), Some(gid)).unwrap();
        }
        let c = Self {
            dir,
            data_dir,
            bin,
            owner,
            port: free_port(),
            next_db: std::sync::atomic::AtomicU32::new(0),
        };
        let out = c
            .cmd("initdb")
            .args(["--auth=trust", "--username=postgres", "--no-sync"])
            .args(["--encoding=UTF8", "--locale=C", "-D"])
            .arg(c.data())
            .args(
                c.data_dir
                    .as_ref()
                    .map(|_| format!("--waldir={}", c.dir.path().join("wal").display())),
            )
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        c.pg_ctl_start();
        c.psql(
            "postgres",
            "CREATE ROLE praxcheck LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB",
        );
        Some(c)
    }

    fn data(&self) -> PathBuf {
        self.data_dir
            .clone()
            .unwrap_or_else(|| self.dir.path().join("data"))
    }

    fn cmd(&self, program: &str) -> Command {
        let mut cmd = Command::new(self.bin.join(program));
        cmd.stdin(Stdio::null());
        if let Some((uid, gid)) = self.owner {
            use std::os::unix::process::CommandExt as _;
            cmd.uid(uid).gid(gid);
        }
        cmd
    }

    fn pg_ctl_start(&self) {
        let opts = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=on -c synchronous_commit=on \
             -c max_connections=100 -c shared_buffers=32MB -c log_connections=on",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("log");
        // pg_ctl refuses to start while the old shared memory is still attached (backends
        // of a killed postmaster exit on their own shortly after): retry for a while.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let out = self
                .cmd("pg_ctl")
                .args(["start", "-w", "-t", "20", "-D"])
                .arg(self.data())
                .arg("-l")
                .arg(&log)
                .arg("-o")
                .arg(&opts)
                .output()
                .unwrap();
            if out.status.success() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "pg_ctl start: {}\n{}",
                String::from_utf8_lossy(&out.stderr),
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    /// Runs SQL as the cluster's superuser.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args([
                "-X",
                "-q",
                "-t",
                "-A",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
            ])
            .args([
                "-U",
                "postgres",
                "-p",
                &self.port.to_string(),
                "-d",
                db,
                "-c",
                sql,
            ])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "psql {sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// A new empty database owned by the service's role; its URL.
    pub fn database(&self) -> String {
        let n = self
            .next_db
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("praxcheck{n}");
        self.psql(
            "postgres",
            &format!("CREATE DATABASE {name} OWNER praxcheck"),
        );
        self.url(&name)
    }

    /// The service role's URL for a database.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://praxcheck@127.0.0.1:{}/{db}", self.port)
    }

    /// The postmaster's pid (first line of `postmaster.pid`).
    fn postmaster(&self) -> Option<i32> {
        std::fs::read_to_string(self.data().join("postmaster.pid"))
            .ok()?
            .lines()
            .next()?
            .trim()
            .parse()
            .ok()
    }

    /// kill -9 of the postmaster and every backend it started (nothing gets a chance to
    /// flush), then waits until they are gone.
    pub fn kill9(&self) {
        let Some(pm) = self.postmaster() else {
            panic!("no postmaster.pid");
        };
        let mut pids = children(pm);
        pids.push(pm);
        for pid in &pids {
            // A backend may already be gone: that is fine.
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .stderr(Stdio::null())
                .status();
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while pids.iter().any(|p| alive(*p)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Starts the cluster again on the same folder and port (crash recovery replays WAL).
    pub fn restart(&self) {
        self.pg_ctl_start();
    }

    /// The server's log so far (every connection is logged).
    #[must_use]
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }

    /// The major version of the server's programs (the `<major>` of
    /// `/usr/lib/postgresql/<major>/bin`; 0 when the folder does not say).
    #[must_use]
    pub fn major(&self) -> u32 {
        self.bin
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }

    /// The cluster's temporary folder.
    #[must_use]
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// Processes whose parent is `pid`.
fn children(pid: i32) -> Vec<i32> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let p: i32 = e.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
            // pid (comm) state ppid …; comm may hold spaces, so split after the last ')'.
            let rest = &stat[stat.rfind(')')? + 1..];
            let ppid: i32 = rest.split_whitespace().nth(1)?.parse().ok()?;
            (ppid == pid).then_some(p)
        })
        .collect()
}

fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        s.rfind(')')
            .is_some_and(|i| !s[i + 1..].trim_start().starts_with('Z'))
    })
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let _ = self
            .cmd("pg_ctl")
            .args(["stop", "-m", "immediate", "-w", "-D"])
            .arg(self.data())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}
