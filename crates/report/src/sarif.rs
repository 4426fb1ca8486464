//! SARIF 2.1.0 for the component, network and log findings: one run per machine, one rule
//! per advisory or rule, component results located at the file on disk with the nested
//! archive path as a logical location, network results at the device and port (a logical
//! location), log findings as one result per trace with file and line (at most 1,000).
//! Accepted risks are results with an external suppression and its justification.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use praxcheck_model::{Severity, Status};

use crate::pdf::file_url;
use crate::{ReportError, View};

fn level(s: Severity, st: Status) -> &'static str {
    if st == Status::Mitigated {
        return "note";
    }
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn security_severity(s: Severity, cvss: Option<f32>) -> String {
    match cvss {
        Some(c) => format!("{c:.1}"),
        None => match s {
            Severity::Critical => "9.5",
            Severity::High => "8.0",
            Severity::Medium => "5.5",
            Severity::Low => "2.0",
            Severity::Info => "0.0",
        }
        .to_owned(),
    }
}

/// The rule of a finding.
fn rule(f: &praxcheck_model::Finding) -> Value {
    let mut tags = vec![json!("security")];
    tags.extend(f.aliases.iter().map(|a| json!(a)));
    json!({
        "id": f.rule_id,
        "name": f.rule_id.replace('-', ""),
        "shortDescription": {"text": f.title.en},
        "fullDescription": {"text": f.title.en},
        "help": {"text": f.remediation.en},
        "helpUri": f.references.first().cloned().unwrap_or_else(|| format!("https://osv.dev/vulnerability/{}", f.advisory_id)),
        "defaultConfiguration": {"level": level(f.severity, Status::Vulnerable)},
        "properties": {"security-severity": security_severity(f.severity, f.cvss), "tags": tags},
    })
}

/// At most this many log traces become results.
const MAX_LOG_RESULTS: usize = 1000;

/// The SARIF log as pretty JSON.
///
/// # Errors
/// When serialising fails (it does not with valid input).
pub fn sarif(view: &View<'_>) -> Result<String, ReportError> {
    let mut runs = Vec::new();
    for d in view.docs {
        let mut rules: BTreeMap<String, Value> = BTreeMap::new();
        let mut results = Vec::new();
        for f in d
            .findings
            .iter()
            .filter(|f| f.subject.component.is_some() || crate::net::is_network_finding(f))
        {
            rules.entry(f.rule_id.clone()).or_insert_with(|| rule(f));
            let loc = f.subject.location.as_ref();
            let location = if f.subject.component.is_none() {
                // A network finding: the device and port, not a file (issue 12).
                let at: Vec<Value> = crate::net::places(f, 100)
                    .into_iter()
                    .map(|a| json!({"fullyQualifiedName": a, "kind": "resource"}))
                    .collect();
                json!({ "logicalLocations": at })
            } else {
                let outer = loc.map(|l| l.outer_file().to_owned()).unwrap_or_default();
                let mut location = json!({
                    "physicalLocation": {"artifactLocation": {"uri": file_url(std::path::Path::new(&outer))}},
                });
                if let Some(l) = loc.filter(|l| l.depth() > 0) {
                    location["logicalLocations"] =
                        json!([{"fullyQualifiedName": l.display, "kind": "module"}]);
                }
                location
            };
            let mut r = json!({
                "ruleId": f.rule_id,
                "level": level(f.severity, f.status),
                "message": {"text": f.explanation.en},
                "locations": [location],
                "partialFingerprints": {"praxcheckFindingId/v1": f.id},
                "properties": {"status": f.status.as_str(), "severity": f.severity.as_str(), "host": d.scan.hostname},
            });
            if let Some(acc) = &f.accepted {
                r["suppressions"] = json!([{
                    "kind": "external",
                    "status": "accepted",
                    "justification": format!("{} (until {})", acc.reason, acc.expires),
                }]);
            }
            results.push(r);
        }
        // Log findings: one result per trace with file and line (issue 11, item 7), capped;
        // the document keeps a sample of at most 1,000 traces anyway.
        for f in d.findings.iter().filter(|f| crate::logs::is_log_finding(f)) {
            rules.entry(f.rule_id.clone()).or_insert_with(|| rule(f));
            for e in d.inventory.log_evidence.iter().take(MAX_LOG_RESULTS) {
                let file = e.location.outer_file().to_owned();
                let mut location = json!({
                    "physicalLocation": {
                        "artifactLocation": {"uri": file_url(std::path::Path::new(&file))},
                        "region": {"startLine": e.line.max(1)},
                    },
                });
                if e.location.depth() > 0 {
                    location["logicalLocations"] =
                        json!([{"fullyQualifiedName": e.location.display, "kind": "module"}]);
                }
                results.push(json!({
                    "ruleId": f.rule_id,
                    "level": level(f.severity, f.status),
                    "message": {"text": f.explanation.en},
                    "locations": [location],
                    "partialFingerprints": {
                        "praxcheckFindingId/v1": format!("{}/{}:{}", f.id, e.location.display, e.line),
                    },
                    "properties": {
                        "status": f.status.as_str(),
                        "severity": f.severity.as_str(),
                        "host": d.scan.hostname,
                        "evidenceLevel": e.level.as_str(),
                    },
                }));
            }
        }
        let index: BTreeMap<String, usize> = rules
            .keys()
            .enumerate()
            .map(|(i, k)| (k.clone(), i))
            .collect();
        for r in &mut results {
            let id = r["ruleId"].as_str().unwrap_or_default().to_owned();
            if let Some(i) = index.get(&id) {
                r["ruleIndex"] = json!(i);
            }
        }
        runs.push(json!({
            "tool": {"driver": {
                "name": "praxcheck",
                "version": d.tool.version,
                "semanticVersion": d.tool.version,
                "rules": rules.into_values().collect::<Vec<_>>(),
            }},
            "automationDetails": {"id": format!("praxcheck/{}/{}", d.scan.hostname, d.scan.started_at)},
            "results": results,
            "properties": {"advisorySet": format!("{}@{}", d.advisory_set.id, d.advisory_set.version)},
        }));
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": runs,
    });
    let mut s = serde_json::to_string_pretty(&log)?;
    s.push('\n');
    Ok(s)
}
