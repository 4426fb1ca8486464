//! The HTTP API under `/v1` (axum). Every handler gets its tenant from an extractor
//! ([`Host`] for enrolled machines, [`Admin`] for the association) and calls repository
//! functions that require it; errors are JSON `{status, reason}` with a 4xx/5xx code.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tokio::sync::RwLock;

use praxcheck_advisories::AdvisorySet;
use praxcheck_advisories::update::TrustedKey;
use praxcheck_i18n::Lang;

use crate::db::Db;
use crate::enroll::{self, HostFacts};
use crate::error::Error;
use crate::ingest::{self, Writer};
use crate::practice;
use crate::ratelimit::Limiter;
use crate::reeval;
use crate::tenant::{self, AdminCtx, HostCtx};

/// Shared state of one server instance.
#[derive(Debug)]
pub struct AppState {
    pub(crate) db: Db,
    pub(crate) writer: Writer,
    pub(crate) set: RwLock<Arc<AdvisorySet>>,
    pub(crate) keys: Vec<TrustedKey>,
    pub(crate) public_url: String,
    pub(crate) pin: Option<String>,
    pub(crate) limiter: Limiter,
    /// The CSAF generation the set in use was built with ([`reeval::csaf_generation`]).
    pub(crate) csaf_seen: std::sync::atomic::AtomicI64,
    /// Wakes the background re-assessment of stored hosts ([`reeval::catch_up`]) when the
    /// set in use changed.
    pub(crate) reassess: tokio::sync::Notify,
}

impl AppState {
    /// The database (for the web pages, `crates/web`).
    #[must_use]
    pub fn db(&self) -> &Db {
        &self.db
    }
    /// The URL agents reach this server at.
    #[must_use]
    pub fn public_url(&self) -> &str {
        &self.public_url
    }
    /// The SPKI pin that goes into enrollment tokens.
    #[must_use]
    pub fn pin(&self) -> Option<&str> {
        self.pin.as_deref()
    }
    /// The advisory set in use.
    pub async fn set(&self) -> Arc<AdvisorySet> {
        Arc::clone(&*self.set.read().await)
    }
}

type St = State<Arc<AppState>>;

/// An error answer, kept on the response so [`localize`] can word it in the language the
/// request asked for.
#[derive(Debug, Clone)]
struct Localizable(Arc<Error>);

/// The JSON body of an error answer: `status`, the stable machine `code`, the `reason`
/// (the catalogue's sentence in `lang`, then any technical detail) and `reenroll`.
fn error_body(e: &Error, lang: Lang) -> Response {
    let code = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut body = serde_json::json!({
        "status": code.as_u16(),
        "code": e.code(),
        "reason": e.localized(lang),
    });
    if matches!(e, Error::Unauthorized { reenroll: true, .. }) {
        body["reenroll"] = true.into();
    }
    let mut r = (code, Json(body)).into_response();
    r.headers_mut().insert(
        axum::http::header::CONTENT_LANGUAGE,
        axum::http::HeaderValue::from_static(lang.code()),
    );
    r
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        // German unless the request asks for English ([`localize`] rewords it).
        let mut r = error_body(&self, Lang::De);
        r.extensions_mut().insert(Localizable(Arc::new(self)));
        r
    }
}

/// The language an `Accept-Language` header asks for: the first of German or English in
/// the order of preference (quality values honoured), German when it names neither.
#[must_use]
pub fn accept_language(header: Option<&str>) -> Lang {
    let Some(h) = header else {
        return Lang::De;
    };
    let mut langs: Vec<(f32, usize, Lang)> = h
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut it = part.split(';');
            let lang = Lang::parse(it.next()?)?;
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (q > 0.0).then_some((q, i, lang))
        })
        .collect();
    langs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    langs.first().map_or(Lang::De, |l| l.2)
}

/// Rewords error answers in the language of the request's `Accept-Language`.
async fn localize(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let lang = accept_language(
        req.headers()
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let r = next.run(req).await;
    match r.extensions().get::<Localizable>() {
        Some(e) if lang != Lang::De => error_body(&e.0, lang),
        _ => r,
    }
}

/// How long a request may take; a slow client cannot hold the server.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Answers 408 (with its sentence, like every error) when a request takes longer than
/// [`REQUEST_TIMEOUT`]; the handler's work is dropped. An upload's write that already
/// reached the writer still commits (the writer owns it), and a retry with the same
/// Upload-Id then answers "duplicate".
async fn timeout(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(r) => r,
        Err(_) => Error::coded(408, "timeout", "").into_response(),
    }
}

fn bearer(parts: &Parts) -> Result<&str, Error> {
    parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or(Error::Unauthorized { reenroll: false })
}

/// The authenticated machine of a request.
#[derive(Debug)]
pub struct Host(pub HostCtx);

impl FromRequestParts<Arc<AppState>> for Host {
    type Rejection = Error;
    async fn from_request_parts(parts: &mut Parts, st: &Arc<AppState>) -> Result<Self, Error> {
        let ctx = tenant::authenticate_host(&st.db, bearer(parts)?).await?;
        st.limiter.check(ctx.host_id())?;
        Ok(Self(ctx))
    }
}

/// The association's operator, by API key.
#[derive(Debug)]
pub struct Admin(pub AdminCtx);

impl FromRequestParts<Arc<AppState>> for Admin {
    type Rejection = Error;
    async fn from_request_parts(parts: &mut Parts, st: &Arc<AppState>) -> Result<Self, Error> {
        Ok(Self(
            tenant::authenticate_admin(&st.db, bearer(parts)?).await?,
        ))
    }
}

/// A JSON body with a 4xx and reason for anything malformed.
pub struct Body<T>(pub T);

impl<T: serde::de::DeserializeOwned> axum::extract::FromRequest<Arc<AppState>> for Body<T> {
    type Rejection = Error;
    async fn from_request(req: axum::extract::Request, st: &Arc<AppState>) -> Result<Self, Error> {
        let bytes = Bytes::from_request(req, st)
            .await
            .map_err(|e| Error::coded(413, "body_too_large", e.to_string()))?;
        serde_json::from_slice(&bytes)
            .map(Self)
            .map_err(|e| Error::bad("body_invalid", e.to_string()))
    }
}

/// The router. Every route is listed in [`ROUTES`] as well, for the cross-tenant test.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/openapi.json", get(openapi_h))
        .route("/v1/agent/enroll", post(enroll_h))
        .route("/v1/agent/reenroll", post(reenroll_h))
        .route("/v1/agent/rotate", post(rotate_h))
        .route(
            "/v1/agent/uploads",
            post(upload_h).layer(DefaultBodyLimit::max(ingest::MAX_BODY_BYTES)),
        )
        .route("/v1/agent/status", get(status_h))
        .route("/v1/practice/hosts", get(hosts_h))
        .route("/v1/practice/hosts/{id}", get(host_h))
        .route("/v1/practice/uploads/{id}", get(upload_get_h))
        .route("/v1/practice/duplicates", get(dups_h))
        .route("/v1/admin/practices", post(practice_add_h).get(practices_h))
        .route("/v1/admin/practices/{id}/tokens", post(token_h))
        .route("/v1/admin/practices/{id}/contact", post(contact_h))
        .route("/v1/admin/tokens/{id}/revoke", post(revoke_h))
        .route(
            "/v1/admin/advisories",
            post(import_h).layer(DefaultBodyLimit::max(64 * 1024 * 1024)),
        )
        .route(
            "/v1/admin/advisories/csaf",
            post(import_csaf_h).layer(DefaultBodyLimit::max(crate::csaf::MAX_CSAF_BYTES + 1)),
        )
        .route("/v1/admin/audit", get(audit_h))
        .route("/v1/advisories/{id}/impact", get(impact_h))
        .fallback(|| async { Error::coded(404, "no_such_endpoint", "") })
        .method_not_allowed_fallback(|| async { Error::coded(405, "method_not_allowed", "") })
        .layer(axum::middleware::from_fn(timeout))
        .layer(axum::middleware::from_fn(localize))
        .layer(DefaultBodyLimit::max(256 * 1024))
        .with_state(state)
}

/// Every route: (method, path template, who may call it).
pub const ROUTES: &[(&str, &str, &str)] = &[
    ("GET", "/v1/health", "anyone"),
    ("GET", "/v1/openapi.json", "anyone"),
    ("POST", "/v1/agent/enroll", "token"),
    ("POST", "/v1/agent/reenroll", "secret"),
    ("POST", "/v1/agent/rotate", "host"),
    ("POST", "/v1/agent/uploads", "host"),
    ("GET", "/v1/agent/status", "host"),
    ("GET", "/v1/practice/hosts", "host"),
    ("GET", "/v1/practice/hosts/{id}", "host"),
    ("GET", "/v1/practice/uploads/{id}", "host"),
    ("GET", "/v1/practice/duplicates", "host"),
    ("POST", "/v1/admin/practices", "admin"),
    ("GET", "/v1/admin/practices", "admin"),
    ("POST", "/v1/admin/practices/{id}/tokens", "admin"),
    ("POST", "/v1/admin/practices/{id}/contact", "admin"),
    ("POST", "/v1/admin/tokens/{id}/revoke", "admin"),
    ("POST", "/v1/admin/advisories", "admin"),
    ("POST", "/v1/admin/advisories/csaf", "admin"),
    ("GET", "/v1/admin/audit", "admin"),
    ("GET", "/v1/advisories/{id}/impact", "admin"),
];

/// The OpenAPI document, generated from the handlers' annotations (`/v1/openapi.json`).
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "praxcheck service", description = "The association's service: enrollment, durable uploads, day-zero re-evaluation"),
    paths(openapi_h, health, enroll_h, reenroll_h, rotate_h, upload_h, status_h, hosts_h, host_h, upload_get_h, dups_h, practice_add_h, practices_h, token_h, contact_h, revoke_h, import_h, import_csaf_h, audit_h, impact_h),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A machine credential (pxh_…) or an association API key (pxa_…)",
                    ))
                    .build(),
            ),
        );
    }
}

#[utoipa::path(
    get,
    path = "/v1/openapi.json",
    tag = "service",
    summary = "This document",
    responses((status = 200, description = "The OpenAPI document"))
)]
async fn openapi_h() -> Json<utoipa::openapi::OpenApi> {
    Json(<ApiDoc as utoipa::OpenApi>::openapi())
}

#[utoipa::path(
    get,
    path = "/v1/health",
    tag = "service",
    summary = "Liveness",
    responses((status = 200, description = "Done"))
)]
async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EnrollReq {
    token: String,
    facts: HostFacts,
}

#[utoipa::path(
    post,
    path = "/v1/agent/enroll",
    tag = "agent",
    summary = "Enroll a machine with an enrollment token; answers its credential and re-enrollment secret once",
    responses((status = 201, description = "Done"), (status = 400, description = "Malformed request, with the reason"), (status = 401, description = "Missing or rejected credential"))
)]
async fn enroll_h(State(st): St, Body(r): Body<EnrollReq>) -> Result<Response, Error> {
    let e = enroll::enroll(&st.db, &r.token, &r.facts).await?;
    Ok((StatusCode::CREATED, Json(e)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReenrollReq {
    host_id: i64,
    reenroll_secret: String,
}

#[utoipa::path(
    post,
    path = "/v1/agent/reenroll",
    tag = "agent",
    summary = "Re-enroll with the stored secret (keeps the host id)",
    responses((status = 201, description = "Done"), (status = 400, description = "Malformed request, with the reason"), (status = 401, description = "Missing or rejected credential"))
)]
async fn reenroll_h(State(st): St, Body(r): Body<ReenrollReq>) -> Result<Response, Error> {
    let e = enroll::reenroll(&st.db, r.host_id, &r.reenroll_secret).await?;
    Ok(Json(e).into_response())
}

#[utoipa::path(
    post,
    path = "/v1/agent/rotate",
    tag = "agent",
    summary = "Rotate the credential (the old one keeps a short overlap)",
    security(("bearer" = [])),
    responses((status = 200, description = "Done"), (status = 400, description = "Malformed request, with the reason"), (status = 401, description = "Missing or rejected credential"))
)]
async fn rotate_h(State(st): St, Host(h): Host) -> Result<Response, Error> {
    let c = enroll::rotate(&st.db, &h).await?;
    Ok(
        Json(serde_json::json!({ "credential": c, "overlap_ms": enroll::ROTATION_OVERLAP_MS }))
            .into_response(),
    )
}

#[utoipa::path(
    post,
    path = "/v1/agent/uploads",
    tag = "agent",
    summary = "Upload a document (header Upload-Id; gzip/zstd accepted); answered only after the commit",
    security(("bearer" = [])),
    responses((status = 201, description = "Stored (durable)"), (status = 200, description = "Already stored under this Upload-Id"), (status = 400, description = "Malformed request, with the reason"), (status = 401, description = "Missing or rejected credential"), (status = 409, description = "Upload-Id reused for other content"), (status = 413, description = "Too large"), (status = 429, description = "Rate limit"), (status = 503, description = "Storage unavailable or full; nothing stored"))
)]
async fn upload_h(
    State(st): St,
    Host(h): Host,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Result<Response, Error> {
    let key = headers
        .get("upload-id")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| Error::coded(400, "upload_id_missing", ""))?
        .to_owned();
    ingest::check_upload_key(&key)?;
    let enc = headers
        .get(axum::http::header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // The body is read only once the upload has its place: a burst waits instead of
    // holding every body in memory at once.
    let _slot = st.writer.admit().await?;
    let body = axum::body::to_bytes(body, ingest::MAX_BODY_BYTES)
        .await
        .map_err(|e| Error::coded(413, "body_too_large", e.to_string()))?;
    let prep = st.writer.prepare(h, key, enc, body).await?;
    let ack = st.writer.submit(prep).await?;
    let code = if ack.duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((code, Json(ack)).into_response())
}

#[utoipa::path(
    get,
    path = "/v1/agent/status",
    tag = "agent",
    summary = "The machine's own status: current upload, light, score",
    security(("bearer" = [])),
    responses((status = 200, description = "Done"), (status = 400, description = "Malformed request, with the reason"), (status = 401, description = "Missing or rejected credential"))
)]
async fn status_h(State(st): St, Host(h): Host) -> Result<Response, Error> {
    Ok(Json(practice::host(&st.db, &h.practice(), h.host_id()).await?).into_response())
}

#[utoipa::path(
    get,
    path = "/v1/practice/hosts",
    tag = "practice",
    summary = "The practice's machines",
    security(("bearer" = [])),
    responses((status = 200, description = "Done"), (status = 400, description = "Malformed request, with the reason"), (status = 401, description = "Missing or rejected credential"))
)]
async fn hosts_h(State(st): St, Host(h): Host) -> Result<Response, Error> {
    Ok(Json(practice::hosts(&st.db, &h.practice()).await?).into_response())
}

#[utoipa::path(
    get,
    path = "/v1/practice/hosts/{id}",
    tag = "practice",
    summary = "One machine of the practice with its findings",
    params(("id" = String, Path, description = "Server id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Done"), (status = 400, description = "Malformed request, with the reason"), (status = 401, description = "Missing or rejected credential"), (status = 404, description = "Not found, or another practice's"))
)]
async fn host_h(State(st): St, Host(h): Host, Path(id): Path<String>) -> Result<Response, Error> {
    let id = parse_id(&id)?;
    Ok(Json(practice::host(&st.db, &h.practice(), id).await?).into_response())
}

#[utoipa::path(
    get,
    path = "/v1/practice/uploads/{id}",
    tag = "practice",
    summary = "One stored upload of the practice",
    params(("id" = String, Path, description = "Server id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Done"), (status = 400, description = "Malformed request, with the reason"), (status = 401, description = "Missing or rejected credential"), (status = 404, description = "Not found, or another practice's"))
)]
async fn upload_get_h(
    State(st): St,
    Host(h): Host,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let id = parse_id(&id)?;
    Ok(Json(practice::upload(&st.db, &h.practice(), id).await?).into_response())
}

#[utoipa::path(
    get,
    path = "/v1/practice/duplicates",
    tag = "practice",
    summary = "Machines sharing a hardware UUID, machine id or serial",
    security(("bearer" = [])),
    responses((status = 200, description = "Done"), (status = 400, description = "Malformed request, with the reason"), (status = 401, description = "Missing or rejected credential"))
)]
async fn dups_h(State(st): St, Host(h): Host) -> Result<Response, Error> {
    Ok(Json(enroll::duplicates(&st.db, h.practice()).await?).into_response())
}

fn parse_id(s: &str) -> Result<i64, Error> {
    s.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| Error::not_found("not_found"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PracticeReq {
    name: String,
    /// The e-mail address told when a new advisory set marks the practice's hosts.
    #[serde(default)]
    contact_email: Option<String>,
}

#[utoipa::path(
    post,
    path = "/v1/admin/practices",
    tag = "admin",
    summary = "Add a practice",
    security(("bearer" = [])),
    responses((status = 201, description = "Done"), (status = 400, description = "Malformed request, with the reason"), (status = 401, description = "Missing or rejected credential"))
)]
async fn practice_add_h(
    State(st): St,
    Admin(a): Admin,
    Body(r): Body<PracticeReq>,
) -> Result<Response, Error> {
    let p =
        enroll::add_practice_with_contact(&st.db, &a, &r.name, r.contact_email.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(p)).into_response())
}

#[utoipa::path(
    get,
    path = "/v1/admin/practices",
    tag = "admin",
    summary = "List the practices",
    security(("bearer" = [])),
    responses((status = 200, description = "Done"), (status = 400, description = "Malformed request, with the reason"), (status = 401, description = "Missing or rejected credential"))
)]
async fn practices_h(State(st): St, Admin(a): Admin) -> Result<Response, Error> {
    Ok(Json(enroll::list_practices(&st.db, &a).await?).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenReq {
    #[serde(default = "one")]
    uses: u32,
    #[serde(default = "seven")]
    days: u32,
}
fn one() -> u32 {
    1
}
fn seven() -> u32 {
    7
}

#[utoipa::path(
    post,
    path = "/v1/admin/practices/{id}/tokens",
    tag = "admin",
    summary = "Create an enrollment token (carries the TLS key pin)",
    params(("id" = String, Path, description = "Server id")),
    security(("bearer" = [])),
    responses((status = 201, description = "Done"), (status = 400, description = "Malformed request, with the reason"), (status = 401, description = "Missing or rejected credential"), (status = 404, description = "Not found, or another practice's"))
)]
async fn token_h(
    State(st): St,
    Admin(a): Admin,
    Path(id): Path<String>,
    Body(r): Body<TokenReq>,
) -> Result<Response, Error> {
    let p = enroll::find_practice(&st.db, &a, &parse_id(&id)?.to_string()).await?;
    let t = enroll::create_token(
        &st.db,
        &a,
        p,
        r.uses,
        r.days,
        &st.public_url,
        st.pin.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(t)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactReq {
    email: Option<String>,
    webhook: Option<String>,
}

#[utoipa::path(
    post,
    path = "/v1/admin/practices/{id}/contact",
    tag = "admin",
    summary = "Set the practice's notification contact: e-mail and the practice's own webhook (its own hosts only, HMAC-signed with the returned webhook_secret, shown once)",
    params(("id" = String, Path, description = "Server id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Done; webhook_secret when a webhook was set"), (status = 400, description = "Malformed request, with the reason"), (status = 401, description = "Missing or rejected credential"), (status = 404, description = "Not found, or another practice's"))
)]
async fn contact_h(
    State(st): St,
    Admin(a): Admin,
    Path(id): Path<String>,
    Body(r): Body<ContactReq>,
) -> Result<Response, Error> {
    let p = enroll::find_practice(&st.db, &a, &parse_id(&id)?.to_string()).await?;
    let secret =
        enroll::set_contact(&st.db, &a, p, r.email.as_deref(), r.webhook.as_deref()).await?;
    Ok(Json(serde_json::json!({ "webhook_secret": secret })).into_response())
}

#[utoipa::path(
    post,
    path = "/v1/admin/tokens/{id}/revoke",
    tag = "admin",
    summary = "Revoke an enrollment token",
    params(("id" = String, Path, description = "Server id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Done"), (status = 400, description = "Malformed request, with the reason"), (status = 401, description = "Missing or rejected credential"), (status = 404, description = "Not found, or another practice's"))
)]
async fn revoke_h(
    State(st): St,
    Admin(a): Admin,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::not_found("token_not_found"));
    }
    enroll::revoke_token(&st.db, &a, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportReq {
    /// The set file's exact text.
    set: String,
    /// The minisign signature file's text.
    signature: String,
}

#[utoipa::path(
    post,
    path = "/v1/admin/advisories",
    tag = "admin",
    summary = "Import a signed advisory set and re-evaluate every stored inventory",
    security(("bearer" = [])),
    responses((status = 200, description = "Done"), (status = 400, description = "Malformed request, with the reason"), (status = 401, description = "Missing or rejected credential"))
)]
async fn import_h(
    State(st): St,
    Admin(a): Admin,
    Body(r): Body<ImportReq>,
) -> Result<Response, Error> {
    let (report, set) =
        reeval::import(&st.db, &a, r.set.as_bytes(), &r.signature, &st.keys).await?;
    *st.set.write().await = set;
    // The hosts the new records do not name still carry the older version: re-assessed in
    // the background.
    st.reassess.notify_one();
    Ok(Json(report).into_response())
}

#[utoipa::path(
    post,
    path = "/v1/admin/advisories/csaf",
    tag = "admin",
    summary = "Import a CSAF 2.0 advisory (the JSON document as the body) and re-evaluate every stored inventory",
    security(("bearer" = [])),
    responses((status = 200, description = "Done"), (status = 400, description = "Malformed request, with the reason"), (status = 401, description = "Missing or rejected credential"), (status = 409, description = "An older revision of a stored document"), (status = 413, description = "Too large"))
)]
async fn import_csaf_h(
    State(st): St,
    Admin(a): Admin,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, Error> {
    let body = body.map_err(|e| Error::coded(413, "body_too_large", e.to_string()))?;
    let (report, set) = reeval::import_csaf(&st.db, &a, &body, &st.keys).await?;
    *st.set.write().await = set;
    Ok(Json(report).into_response())
}

#[utoipa::path(
    get,
    path = "/v1/admin/audit",
    tag = "admin",
    summary = "The audit log of administrative actions",
    security(("bearer" = [])),
    responses((status = 200, description = "Done"), (status = 400, description = "Malformed request, with the reason"), (status = 401, description = "Missing or rejected credential"))
)]
async fn audit_h(State(st): St, Admin(a): Admin) -> Result<Response, Error> {
    Ok(Json(crate::audit::list(&st.db, &a, 200).await?).into_response())
}

#[utoipa::path(
    get,
    path = "/v1/advisories/{id}/impact",
    tag = "admin",
    summary = "Affected practices and hosts of an advisory",
    params(("id" = String, Path, description = "Server id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Done"), (status = 400, description = "Malformed request, with the reason"), (status = 401, description = "Missing or rejected credential"), (status = 404, description = "Not found, or another practice's"))
)]
async fn impact_h(
    State(st): St,
    Admin(a): Admin,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    if id.is_empty() || id.len() > 100 {
        return Err(Error::bad("advisory_id_invalid", ""));
    }
    Ok(Json(reeval::impact(&st.db, &a, &id).await?).into_response())
}
