//! Enrollment, uploads, restarts, tenancy and bad input.

use std::io::Write as _;

use praxcheck_server::api::ROUTES;
use praxcheck_server::client::Agent;
use praxcheck_server::enroll;
use praxcheck_server::tenant::AdminCtx;

use crate::common::*;

crate::on_both!(
    a_machine_enrolls_uploads_and_the_restarted_server_still_has_it,
    an_unreachable_server_keeps_the_document_in_the_spool,
    retries_are_idempotent_and_an_unchanged_inventory_costs_no_rows,
    compressed_bodies_are_accepted_and_bombs_and_garbage_are_refused,
    tokens_expire_are_revoked_and_count_their_uses,
    reenrollment_keeps_the_identity_and_rotation_overlaps,
    no_route_gives_one_practice_another_practice_data,
    admin_endpoints_need_an_association_key,
);

async fn a_machine_enrolls_uploads_and_the_restarted_server_still_has_it(b: Backend) {
    let Some(env) = start(b).await else {
        return;
    };
    let (_pid, token) = practice(&env.server, "Praxis Dr. A", 1).await;
    let state = env.tmp.path().join("agent-state");
    let agent = Agent::new(&state).unwrap();
    let cred = agent
        .enroll(&env.server.url(), &token, &facts("empfang"))
        .await
        .unwrap();
    // The credential file is readable only by its owner.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(state.join("agent/credential.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "mode {mode:o}");
    }
    // The token had one use.
    let again = enroll::enroll(env.server.db(), &token, &facts("zwei")).await;
    assert_eq!(again.unwrap_err().status(), 401);
    // A document goes through the spool.
    agent.enqueue(&document("empfang", 20, "1.5.0")).unwrap();
    let acks = agent.flush().await.unwrap();
    assert_eq!(acks.len(), 1);
    assert!(!acks[0].duplicate);
    assert_eq!(
        std::fs::read_dir(state.join("agent/spool"))
            .unwrap()
            .count(),
        0
    );
    let c = reqwest::Client::new();
    let v = wait_assessed(&c, &env.server, &cred.credential).await;
    assert_eq!(v["current_upload_id"], acks[0].upload_id);
    // Restart on the same data folder.
    env.server.stop().await;
    let server = start_on(&env.location).await;
    let mut cred2 = cred.clone();
    cred2.url = server.url();
    let v: serde_json::Value = get_json(
        &c,
        &format!("{}/v1/agent/status", server.url()),
        &cred2.credential,
    )
    .await;
    assert_eq!(v["id"], cred.host_id);
    assert_eq!(v["current_upload_id"], acks[0].upload_id);
    assert!(v["light"].is_string());
}

async fn an_unreachable_server_keeps_the_document_in_the_spool(b: Backend) {
    let Some(env) = start(b).await else {
        return;
    };
    let (_pid, token) = practice(&env.server, "Praxis Spool", 1).await;
    let state = env.tmp.path().join("agent");
    let agent = Agent::new(&state).unwrap();
    agent
        .enroll(&env.server.url(), &token, &facts("a"))
        .await
        .unwrap();
    agent.enqueue(&document("a", 5, "1.0")).unwrap();
    let url = env.server.url();
    env.server.stop().await;
    assert!(agent.flush().await.is_err());
    assert_eq!(
        std::fs::read_dir(state.join("agent/spool"))
            .unwrap()
            .count(),
        1
    );
    // The server comes back on the same port.
    let cfg = config(&env.location, url.trim_start_matches("http://"));
    let server = praxcheck_server::Server::start(cfg).await.unwrap();
    let acks = agent.flush().await.unwrap();
    assert_eq!(acks.len(), 1);
    assert_eq!(count(&server, "uploads").await, 1);
}

async fn retries_are_idempotent_and_an_unchanged_inventory_costs_no_rows(b: Backend) {
    let Some(env) = start(b).await else {
        return;
    };
    let s = &env.server;
    let (_, _, e) = practice_host(s, "Praxis B", 1, "pc1").await;
    let c = reqwest::Client::new();
    let doc = document("pc1", 300, "1.0");
    let r = upload(&c, s, &e.credential, "u-1", doc.clone()).await;
    assert_eq!(r.status(), 201);
    let first: serde_json::Value = r.json().await.unwrap();
    let r = upload(&c, s, &e.credential, "u-1", doc.clone()).await;
    assert_eq!(r.status(), 200);
    let second: serde_json::Value = r.json().await.unwrap();
    assert_eq!(first["upload_id"], second["upload_id"]);
    assert_eq!(second["duplicate"], true);
    // The same id for other content is refused.
    let r = upload(&c, s, &e.credential, "u-1", document("pc1", 299, "1.0")).await;
    assert_eq!(r.status(), 409);
    assert_eq!(count(s, "uploads").await, 1);
    let items = count(s, "inventory_items").await;
    assert!(items >= 300, "{items}");
    // Same inventory again under a new id: a new upload, no new index rows.
    let mut d: serde_json::Value = serde_json::from_slice(&doc).unwrap();
    d["scan"]["started_at"] = "2026-12-01T10:00:00Z".into();
    let r = upload(&c, s, &e.credential, "u-2", serde_json::to_vec(&d).unwrap()).await;
    assert_eq!(r.status(), 201);
    assert_eq!(count(s, "uploads").await, 2);
    assert_eq!(count(s, "inventory_items").await, items);
    assert_eq!(count(s, "inventories").await, 1);
}

async fn compressed_bodies_are_accepted_and_bombs_and_garbage_are_refused(b: Backend) {
    let Some(env) = start(b).await else {
        return;
    };
    let s = &env.server;
    let (_, _, e) = practice_host(s, "Praxis C", 1, "pc").await;
    let c = reqwest::Client::new();
    let doc = document("pc", 10, "1.0");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&doc).unwrap();
    let r = c
        .post(format!("{}/v1/agent/uploads", s.url()))
        .bearer_auth(&e.credential)
        .header("Upload-Id", "gz")
        .header("Content-Encoding", "gzip")
        .body(gz.finish().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    // A gzip bomb: 64 MiB of zeros in a small body.
    let mut bomb = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    bomb.write_all(&vec![b' '; 64 << 20]).unwrap();
    let bomb = bomb.finish().unwrap();
    let cases: Vec<(&str, Option<&str>, Vec<u8>, u16)> = vec![
        ("bomb", Some("gzip"), bomb, 413),
        ("garbage", None, b"{not json".to_vec(), 400),
        (
            "badzstd",
            Some("zstd"),
            b"\x28\xb5\x2f\xfd garbage".to_vec(),
            400,
        ),
        ("enc", Some("br"), doc.clone(), 400),
        ("future", None, br#"{"schema_version": 99}"#.to_vec(), 400),
        ("notadoc", None, br#"{"schema_version": 1}"#.to_vec(), 400),
        ("huge", None, vec![b' '; 9 << 20], 413),
        ("bad id!", None, doc.clone(), 400),
    ];
    // A new connection per case: after refusing the 9 MiB body unread, the server closes
    // that connection, and a pooled client would send the next case into the reset.
    let fresh = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    for (key, enc, body, want) in cases {
        let mut req = fresh
            .post(format!("{}/v1/agent/uploads", s.url()))
            .bearer_auth(&e.credential)
            .header("Upload-Id", key)
            .body(body);
        if let Some(enc) = enc {
            req = req.header("Content-Encoding", enc);
        }
        let r = match req.send().await {
            Ok(r) => r,
            // The 9 MiB body: the server answers 413 from the Content-Length before reading
            // the body and closes; under load the client may see the reset while still
            // sending, before it reads the answer. Nothing is stored either way (checked
            // below).
            Err(err) if key == "huge" && err.is_request() => continue,
            Err(err) => panic!("{key}: {err}"),
        };
        assert_eq!(r.status().as_u16(), want, "{key}");
        let v: serde_json::Value = r.json().await.unwrap();
        assert!(
            v["reason"].as_str().is_some_and(|s| !s.is_empty()),
            "{key}: {v}"
        );
    }
    // No Upload-Id, no or a wrong credential.
    let r = c
        .post(format!("{}/v1/agent/uploads", s.url()))
        .bearer_auth(&e.credential)
        .body(doc.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = upload(&c, s, "pxh_wrong", "x", doc.clone()).await;
    assert_eq!(r.status(), 401);
    let r = c
        .post(format!("{}/v1/agent/uploads", s.url()))
        .header("Upload-Id", "x")
        .body(doc)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(count(s, "uploads").await, 1);
}

async fn tokens_expire_are_revoked_and_count_their_uses(b: Backend) {
    let Some(env) = start(b).await else {
        return;
    };
    let s = &env.server;
    let admin = AdminCtx::local();
    let p = enroll::add_practice(s.db(), &admin, "Praxis T")
        .await
        .unwrap();
    let t = enroll::create_token(s.db(), &admin, admin.practice(p.id), 2, 1, &s.url(), None)
        .await
        .unwrap();
    enroll_host(s, &t.token, "a").await;
    enroll::revoke_token(s.db(), &admin, &t.id).await.unwrap();
    assert_eq!(
        enroll::enroll(s.db(), &t.token, &facts("b"))
            .await
            .unwrap_err()
            .status(),
        401
    );
    // A forged secret for a real token id.
    let t2 = enroll::create_token(s.db(), &admin, admin.practice(p.id), 5, 1, &s.url(), None)
        .await
        .unwrap();
    let mut content = enroll::TokenContent::decode(&t2.token).unwrap();
    content.secret = "forged".into();
    assert_eq!(
        enroll::enroll(s.db(), &content.encode(), &facts("c"))
            .await
            .unwrap_err()
            .status(),
        401
    );
    assert_eq!(
        enroll::enroll(s.db(), "nonsense", &facts("c"))
            .await
            .unwrap_err()
            .status(),
        400
    );
    // Every refusal is in the audit log? No: refusals change nothing; the actions are.
    let log = praxcheck_server::audit::list(s.db(), &admin, 50)
        .await
        .unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert!(
        actions.contains(&"token.revoke")
            && actions.contains(&"token.create")
            && actions.contains(&"practice.add")
    );
    assert_eq!(count(s, "hosts").await, 1);
}

async fn reenrollment_keeps_the_identity_and_rotation_overlaps(b: Backend) {
    let Some(env) = start(b).await else {
        return;
    };
    let s = &env.server;
    let (_p, token) = practice(s, "Praxis R", 3).await;
    let state = env.tmp.path().join("agent");
    let agent = Agent::new(&state).unwrap();
    let cred = agent.enroll(&s.url(), &token, &facts("pc")).await.unwrap();
    // Rotation: the new credential works, the old one still works during the overlap.
    agent.rotate().await.unwrap();
    let new = agent.credential().unwrap();
    assert_ne!(new.credential, cred.credential);
    let c = reqwest::Client::new();
    for k in [&cred.credential, &new.credential] {
        let r = c
            .get(format!("{}/v1/agent/status", s.url()))
            .bearer_auth(k)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    // The server forgets the credentials (e.g. an operator revoked them): the agent
    // re-enrolls once with its secret and keeps its host id.
    let e2 = enroll::reenroll(s.db(), cred.host_id, &cred.reenroll_secret)
        .await
        .unwrap();
    assert_eq!(e2.host_id, cred.host_id);
    let r = c
        .get(format!("{}/v1/agent/status", s.url()))
        .bearer_auth(&new.credential)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["reenroll"], true);
    // The agent's stored secret is now stale (we used it above): re-enrollment is refused
    // and the agent stops with the reason instead of looping.
    agent.enqueue(&document("pc", 3, "1.0")).unwrap();
    assert!(agent.flush().await.is_err());
    // With the current secret it works and the identity is kept.
    let mut stored = agent.credential().unwrap();
    stored.reenroll_secret = e2.reenroll_secret.clone();
    std::fs::write(
        state.join("agent/credential.json"),
        serde_json::to_vec(&stored).unwrap(),
    )
    .unwrap();
    let acks = agent.flush().await.unwrap();
    assert_eq!(acks.len(), 1);
    assert_eq!(agent.credential().unwrap().host_id, cred.host_id);
    assert_eq!(count(s, "hosts").await, 1);
    // Same hardware UUID on a second enrollment: flagged, not merged.
    enroll_host(s, &token, "pc").await;
    assert_eq!(count(s, "hosts").await, 2);
    let dups = format!("{}/v1/practice/duplicates", s.url());
    let r = get_json(&c, &dups, &agent.credential().unwrap().credential).await;
    assert_eq!(r[0]["fact"], "hardware_uuid");
    assert_eq!(r[0]["hosts"].as_array().unwrap().len(), 2);
}

async fn no_route_gives_one_practice_another_practice_data(b: Backend) {
    let Some(env) = start(b).await else {
        return;
    };
    let s = &env.server;
    let c = reqwest::Client::new();
    let (_a, ta) = practice(s, "Praxis A", 1).await;
    let (_b, tb) = practice(s, "Praxis B", 1).await;
    let ea = enroll_host(s, &ta, "a-pc").await;
    let eb = enroll_host(s, &tb, "b-pc").await;
    let ua: serde_json::Value = upload(&c, s, &ea.credential, "a1", document("a-pc", 5, "1.0"))
        .await
        .json()
        .await
        .unwrap();
    let ub: serde_json::Value = upload(&c, s, &eb.credential, "b1", document("b-pc", 5, "1.0"))
        .await
        .json()
        .await
        .unwrap();
    let foreign_upload = ub["upload_id"].as_i64().unwrap();
    let own_upload = ua["upload_id"].as_i64().unwrap();
    let b_ids = [eb.host_id, foreign_upload, eb.practice_id];
    for (method, path, who) in ROUTES {
        let url = |id: i64| format!("{}{}", s.url(), path.replace("{id}", &id.to_string()));
        for id in b_ids {
            let req = match *method {
                "GET" => c.get(url(id)),
                _ => c.post(url(id)).json(&serde_json::json!({})),
            };
            let r = req.bearer_auth(&ea.credential).send().await.unwrap();
            let status = r.status().as_u16();
            let text = r.text().await.unwrap();
            match *who {
                // Admin routes refuse a host credential.
                "admin" => assert_eq!(status, 401, "{method} {path}: {text}"),
                "host" if path.contains("{id}") => {
                    assert_eq!(status, 404, "{method} {path} {id}: {text}")
                }
                _ => {}
            }
            // No response to A names B's host or upload.
            assert!(!text.contains("b-pc"), "{method} {path}: {text}");
            assert!(
                !text.contains(&format!("\"upload_id\":{foreign_upload}")),
                "{method} {path}: {text}"
            );
        }
    }
    // Lists only hold A's own.
    let hosts: serde_json::Value = get_json(
        &c,
        &format!("{}/v1/practice/hosts", s.url()),
        &ea.credential,
    )
    .await;
    let ids: Vec<i64> = hosts
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![ea.host_id]);
    // A's own upload is visible to A.
    let r = c
        .get(format!("{}/v1/practice/uploads/{own_upload}", s.url()))
        .bearer_auth(&ea.credential)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

async fn admin_endpoints_need_an_association_key(b: Backend) {
    let Some(env) = start(b).await else {
        return;
    };
    let s = &env.server;
    let c = reqwest::Client::new();
    let key = enroll::create_admin_key(s.db(), &AdminCtx::local(), "ops")
        .await
        .unwrap();
    let r = c
        .post(format!("{}/v1/admin/practices", s.url()))
        .json(&serde_json::json!({"name": "Praxis Web"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = c
        .post(format!("{}/v1/admin/practices", s.url()))
        .bearer_auth(&key)
        .json(&serde_json::json!({"name": "Praxis Web"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let p: serde_json::Value = r.json().await.unwrap();
    let r = c
        .post(format!("{}/v1/admin/practices/{}/tokens", s.url(), p["id"]))
        .bearer_auth(&key)
        .json(&serde_json::json!({"uses": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let t: serde_json::Value = r.json().await.unwrap();
    assert!(t["token"].as_str().unwrap().starts_with("pxe1."));
    let r = c
        .post(format!("{}/v1/admin/practices", s.url()))
        .bearer_auth(&key)
        .json(&serde_json::json!({"name": "Praxis Web"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let r = c
        .post(format!("{}/v1/admin/practices", s.url()))
        .bearer_auth(&key)
        .json(&serde_json::json!({"nam": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
    #[test]
    fn arbitrary_upload_bodies_never_panic(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048), enc in 0u8..3) {
        let enc = [None, Some("gzip"), Some("zstd")][usize::from(enc)];
        if let Ok(json) = praxcheck_server::ingest::decode_body(enc, &body) {
            let _ = praxcheck_server::ingest::parse_document(&json);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_lists_every_route() {
    let Some(env) = start(Backend::Sqlite).await else {
        return;
    };
    let doc: serde_json::Value = reqwest::get(format!("{}/v1/openapi.json", env.server.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (method, path, who) in ROUTES {
        let op = &paths.get(*path).unwrap_or_else(|| panic!("{path} missing"))
            [method.to_ascii_lowercase()];
        assert!(op.is_object(), "{method} {path} missing");
        let secured = op["security"].is_array();
        assert_eq!(secured, matches!(*who, "host" | "admin"), "{method} {path}");
    }
    let documented: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(
        documented,
        ROUTES.len(),
        "the document lists a route ROUTES does not"
    );
}
