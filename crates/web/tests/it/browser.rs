//! The pages in a real browser: Debian's chromium through chromium-driver (WebDriver over
//! plain HTTP with reqwest; no extra client crate), against the in-process server on
//! 127.0.0.1. Checks: sign in, only the own practice, accept a risk, create a token,
//! download the report, the association's impact page after a new advisory, the association's
//! staff enrol a second factor (TOTP) and sign in with it; zero console
//! errors; zero requests to other hosts; axe-core finds no serious or critical violation;
//! screenshots under `target/web-screenshots/`.
//!
//! Without chromium/chromedriver (or axe-core) the test says SKIPPED;
//! `PRAXCHECK_REQUIRE_BROWSER=1` makes that a failure.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::*;

fn require() -> bool {
    std::env::var("PRAXCHECK_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

fn which(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path).chain([PathBuf::from("/usr/lib/chromium")]) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// axe-core's `axe.min.js`: `PRAXCHECK_AXE_JS`, or the folder `.ci/run` installs it into.
fn axe_js() -> Option<String> {
    let candidates = [
        std::env::var("PRAXCHECK_AXE_JS").ok().map(PathBuf::from),
        Some(PathBuf::from(
            "/opt/praxcheck-npm/node_modules/axe-core/axe.min.js",
        )),
        Some(target_dir().join("npm/node_modules/axe-core/axe.min.js")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.is_file())
        .and_then(|p| std::fs::read_to_string(p).ok())
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
        PathBuf::from,
    )
}

struct Driver {
    child: Child,
    http: reqwest::Client,
    base: String,
    session: String,
    _profile: tempfile::TempDir,
    downloads: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    async fn start(chromium: &Path, chromedriver: &Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        for _ in 0..100 {
            if http.get(format!("{base}/status")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let downloads = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"},
            "goog:chromeOptions": {
                "binary": chromium.to_string_lossy(),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--window-size=1280,1600",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "perfLoggingPrefs": {"enableNetwork": true, "enablePage": false},
                "prefs": {
                    "download.default_directory": downloads.path().to_string_lossy(),
                    "download.prompt_for_download": false
                }
            }
        }}});
        let v: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {v}"))
            .to_owned();
        Self {
            child,
            http,
            base,
            session,
            _profile: profile,
            downloads,
        }
    }

    async fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let req = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).json(&body),
        };
        let v: Value = req.send().await.unwrap().json().await.unwrap();
        assert!(v["value"].get("error").is_none(), "{method} {path}: {v}");
        v["value"].clone()
    }

    async fn goto(&self, url: &str) {
        self.cmd("POST", "/url", json!({ "url": url })).await;
    }

    async fn find(&self, css: &str) -> String {
        let v = self
            .cmd(
                "POST",
                "/element",
                json!({"using": "css selector", "value": css}),
            )
            .await;
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap()
            .to_owned()
    }

    async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            json!({ "text": text }),
        )
        .await;
    }

    async fn click(&self, css: &str) {
        let e = self.find(css).await;
        self.cmd("POST", &format!("/element/{e}/click"), json!({}))
            .await;
    }

    async fn script(&self, js: &str) -> Value {
        self.cmd("POST", "/execute/sync", json!({"script": js, "args": []}))
            .await
    }

    async fn source(&self) -> String {
        self.cmd("GET", "/source", Value::Null)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The page source once it contains `needle` (navigation after a click may still run).
    async fn wait_for(&self, needle: &str) -> String {
        let mut src = String::new();
        for _ in 0..100 {
            src = self.source().await;
            if src.contains(needle) {
                return src;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "{needle:?} did not appear: {}",
            &src[src.find("<main").unwrap_or(0)..]
        );
    }

    async fn url(&self) -> String {
        self.cmd("GET", "/url", Value::Null)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    async fn screenshot(&self, name: &str) {
        use base64::Engine as _;
        let v = self.cmd("GET", "/screenshot", Value::Null).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap())
            .unwrap();
        let dir = target_dir().join("web-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Console messages at level SEVERE since the last call.
    async fn console_errors(&self) -> Vec<String> {
        let v = self
            .cmd("POST", "/se/log", json!({"type": "browser"}))
            .await;
        v.as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// URLs requested since the last call (from the performance log).
    async fn requests(&self) -> Vec<String> {
        let v = self
            .cmd("POST", "/se/log", json!({"type": "performance"}))
            .await;
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| serde_json::from_str::<Value>(e["message"].as_str()?).ok())
            .filter(|m| m["message"]["method"] == "Network.requestWillBeSent")
            .filter_map(|m| {
                m["message"]["params"]["request"]["url"]
                    .as_str()
                    .map(str::to_owned)
            })
            .collect()
    }

    /// axe-core over the current page: serious and critical violations.
    async fn axe(&self, axe: &str) -> Vec<String> {
        self.script(axe).await;
        let v = self
            .cmd(
                "POST",
                "/execute/async",
                json!({"script": "const done = arguments[arguments.length - 1]; \
                    axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}) \
                    .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical') \
                    .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))), \
                    e => done(['axe failed: ' + e]));", "args": []}),
            )
            .await;
        v.as_array()
            .into_iter()
            .flatten()
            .map(|s| s.as_str().unwrap_or_default().to_owned())
            .collect()
    }

    async fn quit(&self) {
        let _ = self
            .http
            .delete(format!("{}/session/{}", self.base, self.session))
            .send()
            .await;
    }
}

/// After each page: no console error, nothing but the server was asked, no serious axe
/// violation, and a screenshot.
async fn check_page(d: &Driver, server: &str, axe: Option<&str>, name: &str) {
    let errors = d.console_errors().await;
    assert!(errors.is_empty(), "{name}: console errors {errors:?}");
    // Every network request (http, https, ws, ftp …) goes to the server; the browser's own
    // chrome:// pages are no network.
    for u in d.requests().await {
        let network =
            !(u.starts_with("data:") || u.starts_with("about:") || u.starts_with("chrome:"));
        assert!(
            !network || u.starts_with(&format!("{server}/")) || u == server,
            "{name}: request to another host: {u}"
        );
    }
    if let Some(axe) = axe {
        let v = d.axe(axe).await;
        assert!(v.is_empty(), "{name}: accessibility violations {v:?}");
    }
    d.screenshot(name).await;
}

async fn sign_in(d: &Driver, server: &str, email: &str) {
    d.goto(&format!("{server}/login")).await;
    d.type_into("#email", email).await;
    d.type_into("#password", PW).await;
    d.click("form.login button").await;
    d.wait_for("class=\"logout\"").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_in_chromium() {
    let chromium = which(&["chromium", "chromium-browser"]);
    let driver = which(&["chromedriver", "chromium-driver"]);
    let (Some(chromium), Some(chromedriver)) = (chromium, driver) else {
        assert!(
            !require(),
            "PRAXCHECK_REQUIRE_BROWSER=1 but chromium or chromedriver is missing"
        );
        println!(
            "SKIPPED: chromium or chromedriver is not installed (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let axe = axe_js();
    if axe.is_none() {
        assert!(
            !require(),
            "PRAXCHECK_REQUIRE_BROWSER=1 but axe-core's axe.min.js is missing (PRAXCHECK_AXE_JS)"
        );
        println!("SKIPPED (accessibility part): axe-core is not installed (npm install axe-core)");
    }
    let axe = axe.as_deref();
    let w = world().await;
    let server = w.server.url();
    let d = Driver::start(&chromium, &chromedriver).await;

    // The practice admin signs in and sees the own practice.
    sign_in(&d, &server, "admin@alpha.example").await;
    let at = d.url().await;
    assert_eq!(
        at,
        format!("{server}/practice/{}", w.a),
        "{}",
        d.source().await
    );
    let src = d.source().await;
    assert!(src.contains("Praxis Alpha") && !src.contains("Praxis Beta"));
    check_page(&d, &server, axe, "practice-before").await;
    // Another practice's page: 404.
    d.goto(&format!("{server}/practice/{}", w.b)).await;
    assert!(d.source().await.contains("(404)"));
    let _ = d.console_errors().await; // the 404 itself is logged as a failed resource
    let _ = d.requests().await;

    // The association imports a new advisory: Alpha's machine is affected.
    import_new_set(&w).await;
    d.goto(&format!("{server}/practice/{}", w.a)).await;
    let src = d.source().await;
    assert!(src.contains("PRAX-TEST-0001") || src.contains("CVE-2026-99999"));
    // Accept the risk.
    d.type_into("#reason", "Gerät wird im Januar ersetzt").await;
    let expires = (time::OffsetDateTime::now_utc().date() + time::Duration::days(30)).to_string();
    d.script(&format!(
        "document.getElementById('expires').value = '{expires}';"
    ))
    .await;
    d.click("form[action$='/risks'] button").await;
    let src = d.wait_for("Gerät wird im Januar ersetzt").await;
    assert!(
        src.contains("Gerät wird im Januar ersetzt") && src.contains(&expires),
        "{}",
        &src[src.find("<main").unwrap_or(0)..]
    );
    // Create a token.
    d.click("form[action$='/tokens'] button").await;
    let src = d.wait_for("class=\"token\"").await;
    assert!(src.contains("class=\"token\""));
    check_page(&d, &server, axe, "practice-after").await;
    // Download the report: click the link, the file arrives in the download folder.
    d.click("a[href$='/report.html']").await;
    let mut report = None;
    for _ in 0..100 {
        report = std::fs::read_dir(d.downloads.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "html"));
        if report.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let report = report.expect("the report was downloaded");
    let name = report.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with(&format!("praxcheck-{}-", w.a)), "{name}");
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("alpha-empfang") && html.contains("Gerät wird im Januar ersetzt"));
    std::fs::copy(&report, target_dir().join("web-screenshots").join(name)).unwrap();
    // Grant the association access, then sign out.
    d.click("form[action$='/grant'] button").await;
    d.wait_for("Einsicht zurücknehmen").await;
    d.click("form.logout button").await;
    d.wait_for("id=\"password\"").await;
    assert!(d.url().await.ends_with("/login"));

    // The association: fleet view and the new advisory's impact page.
    sign_in(&d, &server, "it@verband.example").await;
    d.wait_for("PRAX-TEST-0001").await;
    assert!(d.url().await.ends_with("/fleet"));
    check_page(&d, &server, axe, "fleet").await;
    d.goto(&format!("{server}/fleet/advisories/PRAX-TEST-0001"))
        .await;
    let src = d.source().await;
    assert!(
        src.contains("Praxis Alpha"),
        "the granted practice is named"
    );
    check_page(&d, &server, axe, "impact").await;
    d.goto(&format!("{server}/fleet/stale")).await;
    check_page(&d, &server, axe, "stale").await;
    // The association's staff turn on the second factor on their account page.
    d.goto(&format!("{server}/account")).await;
    d.click("form[action='/account/totp'] button").await;
    let src = d.wait_for("id=\"totp-secret\"").await;
    assert!(src.contains("<svg class=\"qr\"") && src.contains("otpauth://totp/"));
    check_page(&d, &server, axe, "account-totp").await;
    let secret = crate::totp::shown_secret(&src);
    crate::totp::away_from_a_step_boundary().await;
    let step = crate::totp::now_step();
    d.type_into("#confirm-code", &crate::totp::code(&secret, step - 1))
        .await;
    d.click("form[action='/account/totp/confirm'] button").await;
    let src = d.wait_for("jetzt eingeschaltet").await;
    assert!(!src.contains(&secret), "the secret is not shown again");
    d.click("form.logout button").await;
    d.wait_for("id=\"password\"").await;
    // Signing in now asks for the code after the password.
    d.type_into("#email", "it@verband.example").await;
    d.type_into("#password", PW).await;
    d.click("form.login button").await;
    d.wait_for("id=\"code\"").await;
    check_page(&d, &server, axe, "login-code").await;
    d.type_into("#code", &crate::totp::code(&secret, step))
        .await;
    d.click("form.login button").await;
    d.wait_for("class=\"logout\"").await;
    assert!(d.url().await.ends_with("/fleet"));
    // English.
    d.goto(&format!("{server}/lang/en?back=/fleet")).await;
    assert!(d.source().await.contains("The association"));
    check_page(&d, &server, axe, "fleet-en").await;
    d.quit().await;
}
