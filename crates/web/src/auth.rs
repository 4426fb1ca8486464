//! Users, passwords, sessions, CSRF and the login rate limit.
//!
//! Passwords are stored only as Argon2id PHC strings (the `argon2` crate's defaults:
//! 19 MiB, 2 passes). A session token (`pxs_` + 32 random bytes) lives only in an
//! `HttpOnly; Secure; SameSite=Strict` cookie; the database holds its SHA-256, so a leaked
//! database opens no session. Every form carries the session's CSRF token (synchroniser
//! token, compared in constant time); the login form, which has no session yet, carries a
//! double-submit token from its own cookie. Failed logins are counted per address in the
//! database (so several instances share the count): [`MAX_FAILURES`] within
//! [`FAILURE_WINDOW_MS`] block further tries for that address.

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use axum::http::HeaderMap;
use sqlx::Row as _;

use praxcheck_server::db::{Db, now_ms};
use praxcheck_server::secret;
use praxcheck_server::tenant::{self, AdminCtx, AuthError, Role, UserCtx};

use crate::WebError;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "praxcheck_session";
/// Name of the login form's double-submit cookie.
pub const LOGIN_COOKIE: &str = "praxcheck_login";
/// Name of the language cookie.
pub const LANG_COOKIE: &str = "praxcheck_lang";
/// How long a session lives.
pub const SESSION_MS: i64 = 8 * 3_600_000;
/// Failed logins per address that block further tries …
pub const MAX_FAILURES: i64 = 5;
/// … within this window.
pub const FAILURE_WINDOW_MS: i64 = 15 * 60_000;
/// Shortest accepted password.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Argon2id hash of a password (PHC string).
///
/// # Errors
/// When the OS has no randomness or hashing fails.
pub fn hash_password(password: &str) -> Result<String, WebError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| WebError::Internal(format!("randomness: {e}")))?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| WebError::Internal(format!("password salt: {e}")))?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| WebError::Internal(format!("password hash: {e}")))
}

/// Whether `password` matches the stored PHC string.
#[must_use]
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Password checks running at once (each holds 19 MiB).
pub const MAX_CONCURRENT_CHECKS: usize = 4;

fn checks() -> &'static tokio::sync::Semaphore {
    static S: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(MAX_CONCURRENT_CHECKS);
    &S
}

/// A hash to verify against when the address is unknown (same time as a real check).
fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| hash_password("praxcheck-dummy-password").unwrap_or_default())
}

/// Adds a user (the `admin user add` command): association staff without a practice,
/// practice users with one.
///
/// # Errors
/// Bad e-mail, short password, wrong practice combination, an existing user.
pub async fn add_user(
    db: &Db,
    admin: &AdminCtx,
    email: &str,
    role: Role,
    practice: Option<i64>,
    password: &str,
) -> Result<i64, WebError> {
    let email = normalise_email(email)?;
    if password.chars().count() < MIN_PASSWORD_CHARS || password.len() > 1024 {
        return Err(WebError::BadRequest(format!(
            "a password has {MIN_PASSWORD_CHARS}–1024 characters"
        )));
    }
    match (role, practice) {
        (Role::AssociationAdmin, Some(_)) => {
            return Err(WebError::BadRequest(
                "association-admin belongs to no practice (leave out --practice)".into(),
            ));
        }
        (Role::PracticeAdmin | Role::PracticeStaff, None) => {
            return Err(WebError::BadRequest(format!(
                "{} needs --practice ID",
                role.as_str()
            )));
        }
        _ => {}
    }
    let hash = hash_password(password)?;
    let mut tx = db.write().begin().await?;
    if let Some(p) = practice {
        let found = sqlx::query("SELECT id FROM practices WHERE id = $1")
            .bind(p)
            .fetch_optional(&mut *tx)
            .await?;
        if found.is_none() {
            return Err(WebError::NotFound(format!("no practice with id {p}")));
        }
    }
    let exists = sqlx::query("SELECT id FROM web_users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_some() {
        return Err(WebError::Conflict(format!("{email}: the user exists")));
    }
    let row = sqlx::query(
        "INSERT INTO web_users (email, role, practice_id, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(&email)
    .bind(role.as_str())
    .bind(practice)
    .bind(&hash)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    praxcheck_server::audit::record(
        &mut tx,
        admin.actor(),
        "user.add",
        &format!("{email} {} practice {practice:?}", role.as_str()),
    )
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?;
    tx.commit().await?;
    Ok(id)
}

fn normalise_email(email: &str) -> Result<String, WebError> {
    let e = email.trim().to_lowercase();
    let ok = e.len() <= 254
        && e.split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !b.starts_with('.'))
        && !e.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(e)
    } else {
        Err(WebError::BadRequest(format!(
            "{email:?}: not an e-mail address"
        )))
    }
}

/// Why a login failed.
#[derive(Debug, PartialEq, Eq)]
pub enum LoginError {
    /// Wrong address or password (the same answer for both), or a wrong code.
    Wrong,
    /// Too many failures recently.
    Blocked,
}

/// A passed password check.
#[derive(Debug, PartialEq, Eq)]
pub enum LoginStep {
    /// Signed in: the session token for the cookie.
    Session(String),
    /// The user has a second factor: the challenge token for its cookie; the code is due
    /// within [`CHALLENGE_MS`] ([`login_code`]).
    Code(String),
}

/// Name of the cookie holding a sign-in's pending second-factor challenge.
pub const CHALLENGE_COOKIE: &str = "praxcheck_challenge";
/// How long a password check waits for its code.
pub const CHALLENGE_MS: i64 = 5 * 60_000;
/// Prefix of challenge tokens.
const CHALLENGE_PREFIX: &str = "pxc_";

/// Failed sign-ins (passwords and codes) for the address within the window.
///
/// # Errors
/// Storage errors.
pub async fn failures(db: &Db, email: &str) -> Result<i64, WebError> {
    Ok(
        sqlx::query("SELECT COUNT(*) AS n FROM web_login_failures WHERE email = $1 AND at > $2")
            .bind(email.trim().to_lowercase())
            .bind(now_ms() - FAILURE_WINDOW_MS)
            .fetch_one(db.read())
            .await?
            .try_get("n")?,
    )
}

/// Counts a failed sign-in (password or code) for the address; only the window's failures
/// are kept, so the table stays bounded.
///
/// # Errors
/// Storage errors.
pub async fn record_failure(db: &Db, email: &str) -> Result<(), WebError> {
    let now = now_ms();
    let mut tx = db.write().begin().await?;
    sqlx::query("DELETE FROM web_login_failures WHERE at < $1")
        .bind(now - FAILURE_WINDOW_MS)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO web_login_failures (email, at) VALUES ($1, $2)")
        .bind(email.trim().to_lowercase())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Checks the password; starts a session, or — when the user has a second factor — a
/// challenge that [`login_code`] completes.
///
/// # Errors
/// [`LoginError`] as a page answer, storage errors as [`WebError`].
pub async fn login(
    db: &Db,
    email: &str,
    password: &str,
) -> Result<Result<LoginStep, LoginError>, WebError> {
    let email = email.trim().to_lowercase();
    if failures(db, &email).await? >= MAX_FAILURES {
        return Ok(Err(LoginError::Blocked));
    }
    let row = sqlx::query(
        "SELECT id, password_hash, totp_secret FROM web_users WHERE email = $1 AND disabled_at IS NULL",
    )
    .bind(&email)
    .fetch_optional(db.read())
    .await?;
    let (user, phc, second) = match &row {
        Some(r) => (
            Some(r.try_get::<i64, _>("id")?),
            r.try_get::<String, _>("password_hash")?,
            r.try_get::<Option<String>, _>("totp_secret")?.is_some(),
        ),
        None => (None, dummy_hash().to_owned(), false),
    };
    // Each Argon2 check takes 19 MiB and tens of milliseconds: at most
    // MAX_CONCURRENT_CHECKS run at once, so a flood of logins cannot exhaust memory.
    let _permit = checks()
        .acquire()
        .await
        .map_err(|e| WebError::Internal(format!("password check: {e}")))?;
    let pw = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &phc))
        .await
        .map_err(|e| WebError::Internal(format!("password check: {e}")))?;
    let Some(user) = user.filter(|_| ok) else {
        record_failure(db, &email).await?;
        return Ok(Err(LoginError::Wrong));
    };
    if second {
        let token = secret::generate(CHALLENGE_PREFIX)
            .map_err(|e| WebError::Internal(format!("randomness: {e}")))?;
        let now = now_ms();
        let mut tx = db.write().begin().await?;
        sqlx::query("DELETE FROM web_login_challenges WHERE expires_at < $1")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO web_login_challenges (hash, user_id, expires_at) VALUES ($1, $2, $3)",
        )
        .bind(secret::hash(&token))
        .bind(user)
        .bind(now + CHALLENGE_MS)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        return Ok(Ok(LoginStep::Code(token)));
    }
    Ok(Ok(LoginStep::Session(
        start_session(db, user, &email).await?,
    )))
}

/// Completes a sign-in with the second factor's code. `Ok(None)`: the challenge is unknown
/// or expired (sign in again).
///
/// # Errors
/// Storage errors.
pub async fn login_code(
    db: &Db,
    challenge: &str,
    code: &str,
) -> Result<Option<Result<String, LoginError>>, WebError> {
    if !challenge.starts_with(CHALLENGE_PREFIX) || challenge.len() > 128 {
        return Ok(None);
    }
    let hash = secret::hash(challenge);
    let row = sqlx::query(
        "SELECT u.id, u.email FROM web_login_challenges c JOIN web_users u ON u.id = c.user_id \
         WHERE c.hash = $1 AND c.expires_at > $2 AND u.disabled_at IS NULL",
    )
    .bind(&hash)
    .bind(now_ms())
    .fetch_optional(db.read())
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let user: i64 = row.try_get("id")?;
    let email: String = row.try_get("email")?;
    match crate::totp::check_and_use(db, user, &email, code).await? {
        Ok(()) => {
            sqlx::query("DELETE FROM web_login_challenges WHERE hash = $1")
                .bind(&hash)
                .execute(db.write())
                .await?;
            Ok(Some(Ok(start_session(db, user, &email).await?)))
        }
        Err(crate::totp::CodeError::Wrong) => Ok(Some(Err(LoginError::Wrong))),
        Err(crate::totp::CodeError::Blocked) => Ok(Some(Err(LoginError::Blocked))),
    }
}

/// A new session for a user who passed every check: returns its token.
async fn start_session(db: &Db, user: i64, email: &str) -> Result<String, WebError> {
    let now = now_ms();
    let token = secret::generate(secret::SESSION_PREFIX)
        .map_err(|e| WebError::Internal(format!("randomness: {e}")))?;
    let csrf = secret::random_id().map_err(|e| WebError::Internal(format!("randomness: {e}")))?;
    let mut tx = db.write().begin().await?;
    sqlx::query("DELETE FROM web_sessions WHERE expires_at < $1")
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM web_login_failures WHERE email = $1 OR at < $2")
        .bind(email)
        .bind(now - FAILURE_WINDOW_MS)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO web_sessions (hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(secret::hash(&token))
    .bind(user)
    .bind(csrf)
    .bind(now)
    .bind(now + SESSION_MS)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Ends the session.
///
/// # Errors
/// Storage errors.
pub async fn logout(db: &Db, user: &UserCtx) -> Result<(), WebError> {
    sqlx::query("DELETE FROM web_sessions WHERE hash = $1")
        .bind(user.session_hash())
        .execute(db.write())
        .await?;
    Ok(())
}

/// A cookie's value from the request headers.
#[must_use]
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The `Set-Cookie` value for a secret cookie.
#[must_use]
pub fn set_cookie(name: &str, value: &str, max_age_s: i64) -> String {
    format!("{name}={value}; Path=/; Max-Age={max_age_s}; HttpOnly; Secure; SameSite=Strict")
}

/// The signed-in user of a request, or `None`.
///
/// # Errors
/// Storage errors.
pub async fn user(db: &Db, headers: &HeaderMap) -> Result<Option<UserCtx>, WebError> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    match tenant::authenticate_session(db, token).await {
        Ok(u) => Ok(Some(u)),
        Err(AuthError::Missing | AuthError::Rejected) => Ok(None),
        Err(AuthError::Db(e)) => Err(WebError::Internal(e.to_string())),
    }
}

/// Checks a form's CSRF token against the expected one (constant time).
///
/// # Errors
/// 403 when it does not match.
pub fn check_csrf(expected: &str, given: Option<&str>) -> Result<(), WebError> {
    match given {
        Some(g) if !expected.is_empty() && secret::same(expected, g) => Ok(()),
        _ => Err(WebError::Forbidden(
            "the form is outdated; reload the page".into(),
        )),
    }
}

/// Refuses a cross-site form post: when the browser names an origin, it must be this host.
///
/// # Errors
/// 403 for another origin.
pub fn check_origin(headers: &HeaderMap) -> Result<(), WebError> {
    let Some(origin) = headers
        .get(axum::http::header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return Ok(());
    };
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin.split_once("://").map_or("", |(_, h)| h);
    if !host.is_empty() && origin_host == host {
        Ok(())
    } else {
        Err(WebError::Forbidden(format!(
            "form posted from another site ({origin})"
        )))
    }
}
