//! Host posture facts: what the host collector saw on a computer, each fact with its source
//! and how sure the collector is. Facts only: "the firewall is off" is a fact here, "red" is a
//! judgement made later by the assessment.
//!
//! Every fact has a stable dotted **key** (`firewall.enabled`, `backup.newest_age_days`,
//! `os.end_of_life`, `remote.rdp.nla`, …) that rules address. The full list of keys, their
//! value types and sources per platform is in `docs/host-facts.md`.
//!
//! A fact whose value could not be determined is still a fact: its value is
//! [`FactValue::Unknown`] with a reason (for example [`UnknownReason::NeedsPrivilege`]).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// All host facts of one computer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct HostFacts {
    /// Platform the facts were read for (`linux`, `windows`).
    pub platform: String,
    /// When the facts were read, RFC 3339 UTC.
    pub collected_at: String,
    /// True when the collector ran with root or (elevated) administrator rights. Without
    /// them some facts are [`UnknownReason::NeedsPrivilege`].
    pub privileged: bool,
    /// The root folder that was read, when it was not the live system (`/`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
    /// The facts, sorted by key.
    pub facts: Vec<HostFact>,
}

impl HostFacts {
    /// The fact with the given key.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&HostFact> {
        self.facts.iter().find(|f| f.key == key)
    }

    /// Sorts facts by key (and sources within each fact) so equal hosts give equal documents.
    pub fn canonicalize(&mut self) {
        self.facts.sort_by(|a, b| a.key.cmp(&b.key));
        for f in &mut self.facts {
            f.sources.sort();
            f.sources.dedup();
        }
    }
}

/// One fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HostFact {
    /// Stable dotted key, e.g. `firewall.enabled`.
    pub key: String,
    /// The value, tagged with its type.
    #[serde(flatten)]
    pub value: FactValue,
    /// How sure the collector is.
    pub confidence: Confidence,
    /// Where the value was read (files, commands, registry values, CIM classes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<FactSource>,
    /// A short technical note (English), e.g. which line of a configuration file decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl HostFact {
    /// The boolean value, when the fact is a known boolean.
    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            FactValue::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The integer value, when the fact is a known integer.
    #[must_use]
    pub fn as_int(&self) -> Option<i64> {
        match self.value {
            FactValue::Int(i) => Some(i),
            _ => None,
        }
    }

    /// The text value (text, date and timestamp facts).
    #[must_use]
    pub fn as_text(&self) -> Option<&str> {
        match &self.value {
            FactValue::Text(s) | FactValue::Date(s) | FactValue::Timestamp(s) => Some(s),
            _ => None,
        }
    }

    /// The reason, when the value could not be determined.
    #[must_use]
    pub fn unknown(&self) -> Option<&Unknown> {
        match &self.value {
            FactValue::Unknown(u) => Some(u),
            _ => None,
        }
    }
}

/// How sure the collector is about a fact.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Read from the authoritative source: the kernel's firewall ruleset, a registry value
    /// the system acts on, the package database, a socket table.
    High,
    /// Read from configuration that may not be in effect, or a documented default applied
    /// because nothing was configured.
    Medium,
    /// A heuristic: name matching, indirect evidence.
    Low,
}

/// The value of a fact, tagged with its type (`{"type": "bool", "value": true}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum FactValue {
    /// Yes or no.
    Bool(bool),
    /// A whole number (counts, days, seconds, ports).
    Int(i64),
    /// Text (names, versions, modes).
    Text(String),
    /// A calendar date, `YYYY-MM-DD`.
    Date(String),
    /// A point in time, RFC 3339 UTC.
    Timestamp(String),
    /// A list of short texts (package names, tool names).
    List(Vec<String>),
    /// Listening network services.
    Services(Vec<ListeningService>),
    /// Firewall rules.
    FirewallRules(Vec<FirewallRule>),
    /// Accounts (users or group members).
    Accounts(Vec<Account>),
    /// Backup tools that were found.
    BackupTools(Vec<BackupTool>),
    /// Backup targets and what they hold.
    BackupTargets(Vec<BackupTarget>),
    /// Remote-access tools.
    RemoteTools(Vec<RemoteTool>),
    /// File shares.
    Shares(Vec<Share>),
    /// Anti-malware products.
    Antimalware(Vec<AntimalwareProduct>),
    /// Disk volumes and their encryption.
    Volumes(Vec<Volume>),
    /// Could not be determined; the reason says why.
    Unknown(Unknown),
}

/// Why a fact could not be determined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Unknown {
    /// The reason as a code.
    pub reason: UnknownReason,
    /// Detail: the operating system's message, the missing tool, the file (a technical
    /// note for machine formats; reports show [`Unknown::says`] instead when it is set).
    pub detail: String,
    /// Why, as a kind with its parameters; the words are the report's, from the message
    /// catalogue in the reader's language (issue 10 step 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub says: Option<UnknownSaid>,
}

/// Why a host fact is unknown, beyond its reason code: a kind with its parameters, worded
/// by the report (`host-why-*`). Serialized as `{"kind": "<kind>", …parameters}`; kinds are
/// added, never renamed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UnknownSaid {
    /// No backup in the targets that could be read; these could not be examined.
    NoBackupInReadableTargets {
        /// The targets not examined.
        not_examined: Vec<String>,
    },
    /// No backup was found at all.
    NoBackupFound,
    /// Whether the newest backup's target is attached now is not known.
    AttachmentUnknown {
        /// The backup target.
        target: String,
    },
    /// An anti-malware product is installed, but no date of its signatures was found.
    NoSignatureDate,
    /// No graphical desktop is installed (so no screen lock).
    NoDesktop,
    /// The desktop's screen lock is a per-user setting, not read.
    ScreenLockPerUser {
        /// The desktop.
        desktop: String,
    },
    /// Automatic login on Linux stores no password.
    NoAutologinPassword,
    /// The root filesystem is on no block device (a container or network root).
    RootNotOnBlockDevice {
        /// What `/` is mounted from.
        device: String,
    },
    /// The root filesystem is missing from the mount table.
    RootNotMounted,
    /// No OpenSSH server is installed.
    NoSshServer,
    /// The setting exists on Windows only.
    WindowsOnly,
    /// The collector failed internally.
    InternalError,
    /// Sockets whose program is hidden: other users' processes are readable only by root.
    HiddenSockets {
        /// Sockets without a visible program.
        sockets: u64,
        /// Processes whose descriptors could not be read.
        processes: u64,
    },
    /// Neither `/etc/os-release` nor `/usr/lib/os-release` exists.
    NoOsRelease,
    /// The distribution is not known.
    UnknownDistribution,
    /// The release file names no version (a rolling or testing release).
    NoVersionId {
        /// The release file.
        file: String,
    },
    /// The distribution has no version number.
    NoVersionNumber {
        /// The distribution.
        distribution: String,
    },
    /// The shipped end-of-life table has no entry for this release.
    NoEndOfLifeData {
        /// The distribution.
        distribution: String,
        /// Its version.
        version: String,
    },
    /// No end-of-life date is announced for this release yet.
    NoEndOfLifeAnnounced {
        /// The release line.
        cycle: String,
    },
    /// The system is neither of the Debian nor of the Red Hat family.
    NotDebianOrRedHat,
    /// apt's package lists are missing (apt update never ran, or they were removed).
    NoAptLists,
    /// There is neither a dpkg database nor rpm.
    NoPackageDatabase,
    /// The package manager's logs record no upgrade (they are rotated away after months).
    NoUpgradeRecorded,
    /// No connector address was given (`--connector-address`).
    NoConnectorAddress,
    /// A file could not be read (the reason code says whether for lack of rights).
    FileUnreadable {
        /// The file.
        file: String,
    },
    /// A command gave no usable answer (missing, stopped, refused or failed: the reason
    /// code says which; its message is in the detail).
    CommandFailed {
        /// The command.
        command: String,
    },
    /// A command's or file's content was not understood.
    NotUnderstood {
        /// The command or file.
        source: String,
    },
    /// PowerShell, which alone knows this, could not give it (Windows): missing, stopped,
    /// refused by Constrained Language Mode or without output (the reason code and the
    /// detail say which).
    PowershellFailed {
        /// The part of the collection (`system`, `inventory`, `pending`).
        part: String,
    },
    /// A section of the Windows collection failed (its error is in the detail).
    SectionFailed {
        /// The section.
        section: String,
    },
    /// A section of the Windows collection is missing from its output.
    SectionMissing {
        /// The section.
        section: String,
    },
    /// A section of the Windows collection gave output that is not JSON.
    SectionGarbled {
        /// The section.
        section: String,
    },
    /// A value the fact is read from is missing.
    ValueMissing {
        /// The value (a property, registry value or field).
        value: String,
    },
    /// No automatic screen lock is configured.
    NoAutomaticLock,
    /// The system volume is not in the list of volumes.
    SystemVolumeNotListed,
    /// None of the installed updates has a readable installation date.
    NoInstallationDate {
        /// The installed updates.
        updates: u64,
    },
    /// Windows' OpenSSH server configuration is not read.
    SshConfigNotRead,
}

/// Reason codes for [`Unknown`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum UnknownReason {
    /// Needs root or administrator rights; run praxcheck again with them.
    NeedsPrivilege,
    /// The tool or interface that tells this is not installed.
    ToolMissing,
    /// Does not apply to this computer (e.g. no graphical desktop for a screen lock).
    NotApplicable,
    /// Needs input the user has not given (e.g. the connector address).
    NotConfigured,
    /// A file or registry value could not be read.
    Unreadable,
    /// The command did not finish within its time limit.
    Timeout,
    /// The source was read but its content was not understood.
    ParseError,
    /// Not collected in this mode (commands are not run against a foreign root folder).
    NotCollected,
    /// No reference data for this case (e.g. no end-of-life data for the distribution).
    NoReferenceData,
}

/// Where a fact was read.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct FactSource {
    /// Kind of source.
    pub kind: SourceKind,
    /// The file path, command line, registry path (with value name), CIM class or cmdlet.
    pub reference: String,
}

/// Kinds of fact sources.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A file (including `/proc` and `/sys`).
    File,
    /// A command's output.
    Command,
    /// A Windows registry value.
    Registry,
    /// A WMI/CIM class.
    Cim,
    /// A PowerShell cmdlet (output read as JSON).
    Cmdlet,
    /// praxcheck's reference data (e.g. the end-of-life table).
    ReferenceData,
    /// Input the user gave (an option or the backup configuration file).
    UserInput,
    /// Computed from other facts (their sources are listed too).
    Derived,
}

/// A listening socket and the program that owns it.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct ListeningService {
    /// `tcp` or `udp`.
    pub protocol: String,
    /// Local address as bound (`0.0.0.0`, `::`, `127.0.0.1`, …).
    pub address: String,
    /// Local port.
    pub port: u16,
    /// `loopback` (only this computer), `any` (all interfaces) or `specific` (one address).
    pub scope: String,
    /// Owning process id, when visible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    /// Owning program name, when visible (needs root/admin for other users' programs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<String>,
}

/// A firewall rule (only rules that matter for a fact are recorded).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct FirewallRule {
    /// Where the rule lives: nftables `table/chain`, iptables chain, Windows rule name.
    pub location: String,
    /// Display name, when the firewall has one (Windows; may be localised).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// `inbound` or `outbound`.
    pub direction: String,
    /// `allow`, `block`, `drop`, `reject`.
    pub action: String,
    /// `tcp`, `udp` or `any`.
    pub protocol: String,
    /// Local ports as written (`22`, `3389`, `5900-5903`, `any`).
    pub ports: Vec<String>,
    /// Remote addresses the rule applies to (`any` when unrestricted).
    pub remote: String,
    /// Windows firewall profiles the rule applies to (`domain`, `private`, `public`, `any`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<String>,
    /// Remote-access services the ports belong to (`ssh`, `rdp`, `vnc`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
}

/// A user account or group member.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct Account {
    /// Name as the system shows it (may be localised on Windows).
    pub name: String,
    /// Windows security identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// Unix user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<u32>,
    /// `local`, `domain`, `azure_ad`, `microsoft_account`, `group` or `unknown`.
    pub origin: String,
    /// Whether the account is enabled, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// How it got into the list (`uid 0`, `group sudo`, `S-1-5-32-544`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// A backup tool found on the computer.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct BackupTool {
    /// Tool name (`restic`, `borg`, `rsync`, `Veeam Agent`, `Windows Server Backup`, …).
    pub name: String,
    /// Whether a configuration or scheduled job for it was found (not only the program).
    pub configured: bool,
    /// What showed it (a file, service, package or cron line).
    pub evidence: String,
}

/// A place backups are written to, and what is there now.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct BackupTarget {
    /// The tool that writes there, or `user` for a folder named in the configuration file.
    pub tool: String,
    /// Path, repository or URL of the target.
    pub target: String,
    /// The user's label from the configuration file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// `local_folder`, `removable`, `network`, `remote` (another computer or cloud) or
    /// `unknown`.
    pub kind: String,
    /// Whether the target exists and could be read now.
    pub reachable_now: bool,
    /// Whether the target's filesystem is mounted or its drive connected right now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attached_now: Option<bool>,
    /// Whether the target sits on the same filesystem as the operating system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_system_disk: Option<bool>,
    /// Whether the target is mounted automatically at start (fstab without `noauto`, a fixed
    /// drive letter), i.e. permanently attached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mounted_at_boot: Option<bool>,
    /// Mount point or drive of the target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_point: Option<String>,
    /// Time of the newest backup, RFC 3339 UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_backup: Option<String>,
    /// Age of the newest backup in whole days at collection time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_age_days: Option<i64>,
    /// Size of the newest backup (file or snapshot folder), bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_size_bytes: Option<u64>,
    /// Median size of up to five earlier backups, bytes, for a plausibility comparison.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_median_size_bytes: Option<u64>,
    /// Number of backups (dated files, snapshots) seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backups_seen: Option<u64>,
    /// Bytes counted in the target (a lower bound when `examined_all` is false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_size_bytes: Option<u64>,
    /// Whether every entry of the target was examined within the time and entry limits.
    pub examined_all: bool,
    /// How the newest backup was recognised (`restic snapshots/`, `dated files`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Why the target could not be examined, if it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// A remote-access tool (remote maintenance, remote desktop).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct RemoteTool {
    /// Tool name (`TeamViewer`, `AnyDesk`, `RustDesk`, `VNC`, …).
    pub name: String,
    /// Whether it is installed (package, uninstall entry or program file).
    pub installed: bool,
    /// Whether it runs right now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running: Option<bool>,
    /// Whether it starts unattended with the computer (an automatically started service).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_unattended: Option<bool>,
    /// Version, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// What showed it.
    pub evidence: String,
}

/// A file share.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct Share {
    /// Share name.
    pub name: String,
    /// Shared folder.
    pub path: String,
    /// Who may access it, as names or SIDs with the right (`S-1-1-0:full`, `guest:read`).
    pub access: Vec<String>,
    /// Whether everyone (SID S-1-1-0, anonymous or guest access) may access it.
    pub open_to_everyone: bool,
    /// Whether everyone may write.
    pub everyone_can_write: bool,
}

/// An anti-malware product.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct AntimalwareProduct {
    /// Product name.
    pub name: String,
    /// Whether its protection is switched on, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Whether real-time (on-access) scanning is on, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub realtime: Option<bool>,
    /// Whether the product reports its signatures as up to date, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signatures_up_to_date: Option<bool>,
    /// Time of the signature update, RFC 3339 UTC, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signatures_updated: Option<String>,
    /// Signature age in days, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_age_days: Option<i64>,
    /// What showed it.
    pub evidence: String,
}

/// A disk volume and its encryption.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct Volume {
    /// Mount point or drive letter.
    pub mount_point: String,
    /// Block device or volume id.
    pub device: String,
    /// Whether it holds the operating system.
    pub system: bool,
    /// Whether it is encrypted, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted: Option<bool>,
    /// Method (`luks`, `bitlocker XtsAes256`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fact_json_is_flat_and_round_trips() {
        let f = HostFact {
            key: "firewall.enabled".into(),
            value: FactValue::Bool(false),
            confidence: Confidence::High,
            sources: vec![FactSource {
                kind: SourceKind::Command,
                reference: "nft -j list ruleset".into(),
            }],
            note: None,
        };
        let j = serde_json::to_value(&f).unwrap();
        assert_eq!(j["key"], "firewall.enabled");
        assert_eq!(j["type"], "bool");
        assert_eq!(j["value"], false);
        assert_eq!(j["confidence"], "high");
        let back: HostFact = serde_json::from_value(j).unwrap();
        assert_eq!(back, f);

        let u = HostFact {
            key: "accounts.empty_password".into(),
            value: FactValue::Unknown(Unknown {
                reason: UnknownReason::NeedsPrivilege,
                detail: "/etc/shadow: permission denied".into(),
                says: None,
            }),
            confidence: Confidence::High,
            sources: Vec::new(),
            note: None,
        };
        let j = serde_json::to_value(&u).unwrap();
        assert_eq!(j["type"], "unknown");
        assert_eq!(j["value"]["reason"], "needs_privilege");
        assert_eq!(serde_json::from_value::<HostFact>(j).unwrap(), u);
    }
}
