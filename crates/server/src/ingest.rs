//! Uploads: checked, stored immutably, indexed, and acknowledged only after the commit.
//!
//! The request handler decodes and checks the body ([`prepare`]: size, compression with a
//! bounded inflation, JSON, schema version), then hands the prepared upload to the one
//! writer task ([`Writer`]). The writer takes everything that queued up while the last
//! commit ran and writes it in ONE transaction (group commit): one `fsync` per batch instead
//! of one per upload. Each handler gets its answer only after that commit returned, so an
//! acknowledged upload is on disk. A batch that fails is retried upload by upload, so one
//! bad upload cannot take others down with it.
//!
//! The reverse index: a document's components (ecosystem, name, version) form an
//! *inventory*, identified by the SHA-256 of its sorted component keys. A host whose
//! inventory did not change since the last upload points at the existing inventory row;
//! only a new inventory adds its `(version, inventory)` rows.

use std::collections::HashMap;
use std::io::Read as _;
use std::sync::Arc;
use std::time::Duration;

use praxcheck_model::{Component, Document, SCHEMA_VERSION};
use serde::Serialize;
use sqlx::Row as _;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, oneshot};

use crate::db::{Db, Engine, now_ms};
use crate::error::Error;
use crate::secret;
use crate::tenant::HostCtx;

/// Largest accepted (decompressed) document.
pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;
/// Largest accepted request body (compressed or not).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// Most components one document may list.
pub const MAX_COMPONENTS: usize = 100_000;
/// Most uploads in one group commit.
const MAX_BATCH: usize = 512;

/// One component as the reverse index keys it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct ComponentKey {
    pub ecosystem: String,
    pub name: String,
    /// The version, or `~` + the serialized version range when only that is known.
    pub version_key: String,
}

/// A checked upload waiting for the writer.
#[derive(Debug)]
pub struct Prepared {
    host: HostCtx,
    upload_key: String,
    sha256: String,
    stored: Vec<u8>,
    inventory_sha: String,
    /// One component per key (the first seen); the writer serializes it as the version's
    /// sample only when the version is new to the index, so an unchanged inventory costs
    /// no serialization at all.
    components: Vec<(ComponentKey, Component)>,
}

/// What the client gets when the upload is durable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Ack {
    /// Server id of the stored upload.
    pub upload_id: i64,
    /// True when this upload id had been stored before (a retry).
    pub duplicate: bool,
}

/// Decodes a body by its `Content-Encoding`, never inflating beyond the limit.
///
/// # Errors
/// 400 for an unknown encoding or corrupt data, 413 when the result is too large.
pub fn decode_body(encoding: Option<&str>, body: &[u8]) -> Result<Vec<u8>, Error> {
    let limit = MAX_DOCUMENT_BYTES as u64 + 1;
    let mut out = Vec::new();
    let res = match encoding.map(str::trim) {
        None | Some("" | "identity") => {
            out.extend_from_slice(body);
            Ok(0)
        }
        Some("gzip" | "x-gzip") => flate2::read::GzDecoder::new(body)
            .take(limit)
            .read_to_end(&mut out),
        Some("zstd") => {
            zstd::stream::read::Decoder::new(body).and_then(|d| d.take(limit).read_to_end(&mut out))
        }
        Some(other) => {
            return Err(Error::bad("encoding_unsupported", format!("{other:?}")));
        }
    };
    res.map_err(|e| Error::bad("body_corrupt", e.to_string()))?;
    if out.len() > MAX_DOCUMENT_BYTES {
        return Err(document_too_large());
    }
    Ok(out)
}

/// Checks an upload id: 1–100 characters of `[A-Za-z0-9._-]`.
///
/// # Errors
/// 400 otherwise.
pub fn check_upload_key(key: &str) -> Result<(), Error> {
    if key.is_empty()
        || key.len() > 100
        || !key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        return Err(Error::coded(400, "upload_id_invalid", ""));
    }
    Ok(())
}

/// Parses and checks a document; CPU work that runs outside the writer. The document is
/// stored zstd-compressed (level 1: the store is written once and read rarely).
///
/// # Errors
/// 400 with the reason for anything that is not a praxcheck document of this schema.
pub fn prepare(host: HostCtx, upload_key: &str, json: &[u8]) -> Result<Prepared, Error> {
    prepare_with(host, upload_key, json, None)
}

/// Decodes a request body (by its `Content-Encoding`) and prepares it. A zstd body is
/// stored as the client sent it (it decoded to exactly the checked document), so the
/// server compresses nothing on the hot path; other bodies are compressed once.
///
/// # Errors
/// As [`decode_body`] and [`prepare`].
pub fn prepare_body(
    host: HostCtx,
    upload_key: &str,
    encoding: Option<&str>,
    body: &[u8],
) -> Result<Prepared, Error> {
    let json = decode_body(encoding, body)?;
    let zstd_as_sent =
        (encoding.map(str::trim) == Some("zstd") && one_zstd_frame(body)).then_some(body);
    prepare_with(host, upload_key, &json, zstd_as_sent)
}

/// Whether a body is exactly one standard zstd frame: then it holds nothing but the
/// document it decoded to (no skippable frame, no second frame, no trailing bytes), and
/// storing it as sent stores only what the document holds.
fn one_zstd_frame(body: &[u8]) -> bool {
    body.starts_with(&[0x28, 0xb5, 0x2f, 0xfd])
        && zstd::zstd_safe::find_frame_compressed_size(body).is_ok_and(|n| n == body.len())
}

fn prepare_with(
    host: HostCtx,
    upload_key: &str,
    json: &[u8],
    zstd_as_sent: Option<&[u8]>,
) -> Result<Prepared, Error> {
    check_upload_key(upload_key)?;
    let doc = parse_document(json)?;
    let mut by_key: HashMap<ComponentKey, Component> =
        HashMap::with_capacity(doc.inventory.components.len());
    for c in doc.inventory.components {
        by_key.entry(component_key(&c)).or_insert(c);
    }
    let mut components: Vec<(ComponentKey, Component)> = by_key.into_iter().collect();
    components.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut h = String::new();
    for (k, _) in &components {
        h.push_str(&k.ecosystem);
        h.push('\u{1f}');
        h.push_str(&k.name);
        h.push('\u{1f}');
        h.push_str(&k.version_key);
        h.push('\u{1e}');
    }
    let stored = match zstd_as_sent {
        Some(b) => b.to_vec(),
        None => zstd::bulk::compress(json, 1).map_err(|e| Error::internal(format!("zstd: {e}")))?,
    };
    Ok(Prepared {
        host,
        upload_key: upload_key.to_owned(),
        sha256: secret::hash_bytes(json),
        stored,
        inventory_sha: secret::hash(&h),
        components,
    })
}

/// Parses a stored or uploaded document with the model crate and checks its schema.
///
/// # Errors
/// 400 with the reason.
pub fn parse_document(json: &[u8]) -> Result<Document, Error> {
    if json.len() > MAX_DOCUMENT_BYTES {
        return Err(document_too_large());
    }
    let doc = Document::from_json(json).map_err(|e| {
        Error::coded(
            400,
            "not_a_document",
            format!("schema {SCHEMA_VERSION}: {e}"),
        )
    })?;
    if doc.inventory.components.len() > MAX_COMPONENTS {
        return Err(Error::coded(
            413,
            "too_many_components",
            format!("> {MAX_COMPONENTS}"),
        ));
    }
    Ok(doc)
}

fn document_too_large() -> Error {
    Error::coded(
        413,
        "document_too_large",
        format!("> {MAX_DOCUMENT_BYTES} bytes"),
    )
}

pub(crate) fn component_key(c: &Component) -> ComponentKey {
    let version_key = match &c.version {
        Some(v) => v.clone(),
        None => format!(
            "~{}",
            serde_json::to_string(&c.version_range).unwrap_or_default()
        ),
    };
    ComponentKey {
        ecosystem: c.ecosystem.clone(),
        name: c.name.clone(),
        version_key,
    }
}

/// The component as the matcher needs it later (the first one seen for its key).
fn sample_json(c: &Component) -> String {
    serde_json::to_string(c).unwrap_or_default()
}

struct Job {
    prep: Prepared,
    reply: oneshot::Sender<Result<Ack, Error>>,
}

/// Uploads a server holds at once, from reading the body to the answer: bounds the memory
/// of a burst (each holds its body and, after the check, its prepared rows); more wait.
pub const MAX_IN_FLIGHT: usize = 256;

/// The handle of the writer task, with the two gates in front of it.
#[derive(Debug, Clone)]
pub struct Writer {
    tx: mpsc::Sender<Job>,
    /// Uploads in flight ([`MAX_IN_FLIGHT`]).
    in_flight: Arc<Semaphore>,
    /// Uploads being decoded and checked at once: one per core. More would only add
    /// threads (each with its own allocator arena and a parsed document in memory), not
    /// speed, on a CPU-bound step.
    cpu: Arc<Semaphore>,
}

/// Hosts whose stored upload changed (for the assessor).
pub type Changed = mpsc::UnboundedSender<Vec<i64>>;

impl Writer {
    /// Starts the writer task. `changed` receives the hosts of each committed batch.
    #[must_use]
    pub fn start(db: Db, changed: Option<Changed>) -> Self {
        Self::start_with(db, changed, None)
    }

    /// [`Writer::start`], holding each batch's transaction open for `pause` before its
    /// COMMIT (crash tests only).
    #[must_use]
    pub fn start_with(db: Db, changed: Option<Changed>, pause: Option<Duration>) -> Self {
        let (tx, rx) = mpsc::channel::<Job>(MAX_IN_FLIGHT);
        tokio::spawn(run(db, rx, changed, pause));
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Self {
            tx,
            in_flight: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
            cpu: Arc::new(Semaphore::new(cores.clamp(1, 16))),
        }
    }

    /// A place for one upload; hold it until the answer is sent.
    ///
    /// # Errors
    /// 503 when the server is shutting down.
    pub async fn admit(&self) -> Result<OwnedSemaphorePermit, Error> {
        Arc::clone(&self.in_flight)
            .acquire_owned()
            .await
            .map_err(|_| Error::coded(503, "shutting_down", ""))
    }

    /// Decodes and checks a body on the blocking pool, one upload per core at a time.
    ///
    /// # Errors
    /// As [`prepare_body`].
    pub async fn prepare(
        &self,
        host: HostCtx,
        upload_key: String,
        encoding: Option<String>,
        body: axum::body::Bytes,
    ) -> Result<Prepared, Error> {
        let _cpu = Arc::clone(&self.cpu)
            .acquire_owned()
            .await
            .map_err(|_| Error::coded(503, "shutting_down", ""))?;
        tokio::task::spawn_blocking(move || {
            prepare_body(host, &upload_key, encoding.as_deref(), &body)
        })
        .await
        .map_err(|e| Error::internal(e.to_string()))?
    }

    /// Stores an upload; returns only after the commit.
    ///
    /// # Errors
    /// 409 when the upload id was used for other content; 503 when storage failed.
    pub async fn submit(&self, prep: Prepared) -> Result<Ack, Error> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Job { prep, reply })
            .await
            .map_err(|_| Error::coded(503, "shutting_down", ""))?;
        rx.await
            .map_err(|_| Error::coded(503, "write_interrupted", ""))?
    }
}

async fn run(
    db: Db,
    mut rx: mpsc::Receiver<Job>,
    changed: Option<Changed>,
    pause: Option<Duration>,
) {
    let mut cache: HashMap<ComponentKey, i64> = HashMap::new();
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => batch.push(j),
                Err(_) => break,
            }
        }
        let preps: Vec<&Prepared> = batch.iter().map(|j| &j.prep).collect();
        let mut fresh = HashMap::new();
        match write_batch(&db, &preps, &cache, &mut fresh, pause).await {
            Ok(acks) => {
                cache.extend(fresh);
                if cache.len() > 1_000_000 {
                    cache.clear();
                }
                let hosts: Vec<i64> = batch.iter().map(|j| j.prep.host.host_id()).collect();
                for (job, ack) in batch.into_iter().zip(acks) {
                    let _ = job.reply.send(ack);
                }
                if let Some(c) = &changed {
                    let _ = c.send(hosts);
                }
            }
            // A failed batch is retried upload by upload, each up to three times: on
            // PostgreSQL another instance's writer may have raced this one on the same
            // index rows (unique violation, deadlock), which a second try resolves.
            Err(_) => {
                for job in batch {
                    let host = job.prep.host.host_id();
                    let mut answer = Err(Error::internal(""));
                    for attempt in 0..3u32 {
                        if attempt > 0 {
                            tokio::time::sleep(Duration::from_millis(10 << attempt)).await;
                        }
                        let mut fresh = HashMap::new();
                        match write_batch(&db, &[&job.prep], &cache, &mut fresh, pause).await {
                            Ok(mut acks) => {
                                cache.extend(fresh);
                                answer = Ok(acks.pop().unwrap_or_else(|| Err(Error::internal(""))));
                                break;
                            }
                            Err(e) => answer = Err(e),
                        }
                    }
                    match answer {
                        Ok(ack) => {
                            let _ = job.reply.send(ack);
                            if let Some(c) = &changed {
                                let _ = c.send(vec![host]);
                            }
                        }
                        Err(e) => {
                            let _ = job.reply.send(Err(clone_err(&e)));
                        }
                    }
                }
            }
        }
    }
}

fn clone_err(e: &Error) -> Error {
    match e {
        Error::Coded {
            status,
            code,
            detail,
        } => Error::coded(*status, code, detail.clone()),
        Error::Unauthorized { reenroll } => Error::Unauthorized {
            reenroll: *reenroll,
        },
    }
}

/// Writes a batch in one transaction. The outer `Result` fails the whole batch; the inner
/// ones are per-upload answers (a conflict refuses one upload, others still commit).
async fn write_batch(
    db: &Db,
    preps: &[&Prepared],
    cache: &HashMap<ComponentKey, i64>,
    fresh: &mut HashMap<ComponentKey, i64>,
    pause: Option<Duration>,
) -> Result<Vec<Result<Ack, Error>>, Error> {
    let now = now_ms();
    let mut tx = db.write().begin().await?;
    let mut out = Vec::with_capacity(preps.len());
    for p in preps {
        let prior =
            sqlx::query("SELECT id, sha256 FROM uploads WHERE host_id = $1 AND upload_key = $2")
                .bind(p.host.host_id())
                .bind(&p.upload_key)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(r) = prior {
            let sha: String = r.try_get("sha256")?;
            out.push(if sha == p.sha256 {
                Ok(Ack {
                    upload_id: r.try_get("id")?,
                    duplicate: true,
                })
            } else {
                Err(Error::coded(409, "upload_id_reused", p.upload_key.clone()))
            });
            continue;
        }
        let inv = inventory_id(&mut tx, db.engine(), p, cache, fresh).await?;
        let id: i64 = sqlx::query(
            "INSERT INTO uploads (practice_id, host_id, upload_key, received_at, sha256, body, inventory_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(p.host.practice().get())
        .bind(p.host.host_id())
        .bind(&p.upload_key)
        .bind(now)
        .bind(&p.sha256)
        .bind(&p.stored)
        .bind(inv)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        sqlx::query(
            "UPDATE hosts SET current_upload_id = $1, current_inventory_id = $2, last_seen_at = $3 \
             WHERE id = $4 AND practice_id = $5",
        )
        .bind(id)
        .bind(inv)
        .bind(now)
        .bind(p.host.host_id())
        .bind(p.host.practice().get())
        .execute(&mut *tx)
        .await?;
        out.push(Ok(Ack {
            upload_id: id,
            duplicate: false,
        }));
    }
    if let Some(p) = pause {
        tokio::time::sleep(p).await;
    }
    tx.commit().await?;
    Ok(out)
}

async fn inventory_id(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    engine: Engine,
    p: &Prepared,
    cache: &HashMap<ComponentKey, i64>,
    fresh: &mut HashMap<ComponentKey, i64>,
) -> Result<i64, Error> {
    if let Some(r) = sqlx::query("SELECT id FROM inventories WHERE sha256 = $1")
        .bind(&p.inventory_sha)
        .fetch_optional(&mut **tx)
        .await?
    {
        return Ok(r.try_get("id")?);
    }
    let inv: i64 =
        sqlx::query("INSERT INTO inventories (sha256, components) VALUES ($1, $2) RETURNING id")
            .bind(&p.inventory_sha)
            .bind(i64::try_from(p.components.len()).unwrap_or(i64::MAX))
            .fetch_one(&mut **tx)
            .await?
            .try_get("id")?;
    let mut ids = Vec::with_capacity(p.components.len());
    for (k, c) in &p.components {
        if let Some(id) = cache.get(k).or_else(|| fresh.get(k)) {
            ids.push(*id);
            continue;
        }
        let id = version_id(tx, k, &sample_json(c)).await?;
        fresh.insert(k.clone(), id);
        ids.push(id);
    }
    ids.sort_unstable();
    ids.dedup();
    // Multi-row inserts, 400 rows (800 parameters) per statement.
    for chunk in ids.chunks(400) {
        let mut sql =
            String::from("INSERT INTO inventory_items (version_id, inventory_id) VALUES ");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("(${}, ${})", 2 * i + 1, 2 * i + 2));
        }
        if engine == Engine::Postgres {
            sql.push_str(" ON CONFLICT DO NOTHING");
        }
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(*id).bind(inv);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(inv)
}

async fn version_id(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    k: &ComponentKey,
    sample: &str,
) -> Result<i64, Error> {
    sqlx::query("INSERT INTO packages (ecosystem, name) VALUES ($1, $2) ON CONFLICT (ecosystem, name) DO NOTHING")
        .bind(&k.ecosystem)
        .bind(&k.name)
        .execute(&mut **tx)
        .await?;
    let pkg: i64 = sqlx::query("SELECT id FROM packages WHERE ecosystem = $1 AND name = $2")
        .bind(&k.ecosystem)
        .bind(&k.name)
        .fetch_one(&mut **tx)
        .await?
        .try_get("id")?;
    sqlx::query(
        "INSERT INTO package_versions (package_id, version_key, sample) VALUES ($1, $2, $3) \
         ON CONFLICT (package_id, version_key) DO NOTHING",
    )
    .bind(pkg)
    .bind(&k.version_key)
    .bind(sample)
    .execute(&mut **tx)
    .await?;
    Ok(
        sqlx::query("SELECT id FROM package_versions WHERE package_id = $1 AND version_key = $2")
            .bind(pkg)
            .bind(&k.version_key)
            .fetch_one(&mut **tx)
            .await?
            .try_get("id")?,
    )
}

/// The naive write, for the benchmark's baseline: one transaction per upload, components
/// written row by row without the shared inventory.
///
/// # Errors
/// Storage errors.
pub async fn naive_write(db: &Db, p: &Prepared) -> Result<Ack, Error> {
    let mut fresh = HashMap::new();
    let mut acks = write_batch(db, &[p], &HashMap::new(), &mut fresh, None).await?;
    acks.pop().unwrap_or_else(|| Err(Error::internal("")))
}
