//! The run's context (user, elevation, group SIDs), listening sockets with their programs,
//! the network configuration for the TI connector mode, and backups (Windows Server
//! Backup, backup software, user-named folders).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::path::PathBuf;

use praxcheck_model::{BackupTool, Confidence, FactValue, ListeningService};
use time::OffsetDateTime;

use super::{Sections, unknown_all};
use crate::Options;
use crate::backup::{self, BackupConfig, Candidate, Placement};
use crate::facts::{self, Facts, cim, cmdlet};
use crate::keys;
use crate::pwsh::{boolean, date, int, many, strings, text};
use crate::ti::NetConfig;

/// Who runs the collection.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Elevated administrator token.
    pub elevated: bool,
    /// The user's SID.
    pub user_sid: Option<String>,
    /// The user's group SIDs.
    pub group_sids: Vec<String>,
    /// `%SystemDrive%` (`C:`).
    pub system_drive: String,
    /// `DOMAIN\user`.
    pub user_name: Option<String>,
}

/// Reads the `context` section.
#[must_use]
pub fn context(s: &Sections) -> Context {
    let Ok(v) = s.get("context") else {
        return Context {
            system_drive: "C:".into(),
            ..Context::default()
        };
    };
    Context {
        elevated: boolean(v, "Elevated").unwrap_or(false),
        user_sid: text(v, "UserSid"),
        group_sids: strings(v, "GroupSids").unwrap_or_default(),
        system_drive: text(v, "SystemDrive").unwrap_or_else(|| "C:".into()),
        user_name: text(v, "UserName"),
    }
}

/// `listening.*` facts (`Get-NetTCPConnection -State Listen`, `Get-NetUDPEndpoint`,
/// `Get-Process`).
pub fn listening(s: &Sections, f: &mut Facts) -> Vec<ListeningService> {
    let procs: BTreeMap<i64, String> = s
        .get("processes")
        .map(|v| {
            many(v)
                .into_iter()
                .filter_map(|p| Some((int(p, "Id")?, text(p, "ProcessName")?)))
                .collect()
        })
        .unwrap_or_default();
    let src = vec![
        cmdlet("Get-NetTCPConnection -State Listen"),
        cmdlet("Get-NetUDPEndpoint"),
        cmdlet("Get-Process"),
    ];
    let mut out = Vec::new();
    let tcp = s.get("listening_tcp");
    if let Err(why) = &tcp {
        f.unknown_why(keys::LISTENING_SERVICES, why.clone(), src);
        return out;
    }
    for (section, proto) in [("listening_tcp", "tcp"), ("listening_udp", "udp")] {
        let Ok(v) = s.get(section) else { continue };
        for e in many(v) {
            let (Some(addr), Some(port)) = (text(e, "LocalAddress"), int(e, "LocalPort")) else {
                continue;
            };
            let Ok(port) = u16::try_from(port) else {
                continue;
            };
            let pid = int(e, "OwningProcess");
            out.push(ListeningService {
                protocol: proto.into(),
                scope: crate::linux::net::scope(&addr).to_owned(),
                address: addr,
                port,
                pid: pid.and_then(|p| u32::try_from(p).ok()),
                process: pid.and_then(|p| procs.get(&p).cloned()),
            });
        }
    }
    out.sort();
    out.dedup();
    f.put(
        keys::LISTENING_SERVICES,
        FactValue::Services(out.clone()),
        Confidence::High,
        src.clone(),
    );
    let unowned = out.iter().filter(|l| l.process.is_none()).count();
    f.put_noted(
        keys::LISTENING_OWNERS_COMPLETE,
        FactValue::Bool(unowned == 0),
        Confidence::High,
        src,
        format!("{unowned} sockets without a program name"),
    );
    out
}

/// `network.*` and `ti.*` facts (`Get-NetRoute -DestinationPrefix 0.0.0.0/0`,
/// `Get-NetIPAddress -AddressFamily IPv4`).
pub fn network(s: &Sections, opts: &Options, f: &mut Facts) {
    let src = vec![
        cmdlet("Get-NetRoute -DestinationPrefix 0.0.0.0/0"),
        cmdlet("Get-NetIPAddress -AddressFamily IPv4"),
    ];
    let routes = match s.get("routes") {
        Ok(v) => v,
        Err(why) => {
            unknown_all(f, &[keys::NETWORK_DEFAULT_GATEWAYS], &why, &src);
            return;
        }
    };
    let mut cfg = NetConfig {
        sources: src,
        ..NetConfig::default()
    };
    for r in many(routes) {
        if let Some(gw) = text(r, "NextHop").and_then(|g| g.parse::<Ipv4Addr>().ok())
            && !gw.is_unspecified()
            && !cfg.gateways.contains(&gw)
        {
            cfg.gateways.push(gw);
        }
    }
    if let Ok(a) = s.get("addresses") {
        for e in many(a) {
            if let (Some(ip), Some(p)) = (
                text(e, "IPAddress").and_then(|i| i.parse::<Ipv4Addr>().ok()),
                int(e, "PrefixLength"),
            ) && !ip.is_loopback()
                && !ip.is_link_local()
                && let Ok(p) = u8::try_from(p)
            {
                let mask = u32::MAX.checked_shl(32 - u32::from(p.min(32))).unwrap_or(0);
                let net = Ipv4Addr::from(u32::from(ip) & mask);
                if !cfg.networks.contains(&(net, p)) {
                    cfg.networks.push((net, p));
                }
            }
        }
    }
    crate::ti::facts(f, &cfg, opts.connector_address);
}

/// A drive as `Win32_LogicalDisk` describes it.
#[derive(Debug, Clone)]
struct Drive {
    drive_type: i64,
    provider: Option<String>,
}

fn drives(s: &Sections) -> BTreeMap<String, Drive> {
    s.get("volumes")
        .map(|v| {
            many(v)
                .into_iter()
                .filter_map(|d| {
                    Some((
                        text(d, "DeviceID")?.to_ascii_uppercase(),
                        Drive {
                            drive_type: int(d, "DriveType").unwrap_or(0),
                            provider: text(d, "ProviderName"),
                        },
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Where a Windows path sits: the drive's type (`Win32_LogicalDisk.DriveType`: 2 removable,
/// 3 local disk, 4 network drive, 5 optical) and whether it is present now.
fn placement(target: &str, drives: &BTreeMap<String, Drive>, system_drive: &str) -> Placement {
    let t = target.trim();
    if t.starts_with("\\\\") || t.starts_with("//") {
        return Placement {
            kind: "network".into(),
            attached_now: None,
            on_system_disk: Some(false),
            mounted_at_boot: None,
            mount_point: None,
        };
    }
    let letter = t
        .get(..2)
        .filter(|d| d.ends_with(':'))
        .map(str::to_ascii_uppercase);
    let Some(letter) = letter else {
        return Placement {
            kind: "unknown".into(),
            ..Placement::default()
        };
    };
    match drives.get(&letter) {
        None => Placement {
            kind: "unknown".into(),
            attached_now: Some(false),
            on_system_disk: Some(false),
            mounted_at_boot: None,
            mount_point: Some(letter),
        },
        Some(d) => Placement {
            kind: match d.drive_type {
                2 => "removable".into(),
                3 => "local_folder".into(),
                4 => "network".into(),
                _ => "unknown".into(),
            },
            attached_now: Some(true),
            on_system_disk: Some(letter.eq_ignore_ascii_case(system_drive)),
            mounted_at_boot: match d.drive_type {
                3 => Some(true),
                2 => Some(false),
                _ => None,
            },
            mount_point: Some(match &d.provider {
                Some(p) => format!("{letter} ({p})"),
                None => letter,
            }),
        },
    }
}

/// `backup.*` facts.
pub fn backups(
    s: &Sections,
    opts: &Options,
    now: OffsetDateTime,
    ctx: &Context,
    cfg: &BackupConfig,
    f: &mut Facts,
) {
    let drives = drives(s);
    let mut tools: BTreeMap<String, BackupTool> = BTreeMap::new();
    // Backup software from the uninstall entries and services.
    if let Ok(v) = s.get("uninstall") {
        for e in many(v) {
            let Some(name) = text(e, "DisplayName") else {
                continue;
            };
            if let Some(spec) = crate::products::match_name(&name, text(e, "Publisher").as_deref())
                && spec.category == crate::products::Category::Backup
            {
                tools.entry(spec.name.to_owned()).or_insert(BackupTool {
                    name: spec.name.to_owned(),
                    configured: false,
                    evidence: format!("uninstall entry {name}"),
                });
            }
        }
    }
    if let Ok(v) = s.get("services") {
        for svc in many(v) {
            let name = text(svc, "Name").unwrap_or_default();
            let auto = text(svc, "StartMode").is_some_and(|m| m.eq_ignore_ascii_case("Auto"));
            for (prefix, tool) in [
                ("VeeamEndpointBackupSvc", "Veeam"),
                ("AcronisCyberProtectService", "Acronis"),
                ("afcdpsrv", "Acronis"),
                ("Duplicati", "Duplicati"),
                ("MacriumService", "Macrium Reflect"),
                ("UrBackupClientBackend", "UrBackup"),
            ] {
                if name.eq_ignore_ascii_case(prefix) {
                    let e = tools.entry(tool.to_owned()).or_insert(BackupTool {
                        name: tool.to_owned(),
                        configured: false,
                        evidence: format!("service {name}"),
                    });
                    if auto {
                        e.evidence = format!("service {name} (starts automatically)");
                    }
                }
            }
        }
    }
    let mut targets = Vec::new();
    // Windows Server Backup's own summary (needs administrator rights).
    match s.get("wbadmin") {
        Ok(v) => {
            if let Some(w) = many(v).into_iter().next() {
                let last = date(w, "LastSuccessfulBackupTime");
                let target = text(w, "LastSuccessfulBackupTargetPath")
                    .or_else(|| text(w, "LastBackupTarget"))
                    .unwrap_or_default();
                tools.insert(
                    "Windows Server Backup".into(),
                    BackupTool {
                        name: "Windows Server Backup".into(),
                        configured: true,
                        evidence: "Get-WBSummary".into(),
                    },
                );
                let pl = placement(&target, &drives, &ctx.system_drive);
                targets.push(praxcheck_model::BackupTarget {
                    tool: "Windows Server Backup".into(),
                    target: target.clone(),
                    label: text(w, "LastSuccessfulBackupTargetLabel"),
                    kind: pl.kind,
                    reachable_now: pl.attached_now == Some(true),
                    attached_now: pl.attached_now,
                    on_system_disk: pl.on_system_disk,
                    mounted_at_boot: pl.mounted_at_boot,
                    mount_point: pl.mount_point,
                    newest_backup: last.map(facts::rfc3339),
                    newest_age_days: last.map(|t| facts::days_between(t, now)),
                    newest_size_bytes: None,
                    previous_median_size_bytes: None,
                    backups_seen: int(w, "NumberOfVersions").and_then(|n| u64::try_from(n).ok()),
                    total_size_bytes: None,
                    examined_all: true,
                    method: Some("Get-WBSummary LastSuccessfulBackupTime".into()),
                    problem: int(w, "LastBackupResultHR")
                        .filter(|hr| *hr != 0)
                        .map(|hr| {
                            format!("last backup ended with HRESULT 0x{:08X}", hr & 0xFFFF_FFFF)
                        }),
                });
            }
        }
        Err(why) if why.reason == praxcheck_model::UnknownReason::NeedsPrivilege => {
            f.unknown_why(
                keys::BACKUP_WINDOWS_SERVER_BACKUP,
                why,
                vec![cmdlet("Get-WBSummary")],
            );
        }
        Err(_) => {}
    }
    // Folders the user named, examined on this computer's filesystem.
    let cands: Vec<Candidate> = cfg
        .folders
        .iter()
        .map(|u| Candidate {
            tool: "user".into(),
            target: u.path.clone(),
            label: u.label.clone(),
            evidence: cfg.source.clone().unwrap_or_default(),
        })
        .collect();
    let system_drive = ctx.system_drive.clone();
    targets.extend(backup::examine_all(
        &cands,
        opts.backup_budget,
        now,
        &|t| PathBuf::from(t),
        &|t| placement(t, &drives, &system_drive),
    ));
    backup::facts(
        f,
        tools.into_values().collect(),
        targets,
        cfg,
        vec![
            cmdlet("Get-WBSummary"),
            cim("Win32_Service"),
            cim("Win32_LogicalDisk"),
        ],
    );
}
