//! PDF through a headless Chromium-family browser (Chromium, Chrome, Edge) printing the HTML
//! report: the same content model and layout as the HTML, no PDF engine compiled into the
//! program (typst as a library costs about 350 crates and minutes of build time; a
//! hand-placed PDF would duplicate the layout). The browser runs with a fresh profile in a
//! temporary folder, with background networking off, and prints a local file that loads
//! nothing from outside. When no browser is found, the error says so and how to get one.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long the browser may take.
pub const TIMEOUT: Duration = Duration::from_secs(90);

/// Why no PDF was made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// No browser found.
    #[error("no Chromium-family browser found (looked for: {})", searched.join(", "))]
    NoBrowser {
        /// What was looked for.
        searched: Vec<String>,
    },
    /// The browser failed.
    #[error("{browser}: {reason}")]
    Failed {
        /// The browser.
        browser: String,
        /// What happened.
        reason: String,
    },
    /// A temporary file could not be written.
    #[error("temporary folder: {0}")]
    Io(#[from] std::io::Error),
}

const NAMES: [&str; 6] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
    "msedge",
];

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        let p = dir.join(name);
        if p.is_file() {
            return Some(p);
        }
        let exe = dir.join(format!("{name}.exe"));
        exe.is_file().then_some(exe)
    })
}

/// Finds a browser: `PRAXCHECK_BROWSER` if set, else the usual names on `PATH`, else the
/// usual install folders on Windows and macOS.
///
/// # Errors
/// [`PdfError::NoBrowser`] with everything that was looked for.
pub fn find_browser() -> Result<PathBuf, PdfError> {
    let mut searched = Vec::new();
    if let Some(p) = std::env::var_os("PRAXCHECK_BROWSER").filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        if p.is_file() {
            return Ok(p);
        }
        searched.push(format!("PRAXCHECK_BROWSER={}", p.display()));
    }
    for n in NAMES {
        if let Some(p) = on_path(n) {
            return Ok(p);
        }
        searched.push(n.to_owned());
    }
    let mut fixed: Vec<PathBuf> = Vec::new();
    for var in ["ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA"] {
        if let Some(base) = std::env::var_os(var) {
            let base = PathBuf::from(base);
            fixed.push(base.join("Microsoft/Edge/Application/msedge.exe"));
            fixed.push(base.join("Google/Chrome/Application/chrome.exe"));
            fixed.push(base.join("Chromium/Application/chrome.exe"));
        }
    }
    fixed.push(PathBuf::from(
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    ));
    fixed.push(PathBuf::from(
        "/Applications/Chromium.app/Contents/MacOS/Chromium",
    ));
    for p in fixed {
        if p.is_file() {
            return Ok(p);
        }
        searched.push(p.display().to_string());
    }
    Err(PdfError::NoBrowser { searched })
}

/// The flags every headless run gets: no first-run dialogs, no background connections,
/// a throw-away profile. As root (Linux), Chromium refuses to start without
/// `--no-sandbox`; the page is our own local file with scripts and loads forbidden.
#[must_use]
pub fn headless_args(profile: &Path) -> Vec<String> {
    let mut v: Vec<String> = [
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--disable-quic",
        "--mute-audio",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    v.push(format!("--user-data-dir={}", profile.display()));
    if praxcheck_model::sys::is_root() {
        v.push("--no-sandbox".to_owned());
    }
    v
}

/// A `file://` URL for a local path.
#[must_use]
pub fn file_url(p: &Path) -> String {
    let s = p.display().to_string().replace('\\', "/");
    let mut out = String::from(if s.starts_with('/') {
        "file://"
    } else {
        "file:///"
    });
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~:".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Runs a command with a time limit; returns the end of its standard error on failure.
/// Standard error goes to `log` (a file), not a pipe: a browser that writes more than a
/// pipe holds would otherwise block until the time limit.
fn run_limited(mut cmd: Command, browser: &Path, log: &Path) -> Result<(), PdfError> {
    let failed = |reason: String| PdfError::Failed {
        browser: browser.display().to_string(),
        reason,
    };
    let log_file = std::fs::File::create(log)?;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .map_err(|e| failed(e.to_string()))?;
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                if status.success() {
                    return Ok(());
                }
                let err = std::fs::read(log)
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                let tail: Vec<&str> = err.lines().rev().take(3).collect();
                return Err(failed(format!("{status}: {}", tail.join(" | "))));
            }
            Ok(None) if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failed(format!("no result within {} s", TIMEOUT.as_secs())));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(failed(e.to_string())),
        }
    }
}

/// Prints HTML to PDF with the given browser and returns the PDF's bytes.
///
/// # Errors
/// When the temporary files cannot be written or the browser fails or produces no PDF.
pub fn html_to_pdf(html: &str, browser: &Path) -> Result<Vec<u8>, PdfError> {
    let tmp = tempfile::tempdir()?;
    let page = tmp.path().join("report.html");
    std::fs::write(&page, html)?;
    let out = tmp.path().join("report.pdf");
    let mut cmd = Command::new(browser);
    cmd.args(headless_args(&tmp.path().join("profile")))
        .arg("--no-pdf-header-footer")
        .arg("--print-to-pdf-no-header")
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(file_url(&page));
    run_limited(cmd, browser, &tmp.path().join("browser.log"))?;
    let bytes = std::fs::read(&out).map_err(|e| PdfError::Failed {
        browser: browser.display().to_string(),
        reason: format!("no PDF written ({e})"),
    })?;
    if !bytes.starts_with(b"%PDF-") {
        return Err(PdfError::Failed {
            browser: browser.display().to_string(),
            reason: "the output is not a PDF".to_owned(),
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_are_encoded() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/ä.html")),
            "file:///tmp/a%20b/%C3%A4.html"
        );
        assert_eq!(file_url(Path::new("C:\\x\\r.html")), "file:///C:/x/r.html");
    }
}
