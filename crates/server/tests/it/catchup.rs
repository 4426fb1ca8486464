//! The set in use changes without an import (a server binary with a newer embedded set):
//! the stored hosts are re-assessed in the background at start, without an upload, and the
//! association's affected list shows them (reeval6).
//!
//! The older binary is simulated in the database: its assessments carry an older set
//! version and lack the findings of the records the newer set knows (as a set without those
//! records would have assessed them).

use std::collections::BTreeSet;
use std::time::Duration;

use praxcheck_advisories::AdvisorySet;
use praxcheck_server::tenant::AdminCtx;
use praxcheck_server::{Server, audit, enroll, reeval};
use sqlx::Row as _;

use crate::common::*;

crate::on_both!(
    a_newer_set_in_use_reassesses_stored_hosts_without_an_upload,
    a_restart_in_the_middle_finishes_the_rest_and_assesses_none_twice,
    two_instances_catching_up_at_once_notify_each_host_once,
);

/// The version of the set in use (the embedded one: nothing imported).
fn current_version() -> i64 {
    i64::try_from(AdvisorySet::embedded().unwrap().meta().version).unwrap()
}

/// Open findings of the set's records in a host's stored assessment: their advisory ids.
async fn open_record_findings(s: &Server, host: i64) -> BTreeSet<String> {
    let set = AdvisorySet::embedded().unwrap();
    let records: BTreeSet<&str> = set.records().iter().map(|r| r.id.as_str()).collect();
    let row = sqlx::query("SELECT findings FROM assessments WHERE host_id = $1")
        .bind(host)
        .fetch_one(s.db().read())
        .await
        .unwrap();
    let findings: Vec<serde_json::Value> =
        serde_json::from_str(&row.try_get::<String, _>("findings").unwrap()).unwrap();
    findings
        .iter()
        .filter(|f| {
            ["vulnerable", "undetermined", "detected"].contains(&f["status"].as_str().unwrap())
        })
        .filter_map(|f| f["advisory_id"].as_str())
        .filter(|id| records.contains(id))
        .map(str::to_owned)
        .collect()
}

/// Rewrites a host's assessment as an older set without the set's records would have made
/// it: an older version, no findings of a record, a green light. `assessed_at` set to
/// `stamp` to see later whether it was written again.
async fn make_older(s: &Server, host: i64, stamp: i64) {
    let set = AdvisorySet::embedded().unwrap();
    let records: BTreeSet<&str> = set.records().iter().map(|r| r.id.as_str()).collect();
    let row = sqlx::query("SELECT findings FROM assessments WHERE host_id = $1")
        .bind(host)
        .fetch_one(s.db().read())
        .await
        .unwrap();
    let mut findings: Vec<serde_json::Value> =
        serde_json::from_str(&row.try_get::<String, _>("findings").unwrap()).unwrap();
    findings.retain(|f| !records.contains(f["advisory_id"].as_str().unwrap()));
    sqlx::query(
        "UPDATE assessments SET set_version = $1, findings = $2, light = 'green', score = 100, \
         assessed_at = $3 WHERE host_id = $4",
    )
    .bind(current_version() - 1)
    .bind(serde_json::to_string(&findings).unwrap())
    .bind(stamp)
    .bind(host)
    .execute(s.db().write())
    .await
    .unwrap();
}

/// Stamps a host's (current) assessment, to see later whether it was written again.
async fn stamp(s: &Server, host: i64, stamp: i64) {
    sqlx::query("UPDATE assessments SET assessed_at = $1 WHERE host_id = $2")
        .bind(stamp)
        .bind(host)
        .execute(s.db().write())
        .await
        .unwrap();
}

async fn older_left(s: &Server) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM assessments WHERE set_version < $1")
        .bind(current_version())
        .fetch_one(s.db().read())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

/// Waits until no stored assessment is older than the set in use.
async fn wait_caught_up(s: &Server) {
    for _ in 0..400 {
        if older_left(s).await == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("stored hosts were not re-assessed");
}

async fn outbox_rows(s: &Server) -> Vec<(String, Option<i64>)> {
    sqlx::query("SELECT kind, practice_id FROM outbox ORDER BY id")
        .fetch_all(s.db().read())
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.try_get("kind").unwrap(),
                r.try_get("practice_id").unwrap(),
            )
        })
        .collect()
}

async fn reassess_audits(s: &Server) -> Vec<audit::Entry> {
    audit::list(s.db(), &AdminCtx::local(), 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "advisories.reassess")
        .collect()
}

/// Enrolls one host per name with the practice's token, uploads its first document and
/// waits for its assessment.
async fn assessed_hosts(
    c: &reqwest::Client,
    s: &Server,
    token: &str,
    names: &[String],
) -> Vec<enroll::Enrolled> {
    let mut hosts = Vec::new();
    for name in names {
        let e = enroll_host(s, token, name).await;
        let r = upload(c, s, &e.credential, "first", document(name, 5, "1.0")).await;
        assert_eq!(r.status(), 201);
        wait_assessed(c, s, &e.credential).await;
        hosts.push(e);
    }
    hosts
}

fn names(n: usize) -> Vec<String> {
    (0..n).map(|h| format!("h{h}")).collect()
}

async fn a_newer_set_in_use_reassesses_stored_hosts_without_an_upload(b: Backend) {
    let Some(env) = start(b).await else {
        return;
    };
    let s = &env.server;
    let c = reqwest::Client::new();
    let (pa, ta) = practice(s, "Praxis A", 2).await;
    let (pb, tb) = practice(s, "Praxis B", 1).await;
    let a = assessed_hosts(&c, s, &ta, &["a1-pc".into(), "a2-pc".into()]).await;
    let b = assessed_hosts(&c, s, &tb, &["b1-pc".into()]).await;
    let (a1, a2, b1) = (&a[0], &a[1], &b[0]);
    // What the newer set finds on the fixture's components.
    let found = open_record_findings(s, a1.host_id).await;
    assert!(!found.is_empty(), "the fixture has no finding of a record");
    let light: String = get_json(
        &c,
        &format!("{}/v1/practice/hosts/{}", s.url(), a1.host_id),
        &a1.credential,
    )
    .await["light"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(light, "green");
    // Practice A's hosts were assessed by the older binary; B's host already by this one.
    make_older(s, a1.host_id, 1).await;
    make_older(s, a2.host_id, 1).await;
    stamp(s, b1.host_id, 1).await;
    assert_eq!(count(s, "impacts").await, 0);
    let outbox_before = outbox_rows(s).await;
    // The older binary stops; the one with the newer set starts: it answers at once and
    // re-assesses behind it.
    let Env {
        tmp: _tmp,
        server,
        location,
        pg: _pg,
    } = env;
    server.stop().await;
    let location = &location;
    let s2 = start_on(location).await;
    let r = c
        .get(format!("{}/v1/health", s2.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    wait_caught_up(&s2).await;
    // The findings, light and score changed without an upload.
    for e in [&a1, &a2] {
        let v: serde_json::Value = get_json(
            &c,
            &format!("{}/v1/practice/hosts/{}", s2.url(), e.host_id),
            &e.credential,
        )
        .await;
        assert_eq!(v["set_version"], current_version(), "{v}");
        assert_eq!(v["light"], light.as_str(), "{v}");
        for id in &found {
            assert!(v["findings"].to_string().contains(id.as_str()), "{id}: {v}");
        }
    }
    // B's host was assessed with this set already: not written again.
    let at: i64 = sqlx::query("SELECT assessed_at FROM assessments WHERE host_id = $1")
        .bind(b1.host_id)
        .fetch_one(s2.db().read())
        .await
        .unwrap()
        .try_get("assessed_at")
        .unwrap();
    assert_eq!(at, 1);
    // The affected list: A's hosts for each advisory the newer set found, B's not (its
    // findings did not change).
    let key = enroll::create_admin_key(s2.db(), &AdminCtx::local(), "ops")
        .await
        .unwrap();
    for id in &found {
        assert_eq!(
            impact_hosts(&c, &s2, &key, id).await,
            vec![a1.host_id, a2.host_id],
            "{id}"
        );
    }
    let practices: BTreeSet<i64> = sqlx::query("SELECT practice_id FROM impacts")
        .fetch_all(s2.db().read())
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("practice_id").unwrap())
        .collect();
    assert_eq!(practices, BTreeSet::from([pa]));
    // The association is told like after an import: an e-mail row for practice A, a
    // webhook row for the association; nothing for B.
    let outbox = outbox_rows(&s2).await;
    let new: Vec<&(String, Option<i64>)> = outbox[outbox_before.len()..].iter().collect();
    assert!(new.contains(&&("email".to_owned(), Some(pa))), "{new:?}");
    assert!(new.contains(&&("webhook".to_owned(), None)), "{new:?}");
    assert!(!new.iter().any(|(_, p)| *p == Some(pb)), "{new:?}");
    // Audited without a user.
    let audits = reassess_audits(&s2).await;
    assert_eq!(audits.len(), 2, "{audits:?}");
    assert!(audits.iter().all(|e| e.actor == reeval::CATCH_UP_ACTOR));
    assert!(
        audits[0].detail.contains("2 hosts re-assessed"),
        "{audits:?}"
    );
    // Cross-tenant: B sees nothing of A's hosts, and cannot read the affected list.
    let r = c
        .get(format!("{}/v1/practice/hosts/{}", s2.url(), a1.host_id))
        .bearer_auth(&b1.credential)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let list = c
        .get(format!("{}/v1/practice/hosts", s2.url()))
        .bearer_auth(&b1.credential)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!list.contains("a1-pc") && !list.contains("a2-pc"), "{list}");
    for id in &found {
        let r = c
            .get(format!("{}/v1/advisories/{id}/impact", s2.url()))
            .bearer_auth(&b1.credential)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    // Another restart: nothing left to do, no second notification or audit entry.
    s2.stop().await;
    let s3 = start_on(location).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(outbox_rows(&s3).await, outbox);
    assert_eq!(reassess_audits(&s3).await.len(), 2);
    s3.stop().await;
}

async fn a_restart_in_the_middle_finishes_the_rest_and_assesses_none_twice(b: Backend) {
    let Some(env) = start(b).await else {
        return;
    };
    let s = &env.server;
    let c = reqwest::Client::new();
    let (_p, token) = practice(s, "Praxis", 6).await;
    let hosts = assessed_hosts(&c, s, &token, &names(6)).await;
    let found = open_record_findings(s, hosts[0].host_id).await;
    assert!(!found.is_empty(), "the fixture has no finding of a record");
    // A pass stopped in the middle: the first half re-assessed (the current version), the
    // second half not yet.
    for (i, e) in hosts.iter().enumerate() {
        if i < 3 {
            stamp(s, e.host_id, 1).await;
        } else {
            make_older(s, e.host_id, 1).await;
        }
    }
    let s2 = start_on(&env.location).await;
    wait_caught_up(&s2).await;
    let mut impacted = BTreeSet::new();
    for (i, e) in hosts.iter().enumerate() {
        let at: i64 = sqlx::query("SELECT assessed_at FROM assessments WHERE host_id = $1")
            .bind(e.host_id)
            .fetch_one(s2.db().read())
            .await
            .unwrap()
            .try_get("assessed_at")
            .unwrap();
        assert_eq!(at == 1, i < 3, "host {i} assessed_at {at}");
        if i >= 3 {
            impacted.insert(e.host_id);
        }
    }
    for id in &found {
        let rows: BTreeSet<i64> = sqlx::query("SELECT host_id FROM impacts WHERE advisory_id = $1")
            .bind(id)
            .fetch_all(s2.db().read())
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get("host_id").unwrap())
            .collect();
        assert_eq!(rows, impacted, "{id}");
    }
    // Stopped again at once after a start: every row is either still older or wholly
    // re-assessed, and the next start finishes.
    for e in &hosts[3..] {
        make_older(s, e.host_id, 1).await;
    }
    s2.stop().await;
    let s3 = start_on(&env.location).await;
    s3.stop().await;
    let rows = sqlx::query("SELECT set_version, light FROM assessments")
        .fetch_all(s.db().read())
        .await
        .unwrap();
    for r in rows {
        let v: i64 = r.try_get("set_version").unwrap();
        let light: String = r.try_get("light").unwrap();
        assert!(
            v == current_version() - 1 || light != "green",
            "{v} {light}"
        );
    }
    let s4 = start_on(&env.location).await;
    wait_caught_up(&s4).await;
    // A host that uploads before the pass reached it: its upload's assessment records what
    // the newer set found, like the pass would have.
    make_older(&s4, hosts[0].host_id, 1).await;
    let r = upload(
        &c,
        &s4,
        &hosts[0].credential,
        "second",
        document("h0", 5, "1.0"),
    )
    .await;
    assert_eq!(r.status(), 201);
    wait_caught_up(&s4).await;
    for id in &found {
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM impacts WHERE advisory_id = $1 AND host_id = $2",
        )
        .bind(id)
        .bind(hosts[0].host_id)
        .fetch_one(s4.db().read())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
        assert_eq!(n, 1, "{id}");
    }
    s4.stop().await;
}

async fn two_instances_catching_up_at_once_notify_each_host_once(b: Backend) {
    let Some(env) = start(b).await else {
        return;
    };
    let s = &env.server;
    let c = reqwest::Client::new();
    let (pa, token) = practice(s, "Praxis", 8).await;
    let hosts: Vec<i64> = assessed_hosts(&c, s, &token, &names(8))
        .await
        .into_iter()
        .map(|e| e.host_id)
        .collect();
    let found = open_record_findings(s, hosts[0]).await;
    assert!(!found.is_empty(), "the fixture has no finding of a record");
    for h in &hosts {
        make_older(s, *h, 1).await;
    }
    let Env {
        tmp: _tmp,
        server,
        location,
        pg: _pg,
    } = env;
    server.stop().await;
    // Two instances' passes at once, each with its own connections to the storage: each
    // host is written by one of them.
    let set = std::sync::Arc::new(AdvisorySet::embedded().unwrap());
    let (db1, db2) = (
        praxcheck_server::Db::open(&location).await.unwrap(),
        praxcheck_server::Db::open(&location).await.unwrap(),
    );
    let (r1, r2) = tokio::join!(reeval::catch_up(&db1, &set), reeval::catch_up(&db2, &set));
    let (r1, r2) = (r1.unwrap(), r2.unwrap());
    assert_eq!(r1.hosts + r2.hosts, hosts.len(), "{r1:?} {r2:?}");
    let one = start_on(&location).await;
    wait_caught_up(&one).await;
    // Every (advisory, host) is in the e-mail rows exactly once, whichever instance wrote it.
    let mut seen: Vec<(String, i64)> = Vec::new();
    for r in sqlx::query("SELECT payload FROM outbox WHERE kind = 'email' AND practice_id = $1")
        .bind(pa)
        .fetch_all(one.db().read())
        .await
        .unwrap()
    {
        let p: serde_json::Value =
            serde_json::from_str(&r.try_get::<String, _>("payload").unwrap()).unwrap();
        for (id, hs) in p["advisories"].as_object().unwrap() {
            for h in hs.as_array().unwrap() {
                seen.push((id.clone(), h.as_i64().unwrap()));
            }
        }
    }
    seen.sort();
    let mut expected: Vec<(String, i64)> = Vec::new();
    for id in &found {
        for h in &hosts {
            expected.push((id.clone(), *h));
        }
    }
    expected.sort();
    let only_found: Vec<(String, i64)> = seen
        .iter()
        .filter(|(id, _)| found.contains(id))
        .cloned()
        .collect();
    assert_eq!(only_found, expected);
    let mut dedup = seen.clone();
    dedup.dedup();
    assert_eq!(dedup, seen, "a host was notified twice");
    for id in &found {
        let rows: Vec<i64> =
            sqlx::query("SELECT host_id FROM impacts WHERE advisory_id = $1 ORDER BY host_id")
                .bind(id)
                .fetch_all(one.db().read())
                .await
                .unwrap()
                .iter()
                .map(|r| r.try_get("host_id").unwrap())
                .collect();
        assert_eq!(rows, hosts, "{id}");
    }
    one.stop().await;
    db1.close().await;
    db2.close().await;
}
