//! Signed advisory updates (`praxcheck advisories update --from FILE`) and the state folder
//! that keeps the installed set and the highest version ever accepted.
//!
//! An update is one bundle file (`{id, version, published, expires, records, rules,
//! products}`) with a minisign signature next to it (`FILE.minisig`, Ed25519 over the
//! BLAKE2b-512 hash of the file). It is accepted only when, in this order:
//! 1. the signature file exists and parses;
//! 2. it was made with one of the keys compiled into this program ([`trusted_keys`]);
//! 3. it verifies over the exact bytes of the file (anything changed = tampered);
//! 4. the file is a valid advisory set with the expected id;
//! 5. it has an expiry date and that date has not passed;
//! 6. its version is higher than both the highest version ever accepted here and the set
//!    compiled into this program (rollback protection); the same version with identical
//!    bytes is "already installed".
//!
//! Nothing in the state folder changes until all checks passed. The new set is written under
//! its own name, then `state.json` is replaced atomically (write to a temporary file, sync,
//! rename): that rename is the single commit point that switches the set *and* raises the
//! stored highest version together. Loading re-checks hash and signature, so a damaged or
//! edited installed set is ignored (with a note) in favour of the embedded one.
//!
//! Layout of the state folder (see [`StateDir::default_location`]):
//! ```text
//! <state>/advisories/state.json           highest accepted version, installed set's hash
//! <state>/advisories/sets/<version>.json   the installed bundle, byte for byte as signed
//! <state>/advisories/sets/<version>.json.minisig
//! <state>/answers.json                     questionnaire answers and accepted risks
//! ```

use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::{AdvisoryError, AdvisorySet, SetMeta, parse_date};

/// The trusted public keys, one minisign public key per line (comment lines allowed).
const TRUSTED_KEYS: &str = include_str!(concat!(env!("OUT_DIR"), "/trusted-keys.txt"));

/// Largest update file accepted (the embedded set is well under 1 MiB).
pub const MAX_UPDATE_BYTES: u64 = 64 * 1024 * 1024;

/// Format version of `state.json`.
const STATE_FORMAT: u32 = 1;

/// A trusted signing key.
#[derive(Debug, Clone)]
pub struct TrustedKey {
    /// Key id as minisign prints it (16 hex digits, upper case).
    pub id: String,
    /// The key.
    pub key: minisign_verify::PublicKey,
}

/// Whether this build trusts release keys (`release`) or the repository's public test key
/// (`test`, every build made without `PRAXCHECK_RELEASE_PUBKEYS`).
#[must_use]
pub fn keys_kind() -> &'static str {
    env!("PRAXCHECK_KEYS_KIND")
}

/// Minisign prints key ids as the little-endian 64-bit number in hex.
fn key_id_hex(id: &[u8]) -> String {
    id.iter().rev().map(|b| format!("{b:02X}")).collect()
}

/// Parses minisign public keys, one per line (`untrusted comment:` lines and blank lines
/// are skipped).
///
/// # Errors
/// When a line is not a minisign public key.
pub fn parse_keys(text: &str) -> Result<Vec<TrustedKey>, UpdateError> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with("untrusted comment:") || line.starts_with('#') {
            continue;
        }
        let key =
            minisign_verify::PublicKey::from_base64(line).map_err(|e| UpdateError::BadKey {
                reason: e.to_string(),
            })?;
        let raw = base64::engine::general_purpose::STANDARD
            .decode(line)
            .map_err(|e| UpdateError::BadKey {
                reason: e.to_string(),
            })?;
        let id = raw.get(2..10).map(key_id_hex).unwrap_or_default();
        out.push(TrustedKey { id, key });
    }
    Ok(out)
}

/// The keys compiled into this program.
///
/// # Errors
/// Only if the build embedded a malformed key file.
pub fn trusted_keys() -> Result<Vec<TrustedKey>, UpdateError> {
    parse_keys(TRUSTED_KEYS)
}

/// Why an update was refused. Every variant names the file and the reason; the installed
/// set stays as it was.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// Reading or writing a file failed.
    #[error("{path}: {error}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error (in the message; not a `source`, so that a chain printed with
        /// `{:#}` does not repeat it).
        error: std::io::Error,
    },
    /// Not a regular file (a FIFO, a device, a folder): refused, never waited on.
    #[error("{path}: not a regular file ({kind}); give a file")]
    NotRegular {
        /// The file.
        path: PathBuf,
        /// What it is.
        kind: praxcheck_model::read::FileKind,
    },
    /// The update file is larger than [`MAX_UPDATE_BYTES`].
    #[error("{path}: {size} bytes is larger than an advisory set can be ({max} bytes)")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// No signature file.
    #[error("{path}: no signature; expected the minisign signature in {signature}")]
    Unsigned {
        /// The set file.
        path: PathBuf,
        /// Where the signature was looked for.
        signature: PathBuf,
    },
    /// The signature file is not a minisign signature.
    #[error("{signature}: not a minisign signature ({reason})")]
    BadSignatureFile {
        /// The signature file.
        signature: PathBuf,
        /// Why.
        reason: String,
    },
    /// Signed with a key this program does not trust.
    #[error(
        "{path}: signed with key {signed_by}, which this program does not trust (trusted: {trusted})"
    )]
    WrongKey {
        /// The set file.
        path: PathBuf,
        /// Key id in the signature.
        signed_by: String,
        /// Trusted key ids.
        trusted: String,
    },
    /// The signature does not match the content.
    #[error("{path}: the signature does not match the content; the file was changed after signing")]
    Tampered {
        /// The set file.
        path: PathBuf,
    },
    /// A legacy (not prehashed) minisign signature.
    #[error("{signature}: legacy minisign signature; sign with a current minisign (prehashed)")]
    LegacySignature {
        /// The signature file.
        signature: PathBuf,
    },
    /// The file is not a valid advisory set.
    #[error("{path}: not a valid advisory set: {reason}")]
    NotASet {
        /// The set file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A set for another feed.
    #[error("{path}: advisory set id {found}, expected {expected}")]
    WrongSetId {
        /// The set file.
        path: PathBuf,
        /// Id in the file.
        found: String,
        /// Id this program uses.
        expected: String,
    },
    /// No expiry date.
    #[error(
        "{path}: the set has no expiry date (`expires`), so it cannot be checked for freshness"
    )]
    NoExpiry {
        /// The set file.
        path: PathBuf,
    },
    /// Expired.
    #[error("{path}: the set expired on {expires} (today is {today})")]
    Expired {
        /// The set file.
        path: PathBuf,
        /// Expiry date.
        expires: String,
        /// Today.
        today: String,
    },
    /// Older than (or as old as) what is installed.
    #[error(
        "{path}: version {found} is not newer than version {current} already in use; an older set is refused (rollback protection)"
    )]
    NotNewer {
        /// The set file.
        path: PathBuf,
        /// Version in the file.
        found: u64,
        /// Highest version accepted so far or compiled in.
        current: u64,
    },
    /// A key in the trusted-key file is malformed.
    #[error("malformed trusted key: {reason}")]
    BadKey {
        /// Why.
        reason: String,
    },
    /// `state.json` is unreadable.
    #[error("{path}: unreadable state file: {reason}")]
    BadState {
        /// The state file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

/// What `state.json` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// Format of this file.
    pub format: u32,
    /// The highest set version ever accepted here; older sets are refused.
    pub highest_version: u64,
    /// The installed set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed: Option<InstalledSet>,
}

/// The installed set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstalledSet {
    /// Set id.
    pub id: String,
    /// Version.
    pub version: u64,
    /// Publication date.
    pub published: String,
    /// Expiry date.
    pub expires: String,
    /// File name under `sets/`.
    pub file: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// Key id that signed it.
    pub key_id: String,
    /// The signature's trusted comment.
    pub trusted_comment: String,
    /// When it was installed (RFC 3339 UTC).
    pub installed_at: String,
}

/// The result of a successful update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateOutcome {
    /// The set is now installed.
    Installed {
        /// What was installed.
        installed: InstalledSet,
        /// The version in use before.
        previous: u64,
    },
    /// The same file was installed already.
    AlreadyInstalled {
        /// What is installed.
        installed: InstalledSet,
    },
}

/// A note about loading the active set, for the user.
#[derive(Debug)]
pub enum LoadNote {
    /// The installed set could not be used; the embedded one is used instead.
    InstalledUnusable {
        /// Why (the same reasons an update is refused for).
        reason: UpdateError,
    },
    /// The installed set has passed its expiry date (it is still newer than the embedded
    /// set, so it is used).
    InstalledExpired {
        /// Expiry date.
        expires: String,
    },
}

/// The state folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateDir {
    root: PathBuf,
}

impl StateDir {
    /// A state folder at the given place.
    #[must_use]
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The documented default: `PRAXCHECK_STATE_DIR` if set; on Windows
    /// `%ProgramData%\praxcheck`; elsewhere `/var/lib/praxcheck` for root, else
    /// `$XDG_STATE_HOME/praxcheck` or `~/.local/state/praxcheck`.
    #[must_use]
    pub fn default_location() -> Option<PathBuf> {
        if let Some(p) = std::env::var_os("PRAXCHECK_STATE_DIR").filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(p));
        }
        praxcheck_model::sys::platform_state_dir()
    }

    /// The folder.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn adv(&self) -> PathBuf {
        self.root.join("advisories")
    }

    /// `advisories/state.json`.
    #[must_use]
    pub fn state_file(&self) -> PathBuf {
        self.adv().join("state.json")
    }

    /// Reads `state.json` (none yet = `None`).
    ///
    /// # Errors
    /// When it exists but cannot be read or parsed.
    pub fn read_state(&self) -> Result<Option<State>, UpdateError> {
        let path = self.state_file();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(UpdateError::Io { path, error: e }),
        };
        let st: State = serde_json::from_slice(&bytes).map_err(|e| UpdateError::BadState {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        if st.format > STATE_FORMAT {
            return Err(UpdateError::BadState {
                path,
                reason: format!("format {} is newer than this program", st.format),
            });
        }
        Ok(Some(st))
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> UpdateError + '_ {
    move |e| UpdateError::Io {
        path: path.to_owned(),
        error: e,
    }
}

/// Largest signature file read (a minisign signature is a few hundred bytes).
pub const MAX_SIGNATURE_BYTES: u64 = 64 * 1024;

/// Reads an input file of at most `cap` bytes, only when it is a regular file (a FIFO or a
/// device given as `--from` or `--signature` ends with an error instead of a hang).
fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, UpdateError> {
    use praxcheck_model::read::{ReadError, read_regular_capped};
    read_regular_capped(path, cap).map_err(|e| match e {
        ReadError::Io { path, error } => UpdateError::Io { path, error },
        ReadError::NotRegular { path, kind } => UpdateError::NotRegular { path, kind },
        ReadError::TooLarge { path, cap } => UpdateError::TooLarge {
            size: std::fs::metadata(&path).map_or(cap + 1, |m| m.len()),
            path,
            max: cap,
        },
    })
}

/// Checks a signature over bytes with the trusted keys; returns the key id and the
/// trusted comment.
fn verify(
    path: &Path,
    bytes: &[u8],
    sig_path: &Path,
    sig_text: &str,
    keys: &[TrustedKey],
) -> Result<(String, String), UpdateError> {
    let sig = minisign_verify::Signature::decode(sig_text).map_err(|e| {
        UpdateError::BadSignatureFile {
            signature: sig_path.to_owned(),
            reason: e.to_string(),
        }
    })?;
    // The key id is bytes 2..10 of the signature line (algorithm, key id, signature).
    let signed_by = sig_text
        .lines()
        .nth(1)
        .and_then(|l| {
            base64::engine::general_purpose::STANDARD
                .decode(l.trim())
                .ok()
        })
        .and_then(|raw| raw.get(2..10).map(key_id_hex))
        .unwrap_or_default();
    let Some(key) = keys.iter().find(|k| k.id == signed_by) else {
        return Err(UpdateError::WrongKey {
            path: path.to_owned(),
            signed_by,
            trusted: keys
                .iter()
                .map(|k| k.id.clone())
                .collect::<Vec<_>>()
                .join(", "),
        });
    };
    match key.key.verify(bytes, &sig, false) {
        Ok(()) => Ok((key.id.clone(), sig.trusted_comment().to_owned())),
        Err(minisign_verify::Error::UnexpectedAlgorithm) => Err(UpdateError::LegacySignature {
            signature: sig_path.to_owned(),
        }),
        Err(minisign_verify::Error::UnexpectedKeyId) => Err(UpdateError::WrongKey {
            path: path.to_owned(),
            signed_by,
            trusted: key.id.clone(),
        }),
        Err(_) => Err(UpdateError::Tampered {
            path: path.to_owned(),
        }),
    }
}

/// The signature file for a set file: `FILE.minisig`.
#[must_use]
pub fn signature_path(file: &Path) -> PathBuf {
    let mut s = file.as_os_str().to_owned();
    s.push(".minisig");
    PathBuf::from(s)
}

/// Writes a file atomically and symlink-safely (`praxcheck_sys::write_atomic`), creating
/// its folder.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), UpdateError> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    praxcheck_sys::write_atomic(path, bytes).map_err(|e| UpdateError::Io {
        path: path.to_owned(),
        error: e,
    })
}

/// Verifies and installs an update. `embedded` is the set compiled into the program (its
/// id is the expected id; its version is a floor for rollback protection).
///
/// # Errors
/// Every refusal, with the file and the reason; nothing was changed then.
pub fn install(
    state: &StateDir,
    file: &Path,
    signature: Option<&Path>,
    keys: &[TrustedKey],
    today: time::Date,
    embedded: &SetMeta,
) -> Result<UpdateOutcome, UpdateError> {
    let bytes = read_capped(file, MAX_UPDATE_BYTES)?;
    let sig_path = signature.map_or_else(|| signature_path(file), Path::to_path_buf);
    let sig_text = match read_capped(&sig_path, MAX_SIGNATURE_BYTES) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(UpdateError::Io { error, .. }) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(UpdateError::Unsigned {
                path: file.to_owned(),
                signature: sig_path,
            });
        }
        Err(e) => return Err(e),
    };
    let (key_id, trusted_comment) = verify(file, &bytes, &sig_path, &sig_text, keys)?;
    let text = std::str::from_utf8(&bytes).map_err(|e| UpdateError::NotASet {
        path: file.to_owned(),
        reason: e.to_string(),
    })?;
    let set =
        AdvisorySet::from_bundle_json(text, "installed").map_err(|e| UpdateError::NotASet {
            path: file.to_owned(),
            reason: match e {
                AdvisoryError::Parse { error, .. } => error.to_string(),
                AdvisoryError::Version { version, .. } => crate::version_range_reason(version),
                AdvisoryError::Record { id, reason, .. } => format!("record {id}: {reason}"),
            },
        })?;
    let meta = set.meta().clone();
    if meta.id != embedded.id {
        return Err(UpdateError::WrongSetId {
            path: file.to_owned(),
            found: meta.id,
            expected: embedded.id.clone(),
        });
    }
    let Some(expires) = meta.expires.clone() else {
        return Err(UpdateError::NoExpiry {
            path: file.to_owned(),
        });
    };
    let exp = parse_date(&expires).ok_or_else(|| UpdateError::NotASet {
        path: file.to_owned(),
        reason: format!("expiry date {expires:?} is not YYYY-MM-DD"),
    })?;
    if exp < today {
        return Err(UpdateError::Expired {
            path: file.to_owned(),
            expires,
            today: today.to_string(),
        });
    }
    let current_state = state.read_state()?;
    let highest = current_state.as_ref().map_or(0, |s| s.highest_version);
    let floor = highest.max(embedded.version);
    let sha = sha256_hex(&bytes);
    if let Some(inst) = current_state.as_ref().and_then(|s| s.installed.as_ref())
        && inst.version == meta.version
        && inst.sha256 == sha
    {
        return Ok(UpdateOutcome::AlreadyInstalled {
            installed: inst.clone(),
        });
    }
    if meta.version <= floor {
        return Err(UpdateError::NotNewer {
            path: file.to_owned(),
            found: meta.version,
            current: floor,
        });
    }
    let sets = state.adv().join("sets");
    let name = format!("{}.json", meta.version);
    let data_path = sets.join(&name);
    write_atomic(&data_path, &bytes)?;
    write_atomic(&signature_path(&data_path), sig_text.as_bytes())?;
    let installed = InstalledSet {
        id: meta.id.clone(),
        version: meta.version,
        published: meta.published.clone(),
        expires,
        file: name.clone(),
        sha256: sha,
        key_id,
        trusted_comment,
        installed_at: now_rfc3339(),
    };
    let new_state = State {
        format: STATE_FORMAT,
        highest_version: meta.version,
        installed: Some(installed.clone()),
    };
    let json = serde_json::to_vec_pretty(&new_state).map_err(|e| UpdateError::BadState {
        path: state.state_file(),
        reason: e.to_string(),
    })?;
    // The commit point: from here on the new set is active and older ones are refused.
    write_atomic(&state.state_file(), &json)?;
    // Old sets are no longer referenced.
    if let Ok(rd) = std::fs::read_dir(&sets) {
        for e in rd.filter_map(Result::ok) {
            let n = e.file_name().to_string_lossy().into_owned();
            if n != name && n != format!("{name}.minisig") {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    let previous = current_state
        .and_then(|s| s.installed.map(|i| i.version))
        .unwrap_or(embedded.version)
        .max(embedded.version);
    Ok(UpdateOutcome::Installed {
        installed,
        previous,
    })
}

/// Loads the set to use: the installed set when it is valid and newer than the embedded
/// one, else the embedded set. Notes say why an installed set was not used.
///
/// # Errors
/// Only when the embedded set itself is broken.
pub fn load_active(
    state: Option<&StateDir>,
    keys: &[TrustedKey],
    today: time::Date,
) -> Result<(AdvisorySet, Vec<LoadNote>), AdvisoryError> {
    let embedded = AdvisorySet::embedded()?;
    let Some(state) = state else {
        return Ok((embedded, Vec::new()));
    };
    let mut notes = Vec::new();
    match load_installed(state, keys) {
        Ok(None) => {}
        Ok(Some((set, inst))) => {
            if set.meta().version > embedded.meta().version {
                if parse_date(&inst.expires).is_some_and(|e| e < today) {
                    notes.push(LoadNote::InstalledExpired {
                        expires: inst.expires.clone(),
                    });
                }
                return Ok((set, notes));
            }
        }
        Err(e) => notes.push(LoadNote::InstalledUnusable { reason: e }),
    }
    Ok((embedded, notes))
}

fn load_installed(
    state: &StateDir,
    keys: &[TrustedKey],
) -> Result<Option<(AdvisorySet, InstalledSet)>, UpdateError> {
    let Some(st) = state.read_state()? else {
        return Ok(None);
    };
    let Some(inst) = st.installed else {
        return Ok(None);
    };
    let path = state.adv().join("sets").join(&inst.file);
    let bytes = read_capped(&path, MAX_UPDATE_BYTES)?;
    if sha256_hex(&bytes) != inst.sha256 {
        return Err(UpdateError::Tampered { path });
    }
    let sig_path = signature_path(&path);
    let sig_text =
        String::from_utf8_lossy(&read_capped(&sig_path, MAX_SIGNATURE_BYTES)?).into_owned();
    verify(&path, &bytes, &sig_path, &sig_text, keys)?;
    let text = String::from_utf8_lossy(&bytes);
    let set =
        AdvisorySet::from_bundle_json(&text, "installed").map_err(|e| UpdateError::NotASet {
            path: path.clone(),
            reason: e.to_string(),
        })?;
    Ok(Some((set, inst)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_keys_parse() {
        let keys = trusted_keys().unwrap();
        assert!(!keys.is_empty());
        assert!(keys.iter().all(|k| k.id.len() == 16));
    }

    #[test]
    fn malformed_keys_are_refused() {
        assert!(parse_keys("RWQnot-a-key").is_err());
        assert!(parse_keys("untrusted comment: x\n\n").unwrap().is_empty());
    }
}
