//! What the pages show over time, recorded when hosts are assessed (the server's
//! [`praxcheck_server::assessed`] hook, after an upload or a re-evaluation) and when a
//! practice admin accepts a risk — never on a page view:
//!
//! - per host and advisory, when it became and stopped being affected (`web_advisory_hosts`),
//!   from the *stored* assessments' open findings (nothing is re-assessed for it);
//! - per practice, today's trend point (`web_trend`) and its light, score and open findings
//!   with its accepted risks (`web_practice_status`), which the fleet view counts.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use praxcheck_advisories::AdvisorySet;
use praxcheck_model::{Finding, Light};
use praxcheck_server::db::{Db, now_ms};
use praxcheck_server::tenant::{AdminCtx, PracticeId};
use sqlx::Row as _;

use crate::WebError;
use crate::practice;

/// One recorder at a time: the history is a difference against stored state.
fn lock() -> &'static tokio::sync::Mutex<()> {
    static L: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    &L
}

/// The light as the fleet queries count it: 3 red, 2 yellow, 1 green.
#[must_use]
pub fn light_weight(l: Light) -> i64 {
    match l {
        Light::Red => 3,
        Light::Yellow => 2,
        Light::Green => 1,
    }
}

fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// After `hosts` were assessed: their advisory history, then their practices' trend point
/// and stored light.
///
/// # Errors
/// Storage errors.
pub async fn after_assess(db: &Db, set: &AdvisorySet, hosts: &[i64]) -> Result<(), WebError> {
    let _one = lock().lock().await;
    let mut practices = BTreeSet::new();
    for chunk in hosts.chunks(256) {
        practices.extend(history(db, chunk).await?);
    }
    // The recorder acts for the system, not for a signed-in user: every practice whose
    // hosts were assessed.
    let system = AdminCtx::local();
    for p in practices {
        practice_status(db, set, system.practice(p)).await?;
    }
    Ok(())
}

/// Opens and closes the history rows of these hosts from their stored assessments; returns
/// their practices.
async fn history(db: &Db, hosts: &[i64]) -> Result<BTreeSet<i64>, WebError> {
    let list = placeholders(hosts.len());
    let sql = format!(
        "SELECT host_id, practice_id, findings, assessed_at FROM assessments WHERE host_id IN ({list})"
    );
    let mut q = sqlx::query(&sql);
    for h in hosts {
        q = q.bind(*h);
    }
    // host -> (practice, assessed at, open advisory and rule ids)
    let mut now_open: BTreeMap<i64, (i64, i64, BTreeSet<String>)> = BTreeMap::new();
    for r in q.fetch_all(db.read()).await? {
        let findings: String = r.try_get("findings")?;
        // An unreadable stored row changes nothing (the next assessment rewrites it).
        let Ok(findings) = serde_json::from_str::<Vec<Finding>>(&findings) else {
            continue;
        };
        let ids = findings
            .iter()
            .filter(|f| f.status.is_open())
            .flat_map(|f| [f.advisory_id.clone(), f.rule_id.clone()])
            .filter(|id| !id.is_empty())
            .collect();
        now_open.insert(
            r.try_get("host_id")?,
            (r.try_get("practice_id")?, r.try_get("assessed_at")?, ids),
        );
    }
    let sql = format!(
        "SELECT advisory_id, host_id, since FROM web_advisory_hosts WHERE fixed_at IS NULL AND host_id IN ({list})"
    );
    let mut q = sqlx::query(&sql);
    for h in hosts {
        q = q.bind(*h);
    }
    let mut recorded: HashSet<(i64, String)> = HashSet::new();
    let mut to_close = Vec::new();
    for r in q.fetch_all(db.read()).await? {
        let host: i64 = r.try_get("host_id")?;
        let adv: String = r.try_get("advisory_id")?;
        let since: i64 = r.try_get("since")?;
        match now_open.get(&host) {
            Some((_, at, ids)) if !ids.contains(&adv) => to_close.push((adv, host, since, *at)),
            // Not assessed (no stored assessment): left as it is.
            _ => {
                recorded.insert((host, adv));
            }
        }
    }
    let mut tx = db.write().begin().await?;
    for (adv, host, since, at) in &to_close {
        sqlx::query(
            "UPDATE web_advisory_hosts SET fixed_at = $1 WHERE advisory_id = $2 AND host_id = $3 AND since = $4",
        )
        .bind(*at)
        .bind(adv)
        .bind(*host)
        .bind(*since)
        .execute(&mut *tx)
        .await?;
    }
    for (host, (practice, at, ids)) in &now_open {
        for adv in ids {
            if recorded.contains(&(*host, adv.clone())) {
                continue;
            }
            sqlx::query(
                "INSERT INTO web_advisory_hosts (advisory_id, host_id, practice_id, since, fixed_at) \
                 VALUES ($1, $2, $3, $4, NULL) ON CONFLICT (advisory_id, host_id, since) DO NOTHING",
            )
            .bind(adv)
            .bind(*host)
            .bind(*practice)
            .bind(*at)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(now_open.values().map(|(p, _, _)| *p).collect())
}

/// Records the practice's trend point and stored light now (after a risk was accepted), in
/// turn with the recorder (so an older evaluation never overwrites a newer one).
///
/// # Errors
/// Storage errors.
pub async fn practice_now(
    db: &Db,
    set: &AdvisorySet,
    practice: PracticeId,
) -> Result<(), WebError> {
    let _one = lock().lock().await;
    practice_status(db, set, practice).await
}

/// Evaluates the practice as its page does (with its accepted risks) and stores today's
/// trend point and its light for the fleet view. A practice without an assessed document
/// gets neither.
async fn practice_status(db: &Db, set: &AdvisorySet, practice: PracticeId) -> Result<(), WebError> {
    let e = practice::evaluate(db, set, practice).await?;
    let Some(a) = &e.assessment else {
        return Ok(());
    };
    let open = e.open_findings();
    let score = i64::from(a.score.percent);
    // The stored light holds until the first of its accepted risks expires.
    let until = e.risks.iter().map(|r| r.expires.clone()).min();
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let mut tx = db.write().begin().await?;
    sqlx::query(
        "INSERT INTO web_trend (practice_id, day, score, open_findings) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (practice_id, day) DO UPDATE SET score = excluded.score, open_findings = excluded.open_findings",
    )
    .bind(practice.get())
    .bind(&today)
    .bind(score)
    .bind(open)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO web_practice_status (practice_id, light_w, score, open_findings, risks_until, evaluated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (practice_id) DO UPDATE SET light_w = excluded.light_w, \
         score = excluded.score, open_findings = excluded.open_findings, risks_until = excluded.risks_until, \
         evaluated_at = excluded.evaluated_at",
    )
    .bind(practice.get())
    .bind(light_weight(a.light))
    .bind(score)
    .bind(open)
    .bind(until)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
