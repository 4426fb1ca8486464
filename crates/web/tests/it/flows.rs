//! Sign-in, sessions, CSRF, the rate limit, and the practice admin's actions, over HTTP.

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_sessions_csrf_and_rate_limit() {
    let w = world().await;
    let url = w.server.url();
    let mut b = Browser::new(&url);
    // Not signed in: every page sends to the sign-in page.
    let (code, loc) = b.post(&format!("/practice/{}/risks", w.a), &[]).await;
    assert_eq!((code, loc.as_str()), (303, "/login"));
    let (code, _) = b.get(&format!("/practice/{}", w.a)).await;
    assert_eq!(code, 303);
    // A login without the form's double-submit token is refused.
    let (code, _) = b
        .post(
            "/login",
            &[
                ("email", "admin@alpha.example"),
                ("password", PW),
                ("csrf", "x"),
            ],
        )
        .await;
    assert_eq!(code, 403);
    // Wrong password: 401, same answer as an unknown address.
    assert_eq!(
        b.login("admin@alpha.example", "wrong password!!").await,
        401
    );
    assert_eq!(
        b.login("nobody@alpha.example", "wrong password!!").await,
        401
    );
    // The session cookie's flags; only a hash of the token is stored.
    let (_, page) = b.get("/login").await;
    let body = serde_urlencoded::to_string([
        ("email", "admin@alpha.example"),
        ("password", PW),
        ("csrf", csrf(&page).as_str()),
    ])
    .unwrap();
    let cookie = b
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let r =
        b.c.post(format!("{url}/login"))
            .header("cookie", cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 303);
    let set = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("praxcheck_session="))
        .unwrap();
    for flag in ["HttpOnly", "Secure", "SameSite=Strict"] {
        assert!(set.contains(flag), "{set}");
    }
    let token = set["praxcheck_session=".len()..]
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let db = w.tmp.path().join("data/praxcheck.db");
    let raw = std::fs::read(&db).unwrap();
    let wal = std::fs::read(db.with_extension("db-wal")).unwrap_or_default();
    for bytes in [&raw, &wal] {
        assert!(
            !bytes.windows(token.len()).any(|x| x == token.as_bytes()),
            "the session token is stored in clear"
        );
        assert!(
            !bytes.windows(PW.len()).any(|x| x == PW.as_bytes()),
            "the password is stored in clear"
        );
    }
    assert!(raw.windows(9).any(|x| x == b"$argon2id") || wal.windows(9).any(|x| x == b"$argon2id"));

    // Signed in: the practice admin lands on the own practice.
    let mut b = Browser::new(&url);
    assert_eq!(b.login("admin@alpha.example", PW).await, 303);
    let (code, loc) = b.post("/logout", &[]).await;
    assert_eq!(code, 403, "logout without CSRF: {loc}");
    let r = b.get_response("/").await;
    assert_eq!(
        r.headers()["location"],
        format!("/practice/{}", w.a).as_str()
    );
    let (code, page) = b.get(&format!("/practice/{}", w.a)).await;
    assert_eq!(code, 200);
    assert!(page.contains("Praxis Alpha") && page.contains("alpha-empfang"));
    assert!(!page.contains("Praxis Beta") && !page.contains("beta-labor"));
    // A form from another site is refused.
    let csrf = csrf(&page);
    let r =
        b.c.post(format!("{url}/practice/{}/grant", w.a))
            .header(
                "cookie",
                format!(
                    "praxcheck_session={}",
                    b.cookies
                        .iter()
                        .find(|(k, _)| k == "praxcheck_session")
                        .unwrap()
                        .1
                ),
            )
            .header("origin", "https://evil.example")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("csrf={csrf}&on=1"))
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 403);
    // Logout ends the session server-side.
    let (code, _) = b.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(code, 303);
    let (code, _) = b.get(&format!("/practice/{}", w.a)).await;
    assert_eq!(code, 303);

    // Rate limit: after 5 failures even the right password is refused for a while.
    let mut b = Browser::new(&url);
    for _ in 0..5 {
        assert_eq!(b.login("admin@beta.example", "not the password").await, 401);
    }
    assert_eq!(b.login("admin@beta.example", PW).await, 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn practice_admin_accepts_a_risk_creates_and_revokes_a_token_and_downloads_the_report() {
    let w = world().await;
    import_new_set(&w).await;
    let mut b = Browser::new(&w.server.url());
    assert_eq!(b.login("admin@alpha.example", PW).await, 303);
    let path = format!("/practice/{}", w.a);
    let (code, page) = b.get(&path).await;
    assert_eq!(code, 200);
    assert!(
        page.contains("PRAX-TEST-0001") || page.contains("CVE-2026-99999"),
        "{page}"
    );
    assert!(page.contains("<svg class=\"trend\""));
    let csrf = csrf(&page);
    // Accept the finding's risk with a reason and a date.
    let rule = if page.contains("value=\"CVE-2026-99999\"") {
        "CVE-2026-99999"
    } else {
        "PRAX-TEST-0001"
    };
    let (code, _) = b
        .post(
            &format!("{path}/risks"),
            &[
                ("csrf", &csrf),
                ("rule", rule),
                ("reason", "Gerät wird im Januar ersetzt"),
                ("expires", "2099-01-01"),
            ],
        )
        .await;
    assert_eq!(code, 400, "an expiry beyond three years is refused");
    let (code, _) = b
        .post(
            &format!("{path}/risks"),
            &[("rule", rule), ("reason", "x"), ("expires", "2027-01-01")],
        )
        .await;
    assert_eq!(code, 403, "no CSRF token");
    let expires = (time::OffsetDateTime::now_utc().date() + time::Duration::days(30)).to_string();
    let (code, _) = b
        .post(
            &format!("{path}/risks"),
            &[
                ("csrf", &csrf),
                ("rule", rule),
                ("reason", "Gerät wird im Januar ersetzt"),
                ("expires", &expires),
            ],
        )
        .await;
    assert_eq!(code, 303);
    let (_, page) = b.get(&path).await;
    assert!(page.contains("Gerät wird im Januar ersetzt") && page.contains(&expires));
    assert!(page.contains("Risiko akzeptiert"));
    // A token: shown once, then revoked.
    let (code, page) = b
        .post(
            &format!("{path}/tokens"),
            &[("csrf", &csrf), ("uses", "3"), ("days", "2")],
        )
        .await;
    assert_eq!(code, 200);
    assert!(page.contains("class=\"token\""));
    let id_at = page.find("/tokens/").unwrap() + "/tokens/".len();
    let tid = page[id_at..id_at + 32].to_owned();
    let (code, _) = b
        .post(&format!("{path}/tokens/{tid}/revoke"), &[("csrf", &csrf)])
        .await;
    assert_eq!(code, 303);
    let (code, _) = b
        .post(&format!("{path}/tokens/{tid}/revoke"), &[("csrf", &csrf)])
        .await;
    assert_eq!(code, 404, "revoking twice");
    // The report download: the local report's HTML, as an attachment.
    let r = b.get_response(&format!("{path}/report.html")).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let html = r.text().await.unwrap();
    assert!(html.contains("alpha-empfang") && html.contains("<html"));
    // The PDF, where the server has a Chromium-family browser.
    let r = b.get_response(&format!("{path}/report.pdf")).await;
    if praxcheck_report::pdf::find_browser().is_ok() {
        assert_eq!(r.status(), 200);
        assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));
    } else {
        assert_eq!(r.status(), 503);
        println!("SKIPPED (PDF part): no Chromium-family browser");
    }
    // Staff read, but cannot act.
    let mut s = Browser::new(&w.server.url());
    assert_eq!(s.login("staff@alpha.example", PW).await, 303);
    let (code, page) = s.get(&path).await;
    assert_eq!(code, 200);
    assert!(!page.contains("/tokens\""));
    let csrf = crate::common::csrf(&page);
    let (code, _) = s.post(&format!("{path}/tokens"), &[("csrf", &csrf)]).await;
    assert_eq!(code, 404);
    // The language switch.
    let (code, _) = s.get(&format!("/lang/en?back={path}")).await;
    assert_eq!(code, 303);
    let (_, page) = s.get(&path).await;
    assert!(page.contains("lang=\"en\"") && page.contains("Security status"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fleet_view_shows_aggregates_and_only_granted_practices() {
    let w = world().await;
    import_new_set(&w).await;
    let mut assoc = Browser::new(&w.server.url());
    assert_eq!(assoc.login("it@verband.example", PW).await, 303);
    let (code, page) = assoc.get("/fleet").await;
    assert_eq!(code, 200);
    assert!(page.contains("PRAX-TEST-0001"), "{page}");
    assert!(
        page.contains("weniger als 5"),
        "small groups are not shown exactly"
    );
    assert!(!page.contains("Praxis Alpha"));
    let (code, page) = assoc.get("/fleet/advisories/PRAX-TEST-0001").await;
    assert_eq!(code, 200);
    assert!(!page.contains("Praxis Alpha"), "no grant yet");
    let (code, _) = assoc.get(&format!("/practice/{}", w.a)).await;
    assert_eq!(code, 404);
    // Alpha grants access.
    let mut a = Browser::new(&w.server.url());
    assert_eq!(a.login("admin@alpha.example", PW).await, 303);
    let csrf = a.csrf_at(&format!("/practice/{}", w.a)).await;
    let (code, _) = a
        .post(
            &format!("/practice/{}/grant", w.a),
            &[("csrf", &csrf), ("on", "1")],
        )
        .await;
    assert_eq!(code, 303);
    let (_, page) = assoc.get("/fleet/advisories/PRAX-TEST-0001").await;
    assert!(page.contains("Praxis Alpha"));
    let (_, page) = assoc.get("/fleet/practices?light=red").await;
    assert!(
        page.contains("Praxis Alpha") && !page.contains("Praxis Beta"),
        "{page}"
    );
    let (code, page) = assoc.get(&format!("/practice/{}", w.a)).await;
    assert_eq!(code, 200);
    assert!(!page.contains("/tokens\""), "association staff read only");
    let (code, _) = assoc.get(&format!("/practice/{}", w.b)).await;
    assert_eq!(code, 404);
}
