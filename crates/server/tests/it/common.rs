use std::path::Path;

use praxcheck_server::enroll::{self, HostFacts};
use praxcheck_server::tenant::AdminCtx;
use praxcheck_server::{Config, Location, Server};

pub use praxcheck_testsupport::pg::PgCluster;

pub fn fixture() -> serde_json::Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/host.json");
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

/// A document with the fixture's host facts and `n` extra Maven components; `lib7` gives
/// the version of com.example:lib7.
pub fn document(hostname: &str, n: usize, lib7: &str) -> Vec<u8> {
    let mut d = fixture();
    d["scan"]["hostname"] = hostname.into();
    let template = d["inventory"]["components"][1].clone();
    let comps = d["inventory"]["components"].as_array_mut().unwrap();
    for i in 0..n {
        let mut c = template.clone();
        let name = format!("com.example:lib{i}");
        let version = if i == 7 {
            lib7.to_owned()
        } else {
            format!("1.{i}.0")
        };
        c["id"] = format!("c{i}").into();
        c["name"] = name.clone().into();
        c["version"] = version.clone().into();
        c["purl"] = format!("pkg:maven/com.example/lib{i}@{version}").into();
        c["java"] = serde_json::Value::Null;
        c.as_object_mut().unwrap().remove("java");
        comps.push(c);
    }
    serde_json::to_vec(&d).unwrap()
}

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Generates `mod NAME { sqlite, postgres }`, two tests running `async fn NAME(Backend)`.
#[macro_export]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::common::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::common::Backend::Postgres).await;
            }
        }
    )*};
}

pub struct Env {
    pub tmp: tempfile::TempDir,
    pub server: Server,
    pub location: Location,
    /// Dropped last: the cluster outlives the server.
    #[allow(dead_code)]
    pub pg: Option<PgCluster>,
}

impl Env {
    /// A second instance on the same storage.
    pub async fn another(&self) -> Server {
        start_on(&self.location).await
    }
}

pub fn config(loc: &Location, listen: &str) -> Config {
    let mut cfg = Config::new(loc.clone(), listen.parse().unwrap()).unwrap();
    cfg.keys = test_keys();
    cfg.rate_per_host = 10_000.0;
    cfg
}

pub async fn start_on(loc: &Location) -> Server {
    Server::start(config(loc, "127.0.0.1:0")).await.unwrap()
}

/// A server on a fresh SQLite folder or a fresh database of a private PostgreSQL cluster;
/// `None` when PostgreSQL is missing (the test prints SKIPPED and ends).
pub async fn start(b: Backend) -> Option<Env> {
    let tmp = tempfile::tempdir().unwrap();
    let (location, pg) = match b {
        Backend::Sqlite => (Location::Folder(tmp.path().join("data")), None),
        Backend::Postgres => {
            let name = std::thread::current()
                .name()
                .unwrap_or("postgres test")
                .to_owned();
            let pg = PgCluster::start(&name)?;
            (Location::Postgres(pg.database()), Some(pg))
        }
    };
    let server = start_on(&location).await;
    Some(Env {
        tmp,
        server,
        location,
        pg,
    })
}

pub fn test_keys() -> Vec<praxcheck_advisories::update::TrustedKey> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../advisories/keys/test.pub");
    praxcheck_advisories::update::parse_keys(&std::fs::read_to_string(p).unwrap()).unwrap()
}

pub fn test_secret_key() -> minisign::SecretKey {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../advisories/keys/test.key");
    minisign::SecretKeyBox::from_string(&std::fs::read_to_string(p).unwrap())
        .unwrap()
        .into_unencrypted_secret_key()
        .unwrap()
}

/// Imports an advisory set's text signed with `sk`, as the association's operator.
pub async fn import_signed(
    s: &Server,
    text: &str,
    sk: &minisign::SecretKey,
) -> Result<praxcheck_server::reeval::ImportReport, praxcheck_server::Error> {
    praxcheck_server::reeval::import(
        s.db(),
        &AdminCtx::local(),
        text.as_bytes(),
        &sign(text, sk),
        &test_keys(),
    )
    .await
    .map(|(report, _)| report)
}

/// Imports an advisory set's text signed with the test key; it must be accepted.
pub async fn import_set(s: &Server, text: &str) -> praxcheck_server::reeval::ImportReport {
    import_signed(s, text, &test_secret_key()).await.unwrap()
}

/// The JSON answer of a request.
pub async fn answer(r: reqwest::RequestBuilder) -> serde_json::Value {
    r.send().await.unwrap().json().await.unwrap()
}

/// GET with a bearer credential; the JSON answer.
pub async fn get_json(c: &reqwest::Client, url: &str, bearer: &str) -> serde_json::Value {
    answer(c.get(url).bearer_auth(bearer)).await
}

/// POST of a JSON body with a bearer credential; the JSON answer.
pub async fn post_json(
    c: &reqwest::Client,
    url: &str,
    bearer: &str,
    body: &serde_json::Value,
) -> serde_json::Value {
    answer(c.post(url).bearer_auth(bearer).json(body)).await
}

pub fn sign(text: &str, sk: &minisign::SecretKey) -> String {
    minisign::sign(None, sk, std::io::Cursor::new(text.as_bytes()), None, None)
        .unwrap()
        .into_string()
}

/// A practice with a token of `uses` uses.
pub async fn practice(s: &Server, name: &str, uses: u32) -> (i64, String) {
    let admin = AdminCtx::local();
    let p = enroll::add_practice(s.db(), &admin, name).await.unwrap();
    let t = enroll::create_token(
        s.db(),
        &admin,
        admin.practice(p.id),
        uses,
        7,
        &s.url(),
        None,
    )
    .await
    .unwrap();
    (p.id, t.token)
}

/// A practice with a token of `uses` uses and one host enrolled with it: (practice id,
/// token, host).
pub async fn practice_host(
    s: &Server,
    name: &str,
    uses: u32,
    host: &str,
) -> (i64, String, enroll::Enrolled) {
    let (id, token) = practice(s, name, uses).await;
    let e = enroll_host(s, &token, host).await;
    (id, token, e)
}

pub fn facts(host: &str) -> HostFacts {
    HostFacts {
        hostname: host.into(),
        hardware_uuid: Some(format!("uuid-{host}")),
        machine_id: None,
        serial: None,
        os: Some("linux".into()),
    }
}

pub async fn enroll_host(s: &Server, token: &str, host: &str) -> enroll::Enrolled {
    enroll::enroll(s.db(), token, &facts(host)).await.unwrap()
}

pub async fn upload(
    c: &reqwest::Client,
    s: &Server,
    cred: &str,
    key: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    c.post(format!("{}/v1/agent/uploads", s.url()))
        .bearer_auth(cred)
        .header("Upload-Id", key)
        .body(body)
        .send()
        .await
        .unwrap()
}

pub async fn count(s: &Server, table: &str) -> i64 {
    praxcheck_server::reeval::count(s.db(), table)
        .await
        .unwrap()
}

/// Waits until the assessor stored an assessment for the host.
pub async fn wait_assessed(c: &reqwest::Client, s: &Server, cred: &str) -> serde_json::Value {
    for _ in 0..200 {
        let v = get_json(c, &format!("{}/v1/agent/status", s.url()), cred).await;
        if !v["light"].is_null() {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("host was not assessed");
}

/// Host ids in the impact answer of an advisory, over HTTP with an association key.
pub async fn impact_hosts(c: &reqwest::Client, s: &Server, key: &str, id: &str) -> Vec<i64> {
    let imp: serde_json::Value =
        get_json(c, &format!("{}/v1/advisories/{id}/impact", s.url()), key).await;
    let mut hosts: Vec<i64> = imp["practices"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            p["hosts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["host_id"].as_i64().unwrap())
        })
        .collect();
    hosts.sort_unstable();
    hosts
}
