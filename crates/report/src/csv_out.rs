//! CSV of findings: one row per finding, for spreadsheets and ticket systems.

use praxcheck_i18n::Lang;
use praxcheck_model::Document;

use crate::ReportError;

/// The findings as CSV (header row first; texts in the given language).
///
/// # Errors
/// When the CSV writer fails.
pub fn findings_csv(doc: &Document, lang: Lang) -> Result<String, ReportError> {
    write_csv(std::slice::from_ref(doc), lang, false)
}

/// The findings of several machines as one CSV, with a last column `host`.
///
/// # Errors
/// When the CSV writer fails.
pub fn practice_csv(docs: &[Document], lang: Lang) -> Result<String, ReportError> {
    write_csv(docs, lang, true)
}

fn write_csv(docs: &[Document], lang: Lang, with_host: bool) -> Result<String, ReportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "severity",
        "status",
        "rule_id",
        "component",
        "version",
        "location",
        "title",
        "explanation",
        "remediation",
        "fixed_versions",
        "finding_id",
    ];
    if with_host {
        header.push("host");
    }
    w.write_record(&header)?;
    for doc in docs {
        for f in &doc.findings {
            let comp = f
                .subject
                .component
                .as_ref()
                .and_then(|id| doc.inventory.components.iter().find(|c| &c.id == id));
            let name = comp.map(|c| c.name.clone()).unwrap_or_default();
            let version = comp
                .map(praxcheck_model::Component::version_display)
                .unwrap_or_default();
            let location = f
                .subject
                .location
                .as_ref()
                .map(|l| l.display.clone())
                .unwrap_or_default();
            let code = lang.code();
            let fixed = f.fixed_versions.join(" ");
            let mut row = vec![
                f.severity.as_str(),
                f.status.as_str(),
                f.rule_id.as_str(),
                name.as_str(),
                version.as_str(),
                location.as_str(),
                f.title.get(code),
                f.explanation.get(code),
                f.remediation.get(code),
                fixed.as_str(),
                f.id.as_str(),
            ];
            if with_host {
                row.push(doc.scan.hostname.as_str());
            }
            w.write_record(&row)?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ReportError::Csv(e.into_error().into()))?;
    String::from_utf8(bytes).map_err(|_| ReportError::Utf8)
}
