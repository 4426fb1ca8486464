//! Building the fact list: one place that knows how a fact is put together.

use praxcheck_model::{
    Confidence, FactSource, FactValue, HostFact, SourceKind, Unknown, UnknownReason, UnknownSaid,
};
use time::OffsetDateTime;

use crate::exec::ExecError;

/// Why a fact is unknown: the reason code, the kind the report words, and the technical
/// detail of machine formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Why {
    /// The reason code.
    pub reason: UnknownReason,
    /// The kind with its parameters.
    pub says: UnknownSaid,
    /// The technical note.
    pub detail: String,
}

impl Why {
    /// A reason with its kind and detail.
    #[must_use]
    pub fn new(reason: UnknownReason, says: UnknownSaid, detail: impl Into<String>) -> Self {
        Self {
            reason,
            says,
            detail: detail.into(),
        }
    }
}

/// The facts gathered so far.
#[derive(Debug, Default)]
pub struct Facts {
    list: Vec<HostFact>,
}

impl Facts {
    /// An empty set.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a fact.
    pub fn put(
        &mut self,
        key: &str,
        value: FactValue,
        confidence: Confidence,
        sources: Vec<FactSource>,
    ) {
        self.put_opt(key, value, confidence, sources, None);
    }

    fn put_opt(
        &mut self,
        key: &str,
        value: FactValue,
        confidence: Confidence,
        sources: Vec<FactSource>,
        note: Option<String>,
    ) {
        self.list.retain(|f| f.key != key);
        self.list.push(HostFact {
            key: key.to_owned(),
            value,
            confidence,
            sources,
            note,
        });
    }

    /// Adds a fact with a note.
    pub fn put_noted(
        &mut self,
        key: &str,
        value: FactValue,
        confidence: Confidence,
        sources: Vec<FactSource>,
        note: impl Into<String>,
    ) {
        self.put_opt(key, value, confidence, sources, Some(note.into()));
    }

    /// Adds a fact that could not be determined, saying why as data: the reason code and
    /// the kind with its parameters, which the report words in the user's language. The
    /// `detail` is the technical note of machine formats (a path, a command's message); no
    /// report shows it, so every unknown fact needs a kind (issue 10 step 6).
    pub fn unknown(
        &mut self,
        key: &str,
        reason: UnknownReason,
        says: UnknownSaid,
        detail: impl Into<String>,
        sources: Vec<FactSource>,
    ) {
        let u = Unknown {
            reason,
            detail: detail.into(),
            says: Some(says),
        };
        self.put(key, FactValue::Unknown(u), Confidence::High, sources);
    }

    /// Adds a fact that could not be determined for the reason given.
    pub fn unknown_why(&mut self, key: &str, why: Why, sources: Vec<FactSource>) {
        self.unknown(key, why.reason, why.says, why.detail, sources);
    }

    /// Adds an unknown fact for a failed command (`command` as it is shown).
    pub fn unknown_exec(
        &mut self,
        key: &str,
        command: &str,
        err: &ExecError,
        sources: Vec<FactSource>,
    ) {
        let reason = match err {
            ExecError::NotFound(_) => UnknownReason::ToolMissing,
            ExecError::Timeout { .. } => UnknownReason::Timeout,
            ExecError::Disabled(_) => UnknownReason::NotCollected,
            ExecError::Io { .. } => UnknownReason::Unreadable,
        };
        let says = UnknownSaid::CommandFailed {
            command: command.to_owned(),
        };
        self.unknown(key, reason, says, err.to_string(), sources);
    }

    /// The fact with a key.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&HostFact> {
        self.list.iter().find(|f| f.key == key)
    }

    /// Whether a fact with the key exists.
    #[must_use]
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Moves all facts of another set into this one.
    pub fn extend(&mut self, other: Facts) {
        for f in other.list {
            self.list.retain(|g| g.key != f.key);
            self.list.push(f);
        }
    }

    /// The facts, sorted by key.
    #[must_use]
    pub fn into_sorted(mut self) -> Vec<HostFact> {
        self.list.sort_by(|a, b| a.key.cmp(&b.key));
        self.list
    }

    /// Keys of facts that could not be determined for lack of privileges.
    #[must_use]
    pub fn keys_needing_privilege(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .list
            .iter()
            .filter(|f| {
                matches!(&f.value, FactValue::Unknown(u) if u.reason == UnknownReason::NeedsPrivilege)
            })
            .map(|f| f.key.clone())
            .collect();
        v.sort();
        v
    }
}

/// A file source.
#[must_use]
pub fn file(path: &str) -> FactSource {
    FactSource {
        kind: SourceKind::File,
        reference: path.to_owned(),
    }
}

/// A command source.
#[must_use]
pub fn command(cmd: &str) -> FactSource {
    FactSource {
        kind: SourceKind::Command,
        reference: cmd.to_owned(),
    }
}

/// A registry value source (`HKLM\…\Key\Value`).
#[must_use]
pub fn registry(path: &str) -> FactSource {
    FactSource {
        kind: SourceKind::Registry,
        reference: path.to_owned(),
    }
}

/// A CIM class source.
#[must_use]
pub fn cim(class: &str) -> FactSource {
    FactSource {
        kind: SourceKind::Cim,
        reference: class.to_owned(),
    }
}

/// A PowerShell cmdlet source.
#[must_use]
pub fn cmdlet(name: &str) -> FactSource {
    FactSource {
        kind: SourceKind::Cmdlet,
        reference: name.to_owned(),
    }
}

/// A reference-data source.
#[must_use]
pub fn reference(name: &str) -> FactSource {
    FactSource {
        kind: SourceKind::ReferenceData,
        reference: name.to_owned(),
    }
}

/// A user-input source.
#[must_use]
pub fn user(what: &str) -> FactSource {
    FactSource {
        kind: SourceKind::UserInput,
        reference: what.to_owned(),
    }
}

/// A derived-value source.
#[must_use]
pub fn derived(from: &str) -> FactSource {
    FactSource {
        kind: SourceKind::Derived,
        reference: from.to_owned(),
    }
}

/// RFC 3339 in UTC, whole seconds.
#[must_use]
pub fn rfc3339(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `YYYY-MM-DD`.
#[must_use]
pub fn ymd(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Whole days from `then` to `now` (negative when `then` lies in the future).
#[must_use]
pub fn days_between(then: OffsetDateTime, now: OffsetDateTime) -> i64 {
    (now - then).whole_days()
}

/// Parses `YYYY-MM-DD`.
#[must_use]
pub fn parse_ymd(s: &str) -> Option<time::Date> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u8 = it.next()?.parse().ok()?;
    let d: u8 = it.next()?.get(..2)?.parse().ok()?;
    time::Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()
}

/// A timestamp from a `SystemTime` (file modification times).
#[must_use]
pub fn from_system_time(t: std::time::SystemTime) -> OffsetDateTime {
    OffsetDateTime::from(t)
}

/// A registry source for `HKLM\…`/`HKCU\…` paths, a file source otherwise.
#[must_use]
pub fn registry_or_file(path: &str) -> FactSource {
    if path.starts_with("HKLM") || path.starts_with("HKCU") || path.starts_with("HKEY_") {
        registry(path)
    } else {
        file(path)
    }
}
