//! The routes and handlers. Every handler that shows a practice asks the tenant module for
//! the id ([`UserCtx::practice_access`]); every form post checks the session's CSRF token
//! and the Origin. Every route is listed in [`ROUTES`] for the cross-tenant test.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use praxcheck_i18n::{Arg, Catalog, Lang};
use praxcheck_model::Light;
use praxcheck_server::api::AppState;
use praxcheck_server::tenant::{Access, PracticeId, Role, UserCtx};

use crate::auth::{self, LANG_COOKIE, LOGIN_COOKIE, SESSION_COOKIE};
use crate::fleet::{self, GroupCount};
use crate::practice::{self, ms_date};
use crate::{WebError, svg, totp};

type St = State<Arc<AppState>>;

/// The style sheet, embedded.
const STYLE: &str = include_str!("../assets/style.css");

/// Every page route: (method, path template, who may call it).
pub const ROUTES: &[(&str, &str, &str)] = &[
    ("GET", "/", "anyone"),
    ("GET", "/login", "anyone"),
    ("POST", "/login", "anyone"),
    ("POST", "/login/code", "anyone"),
    ("POST", "/logout", "user"),
    ("GET", "/account", "user"),
    ("POST", "/account/totp", "user"),
    ("POST", "/account/totp/confirm", "user"),
    ("POST", "/account/totp/off", "user"),
    ("GET", "/lang/{code}", "anyone"),
    ("GET", "/static/style.css", "anyone"),
    ("GET", "/favicon.ico", "anyone"),
    ("GET", "/practice/{id}", "practice"),
    ("GET", "/practice/{id}/report.html", "practice"),
    ("GET", "/practice/{id}/report.pdf", "practice"),
    ("POST", "/practice/{id}/risks", "practice-admin"),
    ("POST", "/practice/{id}/tokens", "practice-admin"),
    (
        "POST",
        "/practice/{id}/tokens/{tid}/revoke",
        "practice-admin",
    ),
    ("POST", "/practice/{id}/grant", "practice-admin"),
    ("GET", "/fleet", "association"),
    ("GET", "/fleet/practices", "association"),
    ("GET", "/fleet/stale", "association"),
    ("GET", "/fleet/advisories/{id}", "association"),
];

/// The page routes over the server's state (no fallback: the API's answers the rest).
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_form).post(login_post))
        .route("/login/code", post(login_code_post))
        .route("/logout", post(logout))
        .route("/account", get(account_page))
        .route("/account/totp", post(totp_start))
        .route("/account/totp/confirm", post(totp_confirm))
        .route("/account/totp/off", post(totp_off))
        .route("/lang/{code}", get(lang_switch))
        .route("/static/style.css", get(style))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/practice/{id}", get(practice_page))
        .route("/practice/{id}/report.html", get(report_download))
        .route("/practice/{id}/report.pdf", get(report_pdf))
        .route("/practice/{id}/risks", post(accept_risk))
        .route("/practice/{id}/tokens", post(token_create))
        .route("/practice/{id}/tokens/{tid}/revoke", post(token_revoke))
        .route("/practice/{id}/grant", post(grant))
        .route("/fleet", get(fleet_page))
        .route("/fleet/practices", get(fleet_practices))
        .route("/fleet/stale", get(fleet_stale))
        .route("/fleet/advisories/{id}", get(fleet_advisory))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

async fn security_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    r
}

fn lang_of(headers: &HeaderMap) -> Lang {
    match auth::cookie(headers, LANG_COOKIE) {
        Some("en") => Lang::En,
        _ => Lang::De,
    }
}

/// What every page's frame needs.
pub struct Chrome {
    /// The catalogue.
    pub cat: Catalog,
    /// `de` or `en`.
    pub lang: &'static str,
    /// The other language's code and name.
    pub other_lang: (&'static str, String),
    /// Page title.
    pub title: String,
    /// Signed in as.
    pub email: Option<String>,
    /// Navigation links.
    pub nav: Vec<(String, String)>,
    /// The session's CSRF token.
    pub csrf: String,
    /// This page's path, percent-encoded (for the language switch to come back to).
    pub back: String,
    /// The program version.
    pub version: &'static str,
}

impl Chrome {
    fn new(headers: &HeaderMap, user: Option<&UserCtx>, title_key: &str, path: &str) -> Self {
        let lang = lang_of(headers);
        let cat = Catalog::new(lang);
        let other = match lang {
            Lang::De => ("en", "English".to_owned()),
            Lang::En => ("de", "Deutsch".to_owned()),
        };
        let mut nav = Vec::new();
        if let Some(u) = user {
            match (u.role(), u.practice()) {
                (Role::AssociationAdmin, _) => {
                    nav.push(("/fleet".to_owned(), cat.t("web-nav-fleet")));
                    nav.push(("/fleet/practices".to_owned(), cat.t("web-nav-practices")));
                    nav.push(("/fleet/stale".to_owned(), cat.t("web-nav-stale")));
                }
                (_, Some(p)) => {
                    nav.push((format!("/practice/{}", p.get()), cat.t("web-nav-practice")));
                }
                _ => {}
            }
            nav.push(("/account".to_owned(), cat.t("web-nav-account")));
        }
        Self {
            title: cat.t(title_key),
            cat,
            lang: lang.code(),
            other_lang: other,
            email: user.map(|u| u.email().to_owned()),
            nav,
            csrf: user.map(|u| u.csrf().to_owned()).unwrap_or_default(),
            back: pct(path),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// Percent-encodes everything but unreserved characters and `/` (for paths in links).
#[must_use]
pub fn pct(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn html(t: &impl Template) -> Response {
    match t.render() {
        Ok(body) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("template: {e}")).into_response(),
    }
}

fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    code: u16,
    reason: String,
}

/// The HTML answer for an error.
pub fn error_page(e: &WebError) -> Response {
    let code = e.status();
    let c = Chrome::new(&HeaderMap::new(), None, "web-error-title", "/");
    let reason = match e {
        WebError::NotFound(_) => c.cat.t("web-error-not-found"),
        WebError::Internal(_) => c.cat.t("web-error-internal"),
        other => other.to_string(),
    };
    let mut r = html(&ErrorPage {
        c,
        code: code.as_u16(),
        reason,
    });
    *r.status_mut() = code;
    r
}

/// The signed-in user or a redirect to the sign-in page.
async fn require_user(
    st: &AppState,
    headers: &HeaderMap,
) -> Result<Result<UserCtx, Response>, WebError> {
    Ok(auth::user(st.db(), headers)
        .await?
        .ok_or_else(|| see_other("/login")))
}

fn parse_id(s: &str) -> Result<i64, WebError> {
    s.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| WebError::NotFound("not found".into()))
}

/// The practice behind `id` for this user and access, else 404.
async fn practice_for(
    st: &AppState,
    user: &UserCtx,
    id: &str,
    access: Access,
) -> Result<(PracticeId, praxcheck_server::tenant::AdminCtx), WebError> {
    let id = parse_id(id)?;
    user.practice_access(st.db(), id, access)
        .await?
        .ok_or_else(|| WebError::NotFound("no such practice".into()))
}

/// A form body, parsed; the CSRF field checked against the session.
fn form<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    body: &Bytes,
    csrf: &str,
) -> Result<T, WebError> {
    auth::check_origin(headers)?;
    #[derive(Deserialize)]
    struct Csrf {
        csrf: Option<String>,
    }
    let c: Csrf = serde_urlencoded::from_bytes(body)
        .map_err(|e| WebError::BadRequest(format!("form: {e}")))?;
    auth::check_csrf(csrf, c.csrf.as_deref())?;
    serde_urlencoded::from_bytes(body).map_err(|e| WebError::BadRequest(format!("form: {e}")))
}

async fn home(State(st): St, headers: HeaderMap) -> Result<Response, WebError> {
    let user = match require_user(&st, &headers).await? {
        Ok(u) => u,
        Err(r) => return Ok(r),
    };
    Ok(match (user.role(), user.practice()) {
        (Role::AssociationAdmin, _) => see_other("/fleet"),
        (_, Some(p)) => see_other(&format!("/practice/{}", p.get())),
        _ => see_other("/login"),
    })
}

async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

#[derive(Deserialize)]
struct Back {
    back: Option<String>,
}

async fn lang_switch(Path(code): Path<String>, Query(q): Query<Back>) -> Response {
    let code = if code == "en" { "en" } else { "de" };
    // Only a local path may be the way back (no open redirect).
    let back = q
        .back
        .filter(|b| b.starts_with('/') && !b.starts_with("//") && !b.contains('\\'))
        .unwrap_or_else(|| "/".into());
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, back),
            (
                header::SET_COOKIE,
                format!("{LANG_COOKIE}={code}; Path=/; Max-Age=31536000; Secure; SameSite=Strict"),
            ),
        ],
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    error: Option<String>,
    email: String,
}

async fn login_form(headers: HeaderMap) -> Result<Response, WebError> {
    login_answer(&headers, None, String::new(), StatusCode::OK)
}

fn login_answer(
    headers: &HeaderMap,
    error: Option<String>,
    email: String,
    code: StatusCode,
) -> Result<Response, WebError> {
    with_login_token(headers, "web-login-title", code, |c| {
        html(&LoginPage { c, error, email })
    })
}

/// A page of the sign-in (no session yet): its forms carry a fresh double-submit token,
/// also set as the login cookie.
fn with_login_token(
    headers: &HeaderMap,
    title_key: &str,
    code: StatusCode,
    page: impl FnOnce(Chrome) -> Response,
) -> Result<Response, WebError> {
    let mut c = Chrome::new(headers, None, title_key, "/login");
    let token = praxcheck_server::secret::random_id()
        .map_err(|e| WebError::Internal(format!("randomness: {e}")))?;
    c.csrf.clone_from(&token);
    let mut r = page(c);
    *r.status_mut() = code;
    if let Ok(v) = HeaderValue::from_str(&auth::set_cookie(LOGIN_COOKIE, &token, 3600)) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
}

/// A sign-in form (no session yet): Origin and the double-submit token of the login cookie
/// checked.
fn sign_in_form<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<T, WebError> {
    form(
        headers,
        body,
        auth::cookie(headers, LOGIN_COOKIE).unwrap_or_default(),
    )
}

async fn login_post(State(st): St, headers: HeaderMap, body: Bytes) -> Result<Response, WebError> {
    let f: LoginForm = sign_in_form(&headers, &body)?;
    let cat = Catalog::new(lang_of(&headers));
    match auth::login(st.db(), &f.email, &f.password).await? {
        Ok(auth::LoginStep::Session(token)) => Ok(signed_in(&token)),
        Ok(auth::LoginStep::Code(challenge)) => {
            let mut r = code_answer(&headers, None, StatusCode::OK)?;
            if let Ok(v) = HeaderValue::from_str(&auth::set_cookie(
                auth::CHALLENGE_COOKIE,
                &challenge,
                auth::CHALLENGE_MS / 1000,
            )) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(r)
        }
        Err(auth::LoginError::Wrong) => login_answer(
            &headers,
            Some(cat.t("web-login-wrong")),
            f.email,
            StatusCode::UNAUTHORIZED,
        ),
        Err(auth::LoginError::Blocked) => login_answer(
            &headers,
            Some(cat.t("web-login-blocked")),
            f.email,
            StatusCode::TOO_MANY_REQUESTS,
        ),
    }
}

/// The redirect that sets the session cookie (and ends a pending challenge's cookie).
fn signed_in(token: &str) -> Response {
    let mut r = see_other("/");
    for c in [
        auth::set_cookie(SESSION_COOKIE, token, auth::SESSION_MS / 1000),
        auth::set_cookie(auth::CHALLENGE_COOKIE, "", 0),
    ] {
        if let Ok(v) = HeaderValue::from_str(&c) {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    r
}

#[derive(Template)]
#[template(path = "login_code.html")]
struct CodePage {
    c: Chrome,
    error: Option<String>,
}

fn code_answer(
    headers: &HeaderMap,
    error: Option<String>,
    code: StatusCode,
) -> Result<Response, WebError> {
    with_login_token(headers, "web-login-code-title", code, |c| {
        html(&CodePage { c, error })
    })
}

#[derive(Deserialize)]
struct CodeForm {
    code: String,
}

/// The second step of a sign-in with TOTP: the code for the challenge in the cookie.
async fn login_code_post(
    State(st): St,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let f: CodeForm = sign_in_form(&headers, &body)?;
    let cat = Catalog::new(lang_of(&headers));
    let challenge = auth::cookie(&headers, auth::CHALLENGE_COOKIE).unwrap_or_default();
    match auth::login_code(st.db(), challenge, &f.code).await? {
        None => Ok(see_other("/login")),
        Some(Ok(token)) => Ok(signed_in(&token)),
        Some(Err(auth::LoginError::Wrong)) => code_answer(
            &headers,
            Some(cat.t("web-totp-wrong")),
            StatusCode::UNAUTHORIZED,
        ),
        Some(Err(auth::LoginError::Blocked)) => code_answer(
            &headers,
            Some(cat.t("web-login-blocked")),
            StatusCode::TOO_MANY_REQUESTS,
        ),
    }
}

// ---- the user's own account: the second factor ----

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    c: Chrome,
    enabled: bool,
    pending: bool,
    enrolment: Option<totp::Enrolment>,
    message: Option<String>,
    error: Option<String>,
}

async fn account_view(
    st: &AppState,
    headers: &HeaderMap,
    user: &UserCtx,
    enrolment: Option<totp::Enrolment>,
    note: Option<Result<String, String>>,
    code: StatusCode,
) -> Result<Response, WebError> {
    let c = Chrome::new(headers, Some(user), "web-account-title", "/account");
    let (enabled, pending) = totp::status(st.db(), user.user_id()).await?;
    let (message, error) = match note {
        Some(Ok(m)) => (Some(m), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    let mut r = html(&AccountPage {
        c,
        enabled,
        pending,
        enrolment,
        message,
        error,
    });
    *r.status_mut() = code;
    Ok(r)
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn account_page(
    State(st): St,
    headers: HeaderMap,
    Query(q): Query<Done>,
) -> Result<Response, WebError> {
    let user = match require_user(&st, &headers).await? {
        Ok(u) => u,
        Err(r) => return Ok(r),
    };
    let cat = Catalog::new(lang_of(&headers));
    let note = match q.done.as_deref() {
        Some("on") => Some(Ok(cat.t("web-totp-now-on"))),
        Some("off") => Some(Ok(cat.t("web-totp-now-off"))),
        _ => None,
    };
    account_view(&st, &headers, &user, None, note, StatusCode::OK).await
}

async fn totp_start(State(st): St, headers: HeaderMap, body: Bytes) -> Result<Response, WebError> {
    let user = match require_user(&st, &headers).await? {
        Ok(u) => u,
        Err(r) => return Ok(r),
    };
    let _: Empty = form(&headers, &body, user.csrf())?;
    let e = totp::start(st.db(), &user).await?;
    // The secret is shown once, on the answer to the post (never again).
    account_view(&st, &headers, &user, Some(e), None, StatusCode::OK).await
}

#[derive(Deserialize)]
struct TotpCodeForm {
    code: String,
}

async fn totp_confirm(
    State(st): St,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    totp_code_action(st, headers, body, true).await
}

async fn totp_off(State(st): St, headers: HeaderMap, body: Bytes) -> Result<Response, WebError> {
    totp_code_action(st, headers, body, false).await
}

async fn totp_code_action(
    st: Arc<AppState>,
    headers: HeaderMap,
    body: Bytes,
    confirm: bool,
) -> Result<Response, WebError> {
    let user = match require_user(&st, &headers).await? {
        Ok(u) => u,
        Err(r) => return Ok(r),
    };
    let f: TotpCodeForm = form(&headers, &body, user.csrf())?;
    let outcome = if confirm {
        totp::confirm(st.db(), &user, &f.code).await?
    } else {
        totp::disable(st.db(), &user, &f.code).await?
    };
    let cat = Catalog::new(lang_of(&headers));
    match outcome {
        Ok(()) => Ok(see_other(if confirm {
            "/account?done=on"
        } else {
            "/account?done=off"
        })),
        Err(totp::CodeError::Wrong) => {
            let e = Err(cat.t("web-totp-wrong"));
            account_view(&st, &headers, &user, None, Some(e), StatusCode::BAD_REQUEST).await
        }
        Err(totp::CodeError::Blocked) => {
            let e = Err(cat.t("web-login-blocked"));
            account_view(
                &st,
                &headers,
                &user,
                None,
                Some(e),
                StatusCode::TOO_MANY_REQUESTS,
            )
            .await
        }
    }
}

#[derive(Deserialize)]
struct Empty {}

async fn logout(State(st): St, headers: HeaderMap, body: Bytes) -> Result<Response, WebError> {
    let user = match require_user(&st, &headers).await? {
        Ok(u) => u,
        Err(r) => return Ok(r),
    };
    let _: Empty = form(&headers, &body, user.csrf())?;
    auth::logout(st.db(), &user).await?;
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/login".to_owned()),
            (header::SET_COOKIE, auth::set_cookie(SESSION_COOKIE, "", 0)),
        ],
    )
        .into_response())
}

// ---- the practice's page ----

struct ActionView {
    title: String,
    why: String,
    detail: String,
}

struct FindingView {
    host: String,
    rule_id: String,
    title: String,
    severity: String,
    status: String,
    open: bool,
    explanation: String,
    remediation: String,
    evidence: Vec<String>,
}

struct HostView {
    hostname: String,
    light_class: &'static str,
    light_word: String,
    score: String,
    last: String,
    stale: bool,
}

struct KbvView {
    anlage: u8,
    fulfilled: u32,
    not_fulfilled: u32,
    not_checked: u32,
    not_applicable: u32,
}

struct TokenView {
    id: String,
    expires: String,
    uses: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "practice.html")]
struct PracticePage {
    c: Chrome,
    id: i64,
    name: String,
    assessed: bool,
    light_class: &'static str,
    light_word: String,
    score: u32,
    reasons: Vec<String>,
    actions: Vec<ActionView>,
    hosts: Vec<HostView>,
    findings: Vec<FindingView>,
    open_rules: Vec<(String, String)>,
    kbv: Vec<KbvView>,
    risks: Vec<practice::RiskRow>,
    tokens: Vec<TokenView>,
    new_token: Option<String>,
    granted: bool,
    manage: bool,
    trend_svg: String,
    trend: Vec<practice::TrendPoint>,
    min_date: String,
}

fn light_class(l: &str) -> &'static str {
    match l {
        "red" => "red",
        "yellow" => "yellow",
        "green" => "green",
        _ => "none",
    }
}

fn light_word(cat: &Catalog, l: &str) -> String {
    cat.t(match l {
        "red" => "web-light-red",
        "yellow" => "web-light-yellow",
        "green" => "web-light-green",
        _ => "web-light-none",
    })
}

async fn practice_view(
    st: &AppState,
    headers: &HeaderMap,
    user: &UserCtx,
    id: &str,
    new_token: Option<String>,
) -> Result<Response, WebError> {
    let (pid, _) = practice_for(st, user, id, Access::Read).await?;
    let manage = user
        .practice_access(st.db(), pid.get(), Access::Manage)
        .await?
        .is_some();
    let set = st.set().await;
    let data = practice::load(st.db(), &set, pid).await?;
    let path = format!("/practice/{}", data.id);
    let c = Chrome::new(headers, Some(user), "web-practice-title", &path);
    let cat = c.cat;
    let code = c.lang;
    let (light_c, light_w, score, reasons, actions, kbv) = match &data.assessment {
        Some(a) => (
            light_class(a.light.as_str()),
            light_word(&cat, a.light.as_str()),
            a.score.percent,
            a.light_reasons
                .iter()
                .map(|t| t.get(code).to_owned())
                .collect(),
            a.actions
                .iter()
                .take(3)
                .map(|x| ActionView {
                    title: x.title.get(code).to_owned(),
                    why: x.why.get(code).to_owned(),
                    detail: x.detail.get(code).to_owned(),
                })
                .collect(),
            a.kbv
                .anlagen
                .iter()
                .map(|k| KbvView {
                    anlage: k.anlage,
                    fulfilled: k.fulfilled,
                    not_fulfilled: k.not_fulfilled,
                    not_checked: k.not_checked,
                    not_applicable: k.not_applicable,
                })
                .collect(),
        ),
        None => (
            "none",
            light_word(&cat, ""),
            0,
            Vec::new(),
            Vec::new(),
            Vec::new(),
        ),
    };
    let mut findings = Vec::new();
    let mut open_rules = std::collections::BTreeMap::new();
    for d in &data.docs {
        for f in &d.findings {
            if f.status.is_open() {
                open_rules
                    .entry(f.rule_id.clone())
                    .or_insert_with(|| f.title.get(code).to_owned());
            }
            findings.push(FindingView {
                host: d.scan.hostname.clone(),
                rule_id: f.rule_id.clone(),
                title: f.title.get(code).to_owned(),
                severity: cat.t(&format!("web-severity-{}", severity_name(f.severity))),
                status: cat.t(&format!("web-status-{}", f.status.as_str())),
                open: f.status.is_open(),
                explanation: f.explanation.get(code).to_owned(),
                remediation: f.remediation.get(code).to_owned(),
                evidence: f
                    .evidence
                    .iter()
                    .map(|e| {
                        // In the page's language from the evidence's kind, as the reports
                        // word it; never the collector's English note.
                        let said = praxcheck_report::words::evidence_text(e, &cat);
                        match &e.path {
                            Some(p) => format!("{p}: {said}"),
                            None => said,
                        }
                    })
                    .collect(),
            });
        }
    }
    findings.sort_by_key(|f| !f.open);
    let hosts = data
        .hosts
        .iter()
        .map(|h| {
            let l = h.light.as_deref().unwrap_or("");
            HostView {
                hostname: h.hostname.clone(),
                light_class: light_class(l),
                light_word: light_word(&cat, l),
                score: h.score.map(|s| s.to_string()).unwrap_or_else(|| "–".into()),
                last: h
                    .last_seen_at
                    .map(ms_date)
                    .unwrap_or_else(|| cat.t("web-never")),
                stale: h.stale,
            }
        })
        .collect();
    let now = praxcheck_server::db::now_ms();
    let tokens = data
        .tokens
        .iter()
        .map(|t| TokenView {
            id: t.id.clone(),
            expires: ms_date(t.expires_at),
            uses: format!("{}/{}", t.uses, t.max_uses),
            active: !t.revoked && t.expires_at > now && t.uses < t.max_uses,
        })
        .collect();
    let trend_svg = svg::trend(
        &data.trend,
        &cat.t("web-trend-title"),
        &cat.t("web-trend-score"),
        &cat.t("web-trend-open"),
    );
    let tomorrow = time::OffsetDateTime::now_utc().date() + time::Duration::days(1);
    let page = PracticePage {
        c,
        id: data.id,
        name: data.name,
        assessed: data.assessment.is_some(),
        light_class: light_c,
        light_word: light_w,
        score,
        reasons,
        actions,
        hosts,
        findings,
        open_rules: open_rules.into_iter().collect(),
        kbv,
        risks: data.risks,
        tokens,
        new_token,
        granted: data.granted,
        manage,
        trend_svg,
        trend: data.trend,
        min_date: tomorrow.to_string(),
    };
    Ok(html(&page))
}

fn severity_name(s: praxcheck_model::Severity) -> &'static str {
    use praxcheck_model::Severity as S;
    match s {
        S::Info => "info",
        S::Low => "low",
        S::Medium => "medium",
        S::High => "high",
        S::Critical => "critical",
    }
}

async fn practice_page(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let user = match require_user(&st, &headers).await? {
        Ok(u) => u,
        Err(r) => return Ok(r),
    };
    practice_view(&st, &headers, &user, &id, None).await
}

/// The practice's HTML report (the local report's renderer) for a download: the file name
/// stem and the HTML, or the sign-in redirect.
async fn report_html(
    st: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<Result<(String, String), Response>, WebError> {
    let user = match require_user(st, headers).await? {
        Ok(u) => u,
        Err(r) => return Ok(Err(r)),
    };
    let (pid, _) = practice_for(st, &user, id, Access::Read).await?;
    let set = st.set().await;
    let data = practice::evaluate(st.db(), &set, pid).await?;
    let Some(a) = &data.assessment else {
        return Err(WebError::NotFound("no uploads yet".into()));
    };
    let view = praxcheck_report::View {
        docs: &data.docs,
        assessment: a,
    };
    let body = praxcheck_report::html::html(&view, lang_of(headers))
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(Ok((format!("praxcheck-{}-{}", pid.get(), a.date), body)))
}

/// A download answer.
fn attachment(content_type: &str, file: &str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        body,
    )
        .into_response()
}

async fn report_download(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    Ok(match report_html(&st, &headers, &id).await? {
        Ok((stem, body)) => attachment("text/html; charset=utf-8", &format!("{stem}.html"), body),
        Err(r) => r,
    })
}

/// The PDF: the same HTML report printed by the server's Chromium (`praxcheck_report::pdf`),
/// one at a time (each print starts a browser).
async fn report_pdf(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    static PRINTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
    let (stem, html) = match report_html(&st, &headers, &id).await? {
        Ok(r) => r,
        Err(r) => return Ok(r),
    };
    let browser = praxcheck_report::pdf::find_browser()
        .map_err(|e| WebError::Unavailable(format!("PDF: {e}")))?;
    let _permit = PRINTS
        .acquire()
        .await
        .map_err(|e| WebError::Internal(format!("PDF: {e}")))?;
    let pdf =
        tokio::task::spawn_blocking(move || praxcheck_report::pdf::html_to_pdf(&html, &browser))
            .await
            .map_err(|e| WebError::Internal(format!("PDF: {e}")))?
            .map_err(|e| WebError::Internal(format!("PDF: {e}")))?;
    Ok(attachment("application/pdf", &format!("{stem}.pdf"), pdf))
}

/// A practice admin's form on practice `id`: the signed-in user, the practice (404 unless
/// the user may manage it), the acting context and the form (CSRF and Origin checked) — or
/// the sign-in redirect.
async fn manage<T: serde::de::DeserializeOwned>(
    st: &AppState,
    headers: &HeaderMap,
    id: &str,
    body: &Bytes,
) -> Result<Result<(UserCtx, PracticeId, praxcheck_server::tenant::AdminCtx, T), Response>, WebError>
{
    let user = match require_user(st, headers).await? {
        Ok(u) => u,
        Err(r) => return Ok(Err(r)),
    };
    let (pid, actor) = practice_for(st, &user, id, Access::Manage).await?;
    let f: T = form(headers, body, user.csrf())?;
    Ok(Ok((user, pid, actor, f)))
}

#[derive(Deserialize)]
struct RiskForm {
    rule: String,
    reason: String,
    expires: String,
}

async fn accept_risk(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let (user, pid, _, f) = match manage::<RiskForm>(&st, &headers, &id, &body).await? {
        Ok(m) => m,
        Err(r) => return Ok(r),
    };
    practice::accept_risk(st.db(), pid, user.email(), &f.rule, &f.reason, &f.expires).await?;
    // The fleet's stored light and the trend count the accepted risk from now on.
    let set = st.set().await;
    crate::record::practice_now(st.db(), &set, pid).await?;
    Ok(see_other(&format!("/practice/{}#risks", pid.get())))
}

#[derive(Deserialize)]
struct TokenForm {
    uses: Option<u32>,
    days: Option<u32>,
}

async fn token_create(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let (user, pid, actor, f) = match manage::<TokenForm>(&st, &headers, &id, &body).await? {
        Ok(m) => m,
        Err(r) => return Ok(r),
    };
    let t = praxcheck_server::enroll::create_token(
        st.db(),
        &actor,
        pid,
        f.uses.unwrap_or(1),
        f.days.unwrap_or(7),
        st.public_url(),
        st.pin(),
    )
    .await?;
    // The token is shown once, on the answer to the post (never stored in clear).
    practice_view(&st, &headers, &user, &id, Some(t.token)).await
}

async fn token_revoke(
    State(st): St,
    headers: HeaderMap,
    Path((id, tid)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let (_, pid, actor, _) = match manage::<Empty>(&st, &headers, &id, &body).await? {
        Ok(m) => m,
        Err(r) => return Ok(r),
    };
    if tid.len() != 32 || !tid.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(WebError::NotFound("no such enrollment token".into()));
    }
    practice::revoke_token(st.db(), &actor, pid, &tid).await?;
    Ok(see_other(&format!("/practice/{}#tokens", pid.get())))
}

#[derive(Deserialize)]
struct GrantForm {
    on: String,
}

async fn grant(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let (user, pid, _, f) = match manage::<GrantForm>(&st, &headers, &id, &body).await? {
        Ok(m) => m,
        Err(r) => return Ok(r),
    };
    practice::set_grant(st.db(), pid, user.email(), f.on == "1").await?;
    Ok(see_other(&format!("/practice/{}#grant", pid.get())))
}

// ---- the association's fleet view ----

fn group(cat: &Catalog, g: GroupCount) -> String {
    match g {
        GroupCount::Exact(n) => n.to_string(),
        GroupCount::Few => cat.t_args("web-fewer-than", &[("n", Arg::from(fleet::MIN_GROUP))]),
    }
}

/// A machine count next to a practice count: hidden when the practices are fewer than the
/// minimum group (the machines would narrow them down).
fn hosts_of(practices: GroupCount, hosts: i64) -> String {
    match practices {
        GroupCount::Exact(_) => hosts.to_string(),
        GroupCount::Few => "–".into(),
    }
}

/// The association's user, else 404 (a practice user never learns the fleet pages exist).
async fn association(
    st: &AppState,
    headers: &HeaderMap,
) -> Result<Result<UserCtx, Response>, WebError> {
    match require_user(st, headers).await? {
        Ok(u) if u.association().is_some() => Ok(Ok(u)),
        Ok(_) => Err(WebError::NotFound("not found".into())),
        Err(r) => Ok(Err(r)),
    }
}

#[derive(Template)]
#[template(path = "fleet.html")]
struct FleetPage {
    c: Chrome,
    practices: i64,
    lights: Vec<(&'static str, String, String)>,
    unassessed: String,
    scores: Vec<(String, String)>,
    stale_hosts: i64,
    advisories: Vec<((String, String), String, String)>,
    set_id: String,
    set_version: u64,
    set_published: String,
    set_age: i64,
    set_old: bool,
}

async fn fleet_page(State(st): St, headers: HeaderMap) -> Result<Response, WebError> {
    let user = match association(&st, &headers).await? {
        Ok(u) => u,
        Err(r) => return Ok(r),
    };
    let c = Chrome::new(&headers, Some(&user), "web-fleet-title", "/fleet");
    let cat = c.cat;
    let s = fleet::summary(st.db()).await?;
    let top = fleet::top_advisories(st.db(), 20).await?;
    let set = st.set().await;
    let meta = set.meta();
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let age = time::Date::parse(&meta.published, &fmt)
        .map(|d| (time::OffsetDateTime::now_utc().date() - d).whole_days())
        .unwrap_or(0);
    let page = FleetPage {
        practices: s.practices,
        lights: [Light::Red, Light::Yellow, Light::Green]
            .iter()
            .zip(s.lights)
            .map(|(l, n)| {
                (
                    light_class(l.as_str()),
                    light_word(&cat, l.as_str()),
                    group(&cat, n),
                )
            })
            .collect(),
        unassessed: group(&cat, s.unassessed),
        scores: s
            .scores
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let lo = i * 10;
                let hi = if i == 9 { 100 } else { lo + 9 };
                (format!("{lo}–{hi}"), group(&cat, *n))
            })
            .collect(),
        stale_hosts: s.stale_hosts,
        advisories: top
            .into_iter()
            .map(|a| {
                let hosts = hosts_of(a.practices, a.hosts);
                ((pct(&a.id), a.id), group(&cat, a.practices), hosts)
            })
            .collect(),
        set_id: meta.id.clone(),
        set_version: meta.version,
        set_published: meta.published.clone(),
        set_age: age,
        set_old: age > praxcheck_advisories::STALE_AFTER_DAYS,
        c,
    };
    Ok(html(&page))
}

#[derive(Deserialize)]
struct ListQuery {
    page: Option<i64>,
    light: Option<String>,
}

#[derive(Template)]
#[template(path = "fleet_practices.html")]
struct PracticesPage {
    c: Chrome,
    rows: Vec<(i64, String, &'static str, String, String, i64)>,
    light: String,
    page: i64,
    more: bool,
}

async fn fleet_practices(
    State(st): St,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let user = match association(&st, &headers).await? {
        Ok(u) => u,
        Err(r) => return Ok(r),
    };
    let c = Chrome::new(
        &headers,
        Some(&user),
        "web-practices-title",
        "/fleet/practices",
    );
    let cat = c.cat;
    let light = q
        .light
        .filter(|l| ["red", "yellow", "green"].contains(&l.as_str()))
        .unwrap_or_default();
    let page = q.page.unwrap_or(0).clamp(0, 100_000);
    let (rows, more) =
        fleet::granted_practices(st.db(), (!light.is_empty()).then_some(light.as_str()), page)
            .await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let l = r.light.as_deref().unwrap_or("");
            (
                r.id,
                r.name,
                light_class(l),
                light_word(&cat, l),
                r.score.map(|s| s.to_string()).unwrap_or_else(|| "–".into()),
                r.hosts,
            )
        })
        .collect();
    Ok(html(&PracticesPage {
        c,
        rows,
        light,
        page,
        more,
    }))
}

#[derive(Template)]
#[template(path = "fleet_stale.html")]
struct StalePage {
    c: Chrome,
    rows: Vec<(String, i64, String)>,
    page: i64,
    more: bool,
    days: i64,
}

async fn fleet_stale(
    State(st): St,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let user = match association(&st, &headers).await? {
        Ok(u) => u,
        Err(r) => return Ok(r),
    };
    let c = Chrome::new(&headers, Some(&user), "web-stale-title", "/fleet/stale");
    let page = q.page.unwrap_or(0).clamp(0, 100_000);
    let (rows, more) = fleet::stale(st.db(), page).await?;
    Ok(html(&StalePage {
        c,
        rows: rows
            .into_iter()
            .map(|r| (r.name, r.hosts, ms_date(r.since)))
            .collect(),
        page,
        more,
        days: practice::STALE_DAYS,
    }))
}

struct NamedView {
    id: i64,
    name: String,
    hosts: i64,
    open: i64,
    fixed_since: String,
}

#[derive(Template)]
#[template(path = "fleet_advisory.html")]
struct AdvisoryPage {
    c: Chrome,
    id: String,
    practices: String,
    hosts: String,
    open_practices: String,
    open_hosts: String,
    fixed_practices: String,
    first_found: String,
    chart: Option<String>,
    named: Vec<NamedView>,
    page: i64,
    more: bool,
}

async fn fleet_advisory(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let user = match association(&st, &headers).await? {
        Ok(u) => u,
        Err(r) => return Ok(r),
    };
    if id.is_empty() || id.len() > 100 {
        return Err(WebError::NotFound("no such advisory".into()));
    }
    let path = format!("/fleet/advisories/{id}");
    let c = Chrome::new(&headers, Some(&user), "web-impact-title", &path);
    let cat = c.cat;
    let page = q.page.unwrap_or(0).clamp(0, 100_000);
    let v = fleet::impact(st.db(), &id, page).await?;
    // Machine counts over time only where the practices are not a small group.
    let chart = match v.practices {
        GroupCount::Exact(n) if n > 0 => {
            let mut series = v.series.clone();
            let today = praxcheck_server::db::now_ms() / 86_400_000;
            if let Some(&(d, n)) = series.last()
                && d < today
            {
                series.push((today, n));
            }
            Some(svg::counts(
                &series,
                &cat.t("web-impact-chart"),
                &cat.t("web-impact-hosts-now"),
            ))
        }
        _ => None,
    };
    Ok(html(&AdvisoryPage {
        practices: group(&cat, v.practices),
        hosts: hosts_of(v.practices, v.hosts),
        open_practices: group(&cat, v.open_practices),
        open_hosts: hosts_of(v.practices, v.open_hosts),
        fixed_practices: group(&cat, v.fixed_practices),
        first_found: v.first_found.map(ms_date).unwrap_or_else(|| "–".into()),
        chart,
        named: v
            .named
            .into_iter()
            .map(|n| NamedView {
                id: n.id,
                name: n.name,
                hosts: n.hosts,
                open: n.open,
                fixed_since: n.fixed_since.map(ms_date).unwrap_or_else(|| "–".into()),
            })
            .collect(),
        id: v.id,
        page,
        more: v.more,
        c,
    }))
}
