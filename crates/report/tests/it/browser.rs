use std::path::{Path, PathBuf};
use std::process::Command;

use praxcheck_advisories::{AdvisorySet, Facts};
use praxcheck_assess::{Answers, Catalogue, Options};
use praxcheck_i18n::Lang;
use praxcheck_model::Document;
use praxcheck_report::View;
use praxcheck_report::pdf::{file_url, find_browser, headless_args};

/// What the browser did with a page.
#[derive(Debug)]
struct PageLoad {
    /// Console messages the page produced (Chromium logs them as `CONSOLE`).
    console: Vec<String>,
    /// Network requests made on behalf of the page (not the browser's own housekeeping).
    requests: Vec<String>,
}

/// Opens a page in headless Chromium with a net log and console logging, takes a
/// screenshot.
fn load(browser: &Path, page: &Path, screenshot: &Path) -> PageLoad {
    let tmp = tempfile::tempdir().unwrap();
    let netlog = tmp.path().join("netlog.json");
    let out = Command::new(browser)
        .args(headless_args(&tmp.path().join("profile")))
        .arg("--enable-logging=stderr")
        .arg("--v=0")
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg("--window-size=1280,2400")
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg(file_url(page))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let console = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_owned)
        .collect();
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&netlog).unwrap()).unwrap();
    let types = &log["constants"]["logEventTypes"];
    let start = types["URL_REQUEST_START_JOB"].as_u64().unwrap();
    let mut requests = Vec::new();
    for e in log["events"].as_array().unwrap() {
        if e["type"].as_u64() != Some(start) {
            continue;
        }
        let p = &e["params"];
        let url = p["url"].as_str().unwrap_or_default();
        // Requests on behalf of a page loaded from a file carry the file origin in their
        // isolation key; the browser's own (update checks, ...) do not.
        let for_page = p["network_isolation_key"]
            .as_str()
            .is_some_and(|k| k.contains("file://"))
            || p["site_for_cookies"]
                .as_str()
                .is_some_and(|k| k.contains("file://"));
        if for_page && !url.starts_with("file:") && !url.starts_with("data:") {
            requests.push(url.to_owned());
        }
    }
    PageLoad { console, requests }
}

fn artifacts() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-artifacts");
    std::fs::create_dir_all(&p).unwrap();
    p
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../assess/tests/fixtures")
        .join(name)
}

fn report_html() -> String {
    let set = AdvisorySet::embedded().unwrap();
    let cat = Catalogue::embedded().unwrap();
    let answers = Answers::default();
    let opts = Options {
        set: &set,
        catalogue: &cat,
        answers: &answers,
        today: praxcheck_advisories::parse_date("2026-11-29").unwrap(),
    };
    let mut docs: Vec<Document> = ["empfang.json", "server.json"]
        .iter()
        .map(|n| Document::from_json(&std::fs::read(fixture(n)).unwrap()).unwrap())
        .collect();
    let facts: Vec<Facts> = ["empfang.facts.json", "server.facts.json"]
        .iter()
        .map(|n| {
            praxcheck_assess::facts::from_json(&std::fs::read_to_string(fixture(n)).unwrap())
                .unwrap()
        })
        .collect();
    let a = praxcheck_assess::assess(&docs, &facts, &opts).write_into(&mut docs);
    praxcheck_report::html::html(
        &View {
            docs: &docs,
            assessment: &a,
        },
        Lang::De,
    )
    .unwrap()
}

#[test]
fn the_report_loads_nothing_and_logs_nothing_in_chromium() {
    let Ok(browser) = find_browser() else {
        assert!(
            std::env::var_os("PRAXCHECK_REQUIRE_REPORT_TOOLS").is_none(),
            "chromium is required (PRAXCHECK_REQUIRE_REPORT_TOOLS is set)"
        );
        println!("SKIPPED: no Chromium-family browser installed (apt install chromium)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("bericht.html");
    let html = report_html();
    // Static checks: one file, no scripts, no references to anything outside.
    assert!(!html.contains("<script"));
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    assert!(html.contains("default-src 'none'"));
    std::fs::write(&page, &html).unwrap();
    let shot = artifacts().join("report.png");
    let _ = std::fs::remove_file(&shot);
    let seen = load(&browser, &page, &shot);
    assert!(seen.console.is_empty(), "console: {:?}", seen.console);
    assert!(seen.requests.is_empty(), "requests: {:?}", seen.requests);
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "{}",
        png.len()
    );
    std::fs::copy(&page, artifacts().join("report.html")).unwrap();
}

#[test]
fn the_same_check_fails_on_a_page_that_loads_an_external_image() {
    let Ok(browser) = find_browser() else {
        assert!(
            std::env::var_os("PRAXCHECK_REQUIRE_REPORT_TOOLS").is_none(),
            "chromium is required (PRAXCHECK_REQUIRE_REPORT_TOOLS is set)"
        );
        println!("SKIPPED: no Chromium-family browser installed (apt install chromium)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("bad.html");
    // TEST-NET-2 address: never routed, the attempt alone must be seen.
    std::fs::write(
        &page,
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title></head>
<body><p>Logo:</p><img src="http://198.51.100.7/logo.png" alt=""></body></html>"#,
    )
    .unwrap();
    let seen = load(&browser, &page, &tmp.path().join("bad.png"));
    assert_eq!(
        seen.requests,
        vec!["http://198.51.100.7/logo.png".to_owned()]
    );
    // And a page with a script error is caught by the console check.
    let page = tmp.path().join("noisy.html");
    std::fs::write(
        &page,
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title></head>
<body><script>console.error("broken");</script></body></html>"#,
    )
    .unwrap();
    let seen = load(&browser, &page, &tmp.path().join("noisy.png"));
    assert_eq!(seen.console.len(), 1, "{:?}", seen.console);
    assert!(seen.console[0].contains("broken"));
}

#[test]
fn an_external_reference_slipped_into_the_report_is_blocked_and_seen() {
    // The report's Content-Security-Policy refuses anything external even if a future bug
    // put a link into it; the browser says so on the console, which the check catches.
    let Ok(browser) = find_browser() else {
        assert!(
            std::env::var_os("PRAXCHECK_REQUIRE_REPORT_TOOLS").is_none(),
            "chromium is required (PRAXCHECK_REQUIRE_REPORT_TOOLS is set)"
        );
        println!("SKIPPED: no Chromium-family browser installed (apt install chromium)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("bericht.html");
    let html = report_html().replacen(
        "<footer>",
        r#"<img src="http://198.51.100.7/tracker.png" alt=""><footer>"#,
        1,
    );
    std::fs::write(&page, html).unwrap();
    let seen = load(&browser, &page, &tmp.path().join("x.png"));
    assert!(seen.requests.is_empty(), "{:?}", seen.requests);
    assert!(
        seen.console
            .iter()
            .any(|c| c.contains("Content Security Policy")),
        "{:?}",
        seen.console
    );
}
