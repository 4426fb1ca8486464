//! praxcheck-web: the web pages of `praxcheck serve` (issue 14).
//!
//! Server-rendered HTML from askama templates (checked at compile time), one embedded style
//! sheet, no script, no CDN: every page works without JavaScript and prints cleanly. All
//! words come from the message catalogue (`crates/i18n`), German first; a link switches to
//! English (a cookie keeps the choice).
//!
//! Who sees what is decided in one place, `praxcheck_server::tenant` (the same module the
//! API uses): a page gets a practice id only through [`UserCtx::practice_access`], which
//! answers `None` (404) for another practice's id. Practice users see their own practice;
//! association staff see the fleet as aggregates and a practice's page only where the
//! practice granted access.
//!
//! Modules: [`auth`] users, passwords, sessions, CSRF; [`practice`] the practice's page;
//! [`record`] history, trend and stored lights, written when hosts are assessed;
//! [`fleet`] the association's fleet view; [`pages`] the routes and handlers; [`totp`] the
//! optional second factor.

pub mod auth;
pub mod fleet;
pub mod pages;
pub mod practice;
pub mod record;
pub mod svg;
pub mod totp;

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub use auth::add_user;
pub use pages::{ROUTES, router};
pub use praxcheck_server::tenant::{Role, UserCtx};

/// The web pages as a hook for the server's router; also registers [`record`] to run after
/// every assessment the server stores.
#[must_use]
pub fn hook() -> praxcheck_server::Pages {
    praxcheck_server::assessed::register(Arc::new(|db, set, hosts| {
        Box::pin(async move {
            // A failure leaves the previous records; the next assessment of these hosts
            // records again (the history is a difference against stored state).
            let _ = record::after_assess(&db, &set, &hosts).await;
        })
    }));
    praxcheck_server::Pages(Arc::new(router))
}

/// Errors of the pages; each becomes an HTML answer with a 4xx/5xx code and a reason.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Malformed input (400).
    #[error("{0}")]
    BadRequest(String),
    /// Refused (403): a stale or foreign form.
    #[error("{0}")]
    Forbidden(String),
    /// Not found, or not this user's (404, never says which).
    #[error("{0}")]
    NotFound(String),
    /// Conflicts with stored state (409).
    #[error("{0}")]
    Conflict(String),
    /// Too many tries (429).
    #[error("{0}")]
    TooMany(String),
    /// A needed program is missing on the server (503).
    #[error("{0}")]
    Unavailable(String),
    /// Anything else (500).
    #[error("{0}")]
    Internal(String),
}

impl From<sqlx::Error> for WebError {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(format!("database: {e}"))
    }
}

impl From<praxcheck_server::Error> for WebError {
    fn from(e: praxcheck_server::Error) -> Self {
        match e.status() {
            400 => Self::BadRequest(e.to_string()),
            404 => Self::NotFound(e.to_string()),
            409 => Self::Conflict(e.to_string()),
            429 => Self::TooMany(e.to_string()),
            _ => Self::Internal(e.to_string()),
        }
    }
}

impl From<praxcheck_server::db::DbError> for WebError {
    fn from(e: praxcheck_server::db::DbError) -> Self {
        Self::Internal(e.to_string())
    }
}

impl WebError {
    /// The HTTP status.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        pages::error_page(&self)
    }
}

/// `praxcheck admin … user add EMAIL --role R [--practice ID] --password-stdin`: adds a
/// user on the data folder or database; the password comes from the caller (standard
/// input), never from a default.
///
/// # Errors
/// Refusals with their reason (bad address, short password, unknown practice, existing user).
pub fn user_add_command(
    loc: &praxcheck_server::Location,
    email: &str,
    role: &str,
    practice: Option<i64>,
    password: &str,
) -> anyhow::Result<String> {
    use anyhow::Context as _;
    let role = Role::parse(role).with_context(|| {
        format!("{role}: not a role (association-admin, practice-admin, practice-staff)")
    })?;
    on_database(loc, async |db, admin| {
        let id = add_user(db, admin, email, role, practice, password).await?;
        Ok(id.to_string())
    })
}

/// Runs an `admin` command's work on the opened database as the local operator (a runtime
/// of its own, the database closed after).
fn on_database(
    loc: &praxcheck_server::Location,
    work: impl AsyncFnOnce(
        &praxcheck_server::Db,
        &praxcheck_server::tenant::AdminCtx,
    ) -> Result<String, WebError>,
) -> anyhow::Result<String> {
    use anyhow::Context as _;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    rt.block_on(async {
        let db = praxcheck_server::Db::open(loc)
            .await
            .with_context(|| format!("{loc:?}"))?;
        let out = work(&db, &praxcheck_server::tenant::AdminCtx::local()).await;
        db.close().await;
        Ok(out?)
    })
}

/// `praxcheck admin … user reset-totp EMAIL`: turns the second factor off for a user who lost
/// it, and ends the user's sessions (audited). The user signs in with the password and may
/// enrol again.
///
/// # Errors
/// An unknown address, storage errors.
pub fn user_reset_totp_command(
    loc: &praxcheck_server::Location,
    email: &str,
) -> anyhow::Result<String> {
    on_database(loc, async |db, admin| {
        totp::reset(db, admin, email).await?;
        Ok(String::new())
    })
}
