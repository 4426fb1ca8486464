//! The service's error: an HTTP status class and a reason a client can act on.

use crate::db::DbError;
use crate::tenant::AuthError;

/// What went wrong: an HTTP status, a stable machine code and the reason. Every reason a
/// client reads is a sentence of the message catalogue (`server-error-<code>`, German and
/// English, chosen by `Accept-Language`); the only free text is technical `detail` after
/// it — a value, a field, a library's parser message — never a sentence of ours. There is
/// no variant with free prose, so an English reason cannot slip into a German answer
/// (`reasons::every_error_code_has_its_sentence_in_both_languages` walks [`CODES`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Missing or rejected credential (401); `reenroll` tells the agent to use its
    /// re-enrollment secret. The answer is the code's sentence alone.
    #[error("{}", english(if *reenroll { "credential_rejected" } else { "credential_missing" }, ""))]
    Unauthorized {
        /// Whether re-enrollment may help.
        reenroll: bool,
    },
    /// A refusal with a stable machine code whose sentence comes from the message
    /// catalogue (`server-error-<code>`, German and English); `detail` (technical, not
    /// translated: a value, a field, a parser's message) follows it.
    #[error("{}", english(code, detail))]
    Coded {
        /// The HTTP status.
        status: u16,
        /// The machine code (`storage_full`, `upload_id_missing`, …), one of [`CODES`].
        code: &'static str,
        /// Technical detail, may be empty.
        detail: String,
    },
}

/// Every machine code an answer can carry, with its HTTP status. Each has the sentence
/// `server-error-<code with - for _>` in both catalogues (checked by a test).
pub const CODES: &[(&str, u16)] = &[
    ("bad_request", 400),
    ("body_invalid", 400),
    ("upload_id_missing", 400),
    ("upload_id_invalid", 400),
    ("not_a_document", 400),
    ("encoding_unsupported", 400),
    ("body_corrupt", 400),
    ("csaf_invalid", 400),
    ("token_invalid", 400),
    ("token_limits_invalid", 400),
    ("email_invalid", 400),
    ("practice_name_invalid", 400),
    ("webhook_invalid", 400),
    ("host_facts_invalid", 400),
    ("advisory_id_invalid", 400),
    ("key_name_invalid", 400),
    ("set_refused", 400),
    ("set_invalid", 400),
    ("smtp_invalid", 400),
    ("smtp_from_invalid", 400),
    ("secret_file_unreadable", 400),
    ("secret_file_empty", 400),
    ("credential_missing", 401),
    ("credential_rejected", 401),
    ("token_refused", 401),
    ("reenroll_refused", 401),
    ("not_found", 404),
    ("no_such_endpoint", 404),
    ("practice_not_found", 404),
    ("host_not_found", 404),
    ("upload_not_found", 404),
    ("token_not_found", 404),
    ("method_not_allowed", 405),
    ("timeout", 408),
    ("practice_exists", 409),
    ("upload_id_reused", 409),
    ("set_not_newer", 409),
    ("csaf_not_newer", 409),
    ("body_too_large", 413),
    ("document_too_large", 413),
    ("too_many_components", 413),
    ("csaf_too_large", 413),
    ("set_too_large", 413),
    ("too_many_requests", 429),
    ("internal", 500),
    ("unavailable", 503),
    ("storage_full", 503),
    ("storage_unavailable", 503),
    ("shutting_down", 503),
    ("write_interrupted", 503),
];

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
            Self::Unauthorized { .. } => 401,
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

    /// 400 with a code and technical detail.
    #[must_use]
    pub fn bad(code: &'static str, detail: impl Into<String>) -> Self {
        Self::coded(400, code, detail)
    }

    /// 404 (never says whether the thing exists for another practice).
    #[must_use]
    pub fn not_found(code: &'static str) -> Self {
        Self::coded(404, code, "")
    }

    /// 500: nothing was stored; the detail is technical.
    #[must_use]
    pub fn internal(detail: impl Into<String>) -> Self {
        Self::coded(500, "internal", detail)
    }

    /// 503: nothing was stored; the detail is technical.
    #[must_use]
    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self::coded(503, "unavailable", detail)
    }

    /// The stable machine code of the answer (`code` in the JSON body).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthorized {
                reenroll: false, ..
            } => "credential_missing",
            Self::Unauthorized { reenroll: true, .. } => "credential_rejected",
            Self::Coded { code, .. } => code,
        }
    }

    /// The reason in a language: the catalogue's sentence for the code, then the detail.
    #[must_use]
    pub fn localized(&self, lang: praxcheck_i18n::Lang) -> String {
        match self {
            Self::Coded { code, detail, .. } => reason(lang, code, detail),
            // The credential sentences say it all.
            Self::Unauthorized { .. } => reason(lang, self.code(), ""),
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
            Self::internal(e.to_string())
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
            AuthError::Missing => Self::Unauthorized { reenroll: false },
            AuthError::Rejected => Self::Unauthorized { reenroll: true },
            AuthError::Db(d) => d.into(),
        }
    }
}

impl From<getrandom::Error> for Error {
    fn from(e: getrandom::Error) -> Self {
        Self::internal(format!("getrandom: {e}"))
    }
}
