#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;

use praxcheck_advisories::AdvisorySet;
use praxcheck_server::enroll;
use praxcheck_server::tenant::{AdminCtx, Role};
use praxcheck_server::{Config, Location, Server};

pub const PW: &str = "correct horse battery staple";

pub fn document(hostname: &str, lib7: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/tests/fixtures/host.json");
    let mut d: serde_json::Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
    d["scan"]["hostname"] = hostname.into();
    let mut c = d["inventory"]["components"][1].clone();
    c["id"] = "c7".into();
    c["name"] = "com.example:lib7".into();
    c["version"] = lib7.into();
    c["purl"] = format!("pkg:maven/com.example/lib7@{lib7}").into();
    c.as_object_mut().unwrap().remove("java");
    d["inventory"]["components"].as_array_mut().unwrap().push(c);
    serde_json::to_vec(&d).unwrap()
}

pub fn test_keys() -> Vec<praxcheck_advisories::update::TrustedKey> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../advisories/keys/test.pub");
    praxcheck_advisories::update::parse_keys(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn test_secret_key() -> minisign::SecretKey {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../advisories/keys/test.key");
    minisign::SecretKeyBox::from_string(&std::fs::read_to_string(p).unwrap())
        .unwrap()
        .into_unencrypted_secret_key()
        .unwrap()
}

/// The embedded set plus PRAX-TEST-0001 for com.example:lib7 < 2.0.0, and its signature.
pub fn new_set(version: u64) -> (String, String) {
    let mut v: serde_json::Value = serde_json::from_str(AdvisorySet::embedded_json()).unwrap();
    v["version"] = version.into();
    v["expires"] = "2099-01-01".into();
    v["records"].as_array_mut().unwrap().push(serde_json::json!({
        "schema_version": "1.4.0",
        "id": "PRAX-TEST-0001",
        "modified": "2026-12-03T00:00:00Z",
        "published": "2026-12-03T00:00:00Z",
        "aliases": ["CVE-2026-99999"],
        "summary": "Remote code execution in lib7",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}],
        "affected": [{
            "package": {"ecosystem": "Maven", "name": "com.example:lib7"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}]
        }]
    }));
    let text = serde_json::to_string_pretty(&v).unwrap();
    let sig = minisign::sign(
        None,
        &test_secret_key(),
        std::io::Cursor::new(text.as_bytes()),
        None,
        None,
    )
    .unwrap()
    .into_string();
    (text, sig)
}

/// A server with two practices (A with a vulnerable machine, B with a fixed one), users
/// for both and the association, each machine uploaded and assessed.
pub struct World {
    pub tmp: tempfile::TempDir,
    pub server: Server,
    pub a: i64,
    pub b: i64,
    pub a_token_id: String,
    pub b_token_id: String,
    pub admin_key: String,
    /// The machines' agent credentials: Alpha's, Beta's.
    pub creds: Vec<String>,
    /// The PostgreSQL cluster, when on PostgreSQL (dropped last: it outlives the server).
    pub pg: Option<praxcheck_testsupport::pg::PgCluster>,
}

pub async fn world() -> World {
    let tmp = tempfile::tempdir().unwrap();
    let loc = Location::Folder(tmp.path().join("data"));
    world_at(tmp, loc, None).await
}

/// The same world on a private PostgreSQL cluster, or `None` (SKIPPED) without PostgreSQL
/// (`PRAXCHECK_REQUIRE_POSTGRES=1` makes that a failure).
pub async fn world_on_postgres(test: &str) -> Option<World> {
    let pg = praxcheck_testsupport::pg::PgCluster::start(test)?;
    let loc = Location::Postgres(pg.database());
    Some(world_at(tempfile::tempdir().unwrap(), loc, Some(pg)).await)
}

async fn world_at(
    tmp: tempfile::TempDir,
    loc: Location,
    pg: Option<praxcheck_testsupport::pg::PgCluster>,
) -> World {
    let mut cfg = Config::new(loc, "127.0.0.1:0".parse().unwrap()).unwrap();
    cfg.keys = test_keys();
    cfg.rate_per_host = 10_000.0;
    cfg.pages = Some(praxcheck_web::hook());
    let server = Server::start(cfg).await.unwrap();
    let db = server.db();
    let admin = AdminCtx::local();
    let mut ids = Vec::new();
    let mut token_ids = Vec::new();
    let mut creds = Vec::new();
    let c = reqwest::Client::new();
    for (name, host, lib7) in [
        ("Praxis Alpha", "alpha-empfang", "1.9.9"),
        ("Praxis Beta", "beta-labor", "2.0.0"),
    ] {
        let p = enroll::add_practice(db, &admin, name).await.unwrap();
        let t = enroll::create_token(db, &admin, admin.practice(p.id), 2, 7, &server.url(), None)
            .await
            .unwrap();
        let e = enroll::enroll(
            db,
            &t.token,
            &enroll::HostFacts {
                hostname: host.into(),
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
            .header("Upload-Id", "first")
            .body(document(host, lib7))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        wait_assessed(&c, &server, &e.credential).await;
        ids.push(p.id);
        token_ids.push(t.id);
        creds.push(e.credential);
    }
    let (a, b) = (ids[0], ids[1]);
    for (email, role, practice) in [
        ("admin@alpha.example", Role::PracticeAdmin, Some(a)),
        ("staff@alpha.example", Role::PracticeStaff, Some(a)),
        ("admin@beta.example", Role::PracticeAdmin, Some(b)),
        ("it@verband.example", Role::AssociationAdmin, None),
    ] {
        praxcheck_web::add_user(db, &admin, email, role, practice, PW)
            .await
            .unwrap();
    }
    let admin_key = enroll::create_admin_key(db, &admin, "ops").await.unwrap();
    World {
        tmp,
        a,
        b,
        a_token_id: token_ids[0].clone(),
        b_token_id: token_ids[1].clone(),
        admin_key,
        creds,
        server,
        pg,
    }
}

/// Uploads a new document for machine `i` (0 Alpha's, 1 Beta's) with lib7 at `lib7`.
pub async fn upload(w: &World, i: usize, key: &str, lib7: &str) {
    let host = ["alpha-empfang", "beta-labor"][i];
    let r = reqwest::Client::new()
        .post(format!("{}/v1/agent/uploads", w.server.url()))
        .bearer_auth(&w.creds[i])
        .header("Upload-Id", key)
        .body(document(host, lib7))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
}

/// A count from the database.
pub async fn count(w: &World, sql: &str) -> i64 {
    sqlx::Row::get(
        &sqlx::query(sql)
            .fetch_one(w.server.db().read())
            .await
            .unwrap(),
        "n",
    )
}

/// Waits (bounded, 10 s) until `sql` counts `n`.
pub async fn wait_count(w: &World, sql: &str, n: i64) {
    for _ in 0..200 {
        if count(w, sql).await == n {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{sql} did not reach {n} (is {})", count(w, sql).await);
}

async fn wait_assessed(c: &reqwest::Client, s: &Server, cred: &str) {
    for _ in 0..200 {
        let v: serde_json::Value = c
            .get(format!("{}/v1/agent/status", s.url()))
            .bearer_auth(cred)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if !v["light"].is_null() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("host was not assessed");
}

/// Imports the new set over the API (the server's set in use changes).
pub async fn import_new_set(w: &World) {
    let (text, sig) = new_set(1_000_000);
    let r = reqwest::Client::new()
        .post(format!("{}/v1/admin/advisories", w.server.url()))
        .bearer_auth(&w.admin_key)
        .json(&serde_json::json!({"set": text, "signature": sig}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

/// A client that does not follow redirects and sends the given cookies.
pub struct Browser {
    pub c: reqwest::Client,
    pub base: String,
    pub cookies: Vec<(String, String)>,
}

impl Browser {
    pub fn new(base: &str) -> Self {
        Self {
            c: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: base.to_owned(),
            cookies: Vec::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn take_cookies(&mut self, r: &reqwest::Response) {
        for v in r.headers().get_all(reqwest::header::SET_COOKIE) {
            let s = v.to_str().unwrap();
            let (kv, _) = s.split_once(';').unwrap_or((s, ""));
            let (k, val) = kv.split_once('=').unwrap();
            self.cookies.retain(|(n, _)| n != k);
            if !val.is_empty() {
                self.cookies.push((k.to_owned(), val.to_owned()));
            }
        }
    }

    pub async fn get(&mut self, path: &str) -> (u16, String) {
        let r = self
            .c
            .get(format!("{}{path}", self.base))
            .header(reqwest::header::COOKIE, self.cookie_header())
            .send()
            .await
            .unwrap();
        self.take_cookies(&r);
        let code = r.status().as_u16();
        (code, r.text().await.unwrap())
    }

    pub async fn get_response(&mut self, path: &str) -> reqwest::Response {
        self.c
            .get(format!("{}{path}", self.base))
            .header(reqwest::header::COOKIE, self.cookie_header())
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let body = serde_urlencoded::to_string(form).unwrap();
        let r = self
            .c
            .post(format!("{}{path}", self.base))
            .header(reqwest::header::COOKIE, self.cookie_header())
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body)
            .send()
            .await
            .unwrap();
        self.take_cookies(&r);
        let code = r.status().as_u16();
        let loc = r
            .headers()
            .get(reqwest::header::LOCATION)
            .map(|v| v.to_str().unwrap().to_owned());
        let text = r.text().await.unwrap();
        (code, loc.unwrap_or(text))
    }

    /// Signs in; returns the status of the login post.
    pub async fn login(&mut self, email: &str, password: &str) -> u16 {
        let (_, page) = self.get("/login").await;
        let csrf = csrf(&page);
        self.post(
            "/login",
            &[("email", email), ("password", password), ("csrf", &csrf)],
        )
        .await
        .0
    }

    /// The CSRF token of the signed-in session, from the page at `path` (its logout form).
    pub async fn csrf_at(&mut self, path: &str) -> String {
        let (code, page) = self.get(path).await;
        assert_eq!(code, 200, "{path}: {page}");
        csrf(&page)
    }
}

pub fn csrf(page: &str) -> String {
    let key = "name=\"csrf\" value=\"";
    let i = page.find(key).expect("a form with a CSRF field") + key.len();
    page[i..].split('"').next().unwrap().to_owned()
}
