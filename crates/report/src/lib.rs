//! Renders a praxcheck [`Document`] for people and machines.
//!
//! Every format is rendered from the document alone, so a stored document can be rendered
//! again later (`praxcheck report --from`). All words come from the message catalogue or
//! from the advisory data; nothing user-facing is spelled here.

pub mod csv_out;
pub mod text;

pub use csv_out::findings_csv;
pub use text::{TextOptions, scan_summary};

/// Errors while rendering.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Writing CSV failed.
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    /// The CSV writer returned bytes that are not UTF-8 (cannot happen with our input).
    #[error("CSV output is not UTF-8")]
    Utf8,
}
