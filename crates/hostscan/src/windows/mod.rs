//! The Windows collector.
//!
//! Three PowerShell processes run in parallel (`system.ps1`, `inventory.ps1`,
//! `pending.ps1`, each after `preamble.ps1`); their sections read registry values, CIM
//! classes and cmdlets and write them with `ConvertTo-Json`. Everything after that is pure
//! and platform-independent: [`facts_from_output`] turns the text into facts, and the tests
//! run it on fixtures on Linux. Only language-independent parts are interpreted: property
//! names, enum numbers, registry values and SIDs — never localised display texts.

pub mod firewall;
pub mod native;
pub mod os;
pub mod protection;
pub mod remote;
pub mod software;
pub mod system;

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine as _;
use praxcheck_i18n::{Arg, Catalog};
use praxcheck_model::{Component, UnknownReason, UnknownSaid};
use serde_json::Value;
use time::OffsetDateTime;

use crate::Options;
use crate::backup::BackupConfig;
use crate::exec::{CmdOutput, Exec, ExecError};
use crate::facts::{Facts, Why};
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
    pub failed_parts: BTreeMap<String, Why>,
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

    /// Sets a section's data (the natively read registry sections win over a script's).
    pub fn insert(&mut self, name: &str, value: Value) {
        self.map.insert(name.to_owned(), Section::Data(value));
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
    /// Why a fact read from the section is unknown.
    pub fn get(&self, name: &str) -> Result<&Value, Why> {
        let section = || name.to_owned();
        match self.map.get(name) {
            Some(Section::Data(v)) => Ok(v),
            Some(Section::Error(e)) => Err(Why::new(
                e.reason(),
                UnknownSaid::SectionFailed { section: section() },
                e.detail(),
            )),
            Some(Section::Garbled(m)) => Err(Why::new(
                UnknownReason::ParseError,
                UnknownSaid::SectionGarbled { section: section() },
                format!("section {name}: {m}"),
            )),
            None => Err(self
                .failed_parts
                .get(part_of(name))
                .cloned()
                .unwrap_or_else(|| {
                    Why::new(
                        UnknownReason::Unreadable,
                        UnknownSaid::SectionMissing { section: section() },
                        format!("section {name} missing from the output"),
                    )
                })),
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
pub fn unknown_all(f: &mut Facts, keys: &[&str], why: &Why, sources: &[FactSource]) {
    for k in keys {
        f.unknown_why(k, why.clone(), sources.to_vec());
    }
}

/// Why a PowerShell part gave nothing: the kind the report words, with a detail in the
/// user's language (from the catalogue) for machine formats.
#[must_use]
pub fn part_failure(cat: &Catalog, part: &str, out: &Result<CmdOutput, ExecError>) -> Option<Why> {
    let p = || vec![("part", Arg::Str(part.to_owned()))];
    let (reason, text) = match out {
        Ok(o) => {
            let stdout = String::from_utf8_lossy(&o.stdout);
            if stdout.contains(crate::pwsh::SECTION_MARKER) {
                return None;
            }
            let stderr = o.stderr_text();
            if constrained_language(&stdout) || constrained_language(&stderr) {
                (
                    UnknownReason::ToolMissing,
                    cat.t_args("hostwin-pwsh-constrained", &p()),
                )
            } else {
                let mut a = p();
                match o.status {
                    Some(code) => {
                        a.push(("code", Arg::Str(code.to_string())));
                        (
                            UnknownReason::Unreadable,
                            cat.t_args("hostwin-pwsh-no-output", &a),
                        )
                    }
                    None => (
                        UnknownReason::Unreadable,
                        cat.t_args("hostwin-pwsh-killed", &a),
                    ),
                }
            }
        }
        Err(ExecError::NotFound(_)) => (
            UnknownReason::ToolMissing,
            cat.t_args("hostwin-pwsh-missing", &p()),
        ),
        Err(ExecError::Timeout { .. }) => (
            UnknownReason::Timeout,
            cat.t_args("hostwin-pwsh-timeout", &p()),
        ),
        Err(ExecError::Disabled(_)) => (
            UnknownReason::NotCollected,
            cat.t_args("hostwin-pwsh-disabled", &p()),
        ),
        Err(e @ ExecError::Io { .. }) => {
            let mut a = p();
            a.push(("reason", Arg::Str(e.to_string())));
            (
                UnknownReason::Unreadable,
                cat.t_args("hostwin-pwsh-failed", &a),
            )
        }
    };
    let says = UnknownSaid::PowershellFailed {
        part: part.to_owned(),
    };
    Some(Why::new(reason, says, text))
}

/// Whether PowerShell refused the script because it runs in Constrained Language Mode
/// (AppLocker, WDAC). The error identifiers are not localised.
#[must_use]
pub fn constrained_language(text: &str) -> bool {
    [
        "MethodInvocationNotSupportedInConstrainedLanguage",
        "CannotCreateTypeConstrainedLanguage",
        "ConversionSupportedOnlyToCoreTypes",
        "CannotCreateComTypeConstrainedLanguage",
    ]
    .iter()
    .any(|id| text.contains(id))
}

/// Runs the three parts in parallel and collects the facts. With a `registry`, the
/// registry-backed sections are read natively ([`native`]) and left out of the scripts.
#[must_use]
pub fn collect(
    opts: &Options,
    exec: &dyn Exec,
    now: OffsetDateTime,
    backup_cfg: &BackupConfig,
    registry: Option<&dyn native::RegistryView>,
) -> (Facts, Vec<Component>, bool) {
    // PowerShell starts slowly; the parts get more time than a single command.
    let timeout = opts.command_timeout.max(Duration::from_secs(20));
    let skip: &[&str] = if registry.is_some() {
        &native::NATIVE_SECTIONS
    } else {
        &[]
    };
    let scripts: Vec<(&str, String)> = PARTS
        .iter()
        .map(|(name, part)| (*name, native::script_without(part, skip)))
        .collect();
    let outputs: Vec<(&str, Result<CmdOutput, ExecError>)> = std::thread::scope(|s| {
        let handles: Vec<_> = scripts
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
    let cat = Catalog::new(opts.lang);
    let mut sections = Sections::default();
    for (name, out) in outputs {
        if let Ok(o) = &out {
            // Console output arrives in the OEM code page (850 on German Windows) unless
            // the script's switch to UTF-8 took effect.
            sections.add_text(&decode_windows(&o.stdout, CodePage::Cp850));
        }
        if let Some(why) = part_failure(&cat, name, &out) {
            sections.failed_parts.insert(name.to_owned(), why);
        }
    }
    if let Some(r) = registry {
        let pf: Vec<String> = ["ProgramFiles", "ProgramFiles(x86)"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .collect();
        for (name, value) in native::sections(r, &pf) {
            sections.insert(name, value);
        }
        if sections.get("context").is_err() {
            let drive = std::env::var("SystemDrive").unwrap_or_else(|_| "C:".into());
            sections.insert("context", serde_json::json!({ "SystemDrive": drive }));
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
