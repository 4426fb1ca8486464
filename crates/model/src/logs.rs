//! Log facts: traces of Log4Shell attempts found in log files, and the log sources that
//! were read.
//!
//! These are facts, not verdicts. The log collector records what it saw (a decoded
//! `${jndi:…}` payload, or a trace showing that the lookup code ran) and how strong that
//! evidence is ([`EvidenceLevel`]); the assessment turns the level into a severity.
//!
//! Privacy: an evidence keeps the decoded payload (bounded, see [`MAX_PAYLOAD_CHARS`]),
//! never the line it was found in. Log lines in a practice can hold patient data.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::location::Location;

/// Longest decoded payload kept in an evidence, in characters. Longer payloads are cut and
/// marked with [`LogEvidence::payload_truncated`].
pub const MAX_PAYLOAD_CHARS: usize = 512;

/// How strong a log trace is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceLevel {
    /// A `${jndi:…}` payload reached the log: someone tried. Says nothing about whether the
    /// logging library evaluated it.
    PayloadSeen,
    /// The log shows that the JNDI lookup code ran (a stack trace through
    /// `JndiLookup.lookup`, Log4j's "Error looking up JNDI resource", a JNDI
    /// `Reference Class Name`): the vulnerable code executed and contacted (or tried to
    /// contact) the callback. Logs cannot prove or rule out a compromise.
    LookupExecuted,
}

impl EvidenceLevel {
    /// The machine name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceLevel::PayloadSeen => "payload_seen",
            EvidenceLevel::LookupExecuted => "lookup_executed",
        }
    }
}

/// A disguise an attacker used, undone by the decoder.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Obfuscation {
    /// Mixed or upper case (`${jNdI:LDAP://…}`).
    CaseMixing,
    /// `${lower:…}` / `${upper:…}` lookups.
    CaseLookup,
    /// The Turkish dotless ı turned into `I` by `${upper:ı}`.
    DotlessI,
    /// A lookup whose value is its default (`${::-j}`, `${x:y:-j}`).
    DefaultValue,
    /// `${env:…}` lookups.
    EnvLookup,
    /// `${sys:…}` lookups.
    SysLookup,
    /// `${date:'j'}` lookups (quoted literal in a date pattern).
    DateLookup,
    /// `${base64:…}` lookups.
    Base64,
    /// Percent (URL) encoding, once.
    UrlEncoding,
    /// Percent encoding applied more than once (`%2524`).
    MultipleUrlEncoding,
    /// `\uXXXX` escapes.
    UnicodeEscape,
    /// Octal escapes (`\044`).
    OctalEscape,
    /// `\xXX` escapes.
    HexEscape,
    /// HTML/XML character references (`&#36;`).
    HtmlEntity,
    /// A JNDI lookup inside the name of another JNDI lookup.
    NestedJndi,
    /// The lookup is not closed before the end of the line.
    Unterminated,
    /// The letters of `jndi:` are spread over lookups whose braces do not nest the way
    /// Log4j needs (a broken payload that still shows intent).
    BrokenNesting,
    /// `host#callback` in the address: the CVE-2021-45046 trick to pass Log4j 2.15's
    /// localhost allow list.
    HashInHost,
}

impl Obfuscation {
    /// Every disguise, in declaration order (so `o as u32` is its index here).
    pub const ALL: [Obfuscation; 18] = [
        Obfuscation::CaseMixing,
        Obfuscation::CaseLookup,
        Obfuscation::DotlessI,
        Obfuscation::DefaultValue,
        Obfuscation::EnvLookup,
        Obfuscation::SysLookup,
        Obfuscation::DateLookup,
        Obfuscation::Base64,
        Obfuscation::UrlEncoding,
        Obfuscation::MultipleUrlEncoding,
        Obfuscation::UnicodeEscape,
        Obfuscation::OctalEscape,
        Obfuscation::HexEscape,
        Obfuscation::HtmlEntity,
        Obfuscation::NestedJndi,
        Obfuscation::Unterminated,
        Obfuscation::BrokenNesting,
        Obfuscation::HashInHost,
    ];

    /// The machine name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Obfuscation::CaseMixing => "case_mixing",
            Obfuscation::CaseLookup => "case_lookup",
            Obfuscation::DotlessI => "dotless_i",
            Obfuscation::DefaultValue => "default_value",
            Obfuscation::EnvLookup => "env_lookup",
            Obfuscation::SysLookup => "sys_lookup",
            Obfuscation::DateLookup => "date_lookup",
            Obfuscation::Base64 => "base64",
            Obfuscation::UrlEncoding => "url_encoding",
            Obfuscation::MultipleUrlEncoding => "multiple_url_encoding",
            Obfuscation::UnicodeEscape => "unicode_escape",
            Obfuscation::OctalEscape => "octal_escape",
            Obfuscation::HexEscape => "hex_escape",
            Obfuscation::HtmlEntity => "html_entity",
            Obfuscation::NestedJndi => "nested_jndi",
            Obfuscation::Unterminated => "unterminated",
            Obfuscation::BrokenNesting => "broken_nesting",
            Obfuscation::HashInHost => "hash_in_host",
        }
    }
}

/// Which trace showed that the lookup code ran.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ExecutionMarker {
    /// A stack frame in Log4j's `JndiLookup.lookup` or `JndiManager.lookup`.
    JndiLookupFrame,
    /// Log4j's own message `Error looking up JNDI resource [<url>]`.
    JndiLookupError,
    /// A JNDI `Reference Class Name:` line: an LDAP/RMI server answered with a Java
    /// reference.
    ReferenceClassName,
    /// `BadAttributeValueException` in a header value: a deserialisation payload ran.
    BadAttributeValue,
}

impl ExecutionMarker {
    /// The machine name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionMarker::JndiLookupFrame => "jndi_lookup_frame",
            ExecutionMarker::JndiLookupError => "jndi_lookup_error",
            ExecutionMarker::ReferenceClassName => "reference_class_name",
            ExecutionMarker::BadAttributeValue => "bad_attribute_value",
        }
    }
}

/// Where a payload would have connected to.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct Callback {
    /// JNDI protocol (`ldap`, `ldaps`, `rmi`, `dns`, `iiop`, `corba`, `nds`, `nis`, `http`,
    /// `https`), lower case.
    pub protocol: String,
    /// Host as written in the payload, after decoding (may contain `#` for CVE-2021-45046).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Port, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

/// One trace of a Log4Shell attempt in a log.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct LogEvidence {
    /// The log file (with nested entries for archives and compressed files, e.g.
    /// `logs.zip!/app.log`).
    pub location: Location,
    /// Line number, 1-based, in the decompressed text.
    pub line: u64,
    /// The line's timestamp exactly as written, when the line starts with one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// The client address, when the line is an access-log line that starts with one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_address: Option<String>,
    /// How strong the trace is.
    pub level: EvidenceLevel,
    /// The decoded payload (`${jndi:ldap://host/a}`), at most [`MAX_PAYLOAD_CHARS`]
    /// characters. Never the surrounding line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    /// True when the payload was cut at [`MAX_PAYLOAD_CHARS`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub payload_truncated: bool,
    /// Where the payload would connect to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback: Option<Callback>,
    /// The disguises that were undone, in a fixed order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub obfuscation: Vec<Obfuscation>,
    /// For [`EvidenceLevel::LookupExecuted`]: the trace that showed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<ExecutionMarker>,
}

/// Why a folder was read as a log source.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LogSourceOrigin {
    /// Named by the user (`--path`).
    Given,
    /// The system's log folder (`/var/log`, Windows `System32\LogFiles`).
    System,
    /// An Apache Tomcat installation's `logs` folder.
    Tomcat,
    /// A web server's log folder (Apache httpd, nginx, IIS).
    WebServer,
    /// The log folder of a Java application or service found on the machine.
    JavaApplication,
}

impl LogSourceOrigin {
    /// The machine name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            LogSourceOrigin::Given => "given",
            LogSourceOrigin::System => "system",
            LogSourceOrigin::Tomcat => "tomcat",
            LogSourceOrigin::WebServer => "web_server",
            LogSourceOrigin::JavaApplication => "java_application",
        }
    }
}

/// A file or folder the log collector read.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct LogSource {
    /// The file or folder.
    pub location: Location,
    /// Why it was read.
    pub origin: LogSourceOrigin,
    /// Files read completely or in part (compressed files and archive entries count once
    /// each).
    pub files_scanned: u64,
    /// Files skipped (binary, unreadable; each is listed in `unreadable`).
    pub files_skipped: u64,
    /// Bytes of text scanned (after decompression).
    pub bytes_scanned: u64,
}

/// Most traces kept as a sample in [`crate::Inventory::log_evidence`] of one document; the
/// counts of every trace are in [`LogSummary`].
pub const MAX_LOG_SAMPLE: usize = 1000;
/// Most files listed in [`LogSummary::files`]; the traces of further files are counted in
/// [`LogSummary::traces_in_unlisted_files`].
pub const MAX_SUMMARY_FILES: usize = 1000;
/// Most callback hosts listed in [`LogSummary::hosts`]; the traces naming further hosts are
/// counted in [`LogSummary::traces_of_unlisted_hosts`].
pub const MAX_SUMMARY_HOSTS: usize = 256;
/// Most days listed in [`LogSummary::days`] (ten years); the traces of further days are
/// counted in [`LogSummary::traces_on_unlisted_days`].
pub const MAX_SUMMARY_DAYS: usize = 3660;

/// The traces of one log file (or archive entry), counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LogFileCount {
    /// The log file.
    pub location: Location,
    /// Every trace in it.
    pub traces: u64,
    /// Traces that show the lookup ran ([`EvidenceLevel::LookupExecuted`]).
    #[serde(default)]
    pub executed: u64,
    /// Line of the first trace.
    pub first_line: u64,
    /// Line of the last trace.
    pub last_line: u64,
    /// Timestamp of the first trace's line, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_timestamp: Option<String>,
    /// Timestamp of the last trace's line, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_timestamp: Option<String>,
}

/// The traces naming one callback host, counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LogHostCount {
    /// The host as decoded (at most [`MAX_PAYLOAD_CHARS`] characters).
    pub host: String,
    /// Every trace naming it.
    pub traces: u64,
    /// Traces naming it that show the lookup ran.
    #[serde(default)]
    pub executed: u64,
}

/// The traces of one calendar day, counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LogDayCount {
    /// `YYYY-MM-DD`, from the line's timestamp.
    pub day: String,
    /// Every trace of that day.
    pub traces: u64,
}

/// Counts over every trace the log collector found, whatever the sample in
/// [`crate::Inventory::log_evidence`] kept. Its size does not grow with the number of
/// traces: the lists are capped and what they leave out is counted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct LogSummary {
    /// Every trace found.
    pub traces: u64,
    /// Traces that show the lookup ran.
    #[serde(default)]
    pub executed: u64,
    /// Per file, ordered by location (at most [`MAX_SUMMARY_FILES`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<LogFileCount>,
    /// Traces in files not listed in `files`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub traces_in_unlisted_files: u64,
    /// Per callback host, ordered by host (at most [`MAX_SUMMARY_HOSTS`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<LogHostCount>,
    /// Traces naming a host not listed in `hosts`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub traces_of_unlisted_hosts: u64,
    /// Traces without a callback host.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub traces_without_host: u64,
    /// Per day, ordered (at most [`MAX_SUMMARY_DAYS`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub days: Vec<LogDayCount>,
    /// Traces of days not listed in `days`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub traces_on_unlisted_days: u64,
    /// Traces on lines without a timestamp that names a date.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub traces_without_date: u64,
}

// serde's `skip_serializing_if` passes a reference.
fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Month number of an English three-letter abbreviation, any case.
fn month_number(m: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let m = m.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|x| *x == m)
        .and_then(|i| u32::try_from(i + 1).ok())
}

fn day_string(y: &str, m: u32, d: &str) -> Option<String> {
    let y: u32 = y.parse().ok()?;
    let d: u32 = d.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1000..=9999).contains(&y) {
        return None;
    }
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// The calendar day (`YYYY-MM-DD`) of a timestamp as the log collector records it
/// (ISO 8601 `2021-12-11…` or `2021/12/11…`, Tomcat `11-Dec-2021…`, German `11.12.2021…`,
/// Common Log Format `11/Dec/2021:…`). `None` for forms without a year (syslog, time only).
#[must_use]
pub fn timestamp_day(ts: &str) -> Option<String> {
    let b = ts.as_bytes();
    let all_digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    if all_digits(0..4) && matches!(b.get(4), Some(b'-' | b'/')) && b.get(7) == b.get(4) {
        let m: u32 = ts.get(5..7)?.parse().ok()?;
        return day_string(ts.get(0..4)?, m, ts.get(8..10)?);
    }
    if all_digits(0..2) && matches!(b.get(2), Some(b'-' | b'/')) && b.get(6) == b.get(2) {
        let m = month_number(ts.get(3..6)?)?;
        if !all_digits(7..11) {
            return None;
        }
        return day_string(ts.get(7..11)?, m, ts.get(0..2)?);
    }
    if all_digits(0..2) && b.get(2) == Some(&b'.') && b.get(5) == Some(&b'.') {
        let m: u32 = ts.get(3..5)?.parse().ok()?;
        if !all_digits(6..10) {
            return None;
        }
        return day_string(ts.get(6..10)?, m, ts.get(0..2)?);
    }
    None
}

/// Adds to the entry of `key` in a list ordered by key, capped at `cap` entries that are
/// always the smallest keys seen: a new key beyond the cap goes to `overflow` (with `traces`
/// traces), or, when it sorts before the last entry, takes that entry's place and the last
/// one's traces go to `overflow`. So which entries are listed, and their counts, do not
/// depend on the order in which files were read.
fn count_capped<T>(
    list: &mut Vec<T>,
    key: &str,
    cap: usize,
    overflow: &mut u64,
    entry: Entry<'_, T>,
) {
    match list.binary_search_by(|x| (entry.key_of)(x).cmp(key)) {
        Ok(i) => (entry.add)(&mut list[i]),
        Err(i) if list.len() < cap => {
            let mut item = (entry.new)();
            (entry.add)(&mut item);
            list.insert(i, item);
        }
        Err(i) if i < list.len() => {
            if let Some(last) = list.pop() {
                *overflow += (entry.traces_of)(&last);
            }
            let mut item = (entry.new)();
            (entry.add)(&mut item);
            list.insert(i, item);
        }
        Err(_) => {
            let mut item = (entry.new)();
            (entry.add)(&mut item);
            *overflow += (entry.traces_of)(&item);
        }
    }
}

/// How [`count_capped`] handles one kind of entry.
struct Entry<'a, T> {
    key_of: &'a dyn Fn(&T) -> &str,
    traces_of: &'a dyn Fn(&T) -> u64,
    new: &'a mut dyn FnMut() -> T,
    add: &'a mut dyn FnMut(&mut T),
}

fn add_to_file(f: &mut LogFileCount, e: &LogEvidence, executed: u64) {
    f.traces += 1;
    f.executed += executed;
    if e.line < f.first_line {
        f.first_line = e.line;
        f.first_timestamp.clone_from(&e.timestamp);
    }
    if e.line >= f.last_line {
        f.last_line = e.line;
        f.last_timestamp.clone_from(&e.timestamp);
    }
}

fn join_files(x: &mut LogFileCount, f: LogFileCount) {
    x.traces += f.traces;
    x.executed += f.executed;
    if f.first_line < x.first_line {
        x.first_line = f.first_line;
        x.first_timestamp = f.first_timestamp;
    }
    if f.last_line >= x.last_line {
        x.last_line = f.last_line;
        x.last_timestamp = f.last_timestamp;
    }
}

fn empty_file(display: &str) -> LogFileCount {
    LogFileCount {
        location: Location::new(vec![crate::PathSegment::Text(display.to_owned())]),
        traces: 0,
        executed: 0,
        first_line: 0,
        last_line: 0,
        first_timestamp: None,
        last_timestamp: None,
    }
}

impl LogSummary {
    /// True when no trace was counted.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.traces == 0
    }

    /// Counts one trace (call it once per trace, after its level is final).
    pub fn record(&mut self, e: &LogEvidence) {
        let executed = u64::from(e.level == EvidenceLevel::LookupExecuted);
        self.traces += 1;
        self.executed += executed;
        let loc = e.location.display.as_str();
        // Traces arrive file by file: the last file is the usual one.
        if let Some(last) = self.files.last_mut()
            && last.location.display == loc
        {
            add_to_file(last, e, executed);
        } else {
            count_capped(
                &mut self.files,
                loc,
                MAX_SUMMARY_FILES,
                &mut self.traces_in_unlisted_files,
                Entry {
                    key_of: &|f: &LogFileCount| f.location.display.as_str(),
                    traces_of: &|f: &LogFileCount| f.traces,
                    new: &mut || LogFileCount {
                        location: e.location.clone(),
                        traces: 0,
                        executed: 0,
                        first_line: e.line,
                        last_line: e.line,
                        first_timestamp: e.timestamp.clone(),
                        last_timestamp: e.timestamp.clone(),
                    },
                    add: &mut |f: &mut LogFileCount| add_to_file(f, e, executed),
                },
            );
        }
        match e.callback.as_ref().and_then(|c| c.host.as_deref()) {
            Some(host) => count_capped(
                &mut self.hosts,
                host,
                MAX_SUMMARY_HOSTS,
                &mut self.traces_of_unlisted_hosts,
                Entry {
                    key_of: &|h: &LogHostCount| h.host.as_str(),
                    traces_of: &|h: &LogHostCount| h.traces,
                    new: &mut || LogHostCount {
                        host: host.to_owned(),
                        traces: 0,
                        executed: 0,
                    },
                    add: &mut |h: &mut LogHostCount| {
                        h.traces += 1;
                        h.executed += executed;
                    },
                },
            ),
            None => self.traces_without_host += 1,
        }
        match e.timestamp.as_deref().and_then(timestamp_day) {
            Some(day) => count_capped(
                &mut self.days,
                &day,
                MAX_SUMMARY_DAYS,
                &mut self.traces_on_unlisted_days,
                Entry {
                    key_of: &|d: &LogDayCount| d.day.as_str(),
                    traces_of: &|d: &LogDayCount| d.traces,
                    new: &mut || LogDayCount {
                        day: day.clone(),
                        traces: 0,
                    },
                    add: &mut |d: &mut LogDayCount| d.traces += 1,
                },
            ),
            None => self.traces_without_date += 1,
        }
    }

    /// Adds another summary (of other files) to this one; the caps still hold, what
    /// they leave out is counted.
    pub fn merge(&mut self, other: LogSummary) {
        let LogSummary {
            traces,
            executed,
            files,
            traces_in_unlisted_files,
            hosts,
            traces_of_unlisted_hosts,
            traces_without_host,
            days,
            traces_on_unlisted_days,
            traces_without_date,
        } = other;
        self.traces += traces;
        self.executed += executed;
        self.traces_in_unlisted_files += traces_in_unlisted_files;
        self.traces_of_unlisted_hosts += traces_of_unlisted_hosts;
        self.traces_without_host += traces_without_host;
        self.traces_on_unlisted_days += traces_on_unlisted_days;
        self.traces_without_date += traces_without_date;
        for f in files {
            let key = f.location.display.clone();
            let mut template = Some(LogFileCount {
                traces: 0,
                executed: 0,
                ..f.clone()
            });
            let mut f = Some(f);
            count_capped(
                &mut self.files,
                &key,
                MAX_SUMMARY_FILES,
                &mut self.traces_in_unlisted_files,
                Entry {
                    key_of: &|x: &LogFileCount| x.location.display.as_str(),
                    traces_of: &|x: &LogFileCount| x.traces,
                    new: &mut || template.take().unwrap_or_else(|| empty_file(&key)),
                    add: &mut |x: &mut LogFileCount| {
                        if let Some(f) = f.take() {
                            join_files(x, f);
                        }
                    },
                },
            );
        }
        for h in hosts {
            count_capped(
                &mut self.hosts,
                &h.host,
                MAX_SUMMARY_HOSTS,
                &mut self.traces_of_unlisted_hosts,
                Entry {
                    key_of: &|x: &LogHostCount| x.host.as_str(),
                    traces_of: &|x: &LogHostCount| x.traces,
                    new: &mut || LogHostCount {
                        host: h.host.clone(),
                        traces: 0,
                        executed: 0,
                    },
                    add: &mut |x: &mut LogHostCount| {
                        x.traces += h.traces;
                        x.executed += h.executed;
                    },
                },
            );
        }
        for d in days {
            count_capped(
                &mut self.days,
                &d.day,
                MAX_SUMMARY_DAYS,
                &mut self.traces_on_unlisted_days,
                Entry {
                    key_of: &|x: &LogDayCount| x.day.as_str(),
                    traces_of: &|x: &LogDayCount| x.traces,
                    new: &mut || LogDayCount {
                        day: d.day.clone(),
                        traces: 0,
                    },
                    add: &mut |x: &mut LogDayCount| x.traces += d.traces,
                },
            );
        }
    }

    /// The summary of a list of traces (for documents written before the summary existed,
    /// whose evidence list held every trace).
    #[must_use]
    pub fn of(evidence: &[LogEvidence]) -> Self {
        let mut s = Self::default();
        for e in evidence {
            s.record(e);
        }
        s
    }

    /// Traces counted but not kept in the sample of `kept` traces.
    #[must_use]
    pub fn omitted(&self, kept: usize) -> u64 {
        self.traces.saturating_sub(kept as u64)
    }
}
