//! The optional second factor (TOTP, issue 14): enrolment on the own account page, sign-in
//! with a right, wrong and replayed code, the rate limit, another user's view, and the
//! operator's reset.

use praxcheck_server::tenant::AdminCtx;
use sqlx::Row as _;

use crate::common::*;

/// The code of `step` (30-second steps) for a base32 secret.
pub fn code(secret: &str, step: u64) -> String {
    totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(secret).unwrap())
        .build()
        .unwrap()
        .generate(step * 30)
        .to_string()
}

pub fn now_step() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 30
}

/// Waits while the current 30-second step is about to end (so a test's codes stay in
/// their window).
pub async fn away_from_a_step_boundary() {
    let s = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        % 30;
    if s >= 25 {
        tokio::time::sleep(std::time::Duration::from_secs(31 - s)).await;
    }
}

/// The secret shown on the enrolment page.
pub fn shown_secret(page: &str) -> String {
    let key = "id=\"totp-secret\" class=\"token\">";
    let i = page.find(key).expect("the secret on the page") + key.len();
    page[i..].split('<').next().unwrap().to_owned()
}

async fn totp_columns(w: &World, email: &str) -> (Option<String>, Option<String>) {
    let r = sqlx::query("SELECT totp_secret, totp_pending FROM web_users WHERE email = $1")
        .bind(email)
        .fetch_one(w.server.db().read())
        .await
        .unwrap();
    (r.get("totp_secret"), r.get("totp_pending"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_enrol_then_sign_in_with_right_wrong_and_replayed_codes() {
    let w = world().await;
    let url = w.server.url();
    let me = "it@verband.example";
    let mut b = Browser::new(&url);
    assert_eq!(b.login(me, PW).await, 303);
    let (code_, page) = b.get("/account").await;
    assert_eq!(code_, 200);
    assert!(page.contains("ausgeschaltet"), "{page}");
    let form = csrf(&page);
    // Start: the secret once, as text, URI and inline SVG QR code.
    let (status, page) = b.post("/account/totp", &[("csrf", &form)]).await;
    assert_eq!(status, 200);
    let secret = shown_secret(&page);
    assert_eq!(secret.len(), 32, "160 bits in base32: {secret}");
    assert!(page.contains(&format!(
        "otpauth://totp/praxcheck:it%40verband.example?secret={secret}"
    )));
    assert!(page.contains("<svg class=\"qr\""));
    // Pending, not yet on; the secret is never shown again.
    assert_eq!(totp_columns(&w, me).await, (None, Some(secret.clone())));
    let (_, page) = b.get("/account").await;
    assert!(!page.contains(&secret));
    assert!(page.contains("/account/totp/confirm"));
    // A wrong code does not turn it on.
    away_from_a_step_boundary().await;
    let s0 = now_step() - 1;
    let wrong = if code(&secret, s0) == "000000" {
        "111111"
    } else {
        "000000"
    };
    let (status, page) = b
        .post("/account/totp/confirm", &[("csrf", &form), ("code", wrong)])
        .await;
    assert_eq!(status, 400);
    assert!(!page.contains(&secret));
    assert_eq!(totp_columns(&w, me).await.0, None);
    // The right code (from the previous step, within the skew) turns it on.
    let (status, loc) = b
        .post(
            "/account/totp/confirm",
            &[("csrf", &form), ("code", &code(&secret, s0))],
        )
        .await;
    assert_eq!((status, loc.as_str()), (303, "/account?done=on"));
    assert_eq!(totp_columns(&w, me).await, (Some(secret.clone()), None));
    let (_, page) = b.get("/account?done=on").await;
    assert!(page.contains("eingeschaltet") && !page.contains(&secret));

    // Sign-in now asks for the code: no session after the password alone.
    let mut c = Browser::new(&url);
    assert_eq!(c.login(me, PW).await, 200);
    assert!(c.cookies.iter().all(|(k, _)| k != "praxcheck_session"));
    assert_eq!(c.get("/fleet").await.0, 303, "not signed in yet");
    let (_, page) = c.get("/login").await;
    let mut c2 = Browser::new(&url);
    assert_eq!(c2.login(me, PW).await, 200);
    let login_csrf = csrf(&page);
    let (status, _) = c
        .post("/login/code", &[("csrf", &login_csrf), ("code", wrong)])
        .await;
    assert_eq!(status, 401, "wrong code");
    let (_, page) = c.get("/login").await;
    let login_csrf = csrf(&page);
    let right = code(&secret, s0 + 1);
    let (status, loc) = c
        .post("/login/code", &[("csrf", &login_csrf), ("code", &right)])
        .await;
    assert_eq!((status, loc.as_str()), (303, "/"));
    assert_eq!(c.get("/fleet").await.0, 200, "signed in");
    // The same code again, on another sign-in within its window: refused (replay).
    let (_, page) = c2.get("/login").await;
    let (status, _) = c2
        .post("/login/code", &[("csrf", &csrf(&page)), ("code", &right)])
        .await;
    assert_eq!(status, 401, "a used code is refused");
    // An old code (the enrolment's step) is refused too.
    let (_, page) = c2.get("/login").await;
    let (status, _) = c2
        .post(
            "/login/code",
            &[("csrf", &csrf(&page)), ("code", &code(&secret, s0))],
        )
        .await;
    assert_eq!(status, 401);
    // Without a challenge cookie the code form sends back to the password.
    let mut d = Browser::new(&url);
    let (_, page) = d.get("/login").await;
    let (status, loc) = d
        .post("/login/code", &[("csrf", &csrf(&page)), ("code", &right)])
        .await;
    assert_eq!((status, loc.as_str()), (303, "/login"));

    // Turning it off needs a fresh code.
    let c_csrf = c.csrf_at("/account").await;
    let (status, _) = c
        .post("/account/totp/off", &[("csrf", &c_csrf), ("code", &right)])
        .await;
    assert_eq!(status, 400, "the used code cannot turn it off");
    let (status, loc) = c
        .post(
            "/account/totp/off",
            &[("csrf", &c_csrf), ("code", &code(&secret, s0 + 2))],
        )
        .await;
    assert_eq!((status, loc.as_str()), (303, "/account?done=off"));
    assert_eq!(totp_columns(&w, me).await, (None, None));
    let mut e = Browser::new(&url);
    assert_eq!(e.login(me, PW).await, 303, "password alone again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_codes_are_rate_limited_and_the_operator_resets_a_lost_factor() {
    let w = world().await;
    let url = w.server.url();
    let me = "it@verband.example";
    let mut b = Browser::new(&url);
    assert_eq!(b.login(me, PW).await, 303);
    let csrf_ = b.csrf_at("/account").await;
    let (_, page) = b.post("/account/totp", &[("csrf", &csrf_)]).await;
    let secret = shown_secret(&page);
    away_from_a_step_boundary().await;
    let s = now_step();
    let (status, _) = b
        .post(
            "/account/totp/confirm",
            &[("csrf", &csrf_), ("code", &code(&secret, s))],
        )
        .await;
    assert_eq!(status, 303);

    // Another user (another tenant) sees nothing of it and cannot confirm or turn it off.
    let mut other = Browser::new(&url);
    assert_eq!(other.login("admin@beta.example", PW).await, 303);
    let (_, page) = other.get("/account").await;
    assert!(!page.contains(&secret) && !page.contains(me));
    assert!(page.contains("ausgeschaltet"));
    let o_csrf = csrf(&page);
    let (status, _) = other
        .post(
            "/account/totp/confirm",
            &[("csrf", &o_csrf), ("code", &code(&secret, s + 1))],
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = other
        .post(
            "/account/totp/off",
            &[("csrf", &o_csrf), ("code", &code(&secret, s + 1))],
        )
        .await;
    assert_eq!(status, 400);
    // The other user's session and form token do not work on this user's account.
    let (status, _) = b
        .post(
            "/account/totp/off",
            &[("csrf", &o_csrf), ("code", &code(&secret, s + 1))],
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(totp_columns(&w, me).await.0, Some(secret.clone()));
    assert_eq!(totp_columns(&w, "admin@beta.example").await, (None, None));

    // Five wrong codes block the address: then even the right code is refused.
    let mut c = Browser::new(&url);
    assert_eq!(c.login(me, PW).await, 200);
    for _ in 0..5 {
        let (_, page) = c.get("/login").await;
        let (status, _) = c
            .post("/login/code", &[("csrf", &csrf(&page)), ("code", "000001")])
            .await;
        assert_eq!(status, 401);
    }
    let (_, page) = c.get("/login").await;
    let (status, _) = c
        .post(
            "/login/code",
            &[("csrf", &csrf(&page)), ("code", &code(&secret, s + 1))],
        )
        .await;
    assert_eq!(status, 429);
    assert_eq!(
        Browser::new(&url).login(me, PW).await,
        429,
        "and the password too"
    );

    // The operator's reset: factor off, the user's sessions ended.
    praxcheck_web::totp::reset(w.server.db(), &AdminCtx::local(), "IT@verband.example")
        .await
        .unwrap();
    assert_eq!(totp_columns(&w, me).await, (None, None));
    assert_eq!(b.get("/account").await.0, 303, "sessions ended");
    assert!(
        praxcheck_web::totp::reset(w.server.db(), &AdminCtx::local(), "nobody@x.example")
            .await
            .is_err()
    );
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM audit WHERE action = 'user.reset-totp'")
        .fetch_one(w.server.db().read())
        .await
        .unwrap()
        .get("n");
    assert_eq!(n, 1);
}
