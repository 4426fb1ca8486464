//! Acknowledged means durable, under kill -9: 1,000 concurrent uploads (64 in flight, over
//! loopback), the server process (or PostgreSQL's postmaster) is killed with SIGKILL after
//! the first few hundred acknowledgements, started again, and every upload that got a 2xx
//! is there. Then every upload is sent again with its upload id: the acknowledged ones
//! answer "duplicate" with the same id, and the store holds each upload exactly once.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use praxcheck_server::enroll;
use praxcheck_server::tenant::AdminCtx;
use praxcheck_server::{Db, Location};
use tokio::sync::{Notify, Semaphore};

use crate::common::*;

crate::on_both!(
    acknowledged_uploads_survive_kill_9_of_the_server,
    acknowledged_uploads_survive_kill_9_during_a_group_commit,
);

const UPLOADS: usize = 1000;
const IN_FLIGHT: usize = 64;
const HOSTS: usize = 20;
/// Acknowledgements before the kill.
const KILL_AFTER: usize = 250;

/// The child server: started, its address read from its first line.
struct Child9 {
    child: Child,
    url: String,
}

fn spawn_server(loc: &Location) -> Child9 {
    spawn_server_with(loc, &[])
}

fn spawn_server_with(loc: &Location, extra: &[&str]) -> Child9 {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_praxcheck-test-serve"));
    match loc {
        Location::Folder(d) => cmd.arg("--data").arg(d),
        Location::Postgres(u) => cmd.arg("--database").arg(u),
    };
    let mut child = cmd
        .args(["--listen", "127.0.0.1:0", "--rate", "100000"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening ")
        .unwrap_or_else(|| panic!("child said {line:?}"));
    Child9 {
        child,
        url: format!("http://{addr}"),
    }
}

impl Drop for Child9 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Enrolls `HOSTS` machines of one practice directly on the storage.
async fn enroll_hosts(loc: &Location) -> Vec<enroll::Enrolled> {
    let db = Db::open(loc).await.unwrap();
    let admin = AdminCtx::local();
    let p = enroll::add_practice(&db, &admin, "Praxis Kill")
        .await
        .unwrap();
    let t = enroll::create_token(
        &db,
        &admin,
        admin.practice(p.id),
        u32::try_from(HOSTS).unwrap(),
        1,
        "http://127.0.0.1",
        None,
    )
    .await
    .unwrap();
    let mut out = Vec::new();
    for h in 0..HOSTS {
        out.push(
            enroll::enroll(&db, &t.token, &facts(&format!("pc{h}")))
                .await
                .unwrap(),
        );
    }
    db.close().await;
    out
}

fn body(i: usize) -> Vec<u8> {
    // A new inventory per upload: every one writes index rows.
    document(&format!("pc{}", i % HOSTS), 30, &format!("9.{i}"))
}

/// Upload `i` under its upload id `kill-i`.
async fn send(
    c: &reqwest::Client,
    url: &str,
    cred: &str,
    i: usize,
) -> reqwest::Result<reqwest::Response> {
    c.post(format!("{url}/v1/agent/uploads"))
        .bearer_auth(cred)
        .header("Upload-Id", format!("kill-{i}"))
        .body(body(i))
        .send()
        .await
}

/// Sends all uploads, calling `kill` once `KILL_AFTER` were acknowledged; returns the
/// upload id the server acknowledged for each (None: no 2xx).
async fn upload_all(url: &str, hosts: &[enroll::Enrolled], kill: Arc<Notify>) -> Vec<Option<i64>> {
    let c = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
    let acked = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for i in 0..UPLOADS {
        let (c, gate, acked, kill) = (c.clone(), gate.clone(), acked.clone(), kill.clone());
        let url = url.to_owned();
        let cred = hosts[i % HOSTS].credential.clone();
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire().await.unwrap();
            let r = send(&c, &url, &cred, i).await.ok()?;
            if !r.status().is_success() {
                return None;
            }
            let v: serde_json::Value = r.json().await.ok()?;
            if acked.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER {
                kill.notify_one();
            }
            v["upload_id"].as_i64()
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

/// After the restart: every acknowledged upload answers as a duplicate with its id; the
/// rest are stored now; each upload id is stored exactly once.
async fn check_after_restart(url: &str, hosts: &[enroll::Enrolled], acks: &[Option<i64>]) {
    let c = reqwest::Client::new();
    let gate = Arc::new(Semaphore::new(16));
    let mut tasks = Vec::new();
    for (i, ack) in acks.iter().copied().enumerate() {
        let (c, gate, url) = (c.clone(), gate.clone(), url.to_owned());
        let cred = hosts[i % HOSTS].credential.clone();
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire().await.unwrap();
            let r = send(&c, &url, &cred, i).await.unwrap();
            let status = r.status().as_u16();
            let v: serde_json::Value = r.json().await.unwrap();
            match ack {
                // Lost: not there, or another upload under its id.
                Some(id) => status != 200 || v["upload_id"].as_i64() != Some(id),
                None => {
                    assert!(matches!(status, 200 | 201), "upload {i}: {status} {v}");
                    false
                }
            }
        }));
    }
    let mut lost = 0;
    for t in tasks {
        lost += usize::from(t.await.unwrap());
    }
    assert_eq!(lost, 0, "acknowledged uploads lost");
}

async fn stored_uploads(loc: &Location) -> i64 {
    let db = Db::open(loc).await.unwrap();
    let n = praxcheck_server::reeval::count(&db, "uploads")
        .await
        .unwrap();
    db.close().await;
    n
}

/// Starts the server with `extra` options, uploads all, kills it with SIGKILL `after` the
/// `KILL_AFTER`th acknowledgement; the acknowledged upload id of each upload.
async fn upload_and_kill(
    loc: &Location,
    hosts: &[enroll::Enrolled],
    extra: &[&str],
    after: Duration,
) -> Vec<Option<i64>> {
    let mut server = spawn_server_with(loc, extra);
    let kill = Arc::new(Notify::new());
    let killer = {
        let kill = kill.clone();
        tokio::spawn(async move {
            let _ = tokio::time::timeout(Duration::from_secs(60), kill.notified()).await;
            tokio::time::sleep(after).await;
        })
    };
    let url = server.url.clone();
    let uploads = tokio::spawn({
        let hosts = hosts.to_vec();
        async move { upload_all(&url, &hosts, kill).await }
    });
    killer.await.unwrap();
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let acks = uploads.await.unwrap();
    let n_acked = acks.iter().flatten().count();
    assert!(n_acked >= KILL_AFTER, "{n_acked}");
    assert!(
        n_acked < UPLOADS,
        "the kill came too late: all {n_acked} acknowledged"
    );
    acks
}

/// A data folder or a database of a private cluster (None: PostgreSQL missing, SKIPPED).
fn storage(b: Backend, test: &str, tmp: &std::path::Path) -> Option<(Location, Option<PgCluster>)> {
    Some(match b {
        Backend::Sqlite => (Location::Folder(tmp.join("data")), None),
        Backend::Postgres => {
            let pg = PgCluster::start(test)?;
            (Location::Postgres(pg.database()), Some(pg))
        }
    })
}

#[allow(clippy::print_stderr)] // the figures of the run, for the report
async fn acknowledged_uploads_survive_kill_9_of_the_server(b: Backend) {
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let Some((loc, _pg)) = storage(b, "kill_9_of_the_server::postgres", tmp.path()) else {
        return;
    };
    let hosts = enroll_hosts(&loc).await;
    let acks = upload_and_kill(&loc, &hosts, &[], Duration::ZERO).await;
    let n_acked = acks.iter().flatten().count();
    let restarted = spawn_server(&loc);
    check_after_restart(&restarted.url, &hosts, &acks).await;
    drop(restarted);
    assert_eq!(stored_uploads(&loc).await, i64::try_from(UPLOADS).unwrap());
    eprintln!(
        "kill -9 of the server ({b:?}): {n_acked} of {UPLOADS} acknowledged before the kill, 0 lost, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_uploads_survive_kill_9_of_postgresql() {
    let started = Instant::now();
    let Some(pg) = PgCluster::start("acknowledged_uploads_survive_kill_9_of_postgresql") else {
        return;
    };
    let pg = Arc::new(pg);
    let loc = Location::Postgres(pg.database());
    let hosts = enroll_hosts(&loc).await;
    // The server stays up (in-process) while its database dies and comes back.
    let server = start_on(&loc).await;
    let kill = Arc::new(Notify::new());
    let url = server.url();
    let uploads = tokio::spawn({
        let hosts = hosts.clone();
        async move { upload_all(&url, &hosts, kill.clone()).await }
    });
    // `upload_all` notifies through its own handle; watch the count of stored rows
    // instead of sharing the handle: kill once KILL_AFTER rows are committed.
    let deadline = Instant::now() + Duration::from_secs(20);
    while count(&server, "uploads").await < i64::try_from(KILL_AFTER).unwrap()
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let pg2 = pg.clone();
    tokio::task::spawn_blocking(move || {
        pg2.kill9();
        std::thread::sleep(Duration::from_millis(500));
        pg2.restart();
    })
    .await
    .unwrap();
    let acks = uploads.await.unwrap();
    let n_acked = acks.iter().flatten().count();
    assert!(n_acked >= KILL_AFTER, "{n_acked}");
    // The same server, without a restart, answers again once PostgreSQL is back.
    check_after_restart(&server.url(), &hosts, &acks).await;
    assert_eq!(
        count(&server, "uploads").await,
        i64::try_from(UPLOADS).unwrap()
    );
    server.stop().await;
    eprintln!(
        "kill -9 of PostgreSQL: {n_acked} of {UPLOADS} acknowledged, 0 lost, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// Kill -9 while a group commit is open: the server holds each batch's transaction open
/// for a second before its COMMIT (`--commit-pause-ms`), and is killed 300 ms after the
/// acknowledgements of an earlier batch arrived, so inside the next batch's transaction
/// (64 uploads in flight fill it). After the restart the store holds exactly the
/// acknowledged uploads: every 2xx survived and the open batch left nothing half-written;
/// then every upload is sent again and each is stored once.
#[allow(clippy::print_stderr)] // the figures of the run, for the report
async fn acknowledged_uploads_survive_kill_9_during_a_group_commit(b: Backend) {
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let Some((loc, _pg)) = storage(b, "kill_9_during_a_group_commit::postgres", tmp.path()) else {
        return;
    };
    let hosts = enroll_hosts(&loc).await;
    let acks = upload_and_kill(
        &loc,
        &hosts,
        &["--commit-pause-ms", "1000"],
        Duration::from_millis(300),
    )
    .await;
    let n_acked = acks.iter().flatten().count();
    let stored = stored_uploads(&loc).await;
    assert_eq!(
        stored,
        i64::try_from(n_acked).unwrap(),
        "after a kill inside a batch the store holds exactly the acknowledged uploads"
    );
    let restarted = spawn_server(&loc);
    check_after_restart(&restarted.url, &hosts, &acks).await;
    drop(restarted);
    assert_eq!(stored_uploads(&loc).await, i64::try_from(UPLOADS).unwrap());
    eprintln!(
        "kill -9 inside a group commit ({b:?}): {n_acked} of {UPLOADS} acknowledged, {stored} stored at the restart, 0 lost, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
