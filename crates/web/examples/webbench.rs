//! Fleet pages at scale: seeds N practices × 10 machines (assessments, a tenth of them
//! stale, one advisory affecting a tenth of the hosts, a tenth of the practices granting
//! access) straight into a fresh SQLite data folder, starts the server with the pages, signs
//! in as association staff and times each fleet page over HTTP on 127.0.0.1 (median and
//! worst of R requests; the client's share on loopback is well under a millisecond).
//! Baseline in the same run: the naive way of the light distribution — every assessment
//! row loaded into memory and counted in Rust.
//!
//!   cargo run -q -p praxcheck-web --example webbench -- [PRACTICES] [REQUESTS]

#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use praxcheck_server::db::now_ms;
use praxcheck_server::tenant::{AdminCtx, Role};
use praxcheck_server::{Config, Location, Server};
use sqlx::Row as _;

const HOSTS: i64 = 10;

async fn seed(db: &praxcheck_server::Db, practices: i64) {
    let now = now_ms();
    let mut tx = db.write().begin().await.unwrap();
    for chunk in (1..=practices).collect::<Vec<_>>().chunks(500) {
        let mut sql = String::from("INSERT INTO practices (id, name, created_at) VALUES ");
        for (i, p) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("({p}, 'Praxis {p:05}', {now})"));
        }
        sqlx::query(&sql).execute(&mut *tx).await.unwrap();
    }
    let hosts: Vec<(i64, i64)> = (1..=practices)
        .flat_map(|p| (0..HOSTS).map(move |h| (p, (p - 1) * HOSTS + h + 1)))
        .collect();
    for chunk in hosts.chunks(500) {
        let mut h_sql = String::from(
            "INSERT INTO hosts (id, practice_id, hostname, reenroll_hash, enrolled_at, last_seen_at) VALUES ",
        );
        let mut a_sql = String::from(
            "INSERT INTO assessments (host_id, practice_id, upload_id, set_version, light, score, findings, assessed_at) VALUES ",
        );
        let mut i_sql = String::from(
            "INSERT INTO impacts (advisory_id, host_id, practice_id, set_version, found_at) VALUES ",
        );
        let mut impacts = 0;
        for (i, (p, h)) in chunk.iter().enumerate() {
            if i > 0 {
                h_sql.push(',');
                a_sql.push(',');
            }
            let seen = if h % 10 == 3 {
                now - 9 * 86_400_000
            } else {
                now
            };
            h_sql.push_str(&format!("({h}, {p}, 'host-{h}', 'x', {now}, {seen})"));
            let light = match (h % HOSTS, p % 4, p % 3) {
                (0, 0, _) => "red",
                (1, _, 0) => "yellow",
                _ => "green",
            };
            let score = (h * 37) % 101;
            a_sql.push_str(&format!(
                "({h}, {p}, {h}, 1, '{light}', {score}, '[]', {now})"
            ));
            if h % 10 == 5 {
                if impacts > 0 {
                    i_sql.push(',');
                }
                impacts += 1;
                i_sql.push_str(&format!("('PRAX-BENCH-1', {h}, {p}, 1, {now})"));
            }
        }
        sqlx::query(&h_sql).execute(&mut *tx).await.unwrap();
        sqlx::query(&a_sql).execute(&mut *tx).await.unwrap();
        if impacts > 0 {
            sqlx::query(&i_sql).execute(&mut *tx).await.unwrap();
        }
    }
    // The recorded history of the advisory (found 30-59 days ago, half the machines fixed
    // 0-6 days ago) and stored lights with accepted risks for half the practices.
    let day = 86_400_000;
    sqlx::query(&format!(
        "INSERT INTO web_advisory_hosts (advisory_id, host_id, practice_id, since, fixed_at) \
         SELECT advisory_id, host_id, practice_id, found_at - (30 + host_id % 30) * {day}, \
         CASE WHEN host_id % 20 = 5 THEN found_at - (host_id % 7) * {day} ELSE NULL END FROM impacts"
    ))
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(&format!(
        "INSERT INTO web_practice_status (practice_id, light_w, score, open_findings, risks_until, evaluated_at) \
         SELECT id, CASE WHEN id % 4 = 0 THEN 2 ELSE 1 END, 80, 1, \
         CASE WHEN id % 3 = 0 THEN '2099-01-01' ELSE NULL END, {now} + 1 FROM practices WHERE id % 2 = 0"
    ))
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(&format!(
        "INSERT INTO web_grants (practice_id, granted_by, granted_at) \
         SELECT id, 'bench', {now} FROM practices WHERE id % 10 = 1"
    ))
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn naive_lights(db: &praxcheck_server::Db) -> [i64; 3] {
    let rows = sqlx::query("SELECT practice_id, light, score, findings FROM assessments")
        .fetch_all(db.read())
        .await
        .unwrap();
    let mut worst: HashMap<i64, u8> = HashMap::new();
    for r in &rows {
        let p: i64 = r.get("practice_id");
        let l: String = r.get("light");
        let w = match l.as_str() {
            "red" => 3,
            "yellow" => 2,
            _ => 1,
        };
        let e = worst.entry(p).or_insert(0);
        *e = (*e).max(w);
    }
    let mut out = [0; 3];
    for w in worst.values() {
        out[usize::from(3 - w)] += 1;
    }
    out
}

/// The server tests' host document with `n` extra Maven components.
fn document(hostname: &str, n: usize) -> Vec<u8> {
    let p =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/tests/fixtures/host.json");
    let mut d: serde_json::Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
    d["scan"]["hostname"] = hostname.into();
    let template = d["inventory"]["components"][1].clone();
    let comps = d["inventory"]["components"].as_array_mut().unwrap();
    for i in 0..n {
        let mut c = template.clone();
        c["id"] = format!("c{i}").into();
        c["name"] = format!("com.example:lib{i}").into();
        c["version"] = format!("1.{i}.0").into();
        c["purl"] = format!("pkg:maven/com.example/lib{i}@1.{i}.0").into();
        c.as_object_mut().unwrap().remove("java");
        comps.push(c);
    }
    serde_json::to_vec(&d).unwrap()
}

/// A practice of its own with 10 enrolled machines, each with a 300-component document.
async fn real_practice(server: &Server) -> i64 {
    use praxcheck_server::enroll;
    let admin = AdminCtx::local();
    let db = server.db();
    let p = enroll::add_practice(db, &admin, "Praxis mit Dokumenten")
        .await
        .unwrap();
    let t = enroll::create_token(db, &admin, admin.practice(p.id), 10, 1, &server.url(), None)
        .await
        .unwrap();
    let c = reqwest::Client::new();
    for h in 0..10 {
        let host = format!("doc-host-{h}");
        let e = enroll::enroll(
            db,
            &t.token,
            &enroll::HostFacts {
                hostname: host.clone(),
                hardware_uuid: Some(format!("uuid-{host}")),
                machine_id: None,
                serial: None,
                os: Some("linux".into()),
            },
        )
        .await
        .unwrap();
        let r = c
            .post(format!("{}/v1/agent/uploads", server.url()))
            .bearer_auth(&e.credential)
            .header("Upload-Id", "bench")
            .body(document(&host, 300))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    sqlx::query(
        "INSERT INTO web_grants (practice_id, granted_by, granted_at) VALUES ($1, 'bench', 0)",
    )
    .bind(p.id)
    .execute(db.write())
    .await
    .unwrap();
    p.id
}

fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(v[v.len() / 2]), ms(v[v.len() - 1]))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let practices: i64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(5000);
    let requests: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(20);
    let tmp = tempfile::tempdir().unwrap();
    let mut cfg = Config::new(
        Location::Folder(tmp.path().join("data")),
        "127.0.0.1:0".parse().unwrap(),
    )
    .unwrap();
    cfg.pages = Some(praxcheck_web::hook());
    cfg.rate_per_host = 10_000.0;
    let server = Server::start(cfg).await.unwrap();
    let t = Instant::now();
    seed(server.db(), practices).await;
    println!(
        "seeded {practices} practices × {HOSTS} machines in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let doc_practice = real_practice(&server).await;
    let doc_path = format!("/practice/{doc_practice}");
    let pw = "benchmark password";
    praxcheck_web::add_user(
        server.db(),
        &AdminCtx::local(),
        "bench@verband.example",
        Role::AssociationAdmin,
        None,
        pw,
    )
    .await
    .unwrap();
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let url = server.url();
    let login = c.get(format!("{url}/login")).send().await.unwrap();
    let lc = login
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let page = login.text().await.unwrap();
    let key = "name=\"csrf\" value=\"";
    let i = page.find(key).unwrap() + key.len();
    let csrf = page[i..].split('"').next().unwrap();
    let r = c
        .post(format!("{url}/login"))
        .header("cookie", &lc)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            serde_urlencoded::to_string([
                ("email", "bench@verband.example"),
                ("password", pw),
                ("csrf", csrf),
            ])
            .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|v| v.starts_with("praxcheck_session="))
        .unwrap();
    println!("| page | median ms | worst ms |");
    println!("|---|---|---|");
    for path in [
        "/fleet",
        "/fleet/practices",
        "/fleet/practices?light=red",
        "/fleet/practices?light=green&page=5",
        "/fleet/stale",
        "/fleet/stale?page=50",
        "/fleet/advisories/PRAX-BENCH-1",
        doc_path.as_str(),
    ] {
        let mut times = Vec::new();
        for _ in 0..requests {
            let t = Instant::now();
            let r = c
                .get(format!("{url}{path}"))
                .header("cookie", &session)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{path}");
            let _ = r.bytes().await.unwrap();
            times.push(t.elapsed());
        }
        let (med, worst) = stats(times);
        println!("| `{path}` | {med:.1} | {worst:.1} |");
    }
    let mut times = Vec::new();
    let mut lights = [0; 3];
    for _ in 0..requests.min(5) {
        let t = Instant::now();
        lights = naive_lights(server.db()).await;
        times.push(t.elapsed());
    }
    let (med, worst) = stats(times);
    println!(
        "| baseline: light distribution with every assessment in memory | {med:.1} | {worst:.1} |"
    );
    println!(
        "(baseline counts: red {} yellow {} green {})",
        lights[0], lights[1], lights[2]
    );
    server.stop().await;
}
