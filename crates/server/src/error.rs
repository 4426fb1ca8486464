//! The service's error: an HTTP status class and a reason a client can act on.

use crate::db::DbError;
use crate::tenant::AuthError;

/// What went wrong, with the reason.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Malformed or invalid input (400).
    #[error("{0}")]
    BadRequest(String),
    /// Missing or rejected credential (401); `reenroll` tells the agent to use its
    /// re-enrollment secret.
    #[error("{reason}")]
    Unauthorized {
        /// Why.
        reason: String,
        /// Whether re-enrollment may help.
        reenroll: bool,
    },
    /// Not found, or not this tenant's (404: never says which).
    #[error("{0}")]
    NotFound(String),
    /// Conflicts with stored state (409), e.g. an upload id reused for other content.
    #[error("{0}")]
    Conflict(String),
    /// Body too large (413).
    #[error("{0}")]
    TooLarge(String),
    /// Too many requests (429).
    #[error("{0}")]
    TooMany(String),
    /// The disk is full or the database is unavailable (503): nothing was stored.
    #[error("{0}")]
    Unavailable(String),
    /// Anything else (500): nothing was stored.
    #[error("{0}")]
    Internal(String),
}

impl Error {
    /// The HTTP status code.
    #[must_use]
    pub fn status(&self) -> u16 {
        match self {
            Self::BadRequest(_) => 400,
            Self::Unauthorized { .. } => 401,
            Self::NotFound(_) => 404,
            Self::Conflict(_) => 409,
            Self::TooLarge(_) => 413,
            Self::TooMany(_) => 429,
            Self::Unavailable(_) => 503,
            Self::Internal(_) => 500,
        }
    }
}

impl From<DbError> for Error {
    fn from(e: DbError) -> Self {
        if e.is_disk_full() {
            Self::Unavailable(format!("storage full, nothing stored: {e}"))
        } else if matches!(
            e,
            DbError::Sql(sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed)
        ) {
            Self::Unavailable(format!("storage unavailable, nothing stored: {e}"))
        } else {
            Self::Internal(e.to_string())
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        DbError::from(e).into()
    }
}

impl From<AuthError> for Error {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::Missing => Self::Unauthorized {
                reason: "missing or malformed credential (Authorization: Bearer …)".into(),
                reenroll: false,
            },
            AuthError::Rejected => Self::Unauthorized {
                reason: e.to_string(),
                reenroll: true,
            },
            AuthError::Db(d) => d.into(),
        }
    }
}

impl From<getrandom::Error> for Error {
    fn from(e: getrandom::Error) -> Self {
        Self::Internal(format!("no randomness: {e}"))
    }
}
