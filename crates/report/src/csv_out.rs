//! CSV of findings: one row per finding, for spreadsheets and ticket systems; a log finding
//! has one row per log file, with that file's count of traces.

use praxcheck_i18n::{Catalog, Lang};
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

/// A cell as a spreadsheet will read it: text that starts like a formula (`=`, `+`, `-`,
/// `@`, tab, carriage return) gets a leading `'`, so that a component name or version taken
/// from a hostile archive or document cannot run as a formula when the file is opened.
fn cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
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
        let by_id: std::collections::HashMap<&str, &praxcheck_model::Component> = doc
            .inventory
            .components
            .iter()
            .map(|c| (c.id.as_str(), c))
            .collect();
        for f in &doc.findings {
            let comp = f
                .subject
                .component
                .as_deref()
                .and_then(|id| by_id.get(id).copied());
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
            // A log finding: one row per log file with its count (issue 11, item 7).
            let files = if crate::logs::is_log_finding(f) {
                crate::logs::per_file(doc, &Catalog::new(lang))
            } else {
                Vec::new()
            };
            for (file, count) in &files {
                let explanation = format!("{count} – {}", f.explanation.get(code));
                let mut row = vec![
                    f.severity.as_str(),
                    f.status.as_str(),
                    f.rule_id.as_str(),
                    "",
                    "",
                    file.as_str(),
                    f.title.get(code),
                    explanation.as_str(),
                    f.remediation.get(code),
                    fixed.as_str(),
                    f.id.as_str(),
                ];
                if with_host {
                    row.push(doc.scan.hostname.as_str());
                }
                w.write_record(row.into_iter().map(cell).map(|c| c.into_owned()))?;
            }
            if !files.is_empty() {
                continue;
            }
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
            w.write_record(row.into_iter().map(cell).map(|c| c.into_owned()))?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ReportError::Csv(e.into_error().into()))?;
    String::from_utf8(bytes).map_err(|_| ReportError::Utf8)
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_that_look_like_formulas_are_quoted() {
        for bad in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(cell(bad), format!("'{bad}"));
        }
        for ok in ["2.14.1", "log4j-core", "", "CVE-2021-44228"] {
            assert_eq!(cell(ok), ok);
        }
    }
}
