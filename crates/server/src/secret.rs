//! Random secrets and how they are stored.
//!
//! Every secret the server hands out (agent credentials, re-enrollment secrets, enrollment
//! token secrets, association API keys) is 32 random bytes from the OS. It is stored only as
//! its SHA-256 — except a practice's webhook signing secret ([`WEBHOOK_PREFIX`]), which the
//! server must read to sign with. A slow password hash (Argon2) protects *low-entropy* secrets against
//! guessing after a database leak; a 256-bit random value cannot be guessed either way, so
//! Argon2 would add ~20 ms of CPU and 19 MiB of memory to every upload (impossible at
//! 1,000 uploads/s) and would prevent the single indexed lookup by hash. Passwords (issue
//! 14) are the case for Argon2id.

use base64::Engine as _;
use sha2::{Digest as _, Sha256};

/// Prefix of agent credentials.
pub const HOST_PREFIX: &str = "pxh_";
/// Prefix of re-enrollment secrets.
pub const REENROLL_PREFIX: &str = "pxr_";
/// Prefix of association API keys.
pub const ADMIN_PREFIX: &str = "pxa_";
/// Prefix of web session tokens (issue 14).
pub const SESSION_PREFIX: &str = "pxs_";
/// Prefix of a practice's webhook signing secret. The one secret the server keeps readable:
/// it must compute the HMAC of every body it sends, and a hash cannot sign. It only lets
/// its holder forge notifications to that practice's own receiver, and is shown once.
pub const WEBHOOK_PREFIX: &str = "pxw_";

/// 32 random bytes, base64url, behind a prefix.
///
/// # Errors
/// When the OS has no randomness to give.
pub fn generate(prefix: &str) -> Result<String, getrandom::Error> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b)?;
    Ok(format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
    ))
}

/// 16 random bytes, hex (ids that are not secret but must not be guessable in sequence).
///
/// # Errors
/// When the OS has no randomness to give.
pub fn random_id() -> Result<String, getrandom::Error> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)?;
    Ok(hex(&b))
}

/// SHA-256, hex.
#[must_use]
pub fn hash(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

/// SHA-256 of bytes, hex.
#[must_use]
pub fn hash_bytes(b: &[u8]) -> String {
    hex(&Sha256::digest(b))
}

fn hex(b: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(s, "{x:02x}");
    }
    s
}

/// Constant-time comparison of two hashes.
#[must_use]
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
