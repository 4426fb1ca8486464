//! The agent side: `praxcheck enroll URL TOKEN`, `praxcheck upload FILE…` and
//! `scan --upload`.
//!
//! State folder layout (`<state>/agent/`):
//! ```text
//! credential.json   server URL, host id, credential, re-enrollment secret (mode 0600)
//! spool/<upload-id>.json   documents waiting to go out (the file name is the upload id)
//! ```
//! A document is first written to the spool under a fresh upload id, then sent; it leaves
//! the spool only after the server acknowledged it (201, or 200 for a retry it already had).
//! So an unreachable server loses nothing, and a retry after a lost answer is not stored
//! twice. A 401 that says `reenroll` leads to one re-enrollment with the stored secret,
//! then one more try — never a loop.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::enroll::{Enrolled, HostFacts, TokenContent};
use crate::ingest::Ack;

/// Agent errors, naming the file or server and the reason.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The server could not be reached (the document stays in the spool).
    #[error("{url}: {reason}")]
    Unreachable {
        /// The server.
        url: String,
        /// Why.
        reason: String,
    },
    /// The server refused.
    #[error("{url}: {status}: {reason}")]
    Refused {
        /// The server.
        url: String,
        /// HTTP status.
        status: u16,
        /// The server's reason.
        reason: String,
    },
    /// Not enrolled yet.
    #[error("{path}: not enrolled; run `praxcheck enroll URL TOKEN` first")]
    NotEnrolled {
        /// Where the credential was looked for.
        path: PathBuf,
    },
    /// The server presented another TLS key than the one the token pinned.
    #[error(
        "{url}: the server presented the TLS key {presented}, but the enrollment pins \
         {pinned}: refused (another server, or someone in between; ask the association \
         for a new token if the server's key really changed)"
    )]
    PinMismatch {
        /// The server.
        url: String,
        /// The pinned key.
        pinned: String,
        /// The key the server presented.
        presented: String,
    },
    /// Bad input.
    #[error("{0}")]
    Invalid(String),
}

/// The stored credential.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Credential {
    /// Server base URL.
    pub url: String,
    /// Host id.
    pub host_id: i64,
    /// Practice id.
    pub practice_id: i64,
    /// Bearer credential.
    pub credential: String,
    /// Re-enrollment secret.
    pub reenroll_secret: String,
    /// The server's TLS key pin from the enrollment token: every later connection
    /// accepts only this key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<String>,
}

/// The agent's folder.
#[derive(Debug, Clone)]
pub struct Agent {
    dir: PathBuf,
    http: reqwest::Client,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ClientError + '_ {
    move |source| ClientError::Io {
        path: path.to_owned(),
        source,
    }
}

impl Agent {
    /// The agent in `<state>/agent`.
    ///
    /// # Errors
    /// When the HTTP client cannot be built.
    pub fn new(state: &Path) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| ClientError::Invalid(format!("HTTP client: {e}")))?;
        Ok(Self {
            dir: state.join("agent"),
            http,
        })
    }

    fn cred_path(&self) -> PathBuf {
        self.dir.join("credential.json")
    }

    fn spool(&self) -> PathBuf {
        self.dir.join("spool")
    }

    /// The stored credential.
    ///
    /// # Errors
    /// When not enrolled or the file is unreadable.
    pub fn credential(&self) -> Result<Credential, ClientError> {
        let p = self.cred_path();
        let text = match std::fs::read_to_string(&p) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ClientError::NotEnrolled { path: p });
            }
            Err(e) => return Err(io(&p)(e)),
        };
        serde_json::from_str(&text)
            .map_err(|e| ClientError::Invalid(format!("{}: {e}", p.display())))
    }

    fn save_credential(&self, c: &Credential) -> Result<(), ClientError> {
        std::fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        let p = self.cred_path();
        let tmp = self.dir.join(".credential.json.tmp");
        let json = serde_json::to_vec_pretty(c).map_err(|e| ClientError::Invalid(e.to_string()))?;
        write_private(&tmp, &json)?;
        std::fs::rename(&tmp, &p).map_err(io(&p))?;
        Ok(())
    }

    /// Enrolls this machine with a token (`url` overrides the URL in the token).
    ///
    /// # Errors
    /// When the token is malformed, the server refuses or cannot be reached.
    pub async fn enroll(
        &self,
        url: &str,
        token: &str,
        facts: &HostFacts,
    ) -> Result<Credential, ClientError> {
        let t = TokenContent::decode(token).map_err(|e| ClientError::Invalid(e.to_string()))?;
        let base = url.trim_end_matches('/').to_owned();
        if t.pin.is_some() && !base.starts_with("https://") {
            return Err(ClientError::Invalid(format!(
                "{base}: this token pins the server's TLS key; use the https:// address"
            )));
        }
        let res: Enrolled = self
            .post_json(
                &base,
                "/v1/agent/enroll",
                None,
                &serde_json::json!({ "token": token, "facts": facts }),
                t.pin.as_deref(),
            )
            .await?;
        let c = Credential {
            url: base,
            host_id: res.host_id,
            practice_id: res.practice_id,
            credential: res.credential,
            reenroll_secret: res.reenroll_secret,
            pin: t.pin,
        };
        self.save_credential(&c)?;
        Ok(c)
    }

    async fn post_json<T: serde::de::DeserializeOwned>(
        &self,
        base: &str,
        path: &str,
        bearer: Option<&str>,
        body: &serde_json::Value,
        pin: Option<&str>,
    ) -> Result<T, ClientError> {
        let url = format!("{base}{path}");
        let (http, verifier) = self.client(pin)?;
        let mut req = http.post(&url).json(body);
        if let Some(b) = bearer {
            req = req.bearer_auth(b);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| transport(&url, pin, verifier.as_deref(), &e))?;
        answer(&url, resp).await
    }

    /// The HTTP client: pinned to the server's key when the enrollment pinned one.
    fn client(
        &self,
        pin: Option<&str>,
    ) -> Result<
        (
            reqwest::Client,
            Option<std::sync::Arc<crate::tls::PinVerifier>>,
        ),
        ClientError,
    > {
        match pin {
            None => Ok((self.http.clone(), None)),
            Some(_) => crate::tls::agent_client(pin).map_err(ClientError::Invalid),
        }
    }

    /// Puts a document into the spool under a fresh upload id; returns its path.
    ///
    /// # Errors
    /// When the document is not JSON or the spool cannot be written.
    pub fn enqueue(&self, json: &[u8]) -> Result<PathBuf, ClientError> {
        serde_json::from_slice::<serde_json::Value>(json)
            .map_err(|e| ClientError::Invalid(format!("not a JSON document: {e}")))?;
        let spool = self.spool();
        std::fs::create_dir_all(&spool).map_err(io(&spool))?;
        let id = crate::secret::random_id().map_err(|e| ClientError::Invalid(e.to_string()))?;
        let p = spool.join(format!("{id}.json"));
        let tmp = spool.join(format!(".{id}.tmp"));
        write_private(&tmp, json)?;
        std::fs::rename(&tmp, &p).map_err(io(&p))?;
        Ok(p)
    }

    /// Sends every spooled document, oldest first; returns the acknowledgements. Stops at
    /// the first unreachable server (the rest stays spooled).
    ///
    /// # Errors
    /// Not enrolled, unreachable, refused.
    pub async fn flush(&self) -> Result<Vec<Ack>, ClientError> {
        let mut cred = self.credential()?;
        let spool = self.spool();
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = match std::fs::read_dir(&spool) {
            Ok(rd) => rd
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .map(|p| {
                    (
                        std::fs::metadata(&p)
                            .and_then(|m| m.modified())
                            .unwrap_or(std::time::UNIX_EPOCH),
                        p,
                    )
                })
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(io(&spool)(e)),
        };
        files.sort();
        let mut acks = Vec::new();
        for (_, p) in files {
            let id = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let json = std::fs::read(&p).map_err(io(&p))?;
            let ack = match self.send(&cred, &id, &json).await {
                Err(ClientError::Refused {
                    status: 401,
                    reason,
                    ..
                }) if reason.contains("reenroll") => {
                    cred = self.reenroll(&cred).await?;
                    self.send(&cred, &id, &json).await?
                }
                other => other?,
            };
            std::fs::remove_file(&p).map_err(io(&p))?;
            acks.push(ack);
        }
        Ok(acks)
    }

    async fn send(&self, cred: &Credential, id: &str, json: &[u8]) -> Result<Ack, ClientError> {
        let url = format!("{}/v1/agent/uploads", cred.url);
        let body =
            zstd::bulk::compress(json, 3).map_err(|e| ClientError::Invalid(e.to_string()))?;
        let (http, verifier) = self.client(cred.pin.as_deref())?;
        let resp = http
            .post(&url)
            .bearer_auth(&cred.credential)
            .header("Upload-Id", id)
            .header("Content-Encoding", "zstd")
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| transport(&url, cred.pin.as_deref(), verifier.as_deref(), &e))?;
        answer(&url, resp).await
    }

    async fn reenroll(&self, cred: &Credential) -> Result<Credential, ClientError> {
        let res: Enrolled = self
            .post_json(
                &cred.url,
                "/v1/agent/reenroll",
                None,
                &serde_json::json!({ "host_id": cred.host_id, "reenroll_secret": cred.reenroll_secret }),
                cred.pin.as_deref(),
            )
            .await?;
        let c = Credential {
            url: cred.url.clone(),
            host_id: res.host_id,
            practice_id: res.practice_id,
            credential: res.credential,
            reenroll_secret: res.reenroll_secret,
            pin: cred.pin.clone(),
        };
        self.save_credential(&c)?;
        Ok(c)
    }

    /// Rotates the credential (the old one stays valid for the overlap).
    ///
    /// # Errors
    /// Unreachable or refused.
    pub async fn rotate(&self) -> Result<(), ClientError> {
        let mut cred = self.credential()?;
        #[derive(Deserialize)]
        struct R {
            credential: String,
        }
        let r: R = self
            .post_json(
                &cred.url,
                "/v1/agent/rotate",
                Some(&cred.credential),
                &serde_json::json!({}),
                cred.pin.as_deref(),
            )
            .await?;
        cred.credential = r.credential;
        self.save_credential(&cred)
    }
}

/// A failed request: a pin mismatch says so, anything else is "unreachable".
fn transport(
    url: &str,
    pin: Option<&str>,
    verifier: Option<&crate::tls::PinVerifier>,
    e: &reqwest::Error,
) -> ClientError {
    if let (Some(pinned), Some(presented)) = (pin, verifier.and_then(|v| v.mismatch())) {
        return ClientError::PinMismatch {
            url: url.to_owned(),
            pinned: pinned.to_owned(),
            presented,
        };
    }
    // reqwest's top-level message hides the cause ("error sending request"): add the chain.
    let mut reason = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        reason.push_str(": ");
        reason.push_str(&s.to_string());
        src = s.source();
    }
    ClientError::Unreachable {
        url: url.to_owned(),
        reason,
    }
}

async fn answer<T: serde::de::DeserializeOwned>(
    url: &str,
    resp: reqwest::Response,
) -> Result<T, ClientError> {
    let status = resp.status().as_u16();
    let text = resp.text().await.map_err(|e| ClientError::Unreachable {
        url: url.to_owned(),
        reason: e.to_string(),
    })?;
    if !(200..300).contains(&status) {
        let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let mut reason = v["reason"].as_str().unwrap_or(&text).to_owned();
        if v["reenroll"].as_bool() == Some(true) {
            reason.push_str(" (reenroll)");
        }
        return Err(ClientError::Refused {
            url: url.to_owned(),
            status,
            reason,
        });
    }
    serde_json::from_str(&text)
        .map_err(|e| ClientError::Invalid(format!("{url}: unexpected answer: {e}")))
}

/// Writes a file readable only by its owner, atomically and symlink-safely.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), ClientError> {
    praxcheck_sys::write_atomic_mode(path, bytes, 0o600).map_err(io(path))
}

/// Facts about this machine for enrollment (host name, machine id; no user data).
#[must_use]
pub fn local_facts() -> HostFacts {
    let read = |p: &str| {
        std::fs::read_to_string(p)
            .ok()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty() && s.len() <= 200)
    };
    HostFacts {
        hostname: read("/etc/hostname")
            .or_else(|| std::env::var("COMPUTERNAME").ok())
            .unwrap_or_else(|| "unknown".into()),
        hardware_uuid: read("/sys/class/dmi/id/product_uuid"),
        machine_id: read("/etc/machine-id"),
        serial: None,
        os: Some(std::env::consts::OS.to_owned()),
    }
}
