//! A full disk gives 503 and no corruption (SQLite, and PostgreSQL with its data folder on
//! the small mount). As root, the test mounts a small tmpfs of its
//! own as the server's data folder (the SQLite file, its WAL and its shared-memory file all
//! live there), fills it with a filler file, and checks that uploads get 503 with a reason,
//! that every upload acknowledged before stays readable, that the database passes
//! `PRAGMA integrity_check`, and that uploads succeed again once the filler is gone.
//! Without root it prints SKIPPED; `PRAXCHECK_REQUIRE_ROOT=1` (CI as root) makes that a
//! failure.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use praxcheck_model::sys::is_root;
use praxcheck_server::{Db, Location};
use sqlx::Row as _;

use crate::common::*;

/// A tmpfs of a few MB mounted on a temporary folder; unmounted when dropped.
pub struct SmallMount {
    dir: tempfile::TempDir,
}

impl SmallMount {
    /// Mounts `mb` MB, or `None` (SKIPPED) without root.
    #[allow(clippy::print_stderr)] // the SKIPPED line is the point
    pub fn new(test: &str, mb: u32) -> Option<Self> {
        if !is_root() {
            assert!(
                std::env::var("PRAXCHECK_REQUIRE_ROOT").as_deref() != Ok("1"),
                "{test}: needs root to mount a small file system (PRAXCHECK_REQUIRE_ROOT=1)"
            );
            eprintln!("SKIPPED: {test}: needs root to mount a small file system");
            return None;
        }
        let dir = tempfile::Builder::new()
            .prefix("praxcheck-full")
            .tempdir()
            .unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o"])
            .arg(format!("size={mb}m,mode=0755"))
            .arg("tmpfs")
            .arg(dir.path())
            .output()
            .unwrap();
        if !out.status.success() {
            let why = String::from_utf8_lossy(&out.stderr).trim().to_owned();
            assert!(
                std::env::var("PRAXCHECK_REQUIRE_ROOT").as_deref() != Ok("1"),
                "{test}: mount -t tmpfs failed: {why}"
            );
            eprintln!("SKIPPED: {test}: mount -t tmpfs failed: {why}");
            return None;
        }
        Some(Self { dir })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a filler file until the file system is full; its path.
    pub fn fill(&self) -> PathBuf {
        let p = self.path().join("filler");
        let mut f = std::fs::File::create(&p).unwrap();
        let chunk = vec![0u8; 4096];
        // Bounded: the mount holds a few MB.
        for _ in 0..100_000 {
            if f.write_all(&chunk).and_then(|()| f.sync_all()).is_err() {
                break;
            }
        }
        p
    }
}

impl Drop for SmallMount {
    fn drop(&mut self) {
        // Lazy: a connection the test did not close cannot keep the mount.
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

fn body(i: usize) -> Vec<u8> {
    // A new inventory per upload: each one writes index rows and a body.
    document("pc-full", 300, &format!("7.{i}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::print_stderr)] // the figures of the run, for the report
async fn a_full_disk_gives_503_and_loses_nothing_acknowledged() {
    let test = "a_full_disk_gives_503_and_loses_nothing_acknowledged";
    let Some(mnt) = SmallMount::new(test, 8) else {
        return;
    };
    let loc = Location::Folder(mnt.path().join("data"));
    let s = start_on(&loc).await;
    let (_, _, host) = practice_host(&s, "Praxis Voll", 1, "pc-full").await;
    let c = reqwest::Client::new();
    let mut acked: Vec<(usize, i64)> = Vec::new();
    for i in 0..5 {
        let r = upload(&c, &s, &host.credential, &format!("full-{i}"), body(i)).await;
        assert_eq!(r.status().as_u16(), 201);
        let v: serde_json::Value = r.json().await.unwrap();
        acked.push((i, v["upload_id"].as_i64().unwrap()));
    }
    let filler = mnt.fill();
    // The WAL may still have room for a few: those are acknowledged and must be durable
    // too; once the space is gone, every upload is refused.
    let mut refused = 0;
    for i in 5..40 {
        let r = upload(&c, &s, &host.credential, &format!("full-{i}"), body(i)).await;
        let status = r.status().as_u16();
        let v: serde_json::Value = r.json().await.unwrap();
        match status {
            201 => {
                assert_eq!(refused, 0, "an upload was stored after a refusal: {v}");
                acked.push((i, v["upload_id"].as_i64().unwrap()));
            }
            503 => {
                refused += 1;
                assert_eq!(v["code"], "storage_full", "{v}");
                let reason = v["reason"].as_str().unwrap();
                assert!(
                    reason.starts_with("Der Speicher des Dienstes ist voll"),
                    "{reason}"
                );
            }
            other => panic!("upload {i} on a full disk: {other} {v}"),
        }
    }
    assert!(
        refused >= 30,
        "only {refused} uploads refused on a full disk"
    );
    // The same refusal in English on request.
    let r = c
        .post(format!("{}/v1/agent/uploads", s.url()))
        .bearer_auth(&host.credential)
        .header("Upload-Id", "full-en")
        .header("Accept-Language", "en")
        .body(body(99))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 503);
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .starts_with("The service's storage is full, nothing was stored"),
        "{v}"
    );
    // Every acknowledged upload reads back, from a connection that did not write it.
    let check = |acked: Vec<(usize, i64)>| {
        let (c, url, cred) = (c.clone(), s.url(), host.credential.clone());
        async move {
            for (i, id) in acked {
                let v: serde_json::Value =
                    get_json(&c, &format!("{url}/v1/practice/uploads/{id}"), &cred).await;
                assert_eq!(v["upload_key"], format!("full-{i}"), "{v}");
                assert!(v["document"].is_object(), "upload {i}: {v}");
            }
        }
    };
    check(acked.clone()).await;
    // Space again: the same server takes uploads without a restart.
    std::fs::remove_file(&filler).unwrap();
    for i in 40..45 {
        let r = upload(&c, &s, &host.credential, &format!("full-{i}"), body(i)).await;
        assert_eq!(r.status().as_u16(), 201, "after freeing space");
        let v: serde_json::Value = r.json().await.unwrap();
        acked.push((i, v["upload_id"].as_i64().unwrap()));
    }
    check(acked.clone()).await;
    s.db().close().await;
    s.stop().await;
    // A fresh open (what a restart sees): intact, and exactly the acknowledged uploads.
    let db = Db::open(&loc).await.unwrap();
    let rows = sqlx::query("PRAGMA integrity_check")
        .fetch_all(db.read())
        .await
        .unwrap();
    let verdict: Vec<String> = rows.iter().map(|r| r.get::<String, _>(0)).collect();
    assert_eq!(verdict, ["ok"]);
    assert_eq!(
        praxcheck_server::reeval::count(&db, "uploads")
            .await
            .unwrap(),
        i64::try_from(acked.len()).unwrap()
    );
    db.close().await;
    eprintln!(
        "full disk (SQLite on an 8 MB tmpfs): {} acknowledged, {refused} refused with 503, integrity ok",
        acked.len()
    );
}

/// The same on PostgreSQL: its data folder on a small tmpfs (the WAL on a disk of its own,
/// as in production: PostgreSQL stops with a PANIC when it cannot write WAL, and then
/// only an operator brings it back). A full data folder makes PostgreSQL refuse to extend a
/// table (SQLSTATE 53100): the upload gets 503, nothing acknowledged is lost, and uploads
/// succeed again once space is freed, without a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::print_stderr)] // the figures of the run, for the report
async fn a_full_disk_gives_503_on_postgresql_too() {
    let test = "a_full_disk_gives_503_on_postgresql_too";
    let Some(mnt) = SmallMount::new(test, 96) else {
        return;
    };
    let Some(pg) = PgCluster::start_with_data(test, &mnt.path().join("pgdata")) else {
        return;
    };
    let loc = Location::Postgres(pg.database());
    let s = start_on(&loc).await;
    let (_, _, host) = practice_host(&s, "Praxis Voll", 1, "pc-full").await;
    let c = reqwest::Client::new();
    let mut acked: Vec<(usize, i64)> = Vec::new();
    let send = async |i: usize, acked: &mut Vec<(usize, i64)>| -> u16 {
        let r = upload(&c, &s, &host.credential, &format!("full-{i}"), body(i)).await;
        let status = r.status().as_u16();
        let v: serde_json::Value = r.json().await.unwrap();
        match status {
            201 => acked.push((i, v["upload_id"].as_i64().unwrap())),
            503 => assert_eq!(v["code"], "storage_full", "{v}"),
            other => panic!("upload {i}: {other} {v}"),
        }
        status
    };
    for i in 0..5 {
        assert_eq!(send(i, &mut acked).await, 201);
    }
    let filler = mnt.fill();
    let mut refused = 0;
    for i in 5..40 {
        if send(i, &mut acked).await == 503 {
            refused += 1;
        }
    }
    assert!(
        refused >= 20,
        "only {refused} uploads refused on a full disk"
    );
    std::fs::remove_file(&filler).unwrap();
    for i in 40..45 {
        assert_eq!(send(i, &mut acked).await, 201, "after freeing space");
    }
    for (i, id) in &acked {
        let v: serde_json::Value = get_json(
            &c,
            &format!("{}/v1/practice/uploads/{id}", s.url()),
            &host.credential,
        )
        .await;
        assert_eq!(v["upload_key"], format!("full-{i}"), "{v}");
    }
    assert_eq!(
        count(&s, "uploads").await,
        i64::try_from(acked.len()).unwrap()
    );
    s.stop().await;
    eprintln!(
        "full disk (PostgreSQL data on a 96 MB tmpfs): {} acknowledged, {refused} refused with 503",
        acked.len()
    );
}
