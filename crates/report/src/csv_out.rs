//! CSV of findings: one row per finding, for spreadsheets and ticket systems.

use praxcheck_i18n::Lang;
use praxcheck_model::Document;

use crate::ReportError;

/// The findings as CSV (header row first; texts in the given language).
///
/// # Errors
/// When the CSV writer fails.
pub fn findings_csv(doc: &Document, lang: Lang) -> Result<String, ReportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
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
    ])?;
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
        w.write_record([
            f.severity.as_str(),
            f.status.as_str(),
            f.rule_id.as_str(),
            name.as_str(),
            version.as_str(),
            location.as_str(),
            f.title.get(code),
            f.explanation.get(code),
            f.remediation.get(code),
            f.fixed_versions.join(" ").as_str(),
            f.id.as_str(),
        ])?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ReportError::Csv(e.into_error().into()))?;
    String::from_utf8(bytes).map_err(|_| ReportError::Utf8)
}
