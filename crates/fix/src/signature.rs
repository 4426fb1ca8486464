//! Signed jars.
//!
//! A jar signature covers each entry by a digest listed in `META-INF/MANIFEST.MF` and
//! signed in `META-INF/*.SF`. Removing an entry leaves the manifest and the signature files
//! untouched (changing them would break the signature), so every remaining entry still
//! verifies; the removed class stays listed in the manifest. Java loads the remaining
//! classes normally; `jarsigner -verify` still says `jar verified.` and adds the warning
//! that the jar "contains signed entries for files that do not exist". A program that
//! insists on a complete signed jar (rare) would reject it. When `jarsigner` is installed,
//! each changed signed archive is checked with it before it replaces the original.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What `jarsigner -verify` said about one archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JarsignerCheck {
    /// `outer.jar!/inner.jar` (the temporary name is replaced by the real path).
    pub archive: String,
    /// Whether it printed `jar verified.` and exited with 0.
    pub verified: bool,
    /// The warning lines it printed.
    pub warnings: Vec<String>,
}

/// Finds `jarsigner`: `JAVA_HOME/bin`, then the search path.
#[must_use]
pub fn find_jarsigner() -> Option<PathBuf> {
    let exe = if cfg!(windows) {
        "jarsigner.exe"
    } else {
        "jarsigner"
    };
    if let Some(home) = std::env::var_os("JAVA_HOME") {
        let p = Path::new(&home).join("bin").join(exe);
        if p.is_file() {
            return Some(p);
        }
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(exe))
        .find(|p| p.is_file())
}

/// Runs `jarsigner -verify` on a file.
///
/// # Errors
/// When jarsigner cannot be started.
pub fn verify_file(
    jarsigner: &Path,
    file: &Path,
    shown_as: &str,
) -> std::io::Result<JarsignerCheck> {
    let out = Command::new(jarsigner)
        .arg("-verify")
        .arg(file)
        .env("LC_ALL", "C")
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let verified = out.status.success() && text.lines().any(|l| l.trim() == "jar verified.");
    let warnings = text
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("This jar contains") || l.starts_with("Warning: nonexistent"))
        .map(str::to_owned)
        .collect();
    Ok(JarsignerCheck {
        archive: shown_as.to_owned(),
        verified,
        warnings,
    })
}

/// Runs `jarsigner -verify` on bytes (a nested archive), through an anonymous-named
/// temporary file in the system's temporary folder.
///
/// # Errors
/// When the temporary file cannot be written or jarsigner cannot be started.
pub(crate) fn verify_bytes(
    jarsigner: &Path,
    content: &praxcheck_javascan::source::Source,
    shown_as: &str,
) -> std::io::Result<JarsignerCheck> {
    let mut tmp = tempfile::Builder::new()
        .prefix("praxcheck-signed-")
        .suffix(".jar")
        .tempfile()?;
    std::io::copy(&mut content.reader(), tmp.as_file_mut())?;
    tmp.as_file_mut().flush()?;
    verify_file(jarsigner, tmp.path(), shown_as)
}
