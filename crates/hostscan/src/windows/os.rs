//! Windows version and end of life (registry `CurrentVersion`, `Win32_OperatingSystem`),
//! and updates (`Win32_QuickFixEngineering`, the update agent's results, reboot-pending
//! keys, the update policy, the local-cache search for pending updates).

use praxcheck_model::{Confidence, FactValue, UnknownReason};
use time::OffsetDateTime;

use super::{Sections, hklm, unknown_all};
use crate::eol::{self, WindowsVersion};
use crate::facts::{self, Facts, cim, cmdlet, derived};
use crate::keys;
use crate::pwsh::{self, boolean, date, int, many, prop, text};

const CV: &str = "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";

/// Security Updates and Critical Updates categories of the update agent (ids, not the
/// localised names).
pub const SECURITY_CATEGORY_IDS: [&str; 2] = [
    "0fa1201d-4330-4fa8-8ae9-b877473b6441",
    "e6cf1350-c01b-414d-a61f-263d14d133b4",
];

/// Reads the version from the `os_registry` (and `os_cim`) sections.
#[must_use]
pub fn version(s: &Sections) -> Option<WindowsVersion> {
    let r = s.get("os_registry").ok()?;
    let cim = s
        .get("os_cim")
        .ok()
        .and_then(|v| many(v).into_iter().next());
    let build = int(r, "CurrentBuild")
        .or_else(|| int(r, "CurrentBuildNumber"))
        .or_else(|| cim.and_then(|c| int(c, "BuildNumber")))?;
    let major_minor = match (
        int(r, "CurrentMajorVersionNumber"),
        int(r, "CurrentMinorVersionNumber"),
    ) {
        (Some(a), Some(b)) => format!("{a}.{b}"),
        // Before Windows 10: CurrentVersion "6.3" (8.1), "6.1" (7).
        _ => text(r, "CurrentVersion").unwrap_or_else(|| "10.0".to_owned()),
    };
    Some(WindowsVersion {
        product_name: text(r, "ProductName").unwrap_or_default(),
        edition_id: text(r, "EditionID").unwrap_or_default(),
        installation_type: text(r, "InstallationType").unwrap_or_default(),
        major_minor,
        build: u32::try_from(build).ok()?,
        product_type: cim.and_then(|c| int(c, "ProductType")),
    })
}

/// `os.*` facts; returns the build number.
pub fn collect(s: &Sections, now: OffsetDateTime, f: &mut Facts) -> Option<u32> {
    f.put(
        keys::OS_FAMILY,
        FactValue::Text("windows".into()),
        Confidence::High,
        vec![derived("platform")],
    );
    let src = vec![hklm(CV)];
    let Some(v) = version(s) else {
        let why = s.get("os_registry").err().unwrap_or_else(|| {
            crate::facts::Why::new(
                UnknownReason::ParseError,
                praxcheck_model::UnknownSaid::ValueMissing {
                    value: "CurrentBuild".into(),
                },
                "no CurrentBuild",
            )
        });
        unknown_all(
            f,
            &[keys::OS_NAME, keys::OS_VERSION, keys::OS_END_OF_LIFE],
            &why,
            &src,
        );
        return None;
    };
    let r = s.get("os_registry").ok();
    let ubr = r.and_then(|r| int(r, "UBR"));
    let full = match ubr {
        Some(u) => format!("{}.{}.{u}", v.major_minor, v.build),
        None => format!("{}.{}", v.major_minor, v.build),
    };
    f.put(
        keys::OS_NAME,
        FactValue::Text(v.display_name()),
        Confidence::High,
        src.clone(),
    );
    f.put(
        keys::OS_ID,
        FactValue::Text(
            if v.is_server() {
                "windows-server"
            } else {
                "windows"
            }
            .into(),
        ),
        Confidence::High,
        src.clone(),
    );
    f.put(
        keys::OS_VERSION,
        FactValue::Text(full),
        Confidence::High,
        src.clone(),
    );
    f.put(
        keys::OS_BUILD,
        FactValue::Int(i64::from(v.build)),
        Confidence::High,
        src.clone(),
    );
    if !v.edition_id.is_empty() {
        f.put(
            keys::OS_EDITION,
            FactValue::Text(v.edition_id.clone()),
            Confidence::High,
            src.clone(),
        );
    }
    if let Some(rel) = r.and_then(|r| text(r, "DisplayVersion").or_else(|| text(r, "ReleaseId"))) {
        f.put(
            keys::OS_RELEASE,
            FactValue::Text(rel),
            Confidence::High,
            src.clone(),
        );
    }
    if let Some(boot) = s
        .get("os_cim")
        .ok()
        .and_then(|c| many(c).into_iter().next())
        .and_then(|c| date(c, "LastBootUpTime"))
    {
        f.put(
            keys::OS_LAST_BOOT,
            FactValue::Timestamp(facts::rfc3339(boot)),
            Confidence::High,
            vec![cim("Win32_OperatingSystem.LastBootUpTime")],
        );
    }
    match eol::windows(&v) {
        Some(m) => crate::linux::os::eol_facts(f, &m, now, &format!("HKLM\\{CV}")),
        None => f.unknown(
            keys::OS_END_OF_LIFE,
            UnknownReason::NoReferenceData,
            praxcheck_model::UnknownSaid::NoEndOfLifeData {
                distribution: v.display_name(),
                version: v.build.to_string(),
            },
            format!(
                "no end-of-life data for {} build {} ({})",
                v.display_name(),
                v.build,
                v.edition_id
            ),
            src,
        ),
    }
    Some(v.build)
}

/// `updates.*` facts.
pub fn updates(s: &Sections, now: OffsetDateTime, _build: Option<u32>, f: &mut Facts) {
    // Last installed update: the newest hotfix date, or the agent's last installation.
    let qfe = cim("Win32_QuickFixEngineering.InstalledOn");
    let mut newest: Option<OffsetDateTime> = None;
    let mut unparsed = 0usize;
    let mut count = 0usize;
    match s.get("hotfixes") {
        Ok(v) => {
            for h in many(v) {
                count += 1;
                match date(h, "InstalledOn") {
                    Some(d) => newest = Some(newest.map_or(d, |n| n.max(d))),
                    None => unparsed += 1,
                }
            }
            f.put(
                keys::UPDATES_HOTFIX_COUNT,
                FactValue::Int(i64::try_from(count).unwrap_or(i64::MAX)),
                Confidence::High,
                vec![qfe.clone()],
            );
        }
        Err(why) => f.unknown_why(keys::UPDATES_HOTFIX_COUNT, why, vec![qfe.clone()]),
    }
    let wu = s.get("wu_results").ok();
    let agent_install = wu.and_then(|w| date(w, "LastInstallationSuccessDate"));
    let agent_search = wu.and_then(|w| date(w, "LastSearchSuccessDate"));
    let mut srcs = vec![qfe.clone()];
    if agent_install.is_some() {
        srcs.push(cmdlet(
            "Microsoft.Update.AutoUpdate Results.LastInstallationSuccessDate",
        ));
    }
    let last = match (newest, agent_install) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    match last {
        Some(t) => {
            f.put_noted(
                keys::UPDATES_LAST_INSTALLED,
                FactValue::Timestamp(facts::rfc3339(t)),
                Confidence::High,
                srcs.clone(),
                format!("newest of {count} hotfix dates ({unparsed} without a readable date) and the update agent's last installation"),
            );
            f.put(
                keys::UPDATES_DAYS_SINCE_LAST_INSTALLED,
                FactValue::Int(facts::days_between(t, now)),
                Confidence::High,
                vec![derived("updates.last_installed + collected_at")],
            );
        }
        None => f.unknown(
            keys::UPDATES_LAST_INSTALLED,
            UnknownReason::Unreadable,
            praxcheck_model::UnknownSaid::NoInstallationDate {
                updates: u64::try_from(count).unwrap_or(u64::MAX),
            },
            format!("no readable installation date ({count} hotfixes)"),
            srcs,
        ),
    }
    if let Some(t) = agent_search {
        f.put_noted(
            keys::UPDATES_LAST_CHECK,
            FactValue::Timestamp(facts::rfc3339(t)),
            Confidence::High,
            vec![cmdlet(
                "Microsoft.Update.AutoUpdate Results.LastSearchSuccessDate",
            )],
            "the update agent's last successful search",
        );
    }
    // Reboot pending.
    match s.get("reboot") {
        Ok(r) => {
            let flags: Vec<&str> = [
                (
                    "CbsRebootPending",
                    "Component Based Servicing\\RebootPending",
                ),
                (
                    "WuRebootRequired",
                    "WindowsUpdate\\Auto Update\\RebootRequired",
                ),
                (
                    "PendingFileRename",
                    "Session Manager\\PendingFileRenameOperations",
                ),
            ]
            .iter()
            .filter(|(k, _)| boolean(r, k) == Some(true))
            .map(|(_, n)| *n)
            .collect();
            f.put_noted(
                keys::UPDATES_REBOOT_REQUIRED,
                FactValue::Bool(!flags.is_empty()),
                Confidence::High,
                vec![
                    hklm("SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending"),
                    hklm("SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired"),
                    hklm("SYSTEM\\CurrentControlSet\\Control\\Session Manager\\PendingFileRenameOperations"),
                ],
                if flags.is_empty() { "no reboot-pending key".to_owned() } else { format!("set: {}", flags.join(", ")) },
            );
        }
        Err(why) => f.unknown_why(keys::UPDATES_REBOOT_REQUIRED, why, Vec::new()),
    }
    // Automatic updates (policy; without one, Windows updates automatically).
    let pol_src = vec![hklm(
        "SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU\\NoAutoUpdate",
    )];
    if let Ok(p) = s.get("wu_policy") {
        let no_auto = int(p, "NoAutoUpdate");
        let au = int(p, "AUOptions");
        let (on, note) = match (no_auto, au) {
            (Some(1), _) => (false, "policy NoAutoUpdate = 1".to_owned()),
            (_, Some(1)) => (false, "policy AUOptions = 1 (never check)".to_owned()),
            (_, Some(2)) => (false, "policy AUOptions = 2 (notify only)".to_owned()),
            (_, Some(o)) => (true, format!("policy AUOptions = {o}")),
            _ => (
                true,
                "no update policy: Windows installs updates automatically".to_owned(),
            ),
        };
        f.put_noted(
            keys::UPDATES_AUTOMATIC,
            FactValue::Bool(on),
            if no_auto.is_some() || au.is_some() {
                Confidence::High
            } else {
                Confidence::Medium
            },
            pol_src,
            note,
        );
    }
    // Pending updates from the local cache.
    let src = vec![cmdlet(
        "Microsoft.Update.Session IUpdateSearcher.Search (Online = false)",
    )];
    match s.get("wu_pending") {
        Ok(v) => {
            let items = many(v);
            let security: Vec<String> = items
                .iter()
                .filter(|u| {
                    text(u, "MsrcSeverity").is_some()
                        || pwsh::strings(u, "CategoryIds").is_some_and(|c| {
                            c.iter().any(|id| {
                                SECURITY_CATEGORY_IDS.contains(&id.to_ascii_lowercase().as_str())
                            })
                        })
                })
                .map(|u| match text(u, "KB") {
                    Some(kb) => format!("KB{kb}"),
                    None => text(u, "Title").unwrap_or_default(),
                })
                .collect();
            f.put_noted(
                keys::UPDATES_PENDING_COUNT,
                FactValue::Int(i64::try_from(items.len()).unwrap_or(i64::MAX)),
                Confidence::High,
                src.clone(),
                "from the update agent's local cache (as current as updates.last_check)",
            );
            f.put(
                keys::UPDATES_PENDING_SECURITY_COUNT,
                FactValue::Int(i64::try_from(security.len()).unwrap_or(i64::MAX)),
                Confidence::High,
                src.clone(),
            );
            f.put(
                keys::UPDATES_PENDING_SECURITY,
                FactValue::List(security),
                Confidence::High,
                src,
            );
        }
        Err(why) => unknown_all(
            f,
            &[
                keys::UPDATES_PENDING_COUNT,
                keys::UPDATES_PENDING_SECURITY_COUNT,
            ],
            &why,
            &src,
        ),
    }
    let _ = prop;
}
