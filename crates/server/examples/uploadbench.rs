//! Durable uploads/s of 300-component documents: the group-commit writer behind the HTTP
//! API against the naive one-transaction-per-upload write, in the same run, on SQLite
//! (WAL + synchronous=FULL). Usage: `uploadbench N CONCURRENCY` (see bench/server.sh).
//! The RSS figure is the whole process (server and load generator together).

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Instant;

use praxcheck_server::tenant::AdminCtx;
use praxcheck_server::{Config, Location, Server, enroll, ingest};

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

fn rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse::<f64>().ok())
        .map_or(0.0, |k| k / 1024.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let conc: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(64);
    for changed in [false, true] {
        let tmp = tempfile::tempdir().unwrap();
        let mut cfg = Config::new(
            Location::Folder(tmp.path().join("data")),
            "127.0.0.1:0".parse().unwrap(),
        )
        .unwrap();
        cfg.rate_per_host = 1e9;
        let s = Server::start(cfg).await.unwrap();
        let admin = AdminCtx::local();
        let p = enroll::add_practice(s.db(), &admin, "Bench").await.unwrap();
        let t = enroll::create_token(
            s.db(),
            &admin,
            admin.practice(p.id),
            10_000,
            1,
            &s.url(),
            None,
        )
        .await
        .unwrap();
        let mut creds = Vec::new();
        for h in 0..conc {
            let f = enroll::HostFacts {
                hostname: format!("h{h}"),
                ..Default::default()
            };
            creds.push(enroll::enroll(s.db(), &t.token, &f).await.unwrap());
        }
        let bodies: Arc<Vec<Vec<u8>>> = Arc::new(
            (0..n)
                .map(|i| zstd::bulk::compress(&doc("h", 300, i, changed), 3).unwrap())
                .collect(),
        );
        let client = reqwest::Client::new();
        let start = Instant::now();
        let mut tasks = Vec::new();
        for (w, cred) in creds.iter().enumerate() {
            let (client, url, cred, bodies) = (
                client.clone(),
                s.url(),
                cred.credential.clone(),
                Arc::clone(&bodies),
            );
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
                    assert_eq!(r.status(), 201);
                    i += conc;
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let grouped = n as f64 / start.elapsed().as_secs_f64();
        let rss = rss_mb();
        // Naive baseline: the same write, one transaction per upload, one at a time.
        let m = n.min(500);
        let host = enroll::enroll(
            s.db(),
            &t.token,
            &enroll::HostFacts {
                hostname: "naive".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let ctx = praxcheck_server::tenant::authenticate_host(s.db(), &host.credential)
            .await
            .unwrap();
        let docs: Vec<Vec<u8>> = (0..m).map(|i| doc("naive", 300, n + i, changed)).collect();
        let start = Instant::now();
        for (i, d) in docs.iter().enumerate() {
            let prep = ingest::prepare(ctx, &format!("n{i}"), d).unwrap();
            ingest::naive_write(s.db(), &prep).await.unwrap();
        }
        let naive = m as f64 / start.elapsed().as_secs_f64();
        println!(
            "inventory {}: group commit over HTTP {grouped:.0} uploads/s ({n} uploads, {conc} clients); naive one transaction per upload {naive:.0} uploads/s ({m}); ratio {:.1}x; peak RSS {rss:.0} MB",
            if changed {
                "changed every upload"
            } else {
                "unchanged (pointer)"
            },
            grouped / naive
        );
        s.stop().await;
    }
}
