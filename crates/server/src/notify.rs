//! The association is told: an e-mail per affected practice contact and a signed webhook
//! when a new advisory set marks hosts; a practice that has a webhook of its own gets one
//! too, with its own hosts only, signed with its own secret.
//!
//! Durable outbox: [`enqueue`] writes the rows in the same transaction as the impact rows
//! of a re-evaluation, so an acknowledged re-evaluation is never lost. The [`dispatcher`]
//! delivers them outside any transaction (a slow or failing SMTP server or receiver never
//! blocks uploads), with bounded retries and exponential backoff. Messages carry facts
//! only: advisory ids, counts, the practice's own host names and a link; never log lines,
//! file contents or another practice's hosts.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use hmac::{Hmac, Mac};
use lettre::message::Body;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use praxcheck_i18n::{Arg, Catalog, Lang};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use sqlx::Row as _;

use crate::db::{Db, now_ms};
use crate::error::Error;

/// The webhook's signature header: `sha256=<hex HMAC-SHA256 of the body>`.
pub const SIGNATURE_HEADER: &str = "x-praxcheck-signature";

/// Attempts before a row is given up (marked failed with its last error).
pub const MAX_ATTEMPTS: i64 = 8;

/// Where notifications go.
#[derive(Debug, Clone)]
pub struct NotifyConfig {
    /// SMTP relay, `smtp://host:port` (plain, to the association's own relay).
    pub smtp: Option<String>,
    /// Sender address of the e-mails.
    pub smtp_from: Option<String>,
    /// Webhook URL and the HMAC secret it is signed with.
    pub webhook: Option<Webhook>,
    /// First retry delay (doubles per attempt, at most one hour); default 30 s.
    pub retry_base: Duration,
    /// How often the outbox is looked at; default 5 s.
    pub poll: Duration,
}

/// A webhook receiver.
#[derive(Clone)]
pub struct Webhook {
    /// http(s) URL.
    pub url: String,
    /// HMAC-SHA256 key.
    pub secret: Vec<u8>,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl Webhook {
    /// Reads the secret from a file (trailing whitespace trimmed; never empty).
    ///
    /// # Errors
    /// When the file cannot be read or is empty; names the file.
    pub fn from_file(url: &str, secret_file: &Path) -> Result<Self, Error> {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(Error::bad("webhook_invalid", url));
        }
        let secret = std::fs::read(secret_file).map_err(|e| {
            Error::bad(
                "secret_file_unreadable",
                format!("{}: {e}", secret_file.display()),
            )
        })?;
        let secret = String::from_utf8_lossy(&secret).trim().as_bytes().to_vec();
        if secret.is_empty() {
            return Err(Error::bad(
                "secret_file_empty",
                secret_file.display().to_string(),
            ));
        }
        Ok(Self {
            url: url.to_owned(),
            secret,
        })
    }
}

impl NotifyConfig {
    /// Nothing configured: rows are kept (pending) for an instance that has the channel.
    #[must_use]
    pub fn new() -> Self {
        Self {
            smtp: None,
            smtp_from: None,
            webhook: None,
            retry_base: Duration::from_secs(30),
            poll: Duration::from_secs(5),
        }
    }
}

impl Default for NotifyConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl NotifyConfig {
    /// Checks the SMTP URL and sender address, so `serve` refuses them at start rather
    /// than at the first delivery.
    ///
    /// # Errors
    /// Names the option and the reason.
    pub fn check(&self) -> Result<(), Error> {
        if let Some(smtp) = &self.smtp {
            smtp_endpoint(smtp).map_err(|_| Error::bad("smtp_invalid", smtp.clone()))?;
        }
        if let Some(from) = &self.smtp_from {
            from.parse::<lettre::message::Mailbox>()
                .map_err(|e| Error::bad("smtp_from_invalid", format!("{from}: {e}")))?;
        }
        Ok(())
    }
}

/// An e-mail row: one practice's affected hosts per advisory.
#[derive(Debug, Serialize, Deserialize)]
struct MailPayload {
    advisories: BTreeMap<String, Vec<i64>>,
}

/// The webhook's JSON body (also the stored payload).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct WebhookBody {
    /// Always `advisories.impact`.
    pub event: String,
    /// The advisory set version that marked the hosts.
    pub set_version: i64,
    /// Per advisory: how many hosts and practices.
    pub advisories: Vec<WebhookAdvisory>,
    /// Hosts affected in all.
    pub hosts: usize,
    /// Practices affected in all.
    pub practices: usize,
}

/// One advisory in a webhook body.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct WebhookAdvisory {
    /// Advisory or rule id.
    pub id: String,
    /// Affected hosts.
    pub hosts: usize,
    /// Affected practices.
    pub practices: usize,
}

/// The body of a practice's own webhook (`webhook_url` of the practice): that practice's
/// affected hosts only, signed with the practice's own secret.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PracticeWebhookBody {
    /// Always `practice.advisories.impact`.
    pub event: String,
    /// The advisory set version that marked the hosts.
    pub set_version: i64,
    /// The practice (server id).
    pub practice_id: i64,
    /// Per advisory: the practice's affected hosts.
    pub advisories: Vec<PracticeWebhookAdvisory>,
    /// The practice's affected hosts in all.
    pub hosts: usize,
}

/// One advisory in a practice's webhook body.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PracticeWebhookAdvisory {
    /// Advisory or rule id.
    pub id: String,
    /// The practice's affected hosts.
    pub hosts: Vec<PracticeWebhookHost>,
}

/// One of the practice's hosts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PracticeWebhookHost {
    /// Server id.
    pub host_id: i64,
    /// Host name.
    pub hostname: String,
}

/// Writes the outbox rows for newly found impacts `(advisory, host, practice)`: one e-mail
/// row per practice, one webhook row per practice that has a webhook of its own (with its
/// own hosts only), one association webhook row per set. Called inside the impacts'
/// transaction.
///
/// # Errors
/// Storage errors (the transaction then rolls back with the impacts).
pub(crate) async fn enqueue(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    set_version: i64,
    impacts: &BTreeSet<(String, i64, i64)>,
    now: i64,
) -> Result<(), Error> {
    if impacts.is_empty() {
        return Ok(());
    }
    let mut per_practice: BTreeMap<i64, BTreeMap<String, Vec<i64>>> = BTreeMap::new();
    let mut per_adv: BTreeMap<&str, (BTreeSet<i64>, BTreeSet<i64>)> = BTreeMap::new();
    for (adv, host, practice) in impacts {
        per_practice
            .entry(*practice)
            .or_default()
            .entry(adv.clone())
            .or_default()
            .push(*host);
        let e = per_adv.entry(adv.as_str()).or_default();
        e.0.insert(*host);
        e.1.insert(*practice);
    }
    let hooked: BTreeSet<i64> =
        sqlx::query("SELECT id FROM practices WHERE webhook_url IS NOT NULL")
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>("id"))
            .collect::<Result<_, _>>()?;
    for (practice, advisories) in per_practice {
        if hooked.contains(&practice) {
            let payload = practice_webhook_body(tx, practice, set_version, &advisories).await?;
            insert_row(tx, "webhook", Some(practice), set_version, &payload, now).await?;
        }
        let payload = serde_json::to_string(&MailPayload { advisories })
            .map_err(|e| Error::internal(e.to_string()))?;
        insert_row(tx, "email", Some(practice), set_version, &payload, now).await?;
    }
    let body = WebhookBody {
        event: "advisories.impact".into(),
        set_version,
        advisories: per_adv
            .iter()
            .map(|(id, (h, p))| WebhookAdvisory {
                id: (*id).to_owned(),
                hosts: h.len(),
                practices: p.len(),
            })
            .collect(),
        hosts: impacts
            .iter()
            .map(|(_, h, _)| *h)
            .collect::<BTreeSet<_>>()
            .len(),
        practices: impacts
            .iter()
            .map(|(_, _, p)| *p)
            .collect::<BTreeSet<_>>()
            .len(),
    };
    let payload = serde_json::to_string(&body).map_err(|e| Error::internal(e.to_string()))?;
    insert_row(tx, "webhook", None, set_version, &payload, now).await
}

/// One due outbox row.
async fn insert_row(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    kind: &str,
    practice: Option<i64>,
    set_version: i64,
    payload: &str,
    now: i64,
) -> Result<(), Error> {
    sqlx::query(
        "INSERT INTO outbox (kind, practice_id, set_version, payload, attempts, next_at, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5, $6)",
    )
    .bind(kind)
    .bind(practice)
    .bind(set_version)
    .bind(payload)
    .bind(now)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The JSON body of one practice's own webhook: its hosts' names come from a query bound
/// to the practice, so no other practice's host can appear.
async fn practice_webhook_body(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    practice: i64,
    set_version: i64,
    advisories: &BTreeMap<String, Vec<i64>>,
) -> Result<String, Error> {
    let names: BTreeMap<i64, String> =
        sqlx::query("SELECT id, hostname FROM hosts WHERE practice_id = $1")
            .bind(practice)
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("hostname")?)))
            .collect::<Result<_, sqlx::Error>>()?;
    let mut all = BTreeSet::new();
    let body = PracticeWebhookBody {
        event: "practice.advisories.impact".into(),
        set_version,
        practice_id: practice,
        advisories: advisories
            .iter()
            .map(|(id, hosts)| PracticeWebhookAdvisory {
                id: id.clone(),
                hosts: hosts
                    .iter()
                    .filter_map(|h| {
                        let hostname = names.get(h)?.clone();
                        all.insert(*h);
                        Some(PracticeWebhookHost {
                            host_id: *h,
                            hostname,
                        })
                    })
                    .collect(),
            })
            .collect(),
        hosts: 0,
    };
    let body = PracticeWebhookBody {
        hosts: all.len(),
        ..body
    };
    serde_json::to_string(&body).map_err(|e| Error::internal(e.to_string()))
}

/// The HMAC-SHA256 signature header value of a body.
#[must_use]
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    // HMAC accepts keys of any length.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Checks a signature header value (constant time).
#[must_use]
pub fn verify(secret: &[u8], body: &[u8], header: &str) -> bool {
    let Some(hexsig) = header.strip_prefix("sha256=") else {
        return false;
    };
    let Ok(sig) = hex::decode(hexsig) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&sig).is_ok()
}

/// Outbox counts: (sent, pending, failed).
///
/// # Errors
/// Storage errors.
pub async fn counts(db: &Db) -> Result<(i64, i64, i64), Error> {
    let r = sqlx::query(
        "SELECT \
         SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END) AS sent, \
         SUM(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END) AS pending, \
         SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END) AS failed FROM outbox",
    )
    .fetch_one(db.read())
    .await?;
    let get = |k: &str| -> Result<i64, Error> { Ok(r.try_get::<Option<i64>, _>(k)?.unwrap_or(0)) };
    Ok((get("sent")?, get("pending")?, get("failed")?))
}

/// How long a claim on outbox rows holds before another instance may take them: longer
/// than a claimed batch takes to send (at most [`CLAIM_BATCH`] × the 15 s timeouts).
pub const CLAIM_LEASE_MS: i64 = 5 * 60 * 1000;
/// Rows claimed at once.
const CLAIM_BATCH: i64 = 10;

/// A new instance id for claims (random, per server start).
#[must_use]
pub fn instance_id() -> String {
    let mut b = [0u8; 8];
    let _ = getrandom::fill(&mut b);
    hex::encode(b)
}

/// Delivers due outbox rows every [`NotifyConfig::poll`] until the task is aborted.
/// `instance` names this server in its claims.
pub async fn dispatcher(db: Db, config: NotifyConfig, public_url: String, instance: String) {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .unwrap_or_default();
    loop {
        // A failed round leaves the rows; the next round retries.
        let _ = round(&db, &config, &public_url, &http, &instance).await;
        tokio::time::sleep(config.poll.max(Duration::from_millis(20))).await;
    }
}

/// Gives back the rows this instance claimed and has not finished (when it stops): another
/// instance need not wait for the lease.
///
/// # Errors
/// Storage errors.
pub async fn release_claims(db: &Db, instance: &str) -> Result<(), Error> {
    sqlx::query(
        "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL \
         WHERE claimed_by = $1 AND sent_at IS NULL AND failed_at IS NULL",
    )
    .bind(instance)
    .execute(db.write())
    .await?;
    Ok(())
}

/// One pass over the due rows: claims up to [`CLAIM_BATCH`] of them in one statement, then
/// delivers them. Two instances on one database never claim the same row (PostgreSQL:
/// `FOR UPDATE SKIP LOCKED` in the claiming UPDATE; SQLite: one writer at a time), and a
/// row's outcome is recorded only while this instance's claim on it holds.
///
/// # Errors
/// Storage errors.
pub async fn round(
    db: &Db,
    config: &NotifyConfig,
    public_url: &str,
    http: &reqwest::Client,
    instance: &str,
) -> Result<(), Error> {
    // Only the channels this instance has: another instance (or a later start) with the
    // channel configured delivers the rest, so nothing is dropped for lack of configuration.
    // A practice's own webhook (a webhook row with its practice) needs no configuration of
    // the instance: its URL and secret are the practice's.
    let mut kinds = vec!["(kind = 'webhook' AND practice_id IS NOT NULL)"];
    if config.smtp.is_some() && config.smtp_from.is_some() {
        kinds.push("kind = 'email'");
    }
    if config.webhook.is_some() {
        kinds.push("(kind = 'webhook' AND practice_id IS NULL)");
    }
    let kinds = kinds.join(" OR ");
    let now = now_ms();
    let lock = if db.engine() == crate::db::Engine::Postgres {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let mut rows = sqlx::query(&format!(
        "UPDATE outbox SET claimed_by = $1, claimed_until = $2 WHERE id IN (\
         SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_at <= $3 \
         AND ({kinds}) AND (claimed_until IS NULL OR claimed_until < $3) \
         ORDER BY id LIMIT {CLAIM_BATCH}{lock}) \
         RETURNING id, kind, practice_id, set_version, payload, attempts"
    ))
    .bind(instance)
    .bind(now.saturating_add(CLAIM_LEASE_MS))
    .bind(now)
    .fetch_all(db.write())
    .await?;
    rows.sort_by_key(|r| r.try_get::<i64, _>("id").unwrap_or(0));
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let kind: String = r.try_get("kind")?;
        let practice: Option<i64> = r.try_get("practice_id")?;
        let version: i64 = r.try_get("set_version")?;
        let payload: String = r.try_get("payload")?;
        let attempts: i64 = r.try_get("attempts")?;
        let outcome = match kind.as_str() {
            "email" => send_mail(db, config, public_url, practice, version, &payload).await,
            _ => match practice {
                Some(p) => send_practice_webhook(db, http, p, &payload).await,
                None => send_webhook(config, http, &payload).await,
            },
        };
        match outcome {
            Ok(Delivery::Sent) => {
                sqlx::query(
                    "UPDATE outbox SET sent_at = $1, attempts = $2, claimed_by = NULL, claimed_until = NULL \
                     WHERE id = $3 AND claimed_by = $4",
                )
                .bind(now_ms())
                .bind(attempts + 1)
                .bind(id)
                .bind(instance)
                .execute(db.write())
                    .await?;
            }
            Ok(Delivery::NotConfigured(why)) => {
                sqlx::query(
                    "UPDATE outbox SET failed_at = $1, last_error = $2, claimed_by = NULL, claimed_until = NULL \
                     WHERE id = $3 AND claimed_by = $4",
                )
                .bind(now_ms())
                .bind(why)
                .bind(id)
                .bind(instance)
                .execute(db.write())
                    .await?;
            }
            Err(why) => {
                let attempts = attempts + 1;
                let failed = (attempts >= MAX_ATTEMPTS).then(now_ms);
                let base = i64::try_from(config.retry_base.as_millis()).unwrap_or(30_000);
                let delay = base
                    .saturating_mul(1_i64 << attempts.clamp(0, 20))
                    .min(3_600_000);
                sqlx::query(
                    "UPDATE outbox SET attempts = $1, next_at = $2, failed_at = $3, last_error = $4, \
                     claimed_by = NULL, claimed_until = NULL WHERE id = $5 AND claimed_by = $6",
                )
                .bind(attempts)
                .bind(now_ms().saturating_add(delay))
                .bind(failed)
                .bind(why.chars().take(500).collect::<String>())
                .bind(id)
                .bind(instance)
                .execute(db.write())
                .await?;
            }
        }
    }
    Ok(())
}

enum Delivery {
    Sent,
    NotConfigured(String),
}

async fn send_webhook(
    config: &NotifyConfig,
    http: &reqwest::Client,
    payload: &str,
) -> Result<Delivery, String> {
    let Some(hook) = &config.webhook else {
        return Ok(Delivery::NotConfigured("no webhook configured".into()));
    };
    let r = http
        .post(&hook.url)
        .header("content-type", "application/json")
        .header(SIGNATURE_HEADER, sign(&hook.secret, payload.as_bytes()))
        .body(payload.to_owned())
        .send()
        .await
        .map_err(|e| format!("webhook {}: {e}", hook.url))?;
    if r.status().is_success() {
        Ok(Delivery::Sent)
    } else {
        Err(format!("webhook {}: answered {}", hook.url, r.status()))
    }
}

/// Posts a practice's own webhook row to the practice's URL, signed with its secret (both
/// read at sending time: a practice whose webhook was removed gets nothing).
async fn send_practice_webhook(
    db: &Db,
    http: &reqwest::Client,
    practice: i64,
    payload: &str,
) -> Result<Delivery, String> {
    let row = sqlx::query("SELECT webhook_url, webhook_secret FROM practices WHERE id = $1")
        .bind(practice)
        .fetch_optional(db.read())
        .await
        .map_err(|e| e.to_string())?;
    let hook = row
        .map(|r| -> Result<_, sqlx::Error> {
            Ok((
                r.try_get::<Option<String>, _>("webhook_url")?,
                r.try_get::<Option<String>, _>("webhook_secret")?,
            ))
        })
        .transpose()
        .map_err(|e| e.to_string())?;
    let Some((Some(url), Some(secret))) = hook else {
        return Ok(Delivery::NotConfigured(
            "the practice has no webhook".into(),
        ));
    };
    let r = http
        .post(&url)
        .header("content-type", "application/json")
        .header(
            SIGNATURE_HEADER,
            sign(secret.as_bytes(), payload.as_bytes()),
        )
        .body(payload.to_owned())
        .send()
        .await
        .map_err(|e| format!("practice {practice} webhook {url}: {e}"))?;
    if r.status().is_success() {
        Ok(Delivery::Sent)
    } else {
        Err(format!(
            "practice {practice} webhook {url}: answered {}",
            r.status()
        ))
    }
}

async fn send_mail(
    db: &Db,
    config: &NotifyConfig,
    public_url: &str,
    practice: Option<i64>,
    version: i64,
    payload: &str,
) -> Result<Delivery, String> {
    let (Some(smtp), Some(from)) = (&config.smtp, &config.smtp_from) else {
        return Ok(Delivery::NotConfigured("no SMTP server configured".into()));
    };
    let Some(practice) = practice else {
        return Ok(Delivery::NotConfigured("no practice".into()));
    };
    let p: MailPayload = serde_json::from_str(payload).map_err(|e| format!("payload: {e}"))?;
    let row = sqlx::query("SELECT name, contact_email FROM practices WHERE id = $1")
        .bind(practice)
        .fetch_one(db.read())
        .await
        .map_err(|e| e.to_string())?;
    let name: String = row.try_get("name").map_err(|e| e.to_string())?;
    let Some(to) = row
        .try_get::<Option<String>, _>("contact_email")
        .map_err(|e| e.to_string())?
    else {
        return Ok(Delivery::NotConfigured(
            "the practice has no contact e-mail".into(),
        ));
    };
    // Host names of this practice only (the query binds the practice).
    let mut names: BTreeMap<i64, String> = BTreeMap::new();
    let ids: BTreeSet<i64> = p.advisories.values().flatten().copied().collect();
    for id in ids.iter().take(200) {
        if let Some(r) =
            sqlx::query("SELECT hostname FROM hosts WHERE id = $1 AND practice_id = $2")
                .bind(*id)
                .bind(practice)
                .fetch_optional(db.read())
                .await
                .map_err(|e| e.to_string())?
        {
            names.insert(*id, r.try_get("hostname").map_err(|e| e.to_string())?);
        }
    }
    let link = format!("{}/practice/{practice}", public_url.trim_end_matches('/'));
    let (subject, body) = render(&name, version, &p.advisories, &names, ids.len(), &link);
    let msg = Message::builder()
        .from(
            from.parse()
                .map_err(|e| format!("--smtp-from {from}: {e}"))?,
        )
        .to(to.parse().map_err(|e| format!("contact {to}: {e}"))?)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        // Base64: the German text has umlauts, and base64 passes every relay unchanged.
        .body(
            Body::new_with_encoding(body, ContentTransferEncoding::Base64)
                .map_err(|_| "message body".to_owned())?,
        )
        .map_err(|e| format!("message: {e}"))?;
    let (host, port) = smtp_endpoint(smtp)?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(port)
        .timeout(Some(Duration::from_secs(15)))
        .build();
    transport
        .send(msg)
        .await
        .map_err(|e| format!("SMTP {smtp}: {e}"))?;
    Ok(Delivery::Sent)
}

/// Host and port of `smtp://host[:port]` (port 25 by default). Plain SMTP to a relay the
/// association runs (the local MTA relays onward with TLS); lettre's URL parser needs a TLS
/// feature we do not build, so the few lines are here.
fn smtp_endpoint(smtp: &str) -> Result<(String, u16), String> {
    let url = reqwest::Url::parse(smtp).map_err(|e| format!("--smtp {smtp}: {e}"))?;
    if url.scheme() != "smtp" {
        return Err(format!(
            "--smtp {smtp}: only smtp://host:port (a relay) is supported"
        ));
    }
    let host = url
        .host_str()
        .ok_or_else(|| format!("--smtp {smtp}: no host"))?
        .trim_matches(['[', ']'])
        .to_owned();
    Ok((host, url.port().unwrap_or(25)))
}

/// Subject and body, German first with English, from the message catalogue.
fn render(
    practice: &str,
    version: i64,
    advisories: &BTreeMap<String, Vec<i64>>,
    names: &BTreeMap<i64, String>,
    hosts: usize,
    link: &str,
) -> (String, String) {
    let de = Catalog::new(Lang::De);
    let en = Catalog::new(Lang::En);
    let n = |v: usize| Arg::Str(v.to_string());
    let subject = format!(
        "{} / {}",
        de.t_args("notify-mail-subject", &[("hosts", n(hosts))]),
        en.t_args("notify-mail-subject", &[("hosts", n(hosts))])
    );
    let host_names = names.values().cloned().collect::<Vec<_>>().join(", ");
    let mut body = String::new();
    for c in [&de, &en] {
        body.push_str(&c.t_args(
            "notify-mail-intro",
            &[
                ("practice", Arg::Str(practice.to_owned())),
                ("version", Arg::Str(version.to_string())),
                ("hosts", n(hosts)),
            ],
        ));
        body.push_str("\n\n");
        for (adv, h) in advisories {
            body.push_str(&format!(
                "  - {}\n",
                c.t_args(
                    "notify-mail-advisory",
                    &[("advisory", Arg::Str(adv.clone())), ("hosts", n(h.len()))]
                )
            ));
        }
        body.push('\n');
        body.push_str(&c.t_args(
            "notify-mail-hosts",
            &[("names", Arg::Str(host_names.clone()))],
        ));
        body.push('\n');
        body.push_str(&c.t_args("notify-mail-link", &[("link", Arg::Str(link.to_owned()))]));
        body.push_str("\n\n");
    }
    (subject, body)
}
