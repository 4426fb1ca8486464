//! Advisory sets on the server and day-zero re-evaluation.
//!
//! Import reuses the advisories crate's update rules by calling
//! [`praxcheck_advisories::update::install`] on a scratch state folder that carries the
//! database's highest accepted version: the same signature check, set id, expiry and
//! rollback rules as `praxcheck advisories update`. The accepted bytes and signature go
//! into the database (so every server instance on one PostgreSQL uses the same set), and
//! loading re-verifies them through [`praxcheck_advisories::update::load_active`].
//!
//! Re-evaluation needs no rescan: the records that are new or changed against the previous
//! set name their packages; the reverse index gives the stored versions of those packages
//! (one sample component per version is matched with the advisories crate's matcher), then
//! the inventories holding a matching version, then the hosts whose current upload has that
//! inventory. The impact rows are committed first (the affected list), then each affected
//! host's stored document is assessed again and its findings, light and score are stored.
//!
//! When the set in use changes without an import naming the hosts (a newer binary's
//! embedded set), [`catch_up`] re-assesses the stored hosts assessed with an older set in
//! the background of a running server, and derives the impacts from the re-assessment.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use praxcheck_advisories::update::{self, StateDir, TrustedKey, UpdateOutcome};
use praxcheck_advisories::{AdvisorySet, OsvRecord};
use praxcheck_model::Component;
use serde::{Deserialize, Serialize};
use sqlx::Row as _;

use crate::assess_adapter;
use crate::audit;
use crate::db::{Db, now_ms};
use crate::error::Error;
use crate::tenant::AdminCtx;

/// The result of an import.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportReport {
    /// The set version now in use.
    pub version: u64,
    /// False when the same set was imported before.
    pub installed: bool,
    /// Advisories new or changed against the previous set.
    pub changed_advisories: usize,
    /// Hosts affected by those advisories.
    pub affected_hosts: usize,
    /// Practices affected.
    pub affected_practices: usize,
    /// Milliseconds from the set's arrival until the affected list was committed.
    pub affected_ms: u64,
    /// Milliseconds until every affected host's findings, light and score were stored.
    pub assessed_ms: u64,
    /// What an imported CSAF document held that could not be mapped, with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

fn io_err(e: &std::io::Error) -> Error {
    Error::internal(format!("scratch folder: {e}"))
}

/// Writes the stored set (if any) into a scratch state folder in the layout of the
/// advisories crate.
async fn scratch_state(db: &Db, dir: &Path) -> Result<Option<(u64, Vec<u8>)>, Error> {
    let row = sqlx::query("SELECT version, bytes, signature, installed FROM advisory_sets ORDER BY version DESC LIMIT 1")
        .fetch_optional(db.read())
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let version: i64 = row.try_get("version")?;
    let bytes: Vec<u8> = row.try_get("bytes")?;
    let sig: String = row.try_get("signature")?;
    let installed: String = row.try_get("installed")?;
    let inst: update::InstalledSet = serde_json::from_str(&installed)
        .map_err(|e| Error::internal(format!("advisory_sets.installed: {e}")))?;
    let adv = dir.join("advisories");
    let sets = adv.join("sets");
    std::fs::create_dir_all(&sets).map_err(|e| io_err(&e))?;
    std::fs::write(sets.join(&inst.file), &bytes).map_err(|e| io_err(&e))?;
    std::fs::write(update::signature_path(&sets.join(&inst.file)), sig).map_err(|e| io_err(&e))?;
    let version = u64::try_from(version).unwrap_or(0);
    let state = update::State {
        format: 1,
        highest_version: version,
        installed: Some(inst),
    };
    let json = serde_json::to_vec(&state).map_err(|e| Error::internal(e.to_string()))?;
    std::fs::write(adv.join("state.json"), json).map_err(|e| io_err(&e))?;
    Ok(Some((version, bytes)))
}

/// The highest stored set version (another instance may have imported one).
///
/// # Errors
/// Storage errors.
pub async fn stored_version(db: &Db) -> Result<Option<u64>, Error> {
    let v: Option<i64> = sqlx::query("SELECT MAX(version) AS v FROM advisory_sets")
        .fetch_one(db.read())
        .await?
        .try_get("v")?;
    Ok(v.and_then(|v| u64::try_from(v).ok()))
}

/// The set in use: the newest stored set when it verifies and is newer than the embedded
/// one, else the embedded set. Returns it with its version.
///
/// # Errors
/// When the embedded set is broken or storage fails.
pub async fn active_set(db: &Db, keys: &[TrustedKey]) -> Result<AdvisorySet, Error> {
    let tmp = tempfile::tempdir().map_err(|e| io_err(&e))?;
    scratch_state(db, tmp.path()).await?;
    let state = StateDir::new(tmp.path());
    let (set, _notes) = update::load_active(Some(&state), keys, today())
        .map_err(|e| Error::internal(format!("advisory set: {e}")))?;
    let mut csaf = Vec::new();
    for r in sqlx::query("SELECT records FROM csaf_documents ORDER BY id")
        .fetch_all(db.read())
        .await?
    {
        let json: String = r.try_get("records")?;
        let records: Vec<OsvRecord> = serde_json::from_str(&json)
            .map_err(|e| Error::internal(format!("csaf_documents.records: {e}")))?;
        csaf.extend(records);
    }
    with_records(&set, csaf).map_err(|e| Error::internal(format!("advisory set: {e}")))
}

/// The set with more records (those mapped from CSAF documents) next to its own.
fn with_records(
    base: &AdvisorySet,
    extra: Vec<OsvRecord>,
) -> Result<AdvisorySet, praxcheck_advisories::AdvisoryError> {
    if extra.is_empty() {
        return Ok(base.clone());
    }
    let mut records = base.records().to_vec();
    records.extend(extra);
    let mut set = AdvisorySet::from_parts(base.meta().clone(), records, base.source())?;
    set.with_rules(
        base.rules().to_vec(),
        base.products().to_vec(),
        base.source(),
    )?;
    Ok(set)
}

/// A generation of the stored CSAF documents (changes with every import), so another
/// instance notices one.
///
/// # Errors
/// Storage errors.
pub async fn csaf_generation(db: &Db) -> Result<i64, Error> {
    let v: Option<i64> = sqlx::query("SELECT MAX(id) AS v FROM csaf_documents")
        .fetch_one(db.read())
        .await?
        .try_get("v")?;
    Ok(v.unwrap_or(0))
}

/// Imports a CSAF 2.0 advisory: checked and mapped ([`crate::csaf`]), stored (a newer
/// revision of the same document replaces the older), then the same re-evaluation as a
/// signed set. CSAF documents carry no minisign signature: only the association's
/// operator (admin credential or the server machine) can import one, and the import is
/// audited.
///
/// # Errors
/// 400 with the reason for a refused document, 409 for an older revision; nothing changes
/// then.
pub async fn import_csaf(
    db: &Db,
    admin: &AdminCtx,
    bytes: &[u8],
    keys: &[TrustedKey],
) -> Result<(ImportReport, Arc<AdvisorySet>), Error> {
    let arrived = Instant::now();
    let adv = crate::csaf::parse(bytes).map_err(|e| match e {
        crate::csaf::CsafError::TooLarge => Error::coded(413, "csaf_too_large", e.to_string()),
        e => Error::coded(400, "csaf_invalid", e.to_string()),
    })?;
    let previous = active_set(db, keys).await?;
    let stored = sqlx::query("SELECT revision FROM csaf_documents WHERE doc_key = $1")
        .bind(&adv.key)
        .fetch_optional(db.read())
        .await?;
    let unchanged = |version| ImportReport {
        version,
        installed: false,
        changed_advisories: 0,
        affected_hosts: 0,
        affected_practices: 0,
        affected_ms: 0,
        assessed_ms: 0,
        notes: Vec::new(),
    };
    if let Some(r) = stored {
        let rev: String = r.try_get("revision")?;
        if rev == adv.revision {
            return Ok((unchanged(previous.meta().version), Arc::new(previous)));
        }
        if rev > adv.revision {
            return Err(Error::coded(
                409,
                "csaf_not_newer",
                format!("{}: {} < {rev}", adv.tracking_id, adv.revision),
            ));
        }
    }
    // Checked against the set before anything is stored.
    with_records(&previous, adv.records.clone())
        .map_err(|e| Error::bad("csaf_invalid", e.to_string()))?;
    let records =
        serde_json::to_string(&adv.records).map_err(|e| Error::internal(e.to_string()))?;
    let mut tx = db.write().begin().await?;
    sqlx::query("DELETE FROM csaf_documents WHERE doc_key = $1")
        .bind(&adv.key)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO csaf_documents (doc_key, tracking_id, revision, records, bytes, imported_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&adv.key)
    .bind(&adv.tracking_id)
    .bind(&adv.revision)
    .bind(&records)
    .bind(bytes)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        admin.actor(),
        "advisories.import_csaf",
        &format!("{} revision {}", adv.tracking_id, adv.revision),
    )
    .await?;
    tx.commit().await?;
    let next = Arc::new(active_set(db, keys).await?);
    let mut report = reevaluate(db, &previous, &next, arrived).await?;
    report.notes = adv.notes;
    Ok((report, next))
}

/// Imports a signed set (bytes and minisign signature text), then re-evaluates.
///
/// # Errors
/// 400 with the advisories crate's reason for a refused set (unsigned, wrongly signed,
/// tampered, wrong id, expired, not newer); nothing changes then.
pub async fn import(
    db: &Db,
    admin: &AdminCtx,
    bytes: &[u8],
    signature: &str,
    keys: &[TrustedKey],
) -> Result<(ImportReport, Arc<AdvisorySet>), Error> {
    let arrived = Instant::now();
    if bytes.len() as u64 > update::MAX_UPDATE_BYTES || signature.len() > 4096 {
        return Err(Error::coded(413, "set_too_large", ""));
    }
    let previous = active_set(db, keys).await?;
    let tmp = tempfile::tempdir().map_err(|e| io_err(&e))?;
    scratch_state(db, tmp.path()).await?;
    let file = tmp.path().join("upload.json");
    std::fs::write(&file, bytes).map_err(|e| io_err(&e))?;
    std::fs::write(update::signature_path(&file), signature).map_err(|e| io_err(&e))?;
    let embedded = AdvisorySet::embedded()
        .map_err(|e| Error::internal(format!("embedded advisory set: {e}")))?;
    let state = StateDir::new(tmp.path());
    let outcome = update::install(&state, &file, None, keys, today(), embedded.meta())
        .map_err(|e| Error::bad("set_refused", e.to_string()))?;
    let installed = match outcome {
        UpdateOutcome::AlreadyInstalled { installed } => {
            return Ok((
                ImportReport {
                    version: installed.version,
                    installed: false,
                    changed_advisories: 0,
                    affected_hosts: 0,
                    affected_practices: 0,
                    affected_ms: 0,
                    assessed_ms: 0,
                    notes: Vec::new(),
                },
                Arc::new(previous),
            ));
        }
        UpdateOutcome::Installed { installed, .. } => installed,
    };
    let text = String::from_utf8_lossy(bytes);
    let set = AdvisorySet::from_bundle_json(&text, "server")
        .map_err(|e| Error::bad("set_invalid", e.to_string()))?;
    let version = i64::try_from(installed.version)
        .map_err(|_| Error::bad("set_invalid", installed.version.to_string()))?;
    let inst_json =
        serde_json::to_string(&installed).map_err(|e| Error::internal(e.to_string()))?;
    let mut tx = db.write().begin().await?;
    // Rollback protection in the database too: another instance may have imported a newer
    // set since the scratch folder was written.
    let newest: Option<i64> = sqlx::query("SELECT MAX(version) AS v FROM advisory_sets")
        .fetch_one(&mut *tx)
        .await?
        .try_get("v")?;
    if newest.is_some_and(|n| n >= version) {
        return Err(Error::coded(
            409,
            "set_not_newer",
            format!("{version} <= {}", newest.unwrap_or(0)),
        ));
    }
    sqlx::query("INSERT INTO advisory_sets (version, set_id, bytes, signature, installed, imported_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(version)
        .bind(&installed.id)
        .bind(bytes)
        .bind(signature)
        .bind(&inst_json)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        admin.actor(),
        "advisories.import",
        &format!("{} version {version}", installed.id),
    )
    .await?;
    tx.commit().await?;
    let set = Arc::new(set);
    let mut report = reevaluate(db, &previous, &set, arrived).await?;
    report.installed = true;
    Ok((report, set))
}

/// Advisory ids (OSV id) of records that are new or changed in `next`.
fn changed_records(previous: &AdvisorySet, next: &AdvisorySet) -> HashSet<String> {
    let old: HashMap<&str, &str> = previous
        .records()
        .iter()
        .map(|r| (r.id.as_str(), r.modified.as_str()))
        .collect();
    next.records()
        .iter()
        .filter(|r| old.get(r.id.as_str()) != Some(&r.modified.as_str()))
        .map(|r| r.id.clone())
        .collect()
}

/// Finds the hosts affected by the records new or changed from `previous` to `next`,
/// commits the impact rows, then re-assesses those hosts.
///
/// # Errors
/// Storage errors.
pub async fn reevaluate(
    db: &Db,
    previous: &AdvisorySet,
    next: &Arc<AdvisorySet>,
    arrived: Instant,
) -> Result<ImportReport, Error> {
    let changed = changed_records(previous, next);
    let packages: BTreeSet<(String, String)> = next
        .records()
        .iter()
        .filter(|r| changed.contains(&r.id))
        .flat_map(|r| r.affected.iter())
        .map(|a| (a.package.ecosystem.clone(), a.package.name.clone()))
        .collect();
    // 1. Stored versions of those packages, matched with the advisories crate's matcher.
    let mut hits: HashMap<i64, Vec<String>> = HashMap::new();
    for (eco, name) in &packages {
        let rows = sqlx::query(
            "SELECT v.id, v.sample FROM package_versions v JOIN packages p ON p.id = v.package_id \
             WHERE p.ecosystem = $1 AND p.name = $2",
        )
        .bind(eco)
        .bind(name)
        .fetch_all(db.read())
        .await?;
        for r in rows {
            let id: i64 = r.try_get("id")?;
            let sample: String = r.try_get("sample")?;
            let Ok(comp) = serde_json::from_str::<Component>(&sample) else {
                continue;
            };
            let mut ids: Vec<String> = praxcheck_advisories::match_components(next, &[comp])
                .into_iter()
                .filter(|f| changed.contains(&f.advisory_id))
                .flat_map(|f| [f.advisory_id, f.rule_id])
                .collect();
            ids.sort();
            ids.dedup();
            if !ids.is_empty() {
                hits.insert(id, ids);
            }
        }
    }
    // 2. Hosts whose current inventory holds an affected version.
    let version = i64::try_from(next.meta().version).unwrap_or(i64::MAX);
    let mut impacts: BTreeSet<(String, i64, i64)> = BTreeSet::new();
    let vids: Vec<i64> = hits.keys().copied().collect();
    for chunk in vids.chunks(500) {
        let list = placeholders(1, chunk.len());
        let sql = format!(
            "SELECT i.version_id, h.id, h.practice_id FROM inventory_items i \
             JOIN hosts h ON h.current_inventory_id = i.inventory_id WHERE i.version_id IN ({list})"
        );
        let mut q = sqlx::query(&sql);
        for v in chunk {
            q = q.bind(*v);
        }
        for r in q.fetch_all(db.read()).await? {
            let vid: i64 = r.try_get("version_id")?;
            let host: i64 = r.try_get("id")?;
            let practice: i64 = r.try_get("practice_id")?;
            for adv in hits.get(&vid).into_iter().flatten() {
                impacts.insert((adv.clone(), host, practice));
            }
        }
    }
    let rows: Vec<&(String, i64, i64)> = impacts.iter().collect();
    let now = now_ms();
    let mut tx = db.write().begin().await?;
    insert_impacts(&mut tx, &rows, version, now).await?;
    // The association is told: outbox rows in the same transaction as the impacts.
    crate::notify::enqueue(&mut tx, version, &impacts, now).await?;
    tx.commit().await?;
    let affected_ms = elapsed_ms(arrived);
    let hosts: BTreeSet<i64> = impacts.iter().map(|(_, h, _)| *h).collect();
    let practices: BTreeSet<i64> = impacts.iter().map(|(_, _, p)| *p).collect();
    let hosts: Vec<i64> = hosts.into_iter().collect();
    // The impacts of these hosts were just written from the records' diff: not again.
    store_assessments(db, next, &hosts, false).await?;
    Ok(ImportReport {
        version: next.meta().version,
        installed: true,
        changed_advisories: changed.len(),
        affected_hosts: hosts.len(),
        affected_practices: practices.len(),
        affected_ms,
        assessed_ms: elapsed_ms(arrived),
        notes: Vec::new(),
    })
}

fn elapsed_ms(t: Instant) -> u64 {
    u64::try_from(t.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// `$from, $from+1, …` for an IN list.
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Assesses the current upload of each host with the set and stores findings, light and
/// score. CPU work runs on the blocking pool, two halves in parallel per chunk. A host whose
/// stored assessment was made with an older set gets the impact rows (and outbox rows) of
/// what the set newly finds, as [`catch_up`] would have written them.
///
/// # Errors
/// Storage errors.
pub async fn assess_hosts(db: &Db, set: &Arc<AdvisorySet>, hosts: &[i64]) -> Result<(), Error> {
    store_assessments(db, set, hosts, true).await
}

/// [`assess_hosts`]; `derive_impacts` false for the hosts an import's re-evaluation already
/// wrote the impacts of.
async fn store_assessments(
    db: &Db,
    set: &Arc<AdvisorySet>,
    hosts: &[i64],
    derive_impacts: bool,
) -> Result<(), Error> {
    let version = set_version(set);
    // The set's record ids, built only for a chunk that replaces an assessment of an older
    // set: an upload round of hosts already on this set (the usual case) never builds them.
    let mut records: Option<Arc<HashSet<String>>> = None;
    for chunk in hosts.chunks(256) {
        let work = load_work(db, chunk, version).await?;
        let compare = derive_impacts && work.iter().any(|w| w.before.is_some());
        let records = compare.then(|| &*records.get_or_insert_with(|| record_ids(set)));
        let results = assess_work(set, work, 2, records).await?;
        let now = now_ms();
        let mut tx = db.write().begin().await?;
        // An upload that replaces an assessment of an older set stands in for the
        // catch-up's re-assessment of that host ([`catch_up`]): what the set newly finds
        // is recorded the same way.
        let mut impacts: BTreeSet<(String, i64, i64)> = BTreeSet::new();
        for r in &results {
            for id in &r.newly {
                impacts.insert((id.clone(), r.host, r.practice));
            }
            sqlx::query(
                "INSERT INTO assessments (host_id, practice_id, upload_id, set_version, light, score, findings, assessed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (host_id) DO UPDATE SET \
                 practice_id = excluded.practice_id, upload_id = excluded.upload_id, set_version = excluded.set_version, \
                 light = excluded.light, score = excluded.score, findings = excluded.findings, assessed_at = excluded.assessed_at",
            )
            .bind(r.host)
            .bind(r.practice)
            .bind(r.upload)
            .bind(version)
            .bind(&r.light)
            .bind(r.score)
            .bind(&r.findings)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let rows: Vec<&(String, i64, i64)> = impacts.iter().collect();
        insert_impacts(&mut tx, &rows, version, now).await?;
        crate::notify::enqueue(&mut tx, version, &impacts, now).await?;
        tx.commit().await?;
    }
    // The web pages' history, trend and stored practice light (issue 14).
    crate::assessed::run(db, set, hosts);
    Ok(())
}

/// The ids of the set's records (the findings the catch-up counts as newly affecting).
fn record_ids(set: &AdvisorySet) -> Arc<HashSet<String>> {
    Arc::new(set.records().iter().map(|r| r.id.clone()).collect())
}

fn set_version(set: &AdvisorySet) -> i64 {
    i64::try_from(set.meta().version).unwrap_or(i64::MAX)
}

/// One host's stored upload to assess; with the assessment it replaces when catching up.
struct Work {
    host: i64,
    practice: i64,
    upload: i64,
    body: Option<Vec<u8>>,
    /// The stored assessment's upload, set version and findings, when it was made with an
    /// older set.
    before: Option<(i64, i64, String)>,
}

/// One host's new assessment.
struct Assessed {
    host: i64,
    practice: i64,
    upload: i64,
    light: String,
    score: i64,
    findings: String,
    before: Option<(i64, i64)>,
    /// Advisory and rule ids of open findings of a record of the set that the replaced
    /// assessment (of an older set) did not have.
    newly: Vec<String>,
}

/// The hosts' current uploads, each with its stored assessment when that was made with a
/// set older than `version` (its findings are read only then).
async fn load_work(db: &Db, chunk: &[i64], version: i64) -> Result<Vec<Work>, Error> {
    let sql = format!(
        "SELECT h.id, h.practice_id, u.id AS upload_id, u.body, a.upload_id AS a_upload, \
         a.set_version AS a_version, CASE WHEN a.set_version < $1 THEN a.findings END AS a_findings \
         FROM hosts h JOIN uploads u ON u.id = h.current_upload_id \
         LEFT JOIN assessments a ON a.host_id = h.id WHERE h.id IN ({})",
        placeholders(2, chunk.len())
    );
    let mut q = sqlx::query(&sql).bind(version);
    for h in chunk {
        q = q.bind(*h);
    }
    let mut work = Vec::new();
    for r in q.fetch_all(db.read()).await? {
        let findings: Option<String> = r.try_get("a_findings")?;
        let before = match findings {
            Some(f) => Some((r.try_get("a_upload")?, r.try_get("a_version")?, f)),
            None => None,
        };
        work.push(Work {
            host: r.try_get("id")?,
            practice: r.try_get("practice_id")?,
            upload: r.try_get("upload_id")?,
            body: r.try_get("body")?,
            before,
        });
    }
    Ok(work)
}

/// The ids a stored finding is known by, for the catch-up's comparison (the rest of a
/// stored finding is not read).
#[derive(Deserialize)]
struct StoredIds {
    advisory_id: String,
}

/// Assesses the work on the blocking pool in `parallel` parts. With `records` (the set's
/// record ids), also finds what each host is newly affected by.
async fn assess_work(
    set: &Arc<AdvisorySet>,
    mut work: Vec<Work>,
    parallel: usize,
    records: Option<&Arc<HashSet<String>>>,
) -> Result<Vec<Assessed>, Error> {
    let part_len = work.len().div_ceil(parallel.max(1)).max(1);
    let mut parts = Vec::new();
    while !work.is_empty() {
        let rest = work.split_off(part_len.min(work.len()));
        let part = std::mem::replace(&mut work, rest);
        let set = Arc::clone(set);
        let records = records.map(Arc::clone);
        parts.push(tokio::task::spawn_blocking(move || {
            part.into_iter()
                .filter_map(|w| assess_one(&set, records.as_deref(), w))
                .collect::<Vec<_>>()
        }));
    }
    let mut results = Vec::new();
    for p in parts {
        results.extend(
            p.await
                .map_err(|e| Error::internal(format!("assessment: {e}")))?,
        );
    }
    Ok(results)
}

fn assess_one(set: &AdvisorySet, records: Option<&HashSet<String>>, w: Work) -> Option<Assessed> {
    let json = zstd::stream::decode_all(w.body?.as_slice()).ok()?;
    let doc = crate::ingest::parse_document(&json).ok()?;
    let v = assess_adapter::assess(doc, set, today())?;
    let mut newly = Vec::new();
    if let (Some(records), Some((_, _, old))) = (records, &w.before) {
        // A stored assessment that cannot be read counts as having had nothing.
        let had: HashSet<String> = serde_json::from_str::<Vec<StoredIds>>(old)
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.advisory_id)
            .collect();
        for f in &v.findings {
            if f.status.is_open()
                && records.contains(&f.advisory_id)
                && !had.contains(&f.advisory_id)
            {
                newly.push(f.advisory_id.clone());
                newly.push(f.rule_id.clone());
            }
        }
        newly.sort();
        newly.dedup();
    }
    let findings = serde_json::to_string(&v.findings).ok()?;
    let light = serde_json::to_value(v.light)
        .ok()
        .and_then(|l| l.as_str().map(str::to_owned))?;
    Some(Assessed {
        host: w.host,
        practice: w.practice,
        upload: w.upload,
        light,
        score: i64::from(v.score),
        findings,
        before: w.before.map(|(u, v, _)| (u, v)),
        newly,
    })
}

/// Hosts re-assessed per batch of a catch-up (each batch: one read, one transaction).
pub const CATCH_UP_BATCH: usize = 256;

/// What a catch-up pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatchUp {
    /// The set version the hosts were re-assessed with.
    pub version: u64,
    /// Hosts whose assessment this pass replaced.
    pub hosts: usize,
    /// New (advisory, host) impact rows.
    pub impacts: usize,
    /// Milliseconds the pass took.
    pub ms: u64,
}

/// Re-assesses, in the background of a running server, every stored assessment made with a
/// set older than `set` (the set in use changed without an import: a server binary with a
/// newer embedded set, or another instance's import). Batches of [`CATCH_UP_BATCH`] hosts
/// in host id order, one transaction each, so memory stays bounded and a pass stopped in
/// the middle continues at the next start: `assessments.set_version` is the progress
/// marker (a host already at the set's version is never assessed again).
///
/// Impacts: the previous set's records are not at hand when the previous set was an older
/// binary's embedded one (only imported sets are stored), so a diff of records like
/// [`reevaluate`]'s is not possible. The impacts are derived from the re-assessment itself:
/// an open finding of one of the set's records whose advisory id the replaced assessment did
/// not have marks the host affected by it (its advisory and rule id, like an import). They
/// commit in the batch's transaction with the assessment and the outbox rows
/// ([`crate::notify::enqueue`]), so a restart never notifies twice.
///
/// Several instances on one database: each assessment is replaced with a conditional
/// UPDATE (same upload and set version as read), so of two instances re-assessing the same
/// host one writes it, with its impacts and notifications, and the other skips it; an
/// upload's newer assessment is never overwritten. Only older versions are re-assessed
/// (the version rises with every content change, `crates/advisories/RULES.md`), so an
/// instance still running an older binary never takes a newer instance's assessments back.
/// CSAF documents keep the set's version: the instance that imports one re-evaluates
/// ([`import_csaf`]).
///
/// # Errors
/// Storage errors (the batches committed so far stay).
pub async fn catch_up(db: &Db, set: &Arc<AdvisorySet>) -> Result<CatchUp, Error> {
    let started = Instant::now();
    let version = set_version(set);
    let mut done = CatchUp {
        version: set.meta().version,
        ..CatchUp::default()
    };
    let todo: i64 = sqlx::query("SELECT COUNT(*) AS n FROM assessments WHERE set_version < $1")
        .bind(version)
        .fetch_one(db.read())
        .await?
        .try_get("n")?;
    if todo == 0 {
        return Ok(done);
    }
    let mut tx = db.write().begin().await?;
    audit::record(
        &mut tx,
        CATCH_UP_ACTOR,
        "advisories.reassess",
        &format!("set version {version}: {todo} hosts assessed with an older set, re-assessing"),
    )
    .await?;
    tx.commit().await?;
    let records = record_ids(set);
    let mut after = 0i64;
    loop {
        let ids: Vec<i64> = sqlx::query(
            "SELECT host_id FROM assessments WHERE set_version < $1 AND host_id > $2 \
             ORDER BY host_id LIMIT $3",
        )
        .bind(version)
        .bind(after)
        .bind(i64::try_from(CATCH_UP_BATCH).unwrap_or(256))
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>("host_id"))
        .collect::<Result<_, _>>()?;
        let Some(last) = ids.last() else {
            break;
        };
        after = *last;
        let work = load_work(db, &ids, version).await?;
        // One part: the pass runs behind the requests and leaves them the other core.
        let results = assess_work(set, work, 1, Some(&records)).await?;
        let (hosts, impacts) = store_catch_up(db, version, &results).await?;
        done.hosts += hosts.len();
        done.impacts += impacts;
        crate::assessed::run(db, set, &hosts);
    }
    done.ms = elapsed_ms(started);
    let mut tx = db.write().begin().await?;
    audit::record(
        &mut tx,
        CATCH_UP_ACTOR,
        "advisories.reassess",
        &format!(
            "set version {version}: {} hosts re-assessed, {} new impact rows, {} ms",
            done.hosts, done.impacts, done.ms
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(done)
}

/// The audit log's actor of an automatic re-assessment (no user acts).
pub const CATCH_UP_ACTOR: &str = "server";

/// One catch-up batch's transaction: the assessments replaced where nobody replaced them
/// since they were read (same upload and version as read, and still older than the set: the
/// batch's rows are read after its host ids, so another instance may have written them
/// in between), those hosts' new impacts and their outbox rows. Returns the hosts
/// written and the impact rows.
async fn store_catch_up(
    db: &Db,
    version: i64,
    results: &[Assessed],
) -> Result<(Vec<i64>, usize), Error> {
    let now = now_ms();
    let mut written = Vec::new();
    let mut impacts: BTreeSet<(String, i64, i64)> = BTreeSet::new();
    let mut tx = db.write().begin().await?;
    for r in results {
        let Some((before_upload, before_version)) = r.before else {
            continue;
        };
        let n = sqlx::query(
            "UPDATE assessments SET practice_id = $1, upload_id = $2, set_version = $3, light = $4, \
             score = $5, findings = $6, assessed_at = $7 \
             WHERE host_id = $8 AND upload_id = $9 AND set_version = $10 AND set_version < $3",
        )
        .bind(r.practice)
        .bind(r.upload)
        .bind(version)
        .bind(&r.light)
        .bind(r.score)
        .bind(&r.findings)
        .bind(now)
        .bind(r.host)
        .bind(before_upload)
        .bind(before_version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            continue;
        }
        written.push(r.host);
        for id in &r.newly {
            impacts.insert((id.clone(), r.host, r.practice));
        }
    }
    let rows: Vec<&(String, i64, i64)> = impacts.iter().collect();
    insert_impacts(&mut tx, &rows, version, now).await?;
    crate::notify::enqueue(&mut tx, version, &impacts, now).await?;
    tx.commit().await?;
    Ok((written, impacts.len()))
}

/// Inserts impact rows `(advisory, host, practice)` (an existing pair stays as it is).
async fn insert_impacts(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rows: &[&(String, i64, i64)],
    version: i64,
    now: i64,
) -> Result<(), Error> {
    for chunk in rows.chunks(200) {
        let mut sql = String::from(
            "INSERT INTO impacts (advisory_id, host_id, practice_id, set_version, found_at) VALUES ",
        );
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push(',');
            }
            let b = i * 5;
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5
            ));
        }
        sql.push_str(" ON CONFLICT (advisory_id, host_id) DO NOTHING");
        let mut q = sqlx::query(&sql);
        for (adv, host, practice) in chunk {
            q = q
                .bind(adv.as_str())
                .bind(*host)
                .bind(*practice)
                .bind(version)
                .bind(now);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// One affected host in an impact answer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ImpactHost {
    /// Host id.
    pub host_id: i64,
    /// Host name.
    pub hostname: String,
    /// Light under the newest assessment, if assessed.
    pub light: Option<String>,
    /// Score under the newest assessment.
    pub score: Option<i64>,
}

/// One affected practice.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ImpactPractice {
    /// Practice id.
    pub practice_id: i64,
    /// Name.
    pub name: String,
    /// Its affected hosts.
    pub hosts: Vec<ImpactHost>,
}

/// Who is affected by an advisory (OSV id or CVE id).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Impact {
    /// The advisory.
    pub advisory_id: String,
    /// Affected practices with their hosts.
    pub practices: Vec<ImpactPractice>,
}

/// The impact of an advisory, for the association.
///
/// # Errors
/// Storage errors.
pub async fn impact(db: &Db, _admin: &AdminCtx, advisory: &str) -> Result<Impact, Error> {
    let rows = sqlx::query(
        "SELECT i.practice_id, p.name, h.id AS host_id, h.hostname, a.light, a.score FROM impacts i \
         JOIN practices p ON p.id = i.practice_id JOIN hosts h ON h.id = i.host_id \
         LEFT JOIN assessments a ON a.host_id = i.host_id WHERE i.advisory_id = $1 \
         ORDER BY i.practice_id, h.id",
    )
    .bind(advisory)
    .fetch_all(db.read())
    .await?;
    let mut practices: Vec<ImpactPractice> = Vec::new();
    for r in rows {
        let pid: i64 = r.try_get("practice_id")?;
        let host = ImpactHost {
            host_id: r.try_get("host_id")?,
            hostname: r.try_get("hostname")?,
            light: r.try_get("light")?,
            score: r.try_get("score")?,
        };
        match practices.last_mut() {
            Some(p) if p.practice_id == pid => p.hosts.push(host),
            _ => practices.push(ImpactPractice {
                practice_id: pid,
                name: r.try_get("name")?,
                hosts: vec![host],
            }),
        }
    }
    Ok(Impact {
        advisory_id: advisory.to_owned(),
        practices,
    })
}

/// Engine-independent count of rows (for tests and the benchmark).
///
/// # Errors
/// Storage errors.
pub async fn count(db: &Db, table: &str) -> Result<i64, Error> {
    let allowed = [
        "uploads",
        "hosts",
        "inventory_items",
        "inventories",
        "impacts",
        "assessments",
        "audit",
        "practices",
    ];
    if !allowed.contains(&table) {
        return Err(Error::bad("bad_request", table.to_owned()));
    }
    Ok(sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
        .fetch_one(db.read())
        .await?
        .try_get("n")?)
}
