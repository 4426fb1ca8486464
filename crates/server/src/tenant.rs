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

/// A signed-in person of the web pages (issue 14): association staff or a practice's user.
/// Made only by [`authenticate_session`] from a session token; pages get every practice id
/// through [`UserCtx::practice_access`] / [`UserCtx::practice`], so this stays the one
/// place that decides whose data a request may touch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserCtx {
    user_id: i64,
    email: String,
    role: Role,
    practice: Option<PracticeId>,
    session_hash: String,
    csrf: String,
}

/// The roles of the web pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The association's staff: the fleet view, every practice's data only where granted.
    AssociationAdmin,
    /// A practice's administrator: accepts risks, manages enrollment tokens.
    PracticeAdmin,
    /// A practice's staff: reads only.
    PracticeStaff,
}

impl Role {
    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AssociationAdmin => "association-admin",
            Self::PracticeAdmin => "practice-admin",
            Self::PracticeStaff => "practice-staff",
        }
    }
    /// From the stored name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "association-admin" => Some(Self::AssociationAdmin),
            "practice-admin" => Some(Self::PracticeAdmin),
            "practice-staff" => Some(Self::PracticeStaff),
            _ => None,
        }
    }
}

/// What a user may do with one practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read its data.
    Read,
    /// Change it (accept risks, tokens, grants).
    Manage,
}

impl UserCtx {
    /// The user id.
    #[must_use]
    pub fn user_id(&self) -> i64 {
        self.user_id
    }
    /// The e-mail address.
    #[must_use]
    pub fn email(&self) -> &str {
        &self.email
    }
    /// The role.
    #[must_use]
    pub fn role(&self) -> Role {
        self.role
    }
    /// The user's own practice (practice users only).
    #[must_use]
    pub fn practice(&self) -> Option<PracticeId> {
        self.practice
    }
    /// SHA-256 of the session token (to end the session).
    #[must_use]
    pub fn session_hash(&self) -> &str {
        &self.session_hash
    }
    /// The session's CSRF token (every form carries it).
    #[must_use]
    pub fn csrf(&self) -> &str {
        &self.csrf
    }
    /// Association staff act as the association (fleet pages, advisory imports).
    #[must_use]
    pub fn association(&self) -> Option<AdminCtx> {
        (self.role == Role::AssociationAdmin).then(|| AdminCtx {
            actor: format!("user:{}", self.email),
        })
    }
    /// The practice `id` if this user may have `access` to it: its own users (manage only
    /// for a practice admin), association staff for reading where the practice granted
    /// access. `None` means 404 for the page.
    ///
    /// # Errors
    /// Storage errors.
    pub async fn practice_access(
        &self,
        db: &Db,
        id: i64,
        access: Access,
    ) -> Result<Option<(PracticeId, AdminCtx)>, DbError> {
        let actor = AdminCtx {
            actor: format!("user:{}", self.email),
        };
        match self.role {
            Role::PracticeAdmin | Role::PracticeStaff => {
                let own = self.practice.filter(|p| p.get() == id);
                let allowed = match access {
                    Access::Read => true,
                    Access::Manage => self.role == Role::PracticeAdmin,
                };
                Ok(own.filter(|_| allowed).map(|p| (p, actor)))
            }
            Role::AssociationAdmin => {
                if access == Access::Manage {
                    return Ok(None);
                }
                let row = sqlx::query(
                    "SELECT practice_id FROM web_grants WHERE practice_id = $1 AND revoked_at IS NULL",
                )
                .bind(id)
                .fetch_optional(db.read())
                .await?;
                Ok(row.map(|_| (PracticeId(id), actor)))
            }
        }
    }
}

/// Checks a web session token (cookie): one indexed lookup by its SHA-256, valid while not
/// expired; the user's role and practice come from the users table.
///
/// # Errors
/// [`AuthError::Rejected`] for unknown or expired sessions.
pub async fn authenticate_session(db: &Db, token: &str) -> Result<UserCtx, AuthError> {
    if !token.starts_with(secret::SESSION_PREFIX) || token.len() > 128 {
        return Err(AuthError::Missing);
    }
    let hash = secret::hash(token);
    let row = sqlx::query(
        "SELECT u.id, u.email, u.role, u.practice_id, s.csrf FROM web_sessions s \
         JOIN web_users u ON u.id = s.user_id WHERE s.hash = $1 AND s.expires_at > $2 \
         AND u.disabled_at IS NULL",
    )
    .bind(&hash)
    .bind(now_ms())
    .fetch_optional(db.read())
    .await
    .map_err(DbError::from)?;
    let Some(row) = row else {
        return Err(AuthError::Rejected);
    };
    let role: String = row.try_get("role").map_err(DbError::from)?;
    let role = Role::parse(&role).ok_or(AuthError::Rejected)?;
    let practice: Option<i64> = row.try_get("practice_id").map_err(DbError::from)?;
    if role != Role::AssociationAdmin && practice.is_none() {
        return Err(AuthError::Rejected);
    }
    Ok(UserCtx {
        user_id: row.try_get("id").map_err(DbError::from)?,
        email: row.try_get("email").map_err(DbError::from)?,
        role,
        practice: practice
            .filter(|_| role != Role::AssociationAdmin)
            .map(PracticeId),
        session_hash: hash,
        csrf: row.try_get("csrf").map_err(DbError::from)?,
    })
}
