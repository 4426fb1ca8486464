//! What the pages show over time is recorded when machines are assessed (issue 14): an
//! advisory's "fixed since" and its affected machines over time from the stored
//! assessments, the practice's trend at upload (a page view writes nothing), and accepted
//! risks in the fleet's stored lights until they expire.

use praxcheck_web::fleet;

use crate::common::*;

const OPEN: &str = "SELECT COUNT(*) AS n FROM web_advisory_hosts WHERE advisory_id = 'PRAX-TEST-0001' AND fixed_at IS NULL";
const FIXED: &str = "SELECT COUNT(*) AS n FROM web_advisory_hosts WHERE advisory_id = 'PRAX-TEST-0001' AND fixed_at IS NOT NULL";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_impact_page_shows_when_a_practice_stopped_being_affected() {
    impact_over_time(world().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_impact_page_shows_when_a_practice_stopped_being_affected_on_postgres() {
    if let Some(w) = world_on_postgres("impact_over_time").await {
        impact_over_time(w).await;
    }
}

async fn impact_over_time(w: World) {
    import_new_set(&w).await;
    // Alpha's machine (lib7 1.9.9) is affected; Beta's (2.0.0) is not.
    wait_count(&w, OPEN, 1).await;
    assert_eq!(count(&w, FIXED).await, 0);
    let mut a = Browser::new(&w.server.url());
    assert_eq!(a.login("admin@alpha.example", PW).await, 303);
    let csrf_ = a.csrf_at(&format!("/practice/{}", w.a)).await;
    a.post(
        &format!("/practice/{}/grant", w.a),
        &[("csrf", &csrf_), ("on", "1")],
    )
    .await;
    let mut assoc = Browser::new(&w.server.url());
    assert_eq!(assoc.login("it@verband.example", PW).await, 303);
    let (code, page) = assoc.get("/fleet/advisories/PRAX-TEST-0001").await;
    assert_eq!(code, 200);
    let row = &page[page.find("Praxis Alpha").unwrap()..];
    assert!(
        row.contains("<td>1</td><td>1</td><td class=\"fixed-since\">–</td>"),
        "{row}"
    );
    // Found two days ago (as stored), fixed by today's upload of lib7 2.0.0.
    sqlx::query("UPDATE web_advisory_hosts SET since = since - 2 * 86400000")
        .execute(w.server.db().write())
        .await
        .unwrap();
    upload(&w, 0, "fixed", "2.0.0").await;
    wait_count(&w, FIXED, 1).await;
    assert_eq!(count(&w, OPEN).await, 0);
    let (_, page) = assoc.get("/fleet/advisories/PRAX-TEST-0001").await;
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let row = &page[page.find("Praxis Alpha").unwrap()..];
    assert!(
        row.contains(&format!(
            "<td>1</td><td>0</td><td class=\"fixed-since\">{today}</td>"
        )),
        "{row}"
    );
    // Over time: one machine from two days ago, none from today.
    let v = fleet::impact(w.server.db(), "PRAX-TEST-0001", 0)
        .await
        .unwrap();
    let day = praxcheck_server::db::now_ms() / 86_400_000;
    assert_eq!(v.series, vec![(day - 2, 1), (day, 0)]);
    assert_eq!(v.hosts, 1);
    assert_eq!(v.open_hosts, 0);
    assert_eq!(v.fixed_practices, fleet::GroupCount::Few);
    // The CVE alias is recorded too, and a re-introduction opens a new episode.
    upload(&w, 0, "again", "1.0.0").await;
    wait_count(&w, OPEN, 1).await;
    assert_eq!(count(&w, FIXED).await, 1);
    let n = count(
        &w,
        "SELECT COUNT(*) AS n FROM web_advisory_hosts WHERE advisory_id = 'CVE-2026-99999'",
    )
    .await;
    assert_eq!(n, 2);
    let (_, page) = assoc.get("/fleet/advisories/PRAX-TEST-0001").await;
    let row = &page[page.find("Praxis Alpha").unwrap()..];
    assert!(
        row.contains("<td>1</td><td>1</td><td class=\"fixed-since\">–</td>"),
        "{row}"
    );
}

const TABLES: [&str; 3] = [
    "SELECT COUNT(*) AS n FROM web_trend",
    "SELECT COUNT(*) AS n FROM web_practice_status",
    "SELECT COUNT(*) AS n FROM web_advisory_hosts",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trend_is_recorded_at_upload_and_a_page_view_writes_nothing() {
    let w = world().await;
    // Both practices' uploads were assessed: a trend point each, before any page view.
    wait_count(&w, "SELECT COUNT(*) AS n FROM web_trend", 2).await;
    wait_count(&w, "SELECT COUNT(*) AS n FROM web_practice_status", 2).await;
    sqlx::query("DELETE FROM web_trend")
        .execute(w.server.db().write())
        .await
        .unwrap();
    let before: Vec<i64> = record_counts(&w).await;
    let mut a = Browser::new(&w.server.url());
    assert_eq!(a.login("admin@alpha.example", PW).await, 303);
    for p in [
        format!("/practice/{}", w.a),
        format!("/practice/{}/report.html", w.a),
        "/account".to_owned(),
    ] {
        assert_eq!(a.get(&p).await.0, 200, "{p}");
    }
    let mut assoc = Browser::new(&w.server.url());
    assert_eq!(assoc.login("it@verband.example", PW).await, 303);
    for p in [
        "/fleet",
        "/fleet/practices",
        "/fleet/stale",
        "/fleet/advisories/PRAX-TEST-0001",
    ] {
        assert_eq!(assoc.get(p).await.0, 200, "{p}");
    }
    assert_eq!(record_counts(&w).await, before, "a page view wrote rows");
    assert_eq!(before[0], 0);
    // The next upload (and its re-evaluation) records the point again.
    upload(&w, 0, "second", "1.9.9").await;
    wait_count(
        &w,
        &format!(
            "SELECT COUNT(*) AS n FROM web_trend WHERE practice_id = {}",
            w.a
        ),
        1,
    )
    .await;
    let sql = format!(
        "SELECT open_findings AS n FROM web_trend WHERE practice_id = {}",
        w.a
    );
    let before = count(&w, &sql).await;
    import_new_set(&w).await;
    // The re-evaluation records the point again: one more open finding (the new advisory).
    let mut open = before;
    for _ in 0..200 {
        open = count(&w, &sql).await;
        if open != before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        open,
        before + 1,
        "re-evaluation recorded: {before} -> {open}"
    );
    let (_, page) = a.get(&format!("/practice/{}", w.a)).await;
    assert!(page.contains("<svg class=\"trend\""));
}

async fn record_counts(w: &World) -> Vec<i64> {
    let mut out = Vec::new();
    for t in TABLES {
        out.push(count(w, t).await);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_accepted_risk_changes_the_stored_fleet_light_until_it_expires() {
    accepted_risk_in_the_fleet(world().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_accepted_risk_changes_the_stored_fleet_light_until_it_expires_on_postgres() {
    if let Some(w) = world_on_postgres("accepted_risk_in_the_fleet").await {
        accepted_risk_in_the_fleet(w).await;
    }
}

async fn accepted_risk_in_the_fleet(w: World) {
    import_new_set(&w).await;
    wait_count(&w, OPEN, 1).await;
    let mut a = Browser::new(&w.server.url());
    assert_eq!(a.login("admin@alpha.example", PW).await, 303);
    let path = format!("/practice/{}", w.a);
    let (_, page) = a.get(&path).await;
    let csrf_ = csrf(&page);
    a.post(&format!("{path}/grant"), &[("csrf", &csrf_), ("on", "1")])
        .await;
    let red = |rows: &[fleet::PracticeRow]| rows.iter().any(|r| r.id == w.a);
    let (rows, _) = fleet::granted_practices(w.server.db(), Some("red"), 0)
        .await
        .unwrap();
    assert!(red(&rows), "Alpha is red before: {rows:?}");
    // Accept the risk of the critical finding.
    let rule = if page.contains("value=\"CVE-2026-99999\"") {
        "CVE-2026-99999"
    } else {
        "PRAX-TEST-0001"
    };
    let expires = (time::OffsetDateTime::now_utc().date() + time::Duration::days(30)).to_string();
    let (code, _) = a
        .post(
            &format!("{path}/risks"),
            &[
                ("csrf", &csrf_),
                ("rule", rule),
                ("reason", "Gerät wird im Januar ersetzt"),
                ("expires", &expires),
            ],
        )
        .await;
    assert_eq!(code, 303);
    let (rows, _) = fleet::granted_practices(w.server.db(), Some("red"), 0)
        .await
        .unwrap();
    assert!(
        !red(&rows),
        "the accepted risk counts in the stored light: {rows:?}"
    );
    let (rows, _) = fleet::granted_practices(w.server.db(), None, 0)
        .await
        .unwrap();
    let alpha = rows.iter().find(|r| r.id == w.a).unwrap();
    assert_ne!(alpha.light.as_deref(), Some("red"));
    let mut assoc = Browser::new(&w.server.url());
    assert_eq!(assoc.login("it@verband.example", PW).await, 303);
    let (_, page) = assoc.get("/fleet/practices?light=red").await;
    assert!(!page.contains("Praxis Alpha"), "{page}");
    // A new upload of the same machine keeps counting it (recorded again at upload).
    let at = format!(
        "SELECT evaluated_at AS n FROM web_practice_status WHERE practice_id = {}",
        w.a
    );
    let before = count(&w, &at).await;
    upload(&w, 0, "later", "1.9.9").await;
    for _ in 0..200 {
        if count(&w, &at).await != before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_ne!(
        count(&w, &at).await,
        before,
        "recorded again after the upload"
    );
    let (rows, _) = fleet::granted_practices(w.server.db(), Some("red"), 0)
        .await
        .unwrap();
    assert!(!red(&rows), "{rows:?}");
    // The day after its expiry (the stored dates moved back): red again.
    let yesterday = (time::OffsetDateTime::now_utc().date() - time::Duration::days(1)).to_string();
    for sql in [
        "UPDATE web_accepted_risks SET expires = $1",
        "UPDATE web_practice_status SET risks_until = $1 WHERE risks_until IS NOT NULL",
    ] {
        sqlx::query(sql)
            .bind(&yesterday)
            .execute(w.server.db().write())
            .await
            .unwrap();
    }
    let (rows, _) = fleet::granted_practices(w.server.db(), Some("red"), 0)
        .await
        .unwrap();
    assert!(red(&rows), "an expired risk no longer counts: {rows:?}");
    let (_, page) = assoc.get("/fleet/practices?light=red").await;
    assert!(page.contains("Praxis Alpha"), "{page}");
    for p in ["/fleet", "/fleet/practices?light=green", "/fleet/stale"] {
        assert_eq!(assoc.get(p).await.0, 200, "{p}");
    }
}
