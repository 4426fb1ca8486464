//! The one place that decides whose data a request may touch.
//!
//! A [`HostCtx`] (an enrolled machine) or an [`AdminCtx`] (the association's operator) can
//! only be made by [`authenticate_host`] / [`authenticate_admin`] from a presented
//! credential, or by the `admin` command on the server machine itself
//! ([`AdminCtx::local`]). Their fields are private, so repository functions that take them
//! (`&HostCtx` → only this host's practice) cannot be called with an unchecked id: a query
//! without the check does not compile. On PostgreSQL the tenant tables also carry
//! row-level security policies (see the migration) as a second line.

use sqlx::Row as _;

use crate::db::{Db, DbError, now_ms};
use crate::secret;

/// A practice id that came out of a tenant check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PracticeId(i64);

impl PracticeId {
    /// The number.
    #[must_use]
    pub fn get(self) -> i64 {
        self.0
    }
}

/// An authenticated machine: its server-assigned id and its practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostCtx {
    host_id: i64,
    practice: PracticeId,
}

impl HostCtx {
    /// The host id.
    #[must_use]
    pub fn host_id(&self) -> i64 {
        self.host_id
    }
    /// The host's practice.
    #[must_use]
    pub fn practice(&self) -> PracticeId {
        self.practice
    }
}

/// The association's operator: may act on every practice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminCtx {
    actor: String,
}

impl AdminCtx {
    /// The operator on the server machine (the `admin` command): whoever can open the
    /// data folder or database is the operator.
    #[must_use]
    pub fn local() -> Self {
        Self {
            actor: format!("local:{}", whoami()),
        }
    }
    /// Who acts (for the audit log).
    #[must_use]
    pub fn actor(&self) -> &str {
        &self.actor
    }
    /// Association staff may name any practice.
    #[must_use]
    pub fn practice(&self, id: i64) -> PracticeId {
        PracticeId(id)
    }
}

fn whoami() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "operator".into())
}

/// Why a credential was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// No or malformed credential.
    #[error("no credential")]
    Missing,
    /// Unknown, revoked or expired credential.
    #[error("the credential is unknown, revoked or expired")]
    Rejected,
    /// Storage failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Checks an agent credential (`Authorization: Bearer pxh_…`): one indexed lookup by its
/// SHA-256, valid while not expired (a rotated credential keeps a short overlap).
///
/// # Errors
/// [`AuthError::Rejected`] for unknown or expired credentials.
pub async fn authenticate_host(db: &Db, bearer: &str) -> Result<HostCtx, AuthError> {
    if !bearer.starts_with(secret::HOST_PREFIX) || bearer.len() > 128 {
        return Err(AuthError::Missing);
    }
    let row = sqlx::query(
        "SELECT host_id, practice_id FROM credentials WHERE hash = $1 \
         AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(secret::hash(bearer))
    .bind(now_ms())
    .fetch_optional(db.read())
    .await
    .map_err(DbError::from)?;
    let Some(row) = row else {
        return Err(AuthError::Rejected);
    };
    Ok(HostCtx {
        host_id: row.try_get("host_id").map_err(DbError::from)?,
        practice: PracticeId(row.try_get("practice_id").map_err(DbError::from)?),
    })
}

/// Checks an association API key (`Authorization: Bearer pxa_…`).
///
/// # Errors
/// [`AuthError::Rejected`] for unknown keys.
pub async fn authenticate_admin(db: &Db, bearer: &str) -> Result<AdminCtx, AuthError> {
    if !bearer.starts_with(secret::ADMIN_PREFIX) || bearer.len() > 128 {
        return Err(AuthError::Missing);
    }
    let row = sqlx::query("SELECT name FROM admin_keys WHERE hash = $1")
        .bind(secret::hash(bearer))
        .fetch_optional(db.read())
        .await
        .map_err(DbError::from)?;
    let Some(row) = row else {
        return Err(AuthError::Rejected);
    };
    let name: String = row.try_get("name").map_err(DbError::from)?;
    Ok(AdminCtx {
        actor: format!("key:{name}"),
    })
}
