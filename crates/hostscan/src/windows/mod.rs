//! The Windows collector.
//!
//! Three PowerShell processes run in parallel (`system.ps1`, `inventory.ps1`,
//! `pending.ps1`, each after `preamble.ps1`); their sections read registry values, CIM
//! classes and cmdlets and write them with `ConvertTo-Json`. Everything after that is pure
//! and platform-independent: [`facts_from_output`] turns the text into facts, and the tests
//! run it on fixtures on Linux. Only language-independent parts are interpreted: property
//! names, enum numbers, registry values and SIDs — never localised display texts.

pub mod firewall;
pub mod os;
pub mod protection;
pub mod remote;
pub mod software;
pub mod system;

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine as _;
use praxcheck_model::{Component, UnknownReason};
use serde_json::Value;
use time::OffsetDateTime;

use crate::Options;
use crate::backup::BackupConfig;
use crate::exec::{CmdOutput, Exec, ExecError};
use crate::facts::Facts;
use crate::pwsh::{Section, SectionError, split_sections};
use crate::text::{CodePage, decode_windows};
use praxcheck_model::FactSource;

/// Functions every part uses.
pub const PREAMBLE: &str = include_str!("preamble.ps1");
/// Part 1: operating system, updates, firewall, remote access, protection.
pub const SYSTEM: &str = include_str!("system.ps1");
/// Part 2: accounts, installed software, services, network, backups.
pub const INVENTORY: &str = include_str!("inventory.ps1");
/// Part 3: pending updates from the local cache.
pub const PENDING: &str = include_str!("pending.ps1");

/// The parts, by name.
pub const PARTS: [(&str, &str); 3] = [
    ("system", SYSTEM),
    ("inventory", INVENTORY),
    ("pending", PENDING),
];

/// The script of a part without comments and indentation (the command line is limited to
/// 32767 characters).
#[must_use]
pub fn script(part: &str) -> String {
    PREAMBLE
        .lines()
        .chain(part.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `-EncodedCommand` argument: the script as UTF-16LE in base64.
#[must_use]
pub fn encoded(script: &str) -> String {
    let bytes: Vec<u8> = script.encode_utf16().flat_map(u16::to_le_bytes).collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The arguments for `powershell.exe` (Windows PowerShell 5.1) or `pwsh` (7.x).
#[must_use]
pub fn arguments(encoded: &str) -> Vec<String> {
    [
        "-NoLogo",
        "-NoProfile",
        "-NonInteractive",
        "-ExecutionPolicy",
        "Bypass",
        "-EncodedCommand",
        encoded,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

/// Runs one part: `powershell.exe`, or `pwsh` when Windows PowerShell is missing.
///
/// # Errors
/// When neither PowerShell can be started, or the part does not finish in time.
pub fn run_part(exec: &dyn Exec, part: &str, timeout: Duration) -> Result<CmdOutput, ExecError> {
    let enc = encoded(&script(part));
    let args = arguments(&enc);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match exec.run("powershell.exe", &args, timeout) {
        Err(ExecError::NotFound(_)) => exec.run("pwsh", &args, timeout),
        other => other,
    }
}

/// The sections of all parts.
#[derive(Debug, Default)]
pub struct Sections {
    map: BTreeMap<String, Section>,
    /// Why a part gave no output, by part name.
    pub failed_parts: BTreeMap<String, (UnknownReason, String)>,
}

/// Which part a section belongs to.
#[must_use]
pub fn part_of(section: &str) -> &'static str {
    match section {
        "wu_pending" => "pending",
        "users" | "admins" | "uninstall" | "java" | "services" | "processes" | "listening_tcp"
        | "listening_udp" | "routes" | "addresses" | "volumes" | "wbadmin" => "inventory",
        _ => "system",
    }
}

impl Sections {
    /// Parses the decoded output of the parts.
    #[must_use]
    pub fn from_text(text: &str) -> Self {
        let mut s = Self::default();
        for (name, sec) in split_sections(text) {
            s.map.insert(name, sec);
        }
        s
    }

    /// Adds the sections of another part's output.
    pub fn add_text(&mut self, text: &str) {
        for (name, sec) in split_sections(text) {
            self.map.insert(name, sec);
        }
    }

    /// A section's JSON, or why there is none.
    ///
    /// # Errors
    /// The reason and detail for an unknown fact.
    pub fn get(&self, name: &str) -> Result<&Value, (UnknownReason, String)> {
        match self.map.get(name) {
            Some(Section::Data(v)) => Ok(v),
            Some(Section::Error(e)) => Err((e.reason(), e.detail())),
            Some(Section::Garbled(m)) => {
                Err((UnknownReason::ParseError, format!("section {name}: {m}")))
            }
            None => Err(self.failed_parts.get(part_of(name)).cloned().unwrap_or((
                UnknownReason::Unreadable,
                format!("section {name} missing from the output"),
            ))),
        }
    }

    /// The section's error, if it failed.
    #[must_use]
    pub fn error(&self, name: &str) -> Option<&SectionError> {
        match self.map.get(name) {
            Some(Section::Error(e)) => Some(e),
            _ => None,
        }
    }
}

/// Marks `keys` unknown for the reason a section gave.
pub fn unknown_all(
    f: &mut Facts,
    keys: &[&str],
    why: &(UnknownReason, String),
    sources: &[FactSource],
) {
    for k in keys {
        f.unknown(k, why.0, why.1.clone(), sources.to_vec());
    }
}

/// Runs the three parts in parallel and collects the facts.
#[must_use]
pub fn collect(
    opts: &Options,
    exec: &dyn Exec,
    now: OffsetDateTime,
    backup_cfg: &BackupConfig,
) -> (Facts, Vec<Component>, bool) {
    // PowerShell starts slowly; the parts get more time than a single command.
    let timeout = opts.command_timeout.max(Duration::from_secs(20));
    let outputs: Vec<(&str, Result<CmdOutput, ExecError>)> = std::thread::scope(|s| {
        let handles: Vec<_> = PARTS
            .iter()
            .map(|(name, part)| (*name, s.spawn(move || run_part(exec, part, timeout))))
            .collect();
        handles
            .into_iter()
            .map(|(n, h)| {
                (
                    n,
                    h.join().unwrap_or_else(|_| {
                        Err(ExecError::Io {
                            program: "powershell.exe".into(),
                            reason: "internal error".into(),
                        })
                    }),
                )
            })
            .collect()
    });
    let mut sections = Sections::default();
    for (name, out) in outputs {
        match out {
            Ok(o) => {
                // Console output arrives in the OEM code page (850 on German Windows) unless
                // the script's switch to UTF-8 took effect.
                let text = decode_windows(&o.stdout, CodePage::Cp850);
                sections.add_text(&text);
                if !text.contains(crate::pwsh::SECTION_MARKER) {
                    sections.failed_parts.insert(
                        name.to_owned(),
                        (
                            UnknownReason::Unreadable,
                            format!(
                                "PowerShell part {name}: no output (exit {:?}): {}",
                                o.status,
                                o.stderr_text()
                            ),
                        ),
                    );
                }
            }
            Err(e) => {
                let reason = match e {
                    ExecError::NotFound(_) => UnknownReason::ToolMissing,
                    ExecError::Timeout { .. } => UnknownReason::Timeout,
                    ExecError::Disabled(_) => UnknownReason::NotCollected,
                    ExecError::Io { .. } => UnknownReason::Unreadable,
                };
                sections.failed_parts.insert(
                    name.to_owned(),
                    (reason, format!("PowerShell part {name}: {e}")),
                );
            }
        }
    }
    facts_from_sections(&sections, opts, now, backup_cfg)
}

/// Turns the sections into facts and components (pure; the tests call it on fixtures).
#[must_use]
pub fn facts_from_sections(
    s: &Sections,
    opts: &Options,
    now: OffsetDateTime,
    backup_cfg: &BackupConfig,
) -> (Facts, Vec<Component>, bool) {
    let mut f = Facts::new();
    let ctx = system::context(s);
    let privileged = opts.privileged.unwrap_or(ctx.elevated);
    let build = os::collect(s, now, &mut f);
    os::updates(s, now, build, &mut f);
    firewall::collect(s, &mut f);
    let listening = system::listening(s, &mut f);
    remote::collect(s, build, &listening, &mut f);
    protection::collect(s, now, &ctx, &mut f);
    let components = software::collect(s, opts, &ctx, &mut f);
    system::network(s, opts, &mut f);
    system::backups(s, opts, now, &ctx, backup_cfg, &mut f);
    (f, components, privileged)
}

/// A registry source under `HKLM\`.
#[must_use]
pub fn hklm(path: &str) -> FactSource {
    crate::facts::registry(&format!("HKLM\\{path}"))
}
