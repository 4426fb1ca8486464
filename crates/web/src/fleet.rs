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

/// Per assessed practice: its light weight `w` (3 red, 2 yellow, 1 green), score `s` and
/// assessed machines `n`. The light and score are the stored ones with the practice's
/// accepted risks (`web_practice_status`, [`crate::record`]) while they are current — no
/// machine assessed since, and no counted risk expired (`$1` is today, YYYY-MM-DD) — else
/// the machines' own: the worst light and the lowest score.
const PRACTICE_LIGHTS: &str = "SELECT a.practice_id, a.n, \
     CASE WHEN st.evaluated_at >= a.at AND (st.risks_until IS NULL OR st.risks_until >= $1) \
       THEN st.light_w ELSE a.w END AS w, \
     CASE WHEN st.evaluated_at >= a.at AND (st.risks_until IS NULL OR st.risks_until >= $1) \
       THEN st.score ELSE a.s END AS s \
     FROM (SELECT practice_id, COUNT(*) AS n, MIN(score) AS s, MAX(assessed_at) AS at, \
       MAX(CASE light WHEN 'red' THEN CAST(3 AS BIGINT) WHEN 'yellow' THEN CAST(2 AS BIGINT) ELSE CAST(1 AS BIGINT) END) AS w \
       FROM assessments GROUP BY practice_id) a \
     LEFT JOIN web_practice_status st ON st.practice_id = a.practice_id";

/// One page of a query whose last two placeholders are LIMIT and OFFSET (bound here): at
/// most [`PAGE`] rows mapped by `f`, and whether there is a next page.
async fn paged<'q, T>(
    db: &Db,
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    page: i64,
    f: impl Fn(&sqlx::any::AnyRow) -> Result<T, sqlx::Error>,
) -> Result<(Vec<T>, bool), WebError> {
    let rows = query
        .bind(PAGE + 1)
        .bind(page.max(0) * PAGE)
        .fetch_all(db.read())
        .await?;
    let size = usize::try_from(PAGE).unwrap_or(50);
    let out = rows
        .iter()
        .take(size)
        .map(f)
        .collect::<Result<_, sqlx::Error>>()?;
    Ok((out, rows.len() > size))
}

fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

/// The fleet's overview.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Practices in total.
    pub practices: i64,
    /// Practices by their light (with accepted risks, [`PRACTICE_LIGHTS`]): red, yellow, green.
    pub lights: [GroupCount; 3],
    /// Practices without any assessed machine.
    pub unassessed: GroupCount,
    /// Practices by their score, in tenths (0–9, 9 includes 100).
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
    let rows = sqlx::query(&format!(
        "SELECT w, COUNT(*) AS n, CAST(s / 10 AS BIGINT) AS b FROM ({PRACTICE_LIGHTS}) t GROUP BY w, b"
    ))
    .bind(today())
    .fetch_all(db.read())
    .await?;
    let mut lights = [0i64; 3];
    let mut scores = [0i64; 10];
    let mut assessed = 0;
    for r in &rows {
        let w: i64 = r.try_get("w")?;
        let b: i64 = r.try_get("b")?;
        let n: i64 = r.try_get("n")?;
        assessed += n;
        if let Some(slot) = usize::try_from(3 - w).ok().and_then(|i| lights.get_mut(i)) {
            *slot += n;
        }
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
    let q = sqlx::query(
        "SELECT p.id, p.name, COUNT(*) AS n, MIN(COALESCE(h.last_seen_at, h.enrolled_at)) AS since \
         FROM hosts h JOIN practices p ON p.id = h.practice_id \
         WHERE COALESCE(h.last_seen_at, h.enrolled_at) < $1 GROUP BY p.id, p.name \
         ORDER BY since, p.id LIMIT $2 OFFSET $3",
    )
    .bind(cutoff);
    paged(db, q, page, |r| {
        Ok(StaleRow {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            hosts: r.try_get("n")?,
            since: r.try_get("since")?,
        })
    })
    .await
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
    let sql = format!(
        "SELECT p.id, p.name, a.w, a.s, COALESCE(a.n, 0) AS n FROM web_grants g \
         JOIN practices p ON p.id = g.practice_id LEFT JOIN ({PRACTICE_LIGHTS}) a ON a.practice_id = p.id \
         WHERE g.revoked_at IS NULL AND ($2 = 0 OR a.w = $2) ORDER BY p.id LIMIT $3 OFFSET $4"
    );
    let q = sqlx::query(&sql).bind(today()).bind(match light {
        Some("red") => 3i64,
        Some("yellow") => 2,
        Some("green") => 1,
        _ => 0,
    });
    paged(db, q, page, |r| {
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
    .await
}

/// A practice that granted access, on an advisory's impact page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedImpact {
    /// Practice id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Its machines ever affected.
    pub hosts: i64,
    /// Of those, still affected.
    pub open: i64,
    /// When its last machine stopped being affected (unix ms; none while one still is).
    pub fixed_since: Option<i64>,
}

/// The impact of one advisory over time, from the recorded history (`web_advisory_hosts`).
#[derive(Debug, Clone)]
pub struct ImpactView {
    /// The advisory.
    pub id: String,
    /// Practices ever affected.
    pub practices: GroupCount,
    /// Machines ever affected.
    pub hosts: i64,
    /// Practices still affected.
    pub open_practices: GroupCount,
    /// Machines still affected.
    pub open_hosts: i64,
    /// Practices no longer affected.
    pub fixed_practices: GroupCount,
    /// Of those ever affected, practices that granted access (one page).
    pub named: Vec<NamedImpact>,
    /// Whether there is a next page of named practices.
    pub more: bool,
    /// When it was first found, unix ms.
    pub first_found: Option<i64>,
    /// Affected machines at the end of each day with a change, oldest first (day number
    /// since 1970, count).
    pub series: Vec<(i64, i64)>,
}

const DAY_MS: i64 = 86_400_000;

/// The impact page's figures for one advisory.
///
/// # Errors
/// Storage errors.
pub async fn impact(db: &Db, advisory: &str, page: i64) -> Result<ImpactView, WebError> {
    let all = sqlx::query(
        "SELECT COUNT(DISTINCT practice_id) AS p, COUNT(DISTINCT host_id) AS h, MIN(since) AS f \
         FROM web_advisory_hosts WHERE advisory_id = $1",
    )
    .bind(advisory)
    .fetch_one(db.read())
    .await?;
    let open = sqlx::query(
        "SELECT COUNT(DISTINCT practice_id) AS p, COUNT(DISTINCT host_id) AS h \
         FROM web_advisory_hosts WHERE advisory_id = $1 AND fixed_at IS NULL",
    )
    .bind(advisory)
    .fetch_one(db.read())
    .await?;
    let q = sqlx::query(
        "SELECT p.id, p.name, COUNT(DISTINCT x.host_id) AS n, \
         CAST(SUM(CASE WHEN x.fixed_at IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS o, MAX(x.fixed_at) AS fx \
         FROM web_advisory_hosts x JOIN practices p ON p.id = x.practice_id \
         JOIN web_grants g ON g.practice_id = x.practice_id AND g.revoked_at IS NULL \
         WHERE x.advisory_id = $1 GROUP BY p.id, p.name ORDER BY p.id LIMIT $2 OFFSET $3",
    )
    .bind(advisory);
    let (named, more) = paged(db, q, page, |r| {
        let open: i64 = r.try_get("o")?;
        Ok(NamedImpact {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            hosts: r.try_get("n")?,
            open,
            fixed_since: if open == 0 { r.try_get("fx")? } else { None },
        })
    })
    .await?;
    let practices: i64 = all.try_get("p")?;
    let open_practices: i64 = open.try_get("p")?;
    Ok(ImpactView {
        id: advisory.to_owned(),
        practices: GroupCount::of(practices),
        hosts: all.try_get("h")?,
        open_practices: GroupCount::of(open_practices),
        open_hosts: open.try_get("h")?,
        fixed_practices: GroupCount::of(practices - open_practices),
        named,
        more,
        first_found: all.try_get("f")?,
        series: series(db, advisory).await?,
    })
}

/// Affected machines per day: one grouped query over the starts and one over the ends of
/// the episodes (a row per day with a change, so bounded by the days since it was found).
async fn series(db: &Db, advisory: &str) -> Result<Vec<(i64, i64)>, WebError> {
    let mut change: std::collections::BTreeMap<i64, i64> = std::collections::BTreeMap::new();
    for (col, sign) in [("since", 1), ("fixed_at", -1)] {
        let rows = sqlx::query(&format!(
            "SELECT CAST({col} / {DAY_MS} AS BIGINT) AS d, COUNT(*) AS n FROM web_advisory_hosts \
             WHERE advisory_id = $1 AND {col} IS NOT NULL GROUP BY CAST({col} / {DAY_MS} AS BIGINT)"
        ))
        .bind(advisory)
        .fetch_all(db.read())
        .await?;
        for r in rows {
            let d: i64 = r.try_get("d")?;
            let n: i64 = r.try_get("n")?;
            *change.entry(d).or_default() += sign * n;
        }
    }
    let mut now = 0;
    Ok(change
        .into_iter()
        .map(|(d, c)| {
            now += c;
            (d, now)
        })
        .collect())
}
