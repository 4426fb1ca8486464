//! PostgreSQL only: row-level security as the second line of tenancy, and two server
//! instances on one database.

use praxcheck_server::Location;
use praxcheck_server::client::Agent;
use sqlx::Connection as _;
use sqlx::Row as _;

use crate::common::*;

async fn count_as(conn: &mut sqlx::AnyConnection, table: &str) -> i64 {
    sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row_level_security_returns_nothing_without_the_tenant() {
    let Some(env) = start(Backend::Postgres).await else {
        return;
    };
    let s = &env.server;
    let c = reqwest::Client::new();
    let (pa, ta) = practice(s, "Praxis RLS A", 1).await;
    let (_pb, tb) = practice(s, "Praxis RLS B", 1).await;
    let ea = enroll_host(s, &ta, "a").await;
    let eb = enroll_host(s, &tb, "b").await;
    for (e, name) in [(&ea, "a"), (&eb, "b")] {
        let r = upload(&c, s, &e.credential, "u1", document(name, 3, "1.0")).await;
        assert_eq!(r.status(), 201);
    }
    wait_assessed(&c, s, &ea.credential).await;
    wait_assessed(&c, s, &eb.credential).await;
    // The service's own role, on a connection that set no tenant: the tables it owns
    // answer nothing, although they hold rows.
    let Location::Postgres(url) = &env.location else {
        unreachable!()
    };
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    for table in ["hosts", "uploads", "assessments"] {
        assert_eq!(count_as(&mut conn, table).await, 0, "{table}");
    }
    // With a tenant set, exactly that practice's rows; a query without any
    // `WHERE practice_id` still cannot see the other practice.
    let mut tx = conn.begin().await.unwrap();
    sqlx::query("SELECT set_config('app.practice_id', $1, true)")
        .bind(pa.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let ids: Vec<i64> = sqlx::query("SELECT id FROM hosts")
        .fetch_all(&mut *tx)
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("id").unwrap())
        .collect();
    assert_eq!(ids, vec![ea.host_id]);
    assert_eq!(count_as(&mut tx, "uploads").await, 1);
    tx.rollback().await.unwrap();
    // After the transaction the tenant is gone again.
    assert_eq!(count_as(&mut conn, "hosts").await, 0);
    // The association-wide bypass sees both.
    sqlx::query("SET app.bypass = 'on'")
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(count_as(&mut conn, "hosts").await, 2);
    // The role is an ordinary one: the policies are not bypassed by privilege.
    let row = sqlx::query(
        "SELECT (rolsuper OR rolbypassrls) AS privileged FROM pg_roles WHERE rolname = current_user",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert!(!row.try_get::<bool, _>("privileged").unwrap());
    // And the service's practice-facing reads work through the policies.
    let hosts: serde_json::Value = get_json(
        &c,
        &format!("{}/v1/practice/hosts", s.url()),
        &ea.credential,
    )
    .await;
    assert_eq!(hosts.as_array().unwrap().len(), 1);
    assert_eq!(hosts[0]["id"], ea.host_id);
    assert!(hosts[0]["light"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_database_see_each_others_writes() {
    let Some(env) = start(Backend::Postgres).await else {
        return;
    };
    let one = &env.server;
    let two = env.another().await;
    let c = reqwest::Client::new();
    let (_p, token) = practice(one, "Praxis Zwei Instanzen", 10).await;
    // Enroll on one, upload to the other.
    let tmp = tempfile::tempdir().unwrap();
    let agent = Agent::new(tmp.path()).unwrap();
    let cred = agent
        .enroll(&one.url(), &token, &facts("pc"))
        .await
        .unwrap();
    let r = upload(
        &c,
        &two,
        &cred.credential,
        "first",
        document("pc", 40, "1.0"),
    )
    .await;
    assert_eq!(r.status(), 201);
    let ack: serde_json::Value = r.json().await.unwrap();
    for s in [one, &two] {
        let r = c
            .get(format!(
                "{}/v1/practice/uploads/{}",
                s.url(),
                ack["upload_id"]
            ))
            .bearer_auth(&cred.credential)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", s.url());
        let v = wait_assessed(&c, s, &cred.credential).await;
        assert_eq!(v["current_upload_id"], ack["upload_id"]);
    }
    // A retry to the first instance is recognised as the same upload.
    let r = upload(
        &c,
        one,
        &cred.credential,
        "first",
        document("pc", 40, "1.0"),
    )
    .await;
    assert_eq!(r.status(), 200);
    let again: serde_json::Value = r.json().await.unwrap();
    assert_eq!(again["upload_id"], ack["upload_id"]);
    // Concurrent uploads of the same new inventories through both instances: both group
    // writers race on the same index rows; every upload is stored exactly once.
    let mut hosts = Vec::new();
    for h in 0..4 {
        hosts.push(enroll_host(&two, &token, &format!("h{h}")).await);
    }
    let mut tasks = Vec::new();
    for i in 0..40 {
        let s = if i % 2 == 0 { one.url() } else { two.url() };
        let cred = hosts[i % hosts.len()].credential.clone();
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            let body = document("h", 60, &format!("3.{}", i / 8));
            c.post(format!("{s}/v1/agent/uploads"))
                .bearer_auth(cred)
                .header("Upload-Id", format!("k{i}"))
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 201);
    }
    assert_eq!(count(one, "uploads").await, 41);
    assert_eq!(count(&two, "inventories").await, 6);
    // A set imported through instance one: instance two's assessor uses it for its next
    // upload (instances share nothing but the database).
    let text = crate::reeval::new_set(1_000_000);
    import_set(one, &text).await;
    let late = enroll_host(&two, &token, "late").await;
    let r = upload(
        &c,
        &two,
        &late.credential,
        "late",
        document("late", 12, "1.9.9"),
    )
    .await;
    assert_eq!(r.status(), 201);
    wait_assessed(&c, &two, &late.credential).await;
    let v: serde_json::Value = get_json(
        &c,
        &format!("{}/v1/practice/hosts/{}", two.url(), late.host_id),
        &late.credential,
    )
    .await;
    assert!(v["findings"].to_string().contains("PRAX-TEST-0001"), "{v}");
    two.stop().await;
}
