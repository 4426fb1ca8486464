//! The command-line entry points (`serve`, `admin …`, `enroll`, `upload`): the binary
//! parses arguments and calls these; each runs its own tokio runtime and returns the text
//! for standard output (ids, tokens, JSON), never prints itself.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::client::{Agent, local_facts};
use crate::tenant::AdminCtx;
use crate::tls::TlsSource;
use crate::{Config, Db, Location, Server, enroll, practice, reeval};

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// The data folder that holds the generated TLS certificate: the SQLite folder, or the
/// default data folder next to a PostgreSQL database.
fn tls_folder(loc: &Location) -> PathBuf {
    match loc {
        Location::Folder(d) => d.clone(),
        Location::Postgres(_) => crate::db::default_data_dir(),
    }
}

/// How `serve` does TLS: the given files, plain HTTP, or the generated certificate.
#[must_use]
pub fn tls_source(
    loc: &Location,
    plain_http: bool,
    files: Option<(&Path, &Path)>,
) -> Option<TlsSource> {
    match (plain_http, files) {
        (_, Some((cert, key))) => Some(TlsSource::Files {
            cert: cert.to_owned(),
            key: key.to_owned(),
        }),
        (true, None) => None,
        (false, None) => Some(TlsSource::Generated {
            dir: tls_folder(loc),
        }),
    }
}

/// `praxcheck serve`: serves until killed. Without `--plain-http` or a certificate it
/// serves TLS with a self-signed certificate generated once into the data folder, whose
/// key pin goes into the enrollment tokens.
///
/// # Errors
/// When storage cannot be opened, the address cannot be bound, or the certificate is
/// unusable.
pub fn serve(
    loc: &Location,
    listen: SocketAddr,
    plain_http: bool,
    tls: Option<(&Path, &Path)>,
    public_url: Option<String>,
    notify: crate::notify::NotifyConfig,
) -> Result<()> {
    runtime()?.block_on(async {
        let mut cfg = Config::new(loc.clone(), listen)?;
        cfg.tls = tls_source(loc, plain_http, tls);
        cfg.public_url = public_url;
        cfg.notify = notify;
        let s = Server::start(cfg).await?;
        s.wait().await
    })
}

/// Runs an administrative action on the data folder or database.
fn with_db<T>(loc: &Location, f: impl AsyncFnOnce(&Db, &AdminCtx) -> Result<T>) -> Result<T> {
    runtime()?.block_on(async {
        let db = Db::open(loc).await.with_context(|| format!("{loc:?}"))?;
        let admin = AdminCtx::local();
        let out = f(&db, &admin).await;
        db.close().await;
        out
    })
}

/// `admin practice add NAME [--contact EMAIL]` → the practice id. The contact receives
/// the e-mails when a new advisory set marks the practice's hosts.
///
/// # Errors
/// Refusals with their reason (a malformed address adds nothing).
pub fn practice_add(loc: &Location, name: &str, contact: Option<&str>) -> Result<String> {
    with_db(loc, async |db, a| {
        let p = enroll::add_practice_with_contact(db, a, name, contact).await?;
        Ok(p.id.to_string())
    })
}

/// `admin practice list` → JSON.
///
/// # Errors
/// Storage errors.
pub fn practice_list(loc: &Location) -> Result<String> {
    with_db(loc, async |db, a| {
        Ok(serde_json::to_string_pretty(
            &enroll::list_practices(db, a).await?,
        )?)
    })
}

/// `admin token create --practice ID|NAME` → the token string.
///
/// # Errors
/// Unknown practice, limits out of range.
/// The pin goes in when `tls_cert` names the server's certificate, or when the data
/// folder holds the generated one (a token for a plain-HTTP server has none).
pub fn token_create(
    loc: &Location,
    practice: &str,
    uses: u32,
    days: u32,
    url: &str,
    tls_cert: Option<&Path>,
) -> Result<String> {
    let generated = crate::tls::generated_paths(&tls_folder(loc)).0;
    let pin = match tls_cert {
        Some(cert) => Some(crate::tls::pin_of_file(cert)?),
        None if url.starts_with("https://") && generated.exists() => {
            Some(crate::tls::pin_of_file(&generated)?)
        }
        None => None,
    };
    with_db(loc, async |db, a| {
        let p = enroll::find_practice(db, a, practice).await?;
        Ok(
            enroll::create_token(db, a, p, uses, days, url, pin.as_deref())
                .await?
                .token,
        )
    })
}

/// `admin token revoke ID`.
///
/// # Errors
/// Unknown token.
pub fn token_revoke(loc: &Location, id: &str) -> Result<String> {
    with_db(loc, async |db, a| {
        enroll::revoke_token(db, a, id).await?;
        Ok(String::new())
    })
}

/// `admin key create NAME` → an association API key for the HTTP admin endpoints.
///
/// # Errors
/// Storage errors.
pub fn key_create(loc: &Location, name: &str) -> Result<String> {
    with_db(loc, async |db, a| {
        Ok(enroll::create_admin_key(db, a, name).await?)
    })
}

/// `admin advisories import SET.json` (signature `SET.json.minisig`), or a CSAF 2.0
/// advisory (no signature), → the import report as JSON.
///
/// # Errors
/// The advisories crate's refusal reason; storage errors.
pub fn advisories_import(loc: &Location, file: &Path, signature: Option<&Path>) -> Result<String> {
    let bytes = std::fs::read(file).with_context(|| file.display().to_string())?;
    if signature.is_none() && is_csaf(&bytes) {
        let keys = praxcheck_advisories::update::trusted_keys()?;
        return with_db(loc, async |db, a| {
            let (report, _) = reeval::import_csaf(db, a, &bytes, &keys)
                .await
                .with_context(|| file.display().to_string())?;
            Ok(serde_json::to_string_pretty(&report)?)
        });
    }
    let sig_path = signature.map_or_else(
        || praxcheck_advisories::update::signature_path(file),
        Path::to_path_buf,
    );
    let sig = std::fs::read_to_string(&sig_path)
        .with_context(|| format!("{}: no signature", sig_path.display()))?;
    let keys = praxcheck_advisories::update::trusted_keys()?;
    with_db(loc, async |db, a| {
        let (report, _) = reeval::import(db, a, &bytes, &sig, &keys)
            .await
            .with_context(|| file.display().to_string())?;
        Ok(serde_json::to_string_pretty(&report)?)
    })
}

/// Whether a file is a CSAF document (a JSON object with `document.csaf_version`), which
/// `advisories import` takes without a signature; anything else is a signed set.
fn is_csaf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let text = String::from_utf8_lossy(head);
    text.trim_start().starts_with('{') && text.contains("\"csaf_version\"")
}

/// `admin advisories impact ID` → JSON, or one line per affected host.
///
/// # Errors
/// Storage errors.
pub fn advisories_impact(loc: &Location, id: &str, json: bool) -> Result<String> {
    with_db(loc, async |db, a| {
        let imp = reeval::impact(db, a, id).await?;
        if json {
            return Ok(serde_json::to_string_pretty(&imp)?);
        }
        let mut out = String::new();
        for p in &imp.practices {
            for h in &p.hosts {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    p.practice_id,
                    p.name,
                    h.host_id,
                    h.hostname,
                    h.light.as_deref().unwrap_or("-")
                ));
            }
        }
        Ok(out)
    })
}

/// `admin retention --days N`: removes old documents that are no longer current.
///
/// # Errors
/// Storage errors.
pub fn retention(loc: &Location, days: u32) -> Result<String> {
    with_db(loc, async |db, a| {
        Ok(practice::apply_retention(db, a, days).await?.to_string())
    })
}

/// `praxcheck enroll URL TOKEN` → the host id.
///
/// # Errors
/// Refused or unreachable.
pub fn enroll_agent(state: &Path, url: &str, token: &str) -> Result<String> {
    runtime()?.block_on(async {
        let agent = Agent::new(state)?;
        let c = agent.enroll(url, token, &local_facts()).await?;
        Ok(c.host_id.to_string())
    })
}

/// `praxcheck upload FILE…`: spools the files, then sends everything spooled. Returns one
/// line per acknowledged upload.
///
/// # Errors
/// Unreadable files; unreachable server (the documents stay spooled and go with the next
/// upload or scan).
pub fn upload(state: &Path, files: &[PathBuf]) -> Result<String> {
    Agent::new(state)?.credential()?;
    let mut docs = Vec::new();
    for f in files {
        let bytes = std::fs::read(f).with_context(|| f.display().to_string())?;
        crate::ingest::parse_document(&bytes)
            .map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
        docs.push(bytes);
    }
    upload_documents(state, &docs)
}

/// **The agent's upload.** Called by `agent run` after a scan that wrote a document, and
/// only when an enrollment exists (`<state>/agent/credential.json`, written by `praxcheck
/// enroll`). The document goes into the agent's spool and everything spooled is sent
/// (idempotent upload ids, one re-enrollment on a rejected credential). It never fails the
/// run: an unreachable server leaves the document spooled for the next run.
#[must_use]
pub fn upload_after_run(state: &Path, document: &Path) -> praxcheck_model::agent::UploadState {
    use praxcheck_model::agent::UploadState;
    match upload(state, &[document.to_path_buf()]) {
        Ok(ids) => UploadState::Uploaded {
            detail: ids.split_whitespace().collect::<Vec<_>>().join(" "),
        },
        Err(e) => UploadState::Failed {
            reason: format!("{e:#}"),
        },
    }
}

/// Spools documents (JSON), then sends everything spooled (`upload`, `scan --upload`).
/// Returns one line per acknowledged upload.
///
/// # Errors
/// Not enrolled (nothing spooled); unreachable or refused (the documents stay spooled).
pub fn upload_documents(state: &Path, docs: &[Vec<u8>]) -> Result<String> {
    let agent = Agent::new(state)?;
    agent.credential()?;
    for d in docs {
        agent.enqueue(d)?;
    }
    runtime()?.block_on(async {
        let acks = agent.flush().await?;
        Ok(acks
            .iter()
            .map(|a| format!("{}\n", a.upload_id))
            .collect::<String>())
    })
}
