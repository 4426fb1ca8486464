//! The practice's page: its data through the tenant check, assessed with the same
//! assessment and content model as the local report (`praxcheck_assess::assess` over the
//! hosts' current documents, `praxcheck_report::html` for the download).

use praxcheck_advisories::AdvisorySet;
use praxcheck_assess::{AcceptedRisk, Answers, Catalogue};
use praxcheck_model::{Assessment, Document};
use praxcheck_server::db::{Db, now_ms};
use praxcheck_server::enroll;
use praxcheck_server::tenant::{AdminCtx, PracticeId};
use sqlx::Row as _;

use crate::WebError;

/// A machine whose last upload is older than this many days gets a warning.
pub const STALE_DAYS: i64 = 3;
const DAY_MS: i64 = 86_400_000;

/// One machine of the practice.
#[derive(Debug, Clone)]
pub struct HostRow {
    /// Server id.
    pub id: i64,
    /// Host name.
    pub hostname: String,
    /// Light of its newest assessment (`green`, `yellow`, `red`), if assessed.
    pub light: Option<String>,
    /// Its score.
    pub score: Option<i64>,
    /// Last upload, unix ms.
    pub last_seen_at: Option<i64>,
    /// Whether its agent has not reported for [`STALE_DAYS`].
    pub stale: bool,
}

/// An accepted risk.
#[derive(Debug, Clone)]
pub struct RiskRow {
    /// Rule id (CVE or rule).
    pub rule_id: String,
    /// Why.
    pub reason: String,
    /// Until (YYYY-MM-DD).
    pub expires: String,
    /// Who accepted it.
    pub by: String,
    /// When (YYYY-MM-DD).
    pub accepted: String,
}

/// An enrollment token (never its secret).
#[derive(Debug, Clone)]
pub struct TokenRow {
    /// Token id.
    pub id: String,
    /// Expiry, unix ms.
    pub expires_at: i64,
    /// Uses so far.
    pub uses: i64,
    /// Use limit.
    pub max_uses: i64,
    /// Whether it was revoked.
    pub revoked: bool,
}

/// One day of the trend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendPoint {
    /// YYYY-MM-DD.
    pub day: String,
    /// Practice score.
    pub score: i64,
    /// Open findings.
    pub open: i64,
}

/// Everything the practice's page shows.
#[derive(Debug)]
pub struct PracticeData {
    /// Practice id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// The current documents of its machines, assessed.
    pub docs: Vec<Document>,
    /// The practice-wide assessment (none before the first upload).
    pub assessment: Option<Assessment>,
    /// Machines.
    pub hosts: Vec<HostRow>,
    /// Accepted risks.
    pub risks: Vec<RiskRow>,
    /// Enrollment tokens.
    pub tokens: Vec<TokenRow>,
    /// Whether the association may see this practice's page.
    pub granted: bool,
    /// Score and open findings by day, oldest first.
    pub trend: Vec<TrendPoint>,
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// A unix-ms instant as its UTC date (YYYY-MM-DD).
#[must_use]
pub fn ms_date(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .map(|t| t.date().to_string())
        .unwrap_or_default()
}

fn catalogue() -> Result<&'static Catalogue, WebError> {
    static CAT: std::sync::OnceLock<Option<Catalogue>> = std::sync::OnceLock::new();
    CAT.get_or_init(|| Catalogue::embedded().ok())
        .as_ref()
        .ok_or_else(|| WebError::Internal("the embedded KBV catalogue is broken".into()))
}

/// A practice's current documents assessed with its accepted risks: what its page shows.
#[derive(Debug)]
pub struct Evaluation {
    /// Name.
    pub name: String,
    /// The current documents of its machines, with the findings written in.
    pub docs: Vec<Document>,
    /// The practice-wide assessment (none before the first upload).
    pub assessment: Option<Assessment>,
    /// Machines.
    pub hosts: Vec<HostRow>,
    /// Accepted risks in force.
    pub risks: Vec<RiskRow>,
}

impl Evaluation {
    /// Open findings over all machines.
    #[must_use]
    pub fn open_findings(&self) -> i64 {
        let n = self
            .docs
            .iter()
            .flat_map(|d| &d.findings)
            .filter(|f| f.status.is_open())
            .count();
        i64::try_from(n).unwrap_or(i64::MAX)
    }
}

/// Assesses the practice's current documents with its accepted risks, the same way as the
/// local report. Reads only.
///
/// # Errors
/// Storage errors; 404 when the practice does not exist.
pub async fn evaluate(
    db: &Db,
    set: &AdvisorySet,
    practice: PracticeId,
) -> Result<Evaluation, WebError> {
    let pid = practice.get();
    let name: String = sqlx::query("SELECT name FROM practices WHERE id = $1")
        .bind(pid)
        .fetch_optional(db.read())
        .await?
        .ok_or_else(|| WebError::NotFound("no such practice".into()))?
        .try_get("name")?;
    let views = praxcheck_server::practice::hosts(db, &practice).await?;
    let now = now_ms();
    let mut hosts = Vec::with_capacity(views.len());
    let mut docs = Vec::new();
    for v in views {
        if let Some(up) = v.current_upload_id {
            let u = praxcheck_server::practice::upload(db, &practice, up).await?;
            if let Some(doc) = u
                .document
                .and_then(|d| serde_json::from_value::<Document>(d).ok())
            {
                docs.push(doc);
            }
        }
        hosts.push(HostRow {
            id: v.id,
            stale: v.last_seen_at.is_none_or(|t| now - t > STALE_DAYS * DAY_MS),
            hostname: v.hostname,
            light: v.light,
            score: v.score,
            last_seen_at: v.last_seen_at,
        });
    }
    let risks = risks(db, practice).await?;
    let assessment = if docs.is_empty() {
        None
    } else {
        let answers = Answers {
            accepted: risks
                .iter()
                .map(|r| AcceptedRisk {
                    finding: None,
                    rule: Some(r.rule_id.clone()),
                    host: None,
                    reason: r.reason.clone(),
                    expires: r.expires.clone(),
                    by: Some(r.by.clone()),
                    date: r.accepted.clone(),
                })
                .collect(),
            ..Answers::default()
        };
        let opts = praxcheck_assess::Options {
            set,
            catalogue: catalogue()?,
            answers: &answers,
            today: today(),
        };
        Some(praxcheck_assess::assess(&docs, &[], &opts).write_into(&mut docs))
    };
    Ok(Evaluation {
        name,
        docs,
        assessment,
        hosts,
        risks,
    })
}

/// Loads and assesses the practice for its page. Writes nothing: the trend and the stored
/// light are recorded when its hosts are assessed ([`crate::record`]).
///
/// # Errors
/// Storage errors; 404 when the practice does not exist.
pub async fn load(
    db: &Db,
    set: &AdvisorySet,
    practice: PracticeId,
) -> Result<PracticeData, WebError> {
    let e = evaluate(db, set, practice).await?;
    Ok(PracticeData {
        id: practice.get(),
        name: e.name,
        docs: e.docs,
        assessment: e.assessment,
        hosts: e.hosts,
        risks: e.risks,
        tokens: tokens(db, practice).await?,
        granted: granted(db, practice).await?,
        trend: trend(db, practice).await?,
    })
}

async fn trend(db: &Db, practice: PracticeId) -> Result<Vec<TrendPoint>, WebError> {
    let rows = sqlx::query(
        "SELECT day, score, open_findings FROM web_trend WHERE practice_id = $1 ORDER BY day DESC LIMIT 90",
    )
    .bind(practice.get())
    .fetch_all(db.read())
    .await?;
    let mut out = rows
        .iter()
        .map(|r| {
            Ok(TrendPoint {
                day: r.try_get("day")?,
                score: r.try_get("score")?,
                open: r.try_get("open_findings")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    out.reverse();
    Ok(out)
}

async fn risks(db: &Db, practice: PracticeId) -> Result<Vec<RiskRow>, WebError> {
    let rows = sqlx::query(
        "SELECT rule_id, reason, expires, accepted_by, accepted_at FROM web_accepted_risks WHERE practice_id = $1 \
         AND expires >= $2 ORDER BY expires, id",
    )
    .bind(practice.get())
    .bind(today().to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(RiskRow {
                rule_id: r.try_get("rule_id")?,
                reason: r.try_get("reason")?,
                expires: r.try_get("expires")?,
                by: r.try_get("accepted_by")?,
                accepted: ms_date(r.try_get("accepted_at")?),
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(WebError::from)
}

async fn tokens(db: &Db, practice: PracticeId) -> Result<Vec<TokenRow>, WebError> {
    let rows = sqlx::query(
        "SELECT id, expires_at, uses, max_uses, revoked_at FROM enroll_tokens WHERE practice_id = $1 \
         ORDER BY created_at DESC, id LIMIT 20",
    )
    .bind(practice.get())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(TokenRow {
                id: r.try_get("id")?,
                expires_at: r.try_get("expires_at")?,
                uses: r.try_get("uses")?,
                max_uses: r.try_get("max_uses")?,
                revoked: r.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(WebError::from)
}

async fn granted(db: &Db, practice: PracticeId) -> Result<bool, WebError> {
    Ok(sqlx::query(
        "SELECT practice_id FROM web_grants WHERE practice_id = $1 AND revoked_at IS NULL",
    )
    .bind(practice.get())
    .fetch_optional(db.read())
    .await?
    .is_some())
}

/// Accepts a risk for the whole practice until `expires`.
///
/// # Errors
/// 400 for a bad rule id, reason or date.
pub async fn accept_risk(
    db: &Db,
    practice: PracticeId,
    by: &str,
    rule_id: &str,
    reason: &str,
    expires: &str,
) -> Result<(), WebError> {
    let rule_id = rule_id.trim();
    let reason = reason.trim();
    if rule_id.is_empty()
        || rule_id.len() > 100
        || !rule_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c))
    {
        return Err(WebError::BadRequest("choose a finding to accept".into()));
    }
    if reason.is_empty() || reason.chars().count() > 500 || reason.chars().any(char::is_control) {
        return Err(WebError::BadRequest("a reason has 1–500 characters".into()));
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(expires.trim(), &fmt)
        .map_err(|_| WebError::BadRequest(format!("{expires:?}: not a date (YYYY-MM-DD)")))?;
    let today = today();
    if date <= today || date > today + time::Duration::days(3 * 366) {
        return Err(WebError::BadRequest(
            "the expiry lies after today and within three years".into(),
        ));
    }
    sqlx::query(
        "INSERT INTO web_accepted_risks (practice_id, rule_id, reason, expires, accepted_by, accepted_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(practice.get())
    .bind(rule_id)
    .bind(reason)
    .bind(date.to_string())
    .bind(by)
    .bind(now_ms())
    .execute(db.write())
    .await?;
    Ok(())
}

/// Revokes one of the practice's enrollment tokens (another practice's id: 404).
///
/// # Errors
/// 404 when the token is not this practice's.
pub async fn revoke_token(
    db: &Db,
    actor: &AdminCtx,
    practice: PracticeId,
    id: &str,
) -> Result<(), WebError> {
    let own = sqlx::query("SELECT id FROM enroll_tokens WHERE id = $1 AND practice_id = $2")
        .bind(id)
        .bind(practice.get())
        .fetch_optional(db.read())
        .await?;
    if own.is_none() {
        return Err(WebError::NotFound("no such enrollment token".into()));
    }
    enroll::revoke_token(db, actor, id).await?;
    Ok(())
}

/// Grants or withdraws the association's access to this practice's page.
///
/// # Errors
/// Storage errors.
pub async fn set_grant(db: &Db, practice: PracticeId, by: &str, on: bool) -> Result<(), WebError> {
    if on {
        sqlx::query(
            "INSERT INTO web_grants (practice_id, granted_by, granted_at, revoked_at) VALUES ($1, $2, $3, NULL) \
             ON CONFLICT (practice_id) DO UPDATE SET granted_by = excluded.granted_by, \
             granted_at = excluded.granted_at, revoked_at = NULL",
        )
        .bind(practice.get())
        .bind(by)
        .bind(now_ms())
        .execute(db.write())
        .await?;
    } else {
        sqlx::query("UPDATE web_grants SET revoked_at = $1 WHERE practice_id = $2")
            .bind(now_ms())
            .bind(practice.get())
            .execute(db.write())
            .await?;
    }
    Ok(())
}
