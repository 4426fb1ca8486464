//! Every output format, rendered from a run.

use praxcheck_i18n::{Arg, Catalog, Lang};
use praxcheck_model::{PracticeReport, Tool};
use praxcheck_report::{OverviewOptions, ReportError, TextOptions};

use crate::Run;

/// Output formats (also the values of the binary's `--format`, with the `clap` feature).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Format {
    /// Terminal summary.
    Text,
    /// The praxcheck JSON document.
    Json,
    /// Findings as CSV.
    Csv,
    /// One-page overview (light, score, first steps, KBV coverage).
    Overview,
    /// Single-file HTML report.
    Html,
    /// PDF of the HTML report (needs a Chromium-family browser).
    Pdf,
    /// CycloneDX 1.5 SBOM of the inventory.
    Sbom,
    /// SARIF 2.1.0 of the component, log and network findings.
    Sarif,
}

/// How to render.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Language.
    pub lang: Lang,
    /// ANSI colours (terminal formats).
    pub color: bool,
    /// Every finding in the terminal summary.
    pub all: bool,
    /// Lines under the overview (where the reports were saved, the duration).
    pub footer: Vec<String>,
}

/// Errors while rendering.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A renderer failed.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// Serialising JSON failed.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// No browser for the PDF, or it failed (the message is in the user's language).
    #[error("{0}")]
    Pdf(String),
}

/// Renders a run in one format.
///
/// # Errors
/// When a renderer fails or, for PDF, no browser is found or it fails.
pub fn render(run: &Run, format: Format, opts: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    let docs = &run.docs;
    let view = run.view();
    let lang = opts.lang;
    Ok(match format {
        // Printed to a terminal when there is no --output: attacker-chosen strings inside
        // keep their value, their C1 and bidi characters are written as escapes.
        Format::Json => praxcheck_report::term::json_visible({
            // Straight into one buffer (the caller writes it with one call); about 2 KiB
            // of JSON per component, so the buffer seldom grows.
            let hint = 64 * 1024
                + 2048
                    * docs
                        .iter()
                        .map(|d| d.inventory.components.len())
                        .sum::<usize>();
            if let [doc] = docs.as_slice() {
                crate::json::to_pretty_vec(doc, hint)?
            } else {
                crate::json::to_pretty_vec(
                    &PracticeReport {
                        schema_version: praxcheck_model::assessment::PRACTICE_SCHEMA_VERSION,
                        tool: Tool::default(),
                        assessment: run.assessment.clone(),
                        documents: docs.clone(),
                    },
                    hint,
                )?
            }
        }),
        Format::Csv => if let [doc] = docs.as_slice() {
            praxcheck_report::findings_csv(doc, lang)?
        } else {
            praxcheck_report::practice_csv(docs, lang)?
        }
        .into_bytes(),
        Format::Text => praxcheck_report::terminal_text(
            docs,
            TextOptions {
                lang,
                color: opts.color,
                all: opts.all,
            },
        )
        .into_bytes(),
        Format::Overview => praxcheck_report::overview(
            &view,
            &OverviewOptions {
                lang,
                color: opts.color,
                footer: opts.footer.clone(),
            },
        )
        .into_bytes(),
        Format::Html => praxcheck_report::html::html(&view, lang)?.into_bytes(),
        Format::Pdf => pdf(&praxcheck_report::html::html(&view, lang)?, lang)?,
        Format::Sbom => praxcheck_report::term::json_visible(
            praxcheck_report::sbom::cyclonedx(&view)?.into_bytes(),
        ),
        Format::Sarif => praxcheck_report::term::json_visible(
            praxcheck_report::sarif::sarif(&view)?.into_bytes(),
        ),
    })
}

fn pdf(html: &str, lang: Lang) -> Result<Vec<u8>, RenderError> {
    use praxcheck_report::pdf::{PdfError, find_browser, html_to_pdf};
    let cat = Catalog::new(lang);
    let browser = match find_browser() {
        Ok(b) => b,
        Err(PdfError::NoBrowser { searched }) => {
            return Err(RenderError::Pdf(cat.t_args(
                "pdf-engine-missing",
                &[("searched", Arg::from(searched.join(", ")))],
            )));
        }
        Err(e) => return Err(RenderError::Pdf(e.to_string())),
    };
    html_to_pdf(html, &browser).map_err(|e| {
        RenderError::Pdf(cat.t_args("pdf-engine-failed", &[("reason", Arg::from(e.to_string()))]))
    })
}
