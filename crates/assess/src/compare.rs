//! `--compare OLD`: what was fixed, what is new and what is unchanged since an earlier run.
//!
//! Both runs are assessed with the same advisory set and answers before comparing, so the
//! comparison shows what changed on the machines, not what changed in the advisories.
//! Findings are matched by machine and finding id (a hash of rule and component or fact,
//! stable across runs).

use std::collections::BTreeMap;

use praxcheck_model::{Assessment, ComparedFinding, Comparison, Document};

fn open_findings(docs: &[Document]) -> BTreeMap<(String, String), ComparedFinding> {
    let mut out = BTreeMap::new();
    for d in docs {
        for f in d.findings.iter().filter(|f| f.status.is_open()) {
            out.insert(
                (d.scan.hostname.clone(), f.id.clone()),
                ComparedFinding {
                    id: f.id.clone(),
                    rule_id: f.rule_id.clone(),
                    title: f.title.clone(),
                    severity: f.severity,
                    host: d.scan.hostname.clone(),
                    location: f.subject.location.as_ref().map(|l| l.display.clone()),
                },
            );
        }
    }
    out
}

fn worst_first(v: &mut [ComparedFinding]) {
    v.sort_by(|a, b| {
        (b.severity, &a.host, &a.rule_id, &a.location).cmp(&(
            a.severity,
            &b.host,
            &b.rule_id,
            &b.location,
        ))
    });
}

/// Compares assessed documents of an earlier run with assessed documents of now.
#[must_use]
pub fn compare(old: &[Document], old_assessment: &Assessment, new: &[Document]) -> Comparison {
    let before = open_findings(old);
    let now = open_findings(new);
    let mut fixed: Vec<ComparedFinding> = before
        .iter()
        .filter(|(k, _)| !now.contains_key(*k))
        .map(|(_, v)| v.clone())
        .collect();
    let mut new_: Vec<ComparedFinding> = now
        .iter()
        .filter(|(k, _)| !before.contains_key(*k))
        .map(|(_, v)| v.clone())
        .collect();
    let mut unchanged: Vec<ComparedFinding> = now
        .iter()
        .filter(|(k, _)| before.contains_key(*k))
        .map(|(_, v)| v.clone())
        .collect();
    worst_first(&mut fixed);
    worst_first(&mut new_);
    worst_first(&mut unchanged);
    let old_scanned_at = old
        .iter()
        .map(|d| d.scan.started_at.clone())
        .min()
        .unwrap_or_default();
    Comparison {
        old_scanned_at,
        old_light: old_assessment.light,
        old_score: old_assessment.score.percent,
        fixed,
        new: new_,
        unchanged,
    }
}
