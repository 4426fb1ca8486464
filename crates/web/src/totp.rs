//! Optional second factor: time-based one-time codes (RFC 6238, `totp-rs`: SHA-1, six
//! digits, 30-second steps, one step of clock skew — what every authenticator app reads).
//!
//! Enrolment runs on the user's own account page: [`start`] makes a 160-bit secret and keeps
//! it as *pending*; the page shows it once (as text, as an `otpauth://` URI and as a QR code
//! drawn as inline SVG on the server); [`confirm`] turns it on only after a right code. The
//! secret is never shown again, never logged and never in an error text. Every accepted
//! code's step is stored and a code is accepted only for a later step ([`check_and_use`]),
//! so a code cannot be replayed within its window. Wrong codes count as failed sign-ins for
//! the address (the password's rate limit). `admin user reset-totp EMAIL` ([`reset`]) turns
//! it off for a locked-out user.

use std::fmt::Write as _;

use sqlx::Row as _;
use totp_rs::{Builder, Secret, Totp};

use praxcheck_server::db::{Db, now_ms};
use praxcheck_server::tenant::{AdminCtx, UserCtx};

use crate::WebError;
use crate::auth;

/// Issuer shown in authenticator apps.
pub const ISSUER: &str = "praxcheck";

/// What the enrolment page shows, once.
#[derive(Debug, Clone)]
pub struct Enrolment {
    /// The secret, base32 (for typing into an app).
    pub secret: String,
    /// The `otpauth://totp/…` URI.
    pub uri: String,
    /// The URI as a QR code, an inline SVG element.
    pub qr_svg: String,
}

/// Why a code was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeError {
    /// Wrong, expired or already used code.
    Wrong,
    /// Too many failures for this address recently.
    Blocked,
}

fn totp(secret_b32: &str, email: &str) -> Result<Totp, WebError> {
    let secret = Secret::try_from_base32(secret_b32)
        .map_err(|_| WebError::Internal("the stored TOTP secret is malformed".into()))?;
    Builder::new()
        .with_secret(secret)
        .with_account_name(email)
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| WebError::Internal(format!("TOTP: {e}")))
}

fn unix_s() -> u64 {
    u64::try_from(now_ms() / 1000).unwrap_or(0)
}

/// Starts (or restarts) enrolment: a new pending secret; the current one, if any, stays
/// active until the new one is confirmed.
///
/// # Errors
/// Randomness or storage errors.
pub async fn start(db: &Db, user: &UserCtx) -> Result<Enrolment, WebError> {
    let mut raw = [0u8; 20];
    getrandom::fill(&mut raw).map_err(|e| WebError::Internal(format!("randomness: {e}")))?;
    let secret = Secret::from(raw).to_base32();
    let t = totp(&secret, user.email())?;
    let uri = t
        .to_url()
        .map_err(|e| WebError::Internal(format!("TOTP: {e}")))?;
    sqlx::query("UPDATE web_users SET totp_pending = $1 WHERE id = $2")
        .bind(&secret)
        .bind(user.user_id())
        .execute(db.write())
        .await?;
    let qr_svg = qr_svg(&uri)?;
    Ok(Enrolment {
        secret,
        uri,
        qr_svg,
    })
}

/// Whether the user has a second factor on, and whether an enrolment waits for its code.
///
/// # Errors
/// Storage errors.
pub async fn status(db: &Db, user_id: i64) -> Result<(bool, bool), WebError> {
    let r = sqlx::query("SELECT totp_secret, totp_pending FROM web_users WHERE id = $1")
        .bind(user_id)
        .fetch_one(db.read())
        .await?;
    Ok((
        r.try_get::<Option<String>, _>("totp_secret")?.is_some(),
        r.try_get::<Option<String>, _>("totp_pending")?.is_some(),
    ))
}

/// Confirms a pending enrolment with a code from the app: the secret becomes active.
///
/// # Errors
/// Storage errors; `Ok(Err(_))` for a wrong code or too many failures.
pub async fn confirm(
    db: &Db,
    user: &UserCtx,
    code: &str,
) -> Result<Result<(), CodeError>, WebError> {
    if auth::failures(db, user.email()).await? >= auth::MAX_FAILURES {
        return Ok(Err(CodeError::Blocked));
    }
    let r = sqlx::query("SELECT totp_pending FROM web_users WHERE id = $1")
        .bind(user.user_id())
        .fetch_one(db.read())
        .await?;
    let Some(pending) = r.try_get::<Option<String>, _>("totp_pending")? else {
        return Ok(Err(CodeError::Wrong));
    };
    let step = totp(&pending, user.email())?.check(code.trim(), unix_s());
    let Some(step) = step else {
        auth::record_failure(db, user.email()).await?;
        return Ok(Err(CodeError::Wrong));
    };
    let done = sqlx::query(
        "UPDATE web_users SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $1 \
         WHERE id = $2 AND totp_pending = $3",
    )
    .bind(i64::try_from(step).unwrap_or(i64::MAX))
    .bind(user.user_id())
    .bind(&pending)
    .execute(db.write())
    .await?;
    if done.rows_affected() == 1 {
        Ok(Ok(()))
    } else {
        Ok(Err(CodeError::Wrong))
    }
}

/// Checks a code against the user's active secret and uses it up: accepted only for a step
/// after the last accepted one (no replay), counted as a failure when wrong.
///
/// # Errors
/// Storage errors.
pub async fn check_and_use(
    db: &Db,
    user_id: i64,
    email: &str,
    code: &str,
) -> Result<Result<(), CodeError>, WebError> {
    if auth::failures(db, email).await? >= auth::MAX_FAILURES {
        return Ok(Err(CodeError::Blocked));
    }
    let r = sqlx::query("SELECT totp_secret FROM web_users WHERE id = $1")
        .bind(user_id)
        .fetch_one(db.read())
        .await?;
    let Some(secret) = r.try_get::<Option<String>, _>("totp_secret")? else {
        return Ok(Err(CodeError::Wrong));
    };
    let step = totp(&secret, email)?
        .check(code.trim(), unix_s())
        .and_then(|s| i64::try_from(s).ok());
    // One conditional update: of two requests with the same code, only one wins.
    let used = match step {
        Some(step) => sqlx::query(
            "UPDATE web_users SET totp_last_step = $1 WHERE id = $2 AND totp_secret IS NOT NULL \
                 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(user_id)
        .execute(db.write())
        .await?
        .rows_affected()
            == 1,
        None => false,
    };
    if used {
        Ok(Ok(()))
    } else {
        auth::record_failure(db, email).await?;
        Ok(Err(CodeError::Wrong))
    }
}

/// Turns the second factor off (the user, with a current code).
///
/// # Errors
/// Storage errors; `Ok(Err(_))` for a wrong code.
pub async fn disable(
    db: &Db,
    user: &UserCtx,
    code: &str,
) -> Result<Result<(), CodeError>, WebError> {
    match check_and_use(db, user.user_id(), user.email(), code).await? {
        Ok(()) => {
            clear(db, user.user_id()).await?;
            Ok(Ok(()))
        }
        Err(e) => Ok(Err(e)),
    }
}

async fn clear(db: &Db, user_id: i64) -> Result<(), WebError> {
    let mut tx = db.write().begin().await?;
    sqlx::query(
        "UPDATE web_users SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL WHERE id = $1",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM web_login_challenges WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// `admin user reset-totp EMAIL`: turns the second factor off for a locked-out user and
/// ends the user's sessions (audited).
///
/// # Errors
/// 404 for an unknown address; storage errors.
pub async fn reset(db: &Db, admin: &AdminCtx, email: &str) -> Result<(), WebError> {
    let email = email.trim().to_lowercase();
    let row = sqlx::query("SELECT id FROM web_users WHERE email = $1")
        .bind(&email)
        .fetch_optional(db.read())
        .await?
        .ok_or_else(|| WebError::NotFound(format!("{email}: no such user")))?;
    let id: i64 = row.try_get("id")?;
    clear(db, id).await?;
    let mut tx = db.write().begin().await?;
    sqlx::query("DELETE FROM web_sessions WHERE user_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    praxcheck_server::audit::record(&mut tx, admin.actor(), "user.reset-totp", &email)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    tx.commit().await?;
    Ok(())
}

/// The text as a QR code (error correction M), an inline SVG with a quiet zone of four
/// modules. Drawn by hand over `qrcodegen`'s module grid: one path, no script, no image
/// request (the page's CSP allows none).
///
/// # Errors
/// When the text is too long for a QR code.
pub fn qr_svg(text: &str) -> Result<String, WebError> {
    let qr = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium)
        .map_err(|_| WebError::Internal("TOTP: the URI does not fit a QR code".into()))?;
    let border = 4;
    let size = qr.size();
    let dim = size + 2 * border;
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                let _ = write!(path, "M{},{}h1v1h-1z", x + border, y + border);
            }
        }
    }
    Ok(format!(
        r##"<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {dim} {dim}" role="img" aria-label="QR"><rect width="100%" height="100%" fill="#fff"/><path d="{path}" fill="#000"/></svg>"##
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_code_is_svg_with_modules_and_refuses_nothing_short() {
        let s = qr_svg(
            "otpauth://totp/praxcheck:a%40b.example?secret=JBSWY3DPEHPK3PXP&issuer=praxcheck",
        )
        .unwrap();
        assert!(s.starts_with("<svg class=\"qr\""));
        assert!(s.matches('M').count() > 100, "{s}");
        assert!(!s.contains("<script"));
    }

    #[test]
    fn codes_of_the_rfc_secret_check_within_one_step() {
        let secret = Secret::from(*b"12345678901234567890").to_base32();
        let t = totp(&secret, "a@b.example").unwrap();
        // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits) → 287082 (6 digits).
        assert_eq!(t.check("287082", 59), Some(1));
        assert_eq!(t.check("287082", 59 + 30), Some(1), "one step of skew");
        assert_eq!(t.check("287082", 59 + 90), None, "too late");
        assert_eq!(t.check("000000", 59), None);
    }
}
