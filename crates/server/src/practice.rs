//! A practice's own data. Every function takes the [`PracticeId`] that came out of the
//! tenant check and filters by it: another practice's ids give 404, never its data.

use serde::{Deserialize, Serialize};
use sqlx::Row as _;

use crate::db::Db;
use crate::error::Error;
use crate::tenant::PracticeId;

/// A host as its practice sees it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HostView {
    /// Server id.
    pub id: i64,
    /// Host name.
    pub hostname: String,
    /// Operating system.
    pub os: Option<String>,
    /// Last upload, unix ms.
    pub last_seen_at: Option<i64>,
    /// Current upload id.
    pub current_upload_id: Option<i64>,
    /// Light of the newest assessment.
    pub light: Option<String>,
    /// Score of the newest assessment.
    pub score: Option<i64>,
    /// Advisory set version of that assessment.
    pub set_version: Option<i64>,
    /// The findings (only in the single-host answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings: Option<serde_json::Value>,
}

const HOST_COLS: &str =
    "h.id, h.hostname, h.os, h.last_seen_at, h.current_upload_id, a.light, a.score, a.set_version";

fn view(r: &sqlx::any::AnyRow) -> Result<HostView, Error> {
    Ok(HostView {
        id: r.try_get("id")?,
        hostname: r.try_get("hostname")?,
        os: r.try_get("os")?,
        last_seen_at: r.try_get("last_seen_at")?,
        current_upload_id: r.try_get("current_upload_id")?,
        light: r.try_get("light")?,
        score: r.try_get("score")?,
        set_version: r.try_get("set_version")?,
        findings: None,
    })
}

/// The practice's hosts.
///
/// # Errors
/// Storage errors.
pub async fn hosts(db: &Db, practice: &PracticeId) -> Result<Vec<HostView>, Error> {
    let sql = format!(
        "SELECT {HOST_COLS} FROM hosts h LEFT JOIN assessments a ON a.host_id = h.id \
         WHERE h.practice_id = $1 ORDER BY h.id"
    );
    let mut tx = db.tenant_read(practice).await?;
    let rows = sqlx::query(&sql)
        .bind(practice.get())
        .fetch_all(&mut *tx)
        .await?;
    rows.iter().map(view).collect()
}

/// One host of the practice, with its findings.
///
/// # Errors
/// 404 when the host is not this practice's.
pub async fn host(db: &Db, practice: &PracticeId, id: i64) -> Result<HostView, Error> {
    let sql = format!(
        "SELECT {HOST_COLS}, a.findings FROM hosts h LEFT JOIN assessments a ON a.host_id = h.id \
         WHERE h.practice_id = $1 AND h.id = $2"
    );
    let mut tx = db.tenant_read(practice).await?;
    let row = sqlx::query(&sql)
        .bind(practice.get())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("host_not_found"))?;
    let mut v = view(&row)?;
    let f: Option<String> = row.try_get("findings")?;
    v.findings = f.and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok());
    Ok(v)
}

/// A stored upload of the practice.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UploadView {
    /// Upload id.
    pub id: i64,
    /// Host.
    pub host_id: i64,
    /// The client's upload id.
    pub upload_key: String,
    /// Received, unix ms.
    pub received_at: i64,
    /// SHA-256 of the document as uploaded.
    pub sha256: String,
    /// The document (absent when removed by retention).
    pub document: Option<serde_json::Value>,
}

/// One upload of the practice.
///
/// # Errors
/// 404 when it is not this practice's.
pub async fn upload(db: &Db, practice: &PracticeId, id: i64) -> Result<UploadView, Error> {
    let mut tx = db.tenant_read(practice).await?;
    let row = sqlx::query(
        "SELECT id, host_id, upload_key, received_at, sha256, body FROM uploads WHERE practice_id = $1 AND id = $2",
    )
    .bind(practice.get())
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("upload_not_found"))?;
    let body: Option<Vec<u8>> = row.try_get("body")?;
    let document = body
        .and_then(|b| zstd::stream::decode_all(b.as_slice()).ok())
        .and_then(|j| serde_json::from_slice::<serde_json::Value>(&j).ok());
    Ok(UploadView {
        id: row.try_get("id")?,
        host_id: row.try_get("host_id")?,
        upload_key: row.try_get("upload_key")?,
        received_at: row.try_get("received_at")?,
        sha256: row.try_get("sha256")?,
        document,
    })
}

/// Retention: removes the bodies of uploads older than `days` that are no longer a host's
/// current upload (the row, hash and index pointer stay; the document goes).
///
/// # Errors
/// Storage errors.
pub async fn apply_retention(
    db: &Db,
    admin: &crate::tenant::AdminCtx,
    days: u32,
) -> Result<u64, Error> {
    let cutoff = crate::db::now_ms() - i64::from(days) * 86_400_000;
    let mut tx = db.write().begin().await?;
    let n = sqlx::query(
        "UPDATE uploads SET body = NULL WHERE received_at < $1 AND body IS NOT NULL \
         AND id NOT IN (SELECT current_upload_id FROM hosts WHERE current_upload_id IS NOT NULL)",
    )
    .bind(cutoff)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    crate::audit::record(
        &mut tx,
        admin.actor(),
        "retention",
        &format!("{days} days, {n} documents removed"),
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}
