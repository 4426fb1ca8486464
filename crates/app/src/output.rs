//! The output folder of whole-computer scans: each run leaves its JSON document and its
//! HTML report there, named by host and start time, compared with the host's previous run.

use std::path::{Path, PathBuf};

use praxcheck_i18n::Lang;
use praxcheck_model::Document;

use crate::{Pipeline, Run};

/// Errors saving a run.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// A folder or file could not be written.
    #[error("{path}: {source}")]
    Write {
        /// The folder or file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The document or report could not be rendered.
    #[error(transparent)]
    Render(#[from] crate::RenderError),
}

/// Where a run was saved.
#[derive(Debug, Clone)]
pub struct Saved {
    /// The JSON document.
    pub json: PathBuf,
    /// The HTML report.
    pub html: PathBuf,
}

/// `20261129T101500Z…` → `20261129-101500…`: the digits of a start time, for file names.
fn stamp(rfc3339: &str) -> String {
    rfc3339
        .chars()
        .filter(char::is_ascii_digit)
        .take(17)
        .enumerate()
        .flat_map(|(i, c)| if i == 8 { vec!['-', c] } else { vec![c] })
        .collect()
}

fn safe_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The newest earlier JSON document of this host in the output folder.
fn previous_document(dir: &Path, host: &str, except: &Path) -> Option<PathBuf> {
    let prefix = format!("praxcheck-{}-", safe_name(host));
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".json"))
                && p != except
        })
        .collect();
    v.sort();
    v.pop()
}

/// Saves a one-document run to `dir`: compares it with the host's newest earlier document
/// there (an unreadable one is skipped), then writes the JSON document and the HTML report
/// atomically.
///
/// # Errors
/// When the folder or a file cannot be written.
pub fn save_run(
    pipeline: &Pipeline<'_>,
    run: &mut Run,
    dir: &Path,
    lang: Lang,
) -> Result<Saved, SaveError> {
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SaveError::Write { path, source }
    };
    std::fs::create_dir_all(dir).map_err(write_err(dir))?;
    let Some(doc) = run.docs.first() else {
        return Err(SaveError::Write {
            path: dir.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "no document"),
        });
    };
    let base = format!(
        "praxcheck-{}-{}",
        safe_name(&doc.scan.hostname),
        stamp(&doc.scan.started_at)
    );
    let json = dir.join(format!("{base}.json"));
    let html = dir.join(format!("{base}.html"));
    if let Some(prev) = previous_document(dir, &doc.scan.hostname, &json)
        && let Ok(bytes) = std::fs::read(&prev)
        && let Ok(old) = Document::from_json(&bytes)
    {
        pipeline.compare_with(run, vec![old]);
    }
    let body = crate::render(
        run,
        crate::Format::Json,
        &crate::RenderOptions {
            lang,
            color: false,
            all: false,
            footer: Vec::new(),
        },
    )?;
    praxcheck_sys::write_atomic(&json, &body).map_err(write_err(&json))?;
    let report =
        praxcheck_report::html::html(&run.view(), lang).map_err(crate::RenderError::from)?;
    praxcheck_sys::write_atomic(&html, report.as_bytes()).map_err(write_err(&html))?;
    Ok(Saved { json, html })
}

/// Why the end of a scan failed; the messages are the user's (from the catalogue).
#[derive(Debug, thiserror::Error)]
pub enum FinishError {
    /// There is no output folder to save the reports in.
    #[error("{0}")]
    NoOutputDir(String),
    /// A folder or file of the output folder could not be written.
    #[error("{message}")]
    Write {
        /// What could not be written, in the user's language, with the path.
        message: String,
        /// The error.
        source: std::io::Error,
    },
    /// Rendering the saved reports failed.
    #[error(transparent)]
    Save(SaveError),
}

/// The end of `praxcheck scan`: the document assessed and the format to show; a
/// whole-computer scan without `--format`, `--output` or `--no-save` is also saved to the
/// output folder. Returns the run, the format (default: the overview for a whole-computer
/// scan, else the text summary) and the lines under the overview (where the reports were
/// saved, the duration).
///
/// # Errors
/// No output folder, or the reports could not be written.
#[cfg(all(feature = "clap", feature = "local"))]
pub fn finish_scan(
    pipeline: &Pipeline<'_>,
    doc: Document,
    a: &crate::args::ScanArgs,
    cat: &praxcheck_i18n::Catalog,
    started: std::time::Instant,
) -> Result<(Run, crate::Format, Vec<String>), FinishError> {
    use praxcheck_i18n::Arg;
    let whole_computer = a.whole_computer();
    let save = whole_computer && !a.no_save && a.out.format.is_none() && a.out.output.is_none();
    let format = a.out.format.unwrap_or(if whole_computer {
        crate::Format::Overview
    } else {
        crate::Format::Text
    });
    let mut run = pipeline.assess(vec![doc], &[]);
    let mut footer = Vec::new();
    if save {
        let Some(dir) = crate::folders::output_dir() else {
            return Err(FinishError::NoOutputDir(cat.t("error-no-output-dir")));
        };
        let saved = save_run(pipeline, &mut run, &dir, cat.lang()).map_err(|e| match e {
            SaveError::Write { path, source } => FinishError::Write {
                message: format!("{}: {}", cat.t("error-write-output"), path.display()),
                source,
            },
            e @ SaveError::Render(_) => FinishError::Save(e),
        })?;
        for (key, path) in [
            ("note-report-html", &saved.html),
            ("note-report-json", &saved.json),
        ] {
            footer.push(cat.t_args(key, &[("path", Arg::from(path.display().to_string()))]));
        }
    }
    if format == crate::Format::Overview {
        let secs = cat.lang().decimal1(started.elapsed().as_secs_f64());
        footer.push(cat.t_args("note-duration", &[("seconds", Arg::from(secs))]));
    }
    Ok((run, format, footer))
}
