//! The praxcheck data model and its one serialization.
//!
//! Every collector command writes one JSON [`Document`]:
//! `{schema_version, tool, scan, advisory_set, inventory, findings, unreadable}`.
//! The same document is stored, merged across a practice's machines, uploaded and rendered
//! into every other format. This crate owns the types and their JSON form; it depends on no
//! other praxcheck crate.
//!
//! Invariant: the `inventory` holds facts only. Judgements (`findings`) are derived from the
//! inventory by the assessment and can be recomputed from a stored document with a newer
//! advisory set, without rescanning.

pub mod agent;
pub mod assessment;
pub mod backup;
pub mod collector;
pub mod component;
pub mod fact_keys;
pub mod finding;
pub mod host;
pub mod location;
pub mod logs;
pub mod network;
pub mod read;
pub mod sys;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

pub use assessment::{
    Action, AdvisoryAge, Assessment, CheckResult, CheckState, ComparedFinding, Comparison,
    Coverage, KbvAnlageCount, KbvCoverage, KbvRequirementStatus, KbvStatus, Light, MachineSummary,
    PracticeReport, ProductRef, Score, practice_json_schema,
};
pub use collector::{Collect, CollectorCoverage, CollectorId, Contribution};
pub use component::{
    Allows, ClassFact, Component, ComponentKind, Evidence, EvidenceKind, JavaFacts, JavaProduct,
    Placement, ProcessRef, Said, VersionBound, VersionInterval, maven_purl,
};
pub use finding::{Acceptance, Effort, Finding, Severity, Status, Subject, Text};
pub use host::{
    Account, AntimalwareProduct, BackupTarget, BackupTool, Confidence, FactSource, FactValue,
    FirewallRule, HostFact, HostFacts, ListeningService, RemoteTool, Share, SourceKind, Unknown,
    UnknownReason, UnknownSaid, Volume,
};
pub use location::{Location, NESTING_SEPARATOR, PathSegment};
pub use logs::{
    Callback, EvidenceLevel, ExecutionMarker, LogDayCount, LogEvidence, LogFileCount, LogHostCount,
    LogSource, LogSourceOrigin, LogSummary, MAX_LOG_SAMPLE, MAX_PAYLOAD_CHARS, MAX_SUMMARY_DAYS,
    MAX_SUMMARY_FILES, MAX_SUMMARY_HOSTS, Obfuscation, timestamp_day,
};
pub use network::{
    DeviceKind, Log4ShellCallback, Log4ShellProbe, Log4ShellVerdict, NetCounters, NetHost,
    NetLimits, NetProbe, NetService, NetworkFacts, TlsFacts,
};

/// Version of the document format. Readers accept documents of this version and refuse
/// newer ones with a clear message.
pub const SCHEMA_VERSION: u32 = 1;

/// The one exchange document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Document {
    /// Format version, see [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The program that wrote it.
    pub tool: Tool,
    /// How the scan ran.
    pub scan: ScanInfo,
    /// The advisory set the findings were computed with.
    pub advisory_set: AdvisorySetRef,
    /// Facts.
    pub inventory: Inventory,
    /// Judgements, derived from the inventory and the advisory set.
    pub findings: Vec<Finding>,
    /// Every file or folder that was not fully read, with the reason.
    pub unreadable: Vec<Unreadable>,
    /// The assessment (light, score, actions, KBV coverage), derived like `findings`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<Assessment>,
}

/// The program that wrote a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Tool {
    /// Always `praxcheck`.
    pub name: String,
    /// Program version.
    pub version: String,
}

impl Default for Tool {
    fn default() -> Self {
        Self {
            name: "praxcheck".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

/// How a scan ran.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct ScanInfo {
    /// Host name of the scanned machine.
    pub hostname: String,
    /// Operating system family (`linux`, `windows`, `macos`).
    pub os: String,
    /// Start, RFC 3339 UTC.
    pub started_at: String,
    /// End, RFC 3339 UTC.
    pub finished_at: String,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
    /// The roots that were scanned, as given or as chosen by default.
    pub roots: Vec<String>,
    /// The collectors that ran (`java`, `logs`, `host`, ...), in the order they were absorbed.
    pub collectors: Vec<CollectorId>,
    /// Counters.
    pub stats: ScanStats,
    /// False when something could not be read (see `unreadable`) or folders were denied;
    /// the overview then says the coverage is incomplete.
    pub complete: bool,
    /// Mount points that were not entered, and why (pseudo or network filesystems).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_mounts: Vec<SkippedMount>,
}

/// Scan counters.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct ScanStats {
    /// Regular files seen by the walk.
    pub files_seen: u64,
    /// Folders seen by the walk.
    pub dirs_seen: u64,
    /// Archives opened (outer and nested).
    pub archives_opened: u64,
    /// Archive entries listed.
    pub entries_listed: u64,
    /// Bytes read from disk or inflated from archives for analysis.
    pub bytes_read: u64,
    /// Folders that could not be entered (permission denied).
    pub dirs_denied: u64,
    /// Files reached through several paths (symlinks, hard links) and scanned once.
    pub duplicates_skipped: u64,
}

/// A mount point the walk did not enter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SkippedMount {
    /// Mount point.
    pub path: String,
    /// Filesystem type.
    pub fs_type: String,
    /// `pseudo` or `network`.
    pub reason: String,
}

/// The advisory set a document was assessed with.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct AdvisorySetRef {
    /// Identifier of the set.
    pub id: String,
    /// Monotonic version number.
    pub version: u64,
    /// Publication date (YYYY-MM-DD).
    pub published: String,
    /// `embedded` or `installed`.
    pub source: String,
}

/// Facts gathered by the collectors.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Inventory {
    /// Software found on the machine.
    pub components: Vec<Component>,
    /// Traces of Log4Shell attempts found in logs: a sample of at most
    /// [`MAX_LOG_SAMPLE`] traces when `log_summary` is present (documents written before
    /// it held every trace).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log_evidence: Vec<LogEvidence>,
    /// Counts over every trace found (per file, callback host and day), however many the
    /// sample in `log_evidence` kept. Read it through [`Inventory::log_counts`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_summary: Option<LogSummary>,
    /// The log files and folders that were read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log_sources: Vec<LogSource>,
    /// Host posture facts of the scanned computer (firewall, updates, backups, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<HostFacts>,
    /// Facts of the practice network (`praxcheck net`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<NetworkFacts>,
}

/// Why a file or folder was not (fully) read.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum UnreadableReason {
    /// The operating system refused access.
    PermissionDenied,
    /// The file disappeared between listing and reading.
    Vanished,
    /// The file changed while it was read.
    ChangedDuringScan,
    /// The path named on the command line does not exist.
    NotFound,
    /// Another input/output error.
    Io,
    /// The file has an archive extension but is not an archive.
    NotAnArchive,
    /// The archive structure is broken.
    Corrupt,
    /// The file ends early.
    Truncated,
    /// An entry is encrypted.
    Encrypted,
    /// An entry uses a compression method the scanner does not read.
    UnsupportedCompression,
    /// Nesting deeper than the depth limit.
    DepthLimit,
    /// An entry or archive larger than a size limit, or the inflation budget was used up.
    SizeLimit,
    /// An archive contains itself (zip quine) or repeats an outer archive.
    Recursive,
    /// A symbolic link loop.
    SymlinkLoop,
    /// The file holds binary data, not text (skipped by the log scan).
    Binary,
    /// The path is longer than the operating system opens (`ENAMETOOLONG`): what lies
    /// below it was not read.
    PathTooLong,
}

impl UnreadableReason {
    /// The machine name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            UnreadableReason::PermissionDenied => "permission_denied",
            UnreadableReason::Vanished => "vanished",
            UnreadableReason::ChangedDuringScan => "changed_during_scan",
            UnreadableReason::NotFound => "not_found",
            UnreadableReason::Io => "io",
            UnreadableReason::NotAnArchive => "not_an_archive",
            UnreadableReason::Corrupt => "corrupt",
            UnreadableReason::Truncated => "truncated",
            UnreadableReason::Encrypted => "encrypted",
            UnreadableReason::UnsupportedCompression => "unsupported_compression",
            UnreadableReason::DepthLimit => "depth_limit",
            UnreadableReason::SizeLimit => "size_limit",
            UnreadableReason::Recursive => "recursive",
            UnreadableReason::SymlinkLoop => "symlink_loop",
            UnreadableReason::Binary => "binary",
            UnreadableReason::PathTooLong => "path_too_long",
        }
    }

    /// Whether an entry with this reason may hide what the scan looks for, so that a scan
    /// with one is incomplete: access refused, a limit (depth, size, inflation budget,
    /// listing caps) or a path too long to open. A binary file, a corrupt archive (the JVM
    /// cannot open it either) or a file that vanished hide nothing.
    #[must_use]
    pub fn limits_coverage(self) -> bool {
        matches!(
            self,
            UnreadableReason::PermissionDenied
                | UnreadableReason::DepthLimit
                | UnreadableReason::SizeLimit
                | UnreadableReason::PathTooLong
        )
    }
}

/// A file or folder that was not fully read.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct Unreadable {
    /// Where.
    pub location: Location,
    /// Why, as a code.
    pub reason: UnreadableReason,
    /// Why, in detail (the operating system's or the parser's message).
    pub detail: String,
}

/// Errors reading a document.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The text is not a valid document.
    /// (The parser's error is in the message and not a `source`, so that a chain printed
    /// with `{:#}` does not repeat it.)
    #[error("not a praxcheck document: {0}")]
    Parse(serde_json::Error),
    /// The file could not be read (not a regular file, too large, I/O).
    #[error(transparent)]
    Read(#[from] read::ReadError),
    /// A value in the document is out of its bounds.
    #[error("not a praxcheck document: {0}")]
    Bounds(String),
    /// Written by a newer praxcheck.
    #[error(
        "document schema version {found} is newer than this program supports ({supported}); please update praxcheck"
    )]
    TooNew {
        /// Version in the document.
        found: u32,
        /// Version this program writes.
        supported: u32,
    },
}

impl From<serde_json::Error> for ModelError {
    fn from(e: serde_json::Error) -> Self {
        ModelError::Parse(e)
    }
}

impl Document {
    /// An empty document for the given scan.
    #[must_use]
    pub fn new(scan: ScanInfo, advisory_set: AdvisorySetRef) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            tool: Tool::default(),
            scan,
            advisory_set,
            inventory: Inventory::default(),
            findings: Vec::new(),
            unreadable: Vec::new(),
            assessment: None,
        }
    }

    /// Parses a document, refusing newer schema versions.
    ///
    /// # Errors
    /// When the bytes are not a document or the schema version is newer than supported.
    pub fn from_json(bytes: &[u8]) -> Result<Self, ModelError> {
        #[derive(Deserialize)]
        struct Probe {
            schema_version: u32,
        }
        let probe: Probe = serde_json::from_slice(bytes)?;
        if probe.schema_version > SCHEMA_VERSION {
            return Err(ModelError::TooNew {
                found: probe.schema_version,
                supported: SCHEMA_VERSION,
            });
        }
        let doc: Self = serde_json::from_slice(bytes)?;
        doc.check_bounds()?;
        Ok(doc)
    }

    /// Reads a document from a file: only a regular file of at most
    /// [`read::MAX_DOCUMENT_BYTES`] is read (a FIFO or device is refused, never waited on).
    /// `report --from` and every other reader of documents use this.
    ///
    /// # Errors
    /// When the file cannot be read, is not a regular file, is too large, or is not a
    /// document.
    pub fn read_file(path: &std::path::Path) -> Result<Self, ModelError> {
        let bytes = read::read_regular_capped(path, read::MAX_DOCUMENT_BYTES)?;
        Self::from_json(&bytes)
    }

    /// Refuses values a scan never writes and a hostile document could use to mislead
    /// (a host name of megabytes).
    fn check_bounds(&self) -> Result<(), ModelError> {
        let n = self.scan.hostname.chars().count();
        if n > read::MAX_HOSTNAME_CHARS {
            return Err(ModelError::Bounds(format!(
                "the host name has {n} characters (at most {})",
                read::MAX_HOSTNAME_CHARS
            )));
        }
        Ok(())
    }

    /// Pretty JSON with a trailing newline.
    ///
    /// # Errors
    /// Never in practice (all types serialize); the error is passed through.
    pub fn to_json_pretty(&self) -> Result<String, ModelError> {
        let mut s = serde_json::to_string_pretty(self)?;
        s.push('\n');
        Ok(s)
    }

    /// Merges one collector's contribution: its inventory part, unreadable entries,
    /// counters and skipped mounts, and names the collector in `scan.collectors` (once).
    /// This is the one place where collector results meet; call [`Document::finish`] after
    /// the last one.
    pub fn absorb(&mut self, c: Contribution) {
        let Contribution {
            collector,
            inventory,
            unreadable,
            stats,
            coverage,
        } = c;
        self.inventory.absorb(inventory);
        self.unreadable.extend(unreadable);
        self.scan.stats += &stats;
        self.scan.skipped_mounts.extend(coverage.skipped_mounts);
        if !self.scan.collectors.contains(&collector) {
            self.scan.collectors.push(collector);
        }
    }

    /// Whether the collector ran for this document.
    #[must_use]
    pub fn ran(&self, collector: CollectorId) -> bool {
        self.scan.collectors.contains(&collector)
    }

    /// Ends collection: stores whether the coverage is complete. (The assessment puts the
    /// document into canonical order.)
    pub fn finish(&mut self) {
        self.scan.complete = self.coverage_complete();
    }

    /// Whether every collector could read everything it was pointed at: no folder was
    /// denied, no file was refused for lack of rights, and no limit or over-long path left
    /// something unread (see [`UnreadableReason::limits_coverage`]). Call it after all collectors have
    /// added their results and store it in `scan.complete`.
    #[must_use]
    pub fn coverage_complete(&self) -> bool {
        self.scan.stats.dirs_denied == 0
            && !self.unreadable.iter().any(|u| u.reason.limits_coverage())
    }

    /// Sorts everything into a canonical order so that equal scans give equal documents.
    pub fn canonicalize(&mut self) {
        self.inventory.components.sort_by(|a, b| {
            (&a.location.display, &a.name, &a.id).cmp(&(&b.location.display, &b.name, &b.id))
        });
        for c in &mut self.inventory.components {
            c.evidence.sort();
            c.evidence.dedup();
            if let Some(j) = &mut c.java {
                j.classes.sort();
                j.classes.dedup();
            }
        }
        sort_findings(&mut self.findings);
        // Stable: traces on one line keep the order in which they appear on it.
        self.inventory
            .log_evidence
            .sort_by(|a, b| (&a.location.display, a.line).cmp(&(&b.location.display, b.line)));
        self.inventory.log_evidence.dedup();
        self.inventory
            .log_sources
            .sort_by(|a, b| a.location.display.cmp(&b.location.display));
        self.unreadable.sort();
        self.unreadable.dedup();
    }
}

/// Sorts findings into the canonical order of a document: most severe first, then by
/// location and rule (the order [`Document::canonicalize`] gives them).
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (b.severity, location_key(a), &a.rule_id).cmp(&(a.severity, location_key(b), &b.rule_id))
    });
}

fn location_key(f: &Finding) -> &str {
    f.subject
        .location
        .as_ref()
        .map_or("", |l| l.display.as_str())
}

/// The JSON Schema of [`Document`], pretty-printed with a trailing newline.
#[must_use]
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Document);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

/// A short (16 hex digit) SHA-256 over length-prefixed parts; used for stable ids.
#[must_use]
pub fn short_hash(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    let digest = h.finalize();
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}
