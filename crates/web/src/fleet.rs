//! The association's fleet view. Every figure is one aggregate query with a bounded
//! answer (GROUP BY, LIMIT/OFFSET pages): no page loads the fleet into memory. Counts of
//! practices below [`MIN_GROUP`] are shown as "fewer than N", and practice names appear
//! only where the practice granted access — except in the stale-agent list, which names
//! practices by operational facts (last upload), not by findings.

use praxcheck_server::db::{Db, now_ms};
use sqlx::Row as _;

use crate::WebError;
use crate::practice::STALE_DAYS;

/// Smallest group of practices shown as an exact count.
pub const MIN_GROUP: i64 = 5;
/// Rows per page.
pub const PAGE: i64 = 50;

/// A count of practices with the minimum group size applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupCount {
    /// Exact.
    Exact(i64),
    /// Fewer than [`MIN_GROUP`] (but more than zero).
    Few,
}

impl GroupCount {
    /// Applies the minimum group size.
    #[must_use]
    pub fn of(n: i64) -> Self {
        if n > 0 && n < MIN_GROUP {
            Self::Few
        } else {
            Self::Exact(n)
        }
    }
}

/// The fleet's overview.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Practices in total.
    pub practices: i64,
    /// Practices by their worst machine's light: red, yellow, green.
    pub lights: [GroupCount; 3],
    /// Practices without any assessed machine.
    pub unassessed: GroupCount,
    /// Practices by their lowest machine score, in tenths (0–9, 9 includes 100).
    pub scores: [GroupCount; 10],
    /// Machines whose agent has not reported for [`STALE_DAYS`].
    pub stale_hosts: i64,
}

/// The overview figures.
///
/// # Errors
/// Storage errors.
pub async fn summary(db: &Db) -> Result<Summary, WebError> {
    let practices: i64 = sqlx::query("SELECT COUNT(*) AS n FROM practices")
        .fetch_one(db.read())
        .await?
        .try_get("n")?;
    let rows = sqlx::query(
        "SELECT w, COUNT(*) AS n FROM (SELECT practice_id, \
         MAX(CASE light WHEN 'red' THEN CAST(3 AS BIGINT) WHEN 'yellow' THEN CAST(2 AS BIGINT) ELSE CAST(1 AS BIGINT) END) AS w \
         FROM assessments GROUP BY practice_id) t GROUP BY w",
    )
    .fetch_all(db.read())
    .await?;
    let mut lights = [0i64; 3];
    let mut assessed = 0;
    for r in &rows {
        let w: i64 = r.try_get("w")?;
        let n: i64 = r.try_get("n")?;
        assessed += n;
        if let Some(slot) = usize::try_from(3 - w).ok().and_then(|i| lights.get_mut(i)) {
            *slot += n;
        }
    }
    let rows = sqlx::query(
        "SELECT b, COUNT(*) AS n FROM (SELECT practice_id, CAST(MIN(score) / 10 AS BIGINT) AS b \
         FROM assessments GROUP BY practice_id) t GROUP BY b",
    )
    .fetch_all(db.read())
    .await?;
    let mut scores = [0i64; 10];
    for r in &rows {
        let b: i64 = r.try_get("b")?;
        let n: i64 = r.try_get("n")?;
        scores[usize::try_from(b.clamp(0, 9)).unwrap_or(0)] += n;
    }
    let cutoff = now_ms() - STALE_DAYS * 86_400_000;
    let stale_hosts: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM hosts WHERE COALESCE(last_seen_at, enrolled_at) < $1",
    )
    .bind(cutoff)
    .fetch_one(db.read())
    .await?
    .try_get("n")?;
    Ok(Summary {
        practices,
        lights: lights.map(GroupCount::of),
        unassessed: GroupCount::of(practices - assessed),
        scores: scores.map(GroupCount::of),
        stale_hosts,
    })
}

/// An advisory with the practices it affects.
#[derive(Debug, Clone)]
pub struct AdvisoryRow {
    /// OSV or rule id.
    pub id: String,
    /// Affected practices.
    pub practices: GroupCount,
    /// Affected machines.
    pub hosts: i64,
}

/// The advisories affecting the most practices (from the reverse-index impacts of every
/// re-evaluation).
///
/// # Errors
/// Storage errors.
pub async fn top_advisories(db: &Db, limit: i64) -> Result<Vec<AdvisoryRow>, WebError> {
    let rows = sqlx::query(
        "SELECT advisory_id, COUNT(DISTINCT practice_id) AS p, COUNT(*) AS h FROM impacts \
         GROUP BY advisory_id ORDER BY p DESC, advisory_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AdvisoryRow {
                id: r.try_get("advisory_id")?,
                practices: GroupCount::of(r.try_get("p")?),
                hosts: r.try_get("h")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(WebError::from)
}

/// A practice with machines whose agent went quiet.
#[derive(Debug, Clone)]
pub struct StaleRow {
    /// Practice id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Quiet machines.
    pub hosts: i64,
    /// The oldest last report, unix ms.
    pub since: i64,
}

/// One page of practices with stale agents, longest quiet first. Returns the rows and
/// whether there is a next page.
///
/// # Errors
/// Storage errors.
pub async fn stale(db: &Db, page: i64) -> Result<(Vec<StaleRow>, bool), WebError> {
    let cutoff = now_ms() - STALE_DAYS * 86_400_000;
    let rows = sqlx::query(
        "SELECT p.id, p.name, COUNT(*) AS n, MIN(COALESCE(h.last_seen_at, h.enrolled_at)) AS since \
         FROM hosts h JOIN practices p ON p.id = h.practice_id \
         WHERE COALESCE(h.last_seen_at, h.enrolled_at) < $1 GROUP BY p.id, p.name \
         ORDER BY since, p.id LIMIT $2 OFFSET $3",
    )
    .bind(cutoff)
    .bind(PAGE + 1)
    .bind(page.max(0) * PAGE)
    .fetch_all(db.read())
    .await?;
    let more = i64::try_from(rows.len()).unwrap_or(i64::MAX) > PAGE;
    let out = rows
        .iter()
        .take(usize::try_from(PAGE).unwrap_or(50))
        .map(|r| {
            Ok(StaleRow {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                hosts: r.try_get("n")?,
                since: r.try_get("since")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok((out, more))
}

/// A practice that granted the association access.
#[derive(Debug, Clone)]
pub struct PracticeRow {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Worst machine light.
    pub light: Option<String>,
    /// Lowest machine score.
    pub score: Option<i64>,
    /// Assessed machines.
    pub hosts: i64,
}

/// One page of the practices that granted access, optionally only those whose worst light
/// is `light`.
///
/// # Errors
/// Storage errors.
pub async fn granted_practices(
    db: &Db,
    light: Option<&str>,
    page: i64,
) -> Result<(Vec<PracticeRow>, bool), WebError> {
    let rows = sqlx::query(
        "SELECT p.id, p.name, a.w, a.s, COALESCE(a.n, 0) AS n FROM web_grants g \
         JOIN practices p ON p.id = g.practice_id \
         LEFT JOIN (SELECT practice_id, COUNT(*) AS n, MIN(score) AS s, \
           MAX(CASE light WHEN 'red' THEN CAST(3 AS BIGINT) WHEN 'yellow' THEN CAST(2 AS BIGINT) ELSE CAST(1 AS BIGINT) END) AS w \
           FROM assessments GROUP BY practice_id) a ON a.practice_id = p.id \
         WHERE g.revoked_at IS NULL AND ($1 = 0 OR a.w = $1) ORDER BY p.id LIMIT $2 OFFSET $3",
    )
    .bind(match light {
        Some("red") => 3i64,
        Some("yellow") => 2,
        Some("green") => 1,
        _ => 0,
    })
    .bind(PAGE + 1)
    .bind(page.max(0) * PAGE)
    .fetch_all(db.read())
    .await?;
    let more = i64::try_from(rows.len()).unwrap_or(i64::MAX) > PAGE;
    let out = rows
        .iter()
        .take(usize::try_from(PAGE).unwrap_or(50))
        .map(|r| {
            let w: Option<i64> = r.try_get("w")?;
            Ok(PracticeRow {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                light: w.map(|w| {
                    match w {
                        3 => "red",
                        2 => "yellow",
                        _ => "green",
                    }
                    .to_owned()
                }),
                score: r.try_get("s")?,
                hosts: r.try_get("n")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok((out, more))
}

/// The impact of one advisory.
#[derive(Debug, Clone)]
pub struct ImpactView {
    /// The advisory.
    pub id: String,
    /// Affected practices.
    pub practices: GroupCount,
    /// Affected machines.
    pub hosts: i64,
    /// Of those, practices that granted access, with their affected machines (one page).
    pub named: Vec<(i64, String, i64)>,
    /// Whether there is a next page of named practices.
    pub more: bool,
    /// When it was first found, unix ms.
    pub first_found: Option<i64>,
}

/// The impact page's figures for one advisory.
///
/// # Errors
/// Storage errors.
pub async fn impact(db: &Db, advisory: &str, page: i64) -> Result<ImpactView, WebError> {
    let r = sqlx::query(
        "SELECT COUNT(DISTINCT practice_id) AS p, COUNT(*) AS h, MIN(found_at) AS f FROM impacts WHERE advisory_id = $1",
    )
    .bind(advisory)
    .fetch_one(db.read())
    .await?;
    let rows = sqlx::query(
        "SELECT p.id, p.name, COUNT(*) AS n FROM impacts i JOIN practices p ON p.id = i.practice_id \
         JOIN web_grants g ON g.practice_id = i.practice_id AND g.revoked_at IS NULL \
         WHERE i.advisory_id = $1 GROUP BY p.id, p.name ORDER BY p.id LIMIT $2 OFFSET $3",
    )
    .bind(advisory)
    .bind(PAGE + 1)
    .bind(page.max(0) * PAGE)
    .fetch_all(db.read())
    .await?;
    let more = i64::try_from(rows.len()).unwrap_or(i64::MAX) > PAGE;
    let named = rows
        .iter()
        .take(usize::try_from(PAGE).unwrap_or(50))
        .map(|r| Ok((r.try_get("id")?, r.try_get("name")?, r.try_get("n")?)))
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(ImpactView {
        id: advisory.to_owned(),
        practices: GroupCount::of(r.try_get("p")?),
        hosts: r.try_get("h")?,
        named,
        more,
        first_found: r.try_get("f")?,
    })
}
