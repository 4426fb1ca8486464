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
    /// A refusal with a stable machine code whose sentence comes from the message
    /// catalogue (`server-error-<code>`, German and English); `detail` (technical, not
    /// translated: a field, a parser's message) follows it.
    #[error("{}", english(code, detail))]
    Coded {
        /// The HTTP status.
        status: u16,
        /// The machine code (`storage_full`, `upload_id_missing`, …).
        code: &'static str,
        /// Technical detail, may be empty.
        detail: String,
    },
}

fn english(code: &str, detail: &str) -> String {
    reason(praxcheck_i18n::Lang::En, code, detail)
}

/// The catalogue sentence of a code in a language, with the detail after it.
#[must_use]
pub fn reason(lang: praxcheck_i18n::Lang, code: &str, detail: &str) -> String {
    let key = format!("server-error-{}", code.replace('_', "-"));
    let cat = praxcheck_i18n::Catalog::new(lang);
    let sentence = if cat.has(&key) {
        cat.t(&key)
    } else {
        cat.t("server-error-internal")
    };
    if detail.is_empty() {
        sentence
    } else {
        format!("{sentence}: {detail}")
    }
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
            Self::Coded { status, .. } => *status,
        }
    }

    /// A coded refusal.
    #[must_use]
    pub fn coded(status: u16, code: &'static str, detail: impl Into<String>) -> Self {
        Self::Coded {
            status,
            code,
            detail: detail.into(),
        }
    }

    /// The stable machine code of the answer (`code` in the JSON body).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::Unauthorized {
                reenroll: false, ..
            } => "credential_missing",
            Self::Unauthorized { reenroll: true, .. } => "credential_rejected",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::TooLarge(_) => "too_large",
            Self::TooMany(_) => "too_many_requests",
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
            Self::Coded { code, .. } => code,
        }
    }

    /// The reason in a language: the catalogue's sentence for the code, then the detail.
    #[must_use]
    pub fn localized(&self, lang: praxcheck_i18n::Lang) -> String {
        match self {
            Self::Coded { code, detail, .. } => reason(lang, code, detail),
            // The credential sentences say it all; the detail would repeat them.
            Self::Unauthorized { .. } => reason(lang, self.code(), ""),
            Self::BadRequest(d)
            | Self::NotFound(d)
            | Self::Conflict(d)
            | Self::TooLarge(d)
            | Self::TooMany(d)
            | Self::Unavailable(d)
            | Self::Internal(d) => reason(lang, self.code(), d),
        }
    }
}

impl From<DbError> for Error {
    fn from(e: DbError) -> Self {
        if e.is_disk_full() {
            Self::coded(503, "storage_full", e.to_string())
        } else if matches!(
            e,
            DbError::Sql(sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed)
        ) {
            Self::coded(503, "storage_unavailable", e.to_string())
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
