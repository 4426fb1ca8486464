//! Renders praxcheck documents for people and machines.
//!
//! Every format is rendered from stored documents alone (plus the compiled-in KBV
//! catalogue for titles), so a stored document can be rendered again later (`praxcheck
//! report --from`). All renderers share one content model, [`View`]: the documents of one
//! or more machines, each with its findings, and their (practice-wide) assessment. All
//! words come from the message catalogue, the advisory data or the KBV data; nothing
//! user-facing is spelled here.

pub mod advisories;
pub mod agent;
pub mod answers;
pub mod csv_out;
pub mod fix;
pub mod host;
pub mod html;
pub mod logs;
pub mod net;
pub mod overview;
pub mod pdf;
pub mod sarif;
pub mod sbom;
pub mod svg;
pub mod term;
pub mod text;
pub mod words;

pub use csv_out::{findings_csv, practice_csv};
pub use overview::{OverviewOptions, overview};
pub use text::{TextOptions, scan_summary};

use praxcheck_i18n::Catalog;
use praxcheck_model::{Assessment, CollectorId, Document};

/// What every renderer reads: the machines' documents and their assessment.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// One document per machine (at least one), each with its findings.
    pub docs: &'a [Document],
    /// The assessment of all of them together (for one document: its own).
    pub assessment: &'a Assessment,
}

/// Errors while rendering.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Writing CSV failed.
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    /// The CSV writer returned bytes that are not UTF-8 (cannot happen with our input).
    #[error("CSV output is not UTF-8")]
    Utf8,
    /// Serialising JSON failed.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The HTML template failed.
    #[error("HTML: {0}")]
    Html(String),
    /// The KBV catalogue could not be loaded.
    #[error("KBV catalogue: {0}")]
    Kbv(String),
}

/// The terminal summary of each document (`--format text`): the Java part, the log part
/// and the host facts, each when its collector ran; documents separated by a blank line.
#[must_use]
pub fn terminal_text(docs: &[Document], opts: TextOptions) -> String {
    let cat = Catalog::new(opts.lang);
    docs.iter()
        .map(|d| {
            let logs = logs::text_summary(d, &cat, opts.all);
            if d.scan.collectors == [CollectorId::Logs] {
                return logs;
            }
            // A host-only scan has no Java summary.
            let mut t = if d.ran(CollectorId::Java) {
                scan_summary(d, opts)
            } else {
                String::new()
            };
            if !logs.is_empty() {
                t.push('\n');
                t.push_str(&logs);
            }
            // The Java summary lists every finding; without it the network part does.
            if !d.ran(CollectorId::Java) {
                let net = net::text_summary(d, &cat, opts.all);
                if !net.is_empty() {
                    if !t.is_empty() {
                        t.push('\n');
                    }
                    t.push_str(&net);
                }
            }
            if let Some(h) = &d.inventory.host {
                if !t.is_empty() {
                    t.push('\n');
                }
                t.push_str(&host::summary(h, &d.scan.hostname, &cat));
            }
            t
        })
        .collect::<Vec<_>>()
        .join("\n")
}
