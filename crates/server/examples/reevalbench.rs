//! Day-zero re-evaluation at association scale: PRACTICES practices × 10 hosts × 300
//! components on SQLite (default 5,000 × 10 × 300 = 15 M host-component rows), then a new
//! advisory set arrives. Measured side by side in the same run:
//!
//! - the service's path (`reeval::reevaluate`): the reverse index finds the affected hosts
//!   (the list is committed: "affected"), then only those hosts are re-assessed ("assessed");
//! - the naive forward path (what a per-project analyser does): load every host's stored
//!   document and assess it against the new set. It is timed on a sample of hosts and scaled
//!   to all hosts (printed as such), because the full run takes minutes.
//!
//! The database is loaded directly with SQL (not through uploads): same tables, keys and
//! stored documents as the upload path writes. Usage:
//! `reevalbench [PRACTICES] [NAIVE_SAMPLE]` (see bench/reeval.sh).

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

use praxcheck_advisories::AdvisorySet;
use praxcheck_server::{Db, Location, reeval};
use sqlx::Connection as _;
use sqlx::Executor as _;

const HOSTS_PER_PRACTICE: usize = 10;
const COMPONENTS: usize = 300;
/// Distinct packages in the association, 3 versions each.
const PACKAGES: usize = 5_000;
const VERSIONS: usize = 3;
/// The package the new advisory names (versions 1.0.0 and 1.1.0 are affected).
const TARGET: usize = 7;

/// A small deterministic generator (no dependency needed for a benchmark's choices).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
}

fn rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse::<f64>().ok())
        .map_or(0.0, |k| k / 1024.0)
}

/// CPU seconds of this process so far (user + system), from /proc/self/stat: on a shared
/// machine the wall clock also counts other builds' time.
fn cpu_s() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = s.rfind(')').map_or("", |i| &s[i + 2..]);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the state field.
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / 100.0
}

/// The embedded set plus an advisory for com.bench:lib7 < 1.2.0.
fn sets() -> (AdvisorySet, Arc<AdvisorySet>) {
    let previous = AdvisorySet::from_bundle_json(AdvisorySet::embedded_json(), "bench").unwrap();
    let mut v: serde_json::Value = serde_json::from_str(AdvisorySet::embedded_json()).unwrap();
    v["version"] = (v["version"].as_u64().unwrap_or(1) + 1).into();
    v["expires"] = "2099-01-01".into();
    v["records"].as_array_mut().unwrap().push(serde_json::json!({
        "schema_version": "1.4.0",
        "id": "PRAX-BENCH-0001",
        "modified": "2026-12-04T00:00:00Z",
        "published": "2026-12-04T00:00:00Z",
        "aliases": ["CVE-2026-99998"],
        "summary": "Remote code execution in lib7",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}],
        "affected": [{
            "package": {"ecosystem": "Maven", "name": format!("com.bench:lib{TARGET}")},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.0"}]}]
        }]
    }));
    let next = AdvisorySet::from_bundle_json(&v.to_string(), "bench").unwrap();
    (previous, Arc::new(next))
}

/// The fixture document, its components replaced by a placeholder, and one component as a
/// template with NAME/VERSION/ID placeholders.
fn templates() -> (String, String) {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/host.json");
    let mut d: serde_json::Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
    let mut c = d["inventory"]["components"][1].clone();
    c.as_object_mut().unwrap().remove("java");
    c["id"] = "@ID@".into();
    c["name"] = "com.bench:@NAME@".into();
    c["version"] = "@VER@".into();
    c["purl"] = "pkg:maven/com.bench/@NAME@@@VER@".into();
    c["location"] = serde_json::json!({"chain": ["/opt/app/lib/@NAME@-@VER@.jar"], "display": "/opt/app/lib/@NAME@-@VER@.jar"});
    c["evidence"] = serde_json::json!([]);
    d["inventory"]["components"] = serde_json::json!(["@COMPONENTS@"]);
    (d.to_string(), c.to_string())
}

fn component(template: &str, i: usize, pkg: usize, ver: usize) -> String {
    template
        .replace("@ID@", &format!("c{i}"))
        .replace("@NAME@", &format!("lib{pkg}"))
        .replace("@VER@", &format!("1.{ver}.0"))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let practices: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(5_000);
    let sample: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1_000);
    let hosts = practices * HOSTS_PER_PRACTICE;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let loc = Location::Folder(dir.clone());
    Db::open(&loc).await.unwrap().close().await;

    // --- load ---
    let t = Instant::now();
    let url = format!("sqlite://{}", dir.join("praxcheck.db").display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    conn.execute("PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;")
        .await
        .unwrap();
    let (doc_t, comp_t) = templates();
    let mut tx = conn.begin().await.unwrap();
    for p in 0..practices {
        sqlx::query("INSERT INTO practices (id, name, created_at) VALUES (?, ?, 0)")
            .bind(i64::try_from(p + 1).unwrap())
            .bind(format!("Praxis {p}"))
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    for pkg in 0..PACKAGES {
        let id = i64::try_from(pkg + 1).unwrap();
        sqlx::query("INSERT INTO packages (id, ecosystem, name) VALUES (?, 'Maven', ?)")
            .bind(id)
            .bind(format!("com.bench:lib{pkg}"))
            .execute(&mut *tx)
            .await
            .unwrap();
        for ver in 0..VERSIONS {
            let sample = component(&comp_t, 0, pkg, ver);
            let sample: praxcheck_model::Component = serde_json::from_str(&sample).unwrap();
            sqlx::query(
                "INSERT INTO package_versions (id, package_id, version_key, sample) VALUES (?, ?, ?, ?)",
            )
            .bind(i64::try_from(pkg * VERSIONS + ver + 1).unwrap())
            .bind(id)
            .bind(format!("1.{ver}.0"))
            .bind(serde_json::to_string(&sample).unwrap())
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    // Each host: its own inventory of 300 distinct packages, its current upload with the
    // document (zstd), like the upload path stores them.
    let mut rng = Lcg(42);
    let mut items: Vec<(i64, i64)> = Vec::with_capacity(hosts * COMPONENTS);
    let mut expected_affected = 0usize;
    for h in 0..hosts {
        let id = i64::try_from(h + 1).unwrap();
        let practice = i64::try_from(h / HOSTS_PER_PRACTICE + 1).unwrap();
        let mut chosen = BTreeSet::new();
        while chosen.len() < COMPONENTS {
            chosen.insert(rng.next(PACKAGES));
        }
        let mut comps = Vec::with_capacity(COMPONENTS);
        for (i, pkg) in chosen.iter().enumerate() {
            let ver = rng.next(VERSIONS);
            if *pkg == TARGET && ver < 2 {
                expected_affected += 1;
            }
            items.push((i64::try_from(pkg * VERSIONS + ver + 1).unwrap(), id));
            comps.push(component(&comp_t, i, *pkg, ver));
        }
        let doc = doc_t
            .replace("\"@COMPONENTS@\"", &comps.join(","))
            .replace("\"hostname\":\"", &format!("\"hostname\":\"h{h}-"));
        let body = zstd::bulk::compress(doc.as_bytes(), 3).unwrap();
        common::insert_host(&mut tx, id, practice, h, COMPONENTS, body).await;
    }
    items.sort_unstable();
    for chunk in items.chunks(400) {
        let mut sql =
            String::from("INSERT INTO inventory_items (version_id, inventory_id) VALUES ");
        sql.push_str(&vec!["(?, ?)"; chunk.len()].join(","));
        let mut q = sqlx::query(&sql);
        for (v, i) in chunk {
            q = q.bind(*v).bind(*i);
        }
        q.execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;")
        .await
        .unwrap();
    conn.close().await.unwrap();
    drop(items);
    let load_s = t.elapsed().as_secs_f64();
    let size_mb =
        std::fs::metadata(dir.join("praxcheck.db")).map_or(0, |m| m.len()) as f64 / 1_048_576.0;

    // --- the service's path ---
    let db = Db::open(&loc).await.unwrap();
    let (previous, next) = sets();
    let cpu0 = cpu_s();
    let arrived = Instant::now();
    let report = reeval::reevaluate(&db, &previous, &next, arrived)
        .await
        .unwrap();
    let service_cpu = cpu_s() - cpu0;
    assert_eq!(report.affected_hosts, expected_affected);
    let impacts = reeval::count(&db, "impacts").await.unwrap();
    let assessed = reeval::count(&db, "assessments").await.unwrap();

    // --- the naive forward path, on a sample ---
    let sample = sample.min(hosts);
    let cpu0 = cpu_s();
    let t = Instant::now();
    let mut naive_hits = 0usize;
    let mut step = hosts / sample.max(1);
    step = step.max(1);
    let url = format!("sqlite://{}", dir.join("praxcheck.db").display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    for h in (0..hosts).step_by(step).take(sample) {
        let body: Vec<u8> = sqlx::query_scalar("SELECT body FROM uploads WHERE id = ?")
            .bind(i64::try_from(h + 1).unwrap())
            .fetch_one(&mut conn)
            .await
            .unwrap();
        let json = zstd::stream::decode_all(body.as_slice()).unwrap();
        let doc = praxcheck_server::ingest::parse_document(&json).unwrap();
        let v = praxcheck_server::assess_adapter::assess(
            doc,
            &next,
            time::OffsetDateTime::now_utc().date(),
        )
        .unwrap();
        if v.findings.iter().any(|f| {
            serde_json::to_string(f)
                .unwrap()
                .contains("PRAX-BENCH-0001")
        }) {
            naive_hits += 1;
        }
    }
    let naive_s = t.elapsed().as_secs_f64();
    let naive_cpu = cpu_s() - cpu0;
    let naive_all_s = naive_s * hosts as f64 / sample as f64;

    println!(
        "{practices} practices x {HOSTS_PER_PRACTICE} hosts x {COMPONENTS} components = {} host-component rows; loaded in {load_s:.0} s, database {size_mb:.0} MB",
        hosts * COMPONENTS
    );
    println!(
        "service (reverse index): affected list committed after {} ms ({} hosts in {} practices, {impacts} impact rows); light and score of those hosts after {} ms ({assessed} assessments); {service_cpu:.1} CPU-s",
        report.affected_ms, report.affected_hosts, report.affected_practices, report.assessed_ms
    );
    let naive_all_cpu = naive_cpu * hosts as f64 / sample as f64;
    println!(
        "naive (re-assess every host's document): {sample} hosts in {naive_s:.2} s, {naive_cpu:.1} CPU-s ({naive_hits} affected) -> all {hosts} hosts ~{naive_all_s:.0} s, ~{naive_all_cpu:.0} CPU-s (scaled); ratio to the service's path: ~{:.0}x wall, ~{:.0}x CPU",
        naive_all_s * 1000.0 / report.assessed_ms.max(1) as f64,
        naive_all_cpu / service_cpu.max(0.01)
    );
    println!("peak RSS of the process: {:.0} MB", rss_mb());
}
