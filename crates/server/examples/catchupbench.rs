//! The background re-assessment after an upgrade (reeval6): HOSTS stored hosts (default
//! 5,000; 10 per practice, the fixture's components plus 300 more each) were assessed by an
//! older binary (an older set version in `assessments`); a server with the newer set starts.
//! Measured in the same run:
//!
//! - the time from `Server::start` returning until no stored assessment is older than the
//!   set in use (every host re-assessed, without an upload), with CPU seconds;
//! - request latency of `GET /v1/agent/status` (an enrolled machine's credential; reads the
//!   database) while the re-assessment runs, side by side with the same request on the
//!   same server once it is idle.
//!
//! The database is loaded directly with SQL, like `reevalbench`. Usage:
//! `catchupbench [HOSTS]` (see `bench/reeval.sh catchup`).

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use praxcheck_advisories::AdvisorySet;
use praxcheck_server::enroll::{self, HostFacts};
use praxcheck_server::tenant::AdminCtx;
use praxcheck_server::{Config, Db, Location, Server, reeval};
use sqlx::Connection as _;
use sqlx::Executor as _;
use sqlx::Row as _;

const HOSTS_PER_PRACTICE: usize = 10;
const COMPONENTS: usize = 300;

fn cpu_s() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = s.rfind(')').map_or("", |i| &s[i + 2..]);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / 100.0
}

fn rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse::<f64>().ok())
        .map_or(0.0, |k| k / 1024.0)
}

/// The fixture document with 300 more Maven components (its own log4j and logback stay,
/// so the newer set finds something on every host).
fn document(h: usize) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/host.json");
    let mut d: serde_json::Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
    d["scan"]["hostname"] = format!("h{h}").into();
    let mut t = d["inventory"]["components"][1].clone();
    t.as_object_mut().unwrap().remove("java");
    let comps = d["inventory"]["components"].as_array_mut().unwrap();
    for i in 0..COMPONENTS {
        let mut c = t.clone();
        let v = format!("1.{}.0", (h + i) % 3);
        c["id"] = format!("b{i}").into();
        c["name"] = format!("com.bench:lib{i}").into();
        c["version"] = v.clone().into();
        c["purl"] = format!("pkg:maven/com.bench/lib{i}@{v}").into();
        c["evidence"] = serde_json::json!([]);
        comps.push(c);
    }
    zstd::bulk::compress(&serde_json::to_vec(&d).unwrap(), 3).unwrap()
}

fn stats(mut ms: Vec<f64>) -> String {
    if ms.is_empty() {
        return "no requests".into();
    }
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    format!(
        "{} requests: median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        ms.len(),
        at(0.5),
        at(0.95),
        ms[ms.len() - 1]
    )
}

async fn older_left(db: &Db, version: i64) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM assessments WHERE set_version < $1")
        .bind(version)
        .fetch_one(db.read())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let hosts: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5_000);
    let version = i64::try_from(AdvisorySet::embedded().unwrap().meta().version).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let loc = Location::Folder(dir.clone());
    // One enrolled machine whose credential the latency requests use.
    let db = Db::open(&loc).await.unwrap();
    let admin = AdminCtx::local();
    let p = enroll::add_practice(&db, &admin, "Messpraxis")
        .await
        .unwrap();
    let token = enroll::create_token(&db, &admin, admin.practice(p.id), 1, 1, "http://x", None)
        .await
        .unwrap();
    let probe = enroll::enroll(
        &db,
        &token.token,
        &HostFacts {
            hostname: "probe".into(),
            hardware_uuid: Some("uuid-probe".into()),
            machine_id: None,
            serial: None,
            os: Some("linux".into()),
        },
    )
    .await
    .unwrap();
    db.close().await;

    // --- load: hosts with uploads and assessments of an older set version ---
    let t = Instant::now();
    let url = format!("sqlite://{}", dir.join("praxcheck.db").display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    conn.execute("PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;")
        .await
        .unwrap();
    let mut tx = conn.begin().await.unwrap();
    let base = 1_000_000i64;
    for pr in 0..hosts.div_ceil(HOSTS_PER_PRACTICE) {
        sqlx::query("INSERT INTO practices (id, name, created_at) VALUES (?, ?, 0)")
            .bind(base + i64::try_from(pr).unwrap())
            .bind(format!("Praxis {pr}"))
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    for h in 0..hosts {
        let id = base + i64::try_from(h).unwrap();
        let practice = base + i64::try_from(h / HOSTS_PER_PRACTICE).unwrap();
        common::insert_host(&mut tx, id, practice, h, COMPONENTS, document(h)).await;
        sqlx::query(
            "INSERT INTO assessments (host_id, practice_id, upload_id, set_version, light, score, findings, assessed_at) \
             VALUES (?, ?, ?, ?, 'green', 100, '[]', 0)",
        )
        .bind(id)
        .bind(practice)
        .bind(id)
        .bind(version - 1)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;")
        .await
        .unwrap();
    conn.close().await.unwrap();
    let load_s = t.elapsed().as_secs_f64();

    // --- start: latency while re-assessing ---
    let c = reqwest::Client::new();
    let cpu0 = cpu_s();
    let started = Instant::now();
    let mut cfg = Config::new(loc.clone(), "127.0.0.1:0".parse().unwrap()).unwrap();
    // The probe asks 50 times a second: above a machine's limit, which is not measured here.
    cfg.rate_per_host = 10_000.0;
    let server = Server::start(cfg).await.unwrap();
    let start_ms = started.elapsed().as_secs_f64() * 1000.0;
    let status = format!("{}/v1/agent/status", server.url());
    let request = |c: &reqwest::Client| {
        let c = c.clone();
        let status = status.clone();
        let cred = probe.credential.clone();
        async move {
            let t = Instant::now();
            let r = c.get(&status).bearer_auth(&cred).send().await.unwrap();
            assert_eq!(r.status(), 200);
            let _ = r.bytes().await.unwrap();
            t.elapsed().as_secs_f64() * 1000.0
        }
    };
    let mut during = Vec::new();
    let mut last_check = Instant::now();
    let done_s = loop {
        during.push(request(&c).await);
        tokio::time::sleep(Duration::from_millis(20)).await;
        if last_check.elapsed() >= Duration::from_millis(200) {
            last_check = Instant::now();
            if older_left(server.db(), version).await == 0 {
                break started.elapsed().as_secs_f64();
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(3600),
            "not done in an hour"
        );
    };
    let cpu = cpu_s() - cpu0;
    // --- idle: the same request on the same server ---
    let mut idle = Vec::new();
    for _ in 0..during.len().clamp(100, 500) {
        idle.push(request(&c).await);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let impacts = reeval::count(server.db(), "impacts").await.unwrap();
    println!(
        "{hosts} stored hosts x {} components, assessed with set version {}; loaded in {load_s:.0} s",
        COMPONENTS + 3,
        version - 1
    );
    println!(
        "start returned after {start_ms:.0} ms; every host re-assessed with version {version} after {done_s:.1} s ({:.0} hosts/s, {cpu:.1} CPU-s, {impacts} impact rows)",
        hosts as f64 / done_s
    );
    println!("latency during the re-assessment: {}", stats(during));
    println!("latency idle (same server, after): {}", stats(idle));
    println!("peak RSS of the process: {:.0} MB", rss_mb());
    server.stop().await;
}
