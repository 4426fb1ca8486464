//! The collector contract: what every collector hands to the document.
//!
//! A collector (Java archives, logs, host facts, …) returns one [`Contribution`]: its part
//! of the inventory, the entries it could not read, its counters and its coverage. A
//! [`Document`](crate::Document) takes contributions with
//! [`Document::absorb`](crate::Document::absorb) — the one place where results are merged —
//! so no command merges collector output by hand.
//!
//! Adding a collector: a new [`CollectorId`] variant (its name in documents), an
//! implementation of [`Collect`] for the collector's result type, and absorbing it where
//! the pipeline runs collectors. `Inventory` and `ScanStats` are destructured by the merge,
//! so a new inventory part or counter does not compile until the merge handles it.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    EvidenceLevel, Inventory, LogEvidence, LogSummary, MAX_LOG_SAMPLE, ScanStats, SkippedMount,
    Unreadable,
};

/// The collectors, named as they appear in documents (`scan.collectors`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CollectorId {
    /// Java archives (`praxcheck-javascan`).
    Java,
    /// Log traces of Log4Shell attempts (`praxcheck-logscan`).
    Logs,
    /// Host posture facts and installed software (`praxcheck-hostscan`).
    Host,
    /// Devices and services of the practice network (`praxcheck-netscan`), named `net`.
    #[serde(rename = "net")]
    Network,
}

impl CollectorId {
    /// Every collector, in the order documents list them.
    pub const ALL: [CollectorId; 4] = [
        CollectorId::Java,
        CollectorId::Logs,
        CollectorId::Host,
        CollectorId::Network,
    ];

    /// The name in documents (`java`, `logs`, `host`, `net`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            CollectorId::Java => "java",
            CollectorId::Logs => "logs",
            CollectorId::Host => "host",
            CollectorId::Network => "net",
        }
    }
}

impl fmt::Display for CollectorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much of what a collector was pointed at it could read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CollectorCoverage {
    /// How many of the roots it was given could be read at all (a command with given
    /// paths fails when this is zero).
    pub readable_roots: usize,
    /// Mount points it did not enter, and why.
    pub skipped_mounts: Vec<SkippedMount>,
}

/// What one collector run adds to a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// Which collector produced it.
    pub collector: CollectorId,
    /// Its part of the inventory (facts only, never findings).
    pub inventory: Inventory,
    /// Files and entries it could not (fully) read.
    pub unreadable: Vec<Unreadable>,
    /// Its counters.
    pub stats: ScanStats,
    /// How much it could read.
    pub coverage: CollectorCoverage,
}

impl Contribution {
    /// An empty contribution of a collector.
    #[must_use]
    pub fn new(collector: CollectorId) -> Self {
        Self {
            collector,
            inventory: Inventory::default(),
            unreadable: Vec::new(),
            stats: ScanStats::default(),
            coverage: CollectorCoverage::default(),
        }
    }
}

/// The contract a collector's result implements: it becomes a [`Contribution`].
pub trait Collect {
    /// The collector this result comes from.
    const ID: CollectorId;

    /// The result as a contribution to a document.
    fn into_contribution(self) -> Contribution;
}

/// Keeps at most [`MAX_LOG_SAMPLE`] traces: those showing that the lookup ran first, then
/// round-robin over the files (each file's first trace before any file's second), each
/// group in its order; the kept traces stay in their order.
pub fn cap_log_sample(evidence: &mut Vec<LogEvidence>) {
    if evidence.len() <= MAX_LOG_SAMPLE {
        return;
    }
    // A total order that does not depend on the list's order, so that capping parts and
    // then their union keeps the same traces as capping the whole.
    let mut rank_in_file: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    let mut keys: Vec<(std::cmp::Reverse<EvidenceLevel>, u64, &str, u64, usize)> = evidence
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let r = rank_in_file.entry(e.location.display.as_str()).or_insert(0);
            *r += 1;
            (
                std::cmp::Reverse(e.level),
                *r,
                e.location.display.as_str(),
                e.line,
                i,
            )
        })
        .collect();
    keys.sort_unstable();
    let mut keep = vec![false; evidence.len()];
    for (_, _, _, _, i) in keys.into_iter().take(MAX_LOG_SAMPLE) {
        keep[i] = true;
    }
    let mut i = 0;
    evidence.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

impl Inventory {
    /// The counts over every log trace: the summary, or for documents written before it
    /// existed, the counts of their evidence list (which held every trace).
    #[must_use]
    pub fn log_counts(&self) -> LogSummary {
        self.log_summary
            .clone()
            .unwrap_or_else(|| LogSummary::of(&self.log_evidence))
    }

    /// Adds another inventory part (from another collector) to this one. Host facts
    /// and network facts are produced by one collector each; when two parts carry them, the
    /// later one wins.
    pub fn absorb(&mut self, other: Inventory) {
        let Inventory {
            components,
            log_evidence,
            log_summary,
            log_sources,
            host,
            network,
        } = other;
        self.components.extend(components);
        // The counts: a part without a summary (an older document) held every trace.
        if log_summary.is_some() || self.log_summary.is_some() || !log_evidence.is_empty() {
            let mut mine = self.log_counts();
            mine.merge(log_summary.unwrap_or_else(|| LogSummary::of(&log_evidence)));
            self.log_summary = Some(mine);
        }
        self.log_evidence.extend(log_evidence);
        cap_log_sample(&mut self.log_evidence);
        self.log_sources.extend(log_sources);
        if host.is_some() {
            self.host = host;
        }
        if network.is_some() {
            self.network = network;
        }
    }
}

impl std::ops::AddAssign<&ScanStats> for ScanStats {
    fn add_assign(&mut self, rhs: &ScanStats) {
        let ScanStats {
            files_seen,
            dirs_seen,
            archives_opened,
            entries_listed,
            bytes_read,
            dirs_denied,
            duplicates_skipped,
        } = rhs;
        self.files_seen += files_seen;
        self.dirs_seen += dirs_seen;
        self.archives_opened += archives_opened;
        self.entries_listed += entries_listed;
        self.bytes_read += bytes_read;
        self.dirs_denied += dirs_denied;
        self.duplicates_skipped += duplicates_skipped;
    }
}

impl std::ops::AddAssign for ScanStats {
    fn add_assign(&mut self, rhs: ScanStats) {
        *self += &rhs;
    }
}
