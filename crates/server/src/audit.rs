//! The audit log of administrative actions (who, when, what), written in the same
//! transaction as the action itself: an action without its audit row does not commit.

use serde::Serialize;
use sqlx::Row as _;

use crate::db::{Db, now_ms};
use crate::error::Error;
use crate::tenant::AdminCtx;

/// Appends an entry inside the caller's transaction.
///
/// # Errors
/// Storage errors (the caller's transaction then fails).
pub async fn record(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: &str,
    action: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO audit (at, actor, action, detail) VALUES ($1, $2, $3, $4)")
        .bind(now_ms())
        .bind(actor)
        .bind(action)
        .bind(detail)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An audit entry.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Unix ms.
    pub at: i64,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// Details.
    pub detail: String,
}

/// The latest entries, newest first.
///
/// # Errors
/// Storage errors.
pub async fn list(db: &Db, _admin: &AdminCtx, limit: i64) -> Result<Vec<Entry>, Error> {
    let rows = sqlx::query("SELECT at, actor, action, detail FROM audit ORDER BY id DESC LIMIT $1")
        .bind(limit.clamp(1, 1000))
        .fetch_all(db.read())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Entry {
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                action: r.try_get("action")?,
                detail: r.try_get("detail")?,
            })
        })
        .collect()
}
