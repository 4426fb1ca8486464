//! Durable uploads/s of 300-component documents: the service's group-commit writer behind
//! its HTTP API against the naive one-transaction-per-upload write, in the same run, on
//! SQLite (WAL + synchronous=FULL) and, when Debian's PostgreSQL is installed, on a private
//! PostgreSQL cluster (fsync on). Usage: `uploadbench N CLIENTS` (see bench/server.sh).
//!
//! The server runs as its own process (`praxcheck-test-serve`, built next to this example),
//! so its peak RSS (`VmHWM`) and CPU time come from `/proc/<pid>` and do not include this
//! load generator. Also measured: what the SQLite pool's release hook costs per connection
//! release (`db::keep_sqlite_connection`).

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::cast_precision_loss
)]

use std::io::BufRead as _;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use praxcheck_server::tenant::AdminCtx;
use praxcheck_server::{Db, Location, enroll, ingest};
use praxcheck_testsupport::pg::PgCluster;
use sqlx::Executor as _;

fn doc(host: &str, n: usize, seed: usize, changed: bool) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/host.json");
    let mut d: serde_json::Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
    d["scan"]["hostname"] = host.into();
    d["scan"]["started_at"] =
        format!("2026-12-03T10:{:02}:{:02}Z", (seed / 60) % 60, seed % 60).into();
    let template = d["inventory"]["components"][1].clone();
    let comps = d["inventory"]["components"].as_array_mut().unwrap();
    for i in 0..n {
        let mut c = template.clone();
        let v = if changed && i == 0 {
            format!("9.{seed}.0")
        } else {
            format!("1.{i}.0")
        };
        c["id"] = format!("c{i}").into();
        c["name"] = format!("com.example:lib{i}").into();
        c["version"] = v.into();
        c.as_object_mut().unwrap().remove("java");
        comps.push(c);
    }
    serde_json::to_vec(&d).unwrap()
}

/// The server process: `praxcheck-test-serve` from the same target folder.
struct Child9(Child, String);

impl Drop for Child9 {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn_server(loc: &Location) -> Child9 {
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("praxcheck-test-serve");
    let mut cmd = Command::new(&bin);
    match loc {
        Location::Folder(d) => cmd.arg("--data").arg(d),
        Location::Postgres(u) => cmd.arg("--database").arg(u),
    };
    let mut child = cmd
        .args(["--listen", "127.0.0.1:0", "--rate", "1000000000"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e} (build it: bench/server.sh)", bin.display()));
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line.trim().strip_prefix("listening ").unwrap().to_owned();
    Child9(child, format!("http://{addr}"))
}

/// Peak RSS in MB and CPU seconds (user + system) of a process.
fn usage(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse::<f64>().ok())
        .map_or(0.0, |k| k / 1024.0);
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command's closing parenthesis; utime and stime are 14 and 15.
    let rest = stat.rsplit_once(')').map_or("", |r| r.1);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // Clock ticks are 100 per second on Linux.
    (hwm, (ticks(11) + ticks(12)) / 100.0)
}

struct Setup {
    creds: Vec<String>,
    naive: String,
}

async fn setup(loc: &Location, clients: usize) -> Setup {
    let db = Db::open(loc).await.unwrap();
    let admin = AdminCtx::local();
    let p = enroll::add_practice(&db, &admin, "Bench").await.unwrap();
    let t = enroll::create_token(
        &db,
        &admin,
        admin.practice(p.id),
        u32::try_from(clients + 1).unwrap(),
        1,
        "http://127.0.0.1",
        None,
    )
    .await
    .unwrap();
    let mut creds = Vec::new();
    for h in 0..=clients {
        let f = enroll::HostFacts {
            hostname: format!("h{h}"),
            ..Default::default()
        };
        creds.push(enroll::enroll(&db, &t.token, &f).await.unwrap().credential);
    }
    db.close().await;
    let naive = creds.pop().unwrap();
    Setup { creds, naive }
}

/// Uploads `n` bodies over `clients` connections; uploads/s.
async fn grouped(url: &str, creds: &[String], bodies: &Arc<Vec<Vec<u8>>>) -> f64 {
    let n = bodies.len();
    let client = reqwest::Client::new();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (w, cred) in creds.iter().enumerate() {
        let (client, url, cred, bodies) = (
            client.clone(),
            url.to_owned(),
            cred.clone(),
            Arc::clone(bodies),
        );
        let step = creds.len();
        tasks.push(tokio::spawn(async move {
            let mut i = w;
            while i < n {
                let r = client
                    .post(format!("{url}/v1/agent/uploads"))
                    .bearer_auth(&cred)
                    .header("Upload-Id", format!("u{i}"))
                    .header("Content-Encoding", "zstd")
                    .body(bodies[i].clone())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
                i += step;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    n as f64 / start.elapsed().as_secs_f64()
}

/// The naive write in this process: one upload after the other, each in its own
/// transaction, no shared cache of index ids.
async fn naive(loc: &Location, cred: &str, m: usize, seed: usize, changed: bool) -> f64 {
    let db = Db::open(loc).await.unwrap();
    let ctx = praxcheck_server::tenant::authenticate_host(&db, cred)
        .await
        .unwrap();
    let docs: Vec<Vec<u8>> = (0..m)
        .map(|i| doc("naive", 300, seed + i, changed))
        .collect();
    let start = Instant::now();
    for (i, d) in docs.iter().enumerate() {
        let prep = ingest::prepare(ctx, &format!("n{i}"), d).unwrap();
        ingest::naive_write(&db, &prep).await.unwrap();
    }
    let rate = m as f64 / start.elapsed().as_secs_f64();
    db.close().await;
    rate
}

async fn run(engine: &str, loc: &Location, n: usize, clients: usize, changed: bool) {
    let s = setup(loc, clients).await;
    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(
        (0..n)
            .map(|i| zstd::bulk::compress(&doc("h", 300, i, changed), 3).unwrap())
            .collect(),
    );
    let server = spawn_server(loc);
    let pid = server.0.id();
    let (_, cpu0) = usage(pid);
    let rate = grouped(&server.1, &s.creds, &bodies).await;
    let (rss, cpu1) = usage(pid);
    drop(server);
    let m = n.min(300);
    let base = naive(loc, &s.naive, m, n, changed).await;
    println!(
        "{engine}, inventory {}: group commit over HTTP {rate:.0} uploads/s ({n} uploads, {clients} clients); \
         naive one transaction per upload {base:.0} uploads/s ({m}); ratio {:.1}x; \
         server peak RSS {rss:.0} MB, server CPU {:.2} ms per upload",
        if changed {
            "changed every upload"
        } else {
            "unchanged (pointer)"
        },
        rate / base,
        (cpu1 - cpu0) * 1000.0 / n as f64,
    );
}

/// Microseconds per `SELECT 1` on a one-connection SQLite pool (each query acquires and
/// releases the connection), with the given release hook.
async fn per_release(url: &str, hook: Option<bool>, k: u32) -> f64 {
    let mut o = sqlx::any::AnyPoolOptions::new().max_connections(1);
    match hook {
        // The hook as it was: a ping on every release.
        Some(true) => {
            o = o.after_release(|c, _| {
                Box::pin(async move {
                    use sqlx::Connection as _;
                    if c.ping().await.is_err() {
                        return Ok(false);
                    }
                    Ok(!c.is_in_transaction())
                })
            });
        }
        // The hook as it is (db::keep_sqlite_connection).
        Some(false) => {
            o = o.after_release(|c, _| {
                Box::pin(async move {
                    use sqlx::Connection as _;
                    if !c.is_in_transaction() {
                        return Ok(true);
                    }
                    if c.ping().await.is_err() {
                        return Ok(false);
                    }
                    Ok(!c.is_in_transaction())
                })
            });
        }
        None => {}
    }
    let pool = o.connect(url).await.unwrap();
    for _ in 0..200 {
        pool.execute("SELECT 1").await.unwrap();
    }
    let start = Instant::now();
    for _ in 0..k {
        pool.execute("SELECT 1").await.unwrap();
    }
    let us = start.elapsed().as_secs_f64() * 1e6 / f64::from(k);
    pool.close().await;
    us
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let clients: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(64);
    sqlx::any::install_default_drivers();
    // The pool hook, alternating so a load change hits all three alike.
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", tmp.path().join("hook.db").display());
    let (mut old, mut new, mut none) = (0.0, 0.0, 0.0);
    for _ in 0..3 {
        old += per_release(&url, Some(true), 5000).await / 3.0;
        new += per_release(&url, Some(false), 5000).await / 3.0;
        none += per_release(&url, None, 5000).await / 3.0;
    }
    println!(
        "SQLite pool, per query with its connection's release: ping-per-release hook {old:.1} us, \
         hook that pings only inside a transaction {new:.1} us, no hook {none:.1} us"
    );
    for changed in [false, true] {
        let tmp = tempfile::tempdir().unwrap();
        let loc = Location::Folder(tmp.path().join("data"));
        run("SQLite", &loc, n, clients, changed).await;
    }
    if let Some(pg) = PgCluster::start("uploadbench") {
        for changed in [false, true] {
            let loc = Location::Postgres(pg.database());
            run("PostgreSQL", &loc, n, clients, changed).await;
        }
    }
    tokio::time::sleep(Duration::from_millis(10)).await;
}
