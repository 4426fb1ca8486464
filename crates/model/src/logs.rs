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
