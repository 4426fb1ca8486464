//! Practices, enrollment tokens, enrollment, re-enrollment and credential rotation
//! (design: research `service.md` §2.4).
//!
//! * An enrollment token belongs to one practice, expires, has a use limit counted in the
//!   database (the use is counted in the same transaction that creates the host) and can
//!   be revoked. The token string carries the server URL, the TLS key pin (if any), the
//!   token id and its secret; the server keeps only the secret's SHA-256.
//! * Enrollment creates a host with a server-assigned id and returns a credential and a
//!   re-enrollment secret, both stored as SHA-256 only.
//! * Hardware UUID, serial and machine id are facts: a second host in the same practice
//!   with the same fact is *flagged* ([`duplicates`]), never merged.
//! * Re-enrollment with the secret keeps the host id, revokes the old credentials and
//!   hands out a new secret. Rotation issues a new credential and lets the old one live
//!   [`ROTATION_OVERLAP_MS`] longer, so a lost answer does not lock the agent out.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sqlx::Row as _;

use crate::audit;
use crate::db::{Db, now_ms};
use crate::error::Error;
use crate::secret;
use crate::tenant::{AdminCtx, HostCtx, PracticeId};

/// How long a rotated-out credential stays valid.
pub const ROTATION_OVERLAP_MS: i64 = 10 * 60 * 1000;
/// Hardware UUIDs that vendors ship on many machines; never used to flag duplicates.
const BOGUS_UUIDS: [&str; 3] = [
    "03000200-0400-0500-0006-000700080009",
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
];

/// The decoded content of an enrollment token string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenContent {
    /// Format.
    pub v: u32,
    /// The server's base URL.
    pub url: String,
    /// SHA-256 of the server certificate's SubjectPublicKeyInfo, base64 (absent for plain
    /// HTTP or a publicly trusted certificate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<String>,
    /// Token id.
    pub id: String,
    /// Token secret.
    pub secret: String,
}

const TOKEN_PREFIX: &str = "pxe1.";

impl TokenContent {
    /// The token as one string.
    #[must_use]
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        format!(
            "{TOKEN_PREFIX}{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
        )
    }
    /// Parses a token string.
    ///
    /// # Errors
    /// When it is not an enrollment token.
    pub fn decode(s: &str) -> Result<Self, Error> {
        let bad = || Error::bad("token_invalid", "");
        let body = s.trim().strip_prefix(TOKEN_PREFIX).ok_or_else(bad)?;
        if body.len() > 4096 {
            return Err(bad());
        }
        let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| bad())?;
        serde_json::from_slice(&json).map_err(|_| bad())
    }
}

/// A practice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Practice {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Contact e-mail for advisory notifications.
    pub contact_email: Option<String>,
    /// Webhook for advisory notifications.
    pub webhook_url: Option<String>,
}

/// Adds a practice.
///
/// # Errors
/// When the name is empty, too long or taken.
pub async fn add_practice(db: &Db, admin: &AdminCtx, name: &str) -> Result<Practice, Error> {
    add_practice_with_contact(db, admin, name, None).await
}

fn check_email(email: Option<&str>) -> Result<(), Error> {
    if email
        .is_some_and(|e| !e.contains('@') || e.len() > 254 || e.chars().any(char::is_whitespace))
    {
        return Err(Error::bad("email_invalid", ""));
    }
    Ok(())
}

/// Adds a practice with the contact e-mail that is told when a new advisory set marks
/// its hosts.
///
/// # Errors
/// When the name is empty, too long or taken, or the address is malformed.
pub async fn add_practice_with_contact(
    db: &Db,
    admin: &AdminCtx,
    name: &str,
    contact: Option<&str>,
) -> Result<Practice, Error> {
    check_email(contact)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(Error::bad("practice_name_invalid", ""));
    }
    let mut tx = db.write().begin().await?;
    let exists = sqlx::query("SELECT id FROM practices WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_some() {
        return Err(Error::coded(409, "practice_exists", format!("{name:?}")));
    }
    let id: i64 = sqlx::query(
        "INSERT INTO practices (name, contact_email, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(name)
    .bind(contact)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    audit::record(
        &mut tx,
        admin.actor(),
        "practice.add",
        &format!("{id} {name}"),
    )
    .await?;
    tx.commit().await?;
    Ok(Practice {
        id,
        name: name.to_owned(),
        contact_email: contact.map(str::to_owned),
        webhook_url: None,
    })
}

/// Sets a practice's notification contacts: the e-mail address, and the practice's own
/// webhook, which gets the practice's own affected hosts, signed (HMAC-SHA256, header
/// `X-Praxcheck-Signature`) with a secret of its own. Returns that secret when a webhook is
/// set (a new one each time: shown once, for the practice's receiver).
///
/// # Errors
/// When the practice does not exist or a value is malformed.
pub async fn set_contact(
    db: &Db,
    admin: &AdminCtx,
    practice: PracticeId,
    email: Option<&str>,
    webhook: Option<&str>,
) -> Result<Option<String>, Error> {
    check_email(email)?;
    if webhook
        .is_some_and(|w| !(w.starts_with("https://") || w.starts_with("http://")) || w.len() > 2000)
    {
        return Err(Error::bad("webhook_invalid", ""));
    }
    let secret = webhook
        .map(|_| secret::generate(secret::WEBHOOK_PREFIX))
        .transpose()?;
    let mut tx = db.write().begin().await?;
    let n = sqlx::query(
        "UPDATE practices SET contact_email = $1, webhook_url = $2, webhook_secret = $3 WHERE id = $4",
    )
    .bind(email)
    .bind(webhook)
    .bind(secret.as_deref())
    .bind(practice.get())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(Error::not_found("practice_not_found"));
    }
    audit::record(
        &mut tx,
        admin.actor(),
        "practice.contact",
        &practice.get().to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(secret)
}

/// Lists the practices.
///
/// # Errors
/// Storage errors.
pub async fn list_practices(db: &Db, _admin: &AdminCtx) -> Result<Vec<Practice>, Error> {
    let rows =
        sqlx::query("SELECT id, name, contact_email, webhook_url FROM practices ORDER BY id")
            .fetch_all(db.read())
            .await?;
    rows.iter()
        .map(|r| {
            Ok(Practice {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                contact_email: r.try_get("contact_email")?,
                webhook_url: r.try_get("webhook_url")?,
            })
        })
        .collect()
}

/// Finds a practice by id (digits) or name.
///
/// # Errors
/// 404 (`practice_not_found`) when there is none.
pub async fn find_practice(db: &Db, admin: &AdminCtx, key: &str) -> Result<PracticeId, Error> {
    let row = if let Ok(id) = key.parse::<i64>() {
        sqlx::query("SELECT id FROM practices WHERE id = $1")
            .bind(id)
            .fetch_optional(db.read())
            .await?
    } else {
        sqlx::query("SELECT id FROM practices WHERE name = $1")
            .bind(key)
            .fetch_optional(db.read())
            .await?
    };
    match row {
        Some(r) => Ok(admin.practice(r.try_get("id")?)),
        None => Err(Error::coded(404, "practice_not_found", format!("{key:?}"))),
    }
}

/// A created enrollment token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreatedToken {
    /// Token id (for revocation).
    pub id: String,
    /// The token string to give to the practice (shown once).
    pub token: String,
    /// Expiry, unix ms.
    pub expires_at: i64,
    /// Use limit.
    pub max_uses: i64,
}

/// Creates an enrollment token for a practice.
///
/// # Errors
/// When the practice does not exist or the limits are out of range.
pub async fn create_token(
    db: &Db,
    admin: &AdminCtx,
    practice: PracticeId,
    uses: u32,
    days: u32,
    url: &str,
    pin: Option<&str>,
) -> Result<CreatedToken, Error> {
    if uses == 0 || uses > 10_000 || days == 0 || days > 365 {
        return Err(Error::bad("token_limits_invalid", ""));
    }
    let id = secret::random_id()?;
    let sec = secret::generate("")?;
    let expires_at = now_ms() + i64::from(days) * 86_400_000;
    let mut tx = db.write().begin().await?;
    let exists = sqlx::query("SELECT id FROM practices WHERE id = $1")
        .bind(practice.get())
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_none() {
        return Err(Error::not_found("practice_not_found"));
    }
    sqlx::query(
        "INSERT INTO enroll_tokens (id, practice_id, secret_hash, expires_at, max_uses, uses, created_at) \
         VALUES ($1, $2, $3, $4, $5, 0, $6)",
    )
    .bind(&id)
    .bind(practice.get())
    .bind(secret::hash(&sec))
    .bind(expires_at)
    .bind(i64::from(uses))
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        admin.actor(),
        "token.create",
        &format!("{id} practice {} uses {uses} days {days}", practice.get()),
    )
    .await?;
    tx.commit().await?;
    let token = TokenContent {
        v: 1,
        url: url.to_owned(),
        pin: pin.map(str::to_owned),
        id: id.clone(),
        secret: sec,
    }
    .encode();
    Ok(CreatedToken {
        id,
        token,
        expires_at,
        max_uses: i64::from(uses),
    })
}

/// Revokes an enrollment token.
///
/// # Errors
/// 404 (`token_not_found`) for an unknown token.
pub async fn revoke_token(db: &Db, admin: &AdminCtx, id: &str) -> Result<(), Error> {
    let mut tx = db.write().begin().await?;
    let n = sqlx::query(
        "UPDATE enroll_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
    )
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(Error::not_found("token_not_found"));
    }
    audit::record(&mut tx, admin.actor(), "token.revoke", id).await?;
    tx.commit().await?;
    Ok(())
}

/// Facts an agent reports about its machine at enrollment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostFacts {
    /// Host name.
    pub hostname: String,
    /// SMBIOS hardware UUID.
    #[serde(default)]
    pub hardware_uuid: Option<String>,
    /// `/etc/machine-id` or the Windows MachineGuid.
    #[serde(default)]
    pub machine_id: Option<String>,
    /// Serial number.
    #[serde(default)]
    pub serial: Option<String>,
    /// Operating system.
    #[serde(default)]
    pub os: Option<String>,
}

impl HostFacts {
    fn check(&self) -> Result<(), Error> {
        let ok = |s: &str| s.chars().count() <= 200 && !s.chars().any(char::is_control);
        let all = [
            Some(self.hostname.as_str()),
            self.hardware_uuid.as_deref(),
            self.machine_id.as_deref(),
            self.serial.as_deref(),
            self.os.as_deref(),
        ];
        if self.hostname.trim().is_empty() || !all.iter().flatten().all(|s| ok(s)) {
            return Err(Error::bad("host_facts_invalid", ""));
        }
        Ok(())
    }
}

/// What an agent gets back from enrollment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolled {
    /// Server-assigned host id.
    pub host_id: i64,
    /// The practice.
    pub practice_id: i64,
    /// The credential (`Authorization: Bearer …`).
    pub credential: String,
    /// The re-enrollment secret (keep it; it restores this identity).
    pub reenroll_secret: String,
}

/// Enrolls a machine with a token: one transaction checks the token, counts the use,
/// creates the host and its credential.
///
/// # Errors
/// 401 for an unknown, wrong, expired, revoked or used-up token (the same reason for all);
/// 400 for bad facts.
pub async fn enroll(db: &Db, token: &str, facts: &HostFacts) -> Result<Enrolled, Error> {
    facts.check()?;
    let t = TokenContent::decode(token)?;
    let refuse = || Error::coded(401, "token_refused", "");
    let now = now_ms();
    let mut tx = db.write().begin().await?;
    // The use is counted by the same UPDATE that checks the limit, so two concurrent
    // enrollments cannot both take the last use.
    let row = sqlx::query(
        "UPDATE enroll_tokens SET uses = uses + 1 WHERE id = $1 AND revoked_at IS NULL \
         AND expires_at > $2 AND uses < max_uses RETURNING practice_id, secret_hash",
    )
    .bind(&t.id)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Err(refuse());
    };
    let stored: String = row.try_get("secret_hash")?;
    if !secret::same(&stored, &secret::hash(&t.secret)) {
        return Err(refuse());
    }
    let practice_id: i64 = row.try_get("practice_id")?;
    let reenroll = secret::generate(secret::REENROLL_PREFIX)?;
    let host_id: i64 = sqlx::query(
        "INSERT INTO hosts (practice_id, hostname, hardware_uuid, machine_id, serial, os, reenroll_hash, enrolled_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(practice_id)
    .bind(&facts.hostname)
    .bind(&facts.hardware_uuid)
    .bind(&facts.machine_id)
    .bind(&facts.serial)
    .bind(&facts.os)
    .bind(secret::hash(&reenroll))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    let credential = new_credential(&mut tx, host_id, practice_id).await?;
    tx.commit().await?;
    Ok(Enrolled {
        host_id,
        practice_id,
        credential,
        reenroll_secret: reenroll,
    })
}

async fn new_credential(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    host_id: i64,
    practice_id: i64,
) -> Result<String, Error> {
    let credential = secret::generate(secret::HOST_PREFIX)?;
    sqlx::query(
        "INSERT INTO credentials (hash, host_id, practice_id, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(secret::hash(&credential))
    .bind(host_id)
    .bind(practice_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(credential)
}

/// Re-enrolls a known host with its re-enrollment secret: same host id, all old
/// credentials revoked, a new credential and a new secret.
///
/// # Errors
/// 401 when the host or secret does not match.
pub async fn reenroll(db: &Db, host_id: i64, reenroll_secret: &str) -> Result<Enrolled, Error> {
    let refuse = || Error::coded(401, "reenroll_refused", "");
    if !reenroll_secret.starts_with(secret::REENROLL_PREFIX) || reenroll_secret.len() > 128 {
        return Err(refuse());
    }
    let mut tx = db.write().begin().await?;
    let row = sqlx::query("SELECT practice_id, reenroll_hash FROM hosts WHERE id = $1")
        .bind(host_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else {
        return Err(refuse());
    };
    let stored: String = row.try_get("reenroll_hash")?;
    if !secret::same(&stored, &secret::hash(reenroll_secret)) {
        return Err(refuse());
    }
    let practice_id: i64 = row.try_get("practice_id")?;
    sqlx::query("DELETE FROM credentials WHERE host_id = $1")
        .bind(host_id)
        .execute(&mut *tx)
        .await?;
    let next = secret::generate(secret::REENROLL_PREFIX)?;
    sqlx::query("UPDATE hosts SET reenroll_hash = $1 WHERE id = $2")
        .bind(secret::hash(&next))
        .bind(host_id)
        .execute(&mut *tx)
        .await?;
    let credential = new_credential(&mut tx, host_id, practice_id).await?;
    tx.commit().await?;
    Ok(Enrolled {
        host_id,
        practice_id,
        credential,
        reenroll_secret: next,
    })
}

/// Rotates the calling host's credential: a new one, and every older one expires after
/// the overlap.
///
/// # Errors
/// Storage errors.
pub async fn rotate(db: &Db, host: &HostCtx) -> Result<String, Error> {
    let mut tx = db.write().begin().await?;
    sqlx::query(
        "UPDATE credentials SET expires_at = $1 WHERE host_id = $2 AND practice_id = $3 \
         AND (expires_at IS NULL OR expires_at > $1)",
    )
    .bind(now_ms() + ROTATION_OVERLAP_MS)
    .bind(host.host_id())
    .bind(host.practice().get())
    .execute(&mut *tx)
    .await?;
    let c = new_credential(&mut tx, host.host_id(), host.practice().get()).await?;
    tx.commit().await?;
    Ok(c)
}

/// A group of hosts of one practice that share a hardware fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicate {
    /// Which fact (`hardware_uuid`, `machine_id`, `serial`).
    pub fact: String,
    /// Its value.
    pub value: String,
    /// The hosts (server ids), which stay separate.
    pub hosts: Vec<i64>,
}

/// Hosts of a practice flagged as possible duplicates (never merged).
///
/// # Errors
/// Storage errors.
pub async fn duplicates(db: &Db, practice: PracticeId) -> Result<Vec<Duplicate>, Error> {
    let mut out = Vec::new();
    let mut tx = db.tenant_read(&practice).await?;
    for fact in ["hardware_uuid", "machine_id", "serial"] {
        // The column name comes from the fixed list above, never from input.
        let sql = format!(
            "SELECT {fact} AS v, id FROM hosts WHERE practice_id = $1 AND {fact} IN \
             (SELECT {fact} FROM hosts WHERE practice_id = $1 AND {fact} IS NOT NULL AND {fact} <> '' \
              GROUP BY {fact} HAVING COUNT(*) > 1) ORDER BY {fact}, id"
        );
        let rows = sqlx::query(&sql)
            .bind(practice.get())
            .fetch_all(&mut *tx)
            .await?;
        let mut cur: Option<Duplicate> = None;
        for r in rows {
            let v: String = r.try_get("v")?;
            let id: i64 = r.try_get("id")?;
            if fact == "hardware_uuid" && BOGUS_UUIDS.contains(&v.to_ascii_lowercase().as_str()) {
                continue;
            }
            match &mut cur {
                Some(d) if d.value == v => d.hosts.push(id),
                _ => {
                    out.extend(cur.take());
                    cur = Some(Duplicate {
                        fact: fact.into(),
                        value: v,
                        hosts: vec![id],
                    });
                }
            }
        }
        out.extend(cur);
    }
    Ok(out)
}

/// Creates an association API key (for the HTTP admin endpoints); printed once.
///
/// # Errors
/// Storage errors.
pub async fn create_admin_key(db: &Db, admin: &AdminCtx, name: &str) -> Result<String, Error> {
    if name.trim().is_empty() || name.len() > 100 {
        return Err(Error::bad("key_name_invalid", ""));
    }
    let key = secret::generate(secret::ADMIN_PREFIX)?;
    let mut tx = db.write().begin().await?;
    sqlx::query("INSERT INTO admin_keys (hash, name, created_at) VALUES ($1, $2, $3)")
        .bind(secret::hash(&key))
        .bind(name)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    audit::record(&mut tx, admin.actor(), "key.create", name).await?;
    tx.commit().await?;
    Ok(key)
}
