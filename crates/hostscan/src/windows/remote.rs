//! Remote access on Windows: Remote Desktop and Network Level Authentication (registry
//! `Terminal Server\fDenyTSConnections`, `WinStations\RDP-Tcp\UserAuthentication`, and their
//! policy values, which win), SMBv1 (`Get-SmbServerConfiguration`, registry `SMB1`), file
//! shares open to everyone (by SID), and remote-maintenance tools (uninstall entries,
//! services, processes).

use praxcheck_model::{Confidence, FactValue, ListeningService, RemoteTool, Share, UnknownReason};

use super::{Sections, hklm, unknown_all};
use crate::facts::{Facts, cim, cmdlet};
use crate::keys;
use crate::pwsh::{boolean, enum_name, int, many, text};

/// SIDs that mean "everyone": Everyone (S-1-1-0), Anonymous Logon (S-1-5-7), Guests
/// (S-1-5-32-546), Authenticated Users (S-1-5-11: every account of the domain or machine).
pub const EVERYONE_SIDS: [&str; 4] = ["S-1-1-0", "S-1-5-7", "S-1-5-32-546", "S-1-5-11"];

/// `SmbShareAccess.AccessRight`: Full 0, Change 1, Read 2, Custom 3.
const ACCESS_RIGHT: &[(i64, &str)] = &[(0, "Full"), (1, "Change"), (2, "Read"), (3, "Custom")];
/// `AccessControlType`: Allow 0, Deny 1.
const ACCESS_TYPE: &[(i64, &str)] = &[(0, "Allow"), (1, "Deny")];

fn rdp(s: &Sections, f: &mut Facts) {
    let src = vec![
        hklm("SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\fDenyTSConnections"),
        hklm(
            "SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp\\UserAuthentication",
        ),
        hklm("SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services"),
    ];
    let v = match s.get("rdp") {
        Ok(v) => v,
        Err(why) => {
            unknown_all(
                f,
                &[keys::REMOTE_RDP_ENABLED, keys::REMOTE_RDP_NLA],
                &why,
                &src,
            );
            return;
        }
    };
    // Group policy wins over the local value; a missing value means Windows' default
    // (connections denied; NLA required).
    let deny = int(v, "PolicyDenyTSConnections").or_else(|| int(v, "fDenyTSConnections"));
    let nla = int(v, "PolicyUserAuthentication").or_else(|| int(v, "UserAuthentication"));
    f.put_noted(
        keys::REMOTE_RDP_ENABLED,
        FactValue::Bool(deny == Some(0)),
        if deny.is_some() {
            Confidence::High
        } else {
            Confidence::Medium
        },
        src.clone(),
        match deny {
            Some(d) => format!("fDenyTSConnections = {d}"),
            None => "fDenyTSConnections not set: Windows default (denied)".into(),
        },
    );
    f.put_noted(
        keys::REMOTE_RDP_NLA,
        FactValue::Bool(nla != Some(0)),
        if nla.is_some() {
            Confidence::High
        } else {
            Confidence::Medium
        },
        src.clone(),
        match nla {
            Some(n) => format!("UserAuthentication = {n}"),
            None => "UserAuthentication not set: Windows default (NLA required)".into(),
        },
    );
    f.put(
        keys::REMOTE_RDP_PORT,
        FactValue::Int(int(v, "PortNumber").unwrap_or(3389)),
        Confidence::High,
        vec![hklm(
            "SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp\\PortNumber",
        )],
    );
}

fn smb1(s: &Sections, build: Option<u32>, f: &mut Facts) {
    if let Ok(v) = s.get("smb_server")
        && let Some(c) = many(v).into_iter().next()
        && let Some(on) = boolean(c, "EnableSMB1Protocol")
    {
        f.put(
            keys::REMOTE_SMB1_ENABLED,
            FactValue::Bool(on),
            Confidence::High,
            vec![cmdlet("Get-SmbServerConfiguration").clone()],
        );
        return;
    }
    let src = vec![hklm(
        "SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters\\SMB1",
    )];
    match s.get("smb_registry") {
        Ok(v) => {
            let val = int(v, "SMB1");
            // Without the value: SMBv1 is on up to Windows 10 1703 (build 15063) and not
            // installed by default from 1709 (16299) on.
            let (on, conf, note) = match val {
                Some(x) => (x != 0, Confidence::High, format!("SMB1 = {x}")),
                None => (
                    build.is_none_or(|b| b < 16299),
                    Confidence::Medium,
                    "SMB1 value not set: the Windows version's default".to_owned(),
                ),
            };
            f.put_noted(
                keys::REMOTE_SMB1_ENABLED,
                FactValue::Bool(on),
                conf,
                src,
                note,
            );
        }
        Err(why) => f.unknown_why(keys::REMOTE_SMB1_ENABLED, why, src),
    }
}

fn shares(s: &Sections, f: &mut Facts) {
    let src = vec![cmdlet("Get-SmbShare"), cmdlet("Get-SmbShareAccess")];
    let v = match s.get("shares") {
        Ok(v) => v,
        Err(why) => {
            unknown_all(
                f,
                &[keys::SHARES_LIST, keys::SHARES_OPEN_TO_EVERYONE],
                &why,
                &src,
            );
            return;
        }
    };
    let mut list: Vec<Share> = Vec::new();
    for e in many(v) {
        let Some(name) = text(e, "Share") else {
            continue;
        };
        let sid = text(e, "Sid");
        let right = enum_name(e, "AccessRight", ACCESS_RIGHT).unwrap_or_else(|| "?".into());
        let kind = enum_name(e, "AccessControlType", ACCESS_TYPE).unwrap_or_else(|| "Allow".into());
        let who = sid.clone().unwrap_or_else(|| {
            format!(
                "{} (SID unknown)",
                text(e, "AccountName").unwrap_or_default()
            )
        });
        let everyone =
            kind == "Allow" && sid.as_deref().is_some_and(|s| EVERYONE_SIDS.contains(&s));
        let writes = everyone && (right == "Full" || right == "Change");
        let idx = match list.iter().position(|x| x.name == name) {
            Some(i) => i,
            None => {
                list.push(Share {
                    name: name.clone(),
                    path: text(e, "Path").unwrap_or_default(),
                    access: Vec::new(),
                    open_to_everyone: false,
                    everyone_can_write: false,
                });
                list.len() - 1
            }
        };
        let sh = &mut list[idx];
        sh.access.push(format!(
            "{who}:{}{}",
            right.to_ascii_lowercase(),
            if kind == "Deny" { " (deny)" } else { "" }
        ));
        sh.open_to_everyone |= everyone;
        sh.everyone_can_write |= writes;
    }
    let open: Vec<String> = list
        .iter()
        .filter(|s| s.open_to_everyone)
        .map(|s| s.name.clone())
        .collect();
    f.put(
        keys::SHARES_LIST,
        FactValue::Shares(list),
        Confidence::High,
        src.clone(),
    );
    f.put_noted(
        keys::SHARES_OPEN_TO_EVERYONE,
        FactValue::List(open),
        Confidence::High,
        src,
        "granted to S-1-1-0 (Everyone), S-1-5-7 (Anonymous), S-1-5-32-546 (Guests) or S-1-5-11 (Authenticated Users)",
    );
}

/// A remote-maintenance tool as Windows shows it.
struct ToolSpec {
    name: &'static str,
    product_id: &'static str,
    services: &'static [&'static str],
    processes: &'static [&'static str],
}

const TOOLS: &[ToolSpec] = &[
    ToolSpec {
        name: "TeamViewer",
        product_id: "teamviewer",
        services: &["teamviewer"],
        processes: &["teamviewer", "teamviewer_service", "tv_w32", "tv_x64"],
    },
    ToolSpec {
        name: "AnyDesk",
        product_id: "anydesk",
        services: &["anydesk"],
        processes: &["anydesk"],
    },
    ToolSpec {
        name: "RustDesk",
        product_id: "rustdesk",
        services: &["rustdesk"],
        processes: &["rustdesk"],
    },
    ToolSpec {
        name: "VNC",
        product_id: "vnc",
        services: &["vncserver", "tvnserver", "uvnc_service", "winvnc"],
        processes: &["vncserver", "tvnserver", "winvnc"],
    },
    ToolSpec {
        name: "Splashtop",
        product_id: "splashtop",
        services: &["splashtopremoteservice"],
        processes: &["srservice"],
    },
    ToolSpec {
        name: "ScreenConnect",
        product_id: "screenconnect",
        services: &["screenconnect client"],
        processes: &["screenconnect.clientservice"],
    },
    ToolSpec {
        name: "LogMeIn",
        product_id: "logmein",
        services: &["logmein", "lmiguardiansvc"],
        processes: &["logmein"],
    },
    ToolSpec {
        name: "pcvisit",
        product_id: "pcvisit",
        services: &["pcvisit"],
        processes: &["pcvisit"],
    },
    ToolSpec {
        name: "NoMachine",
        product_id: "nomachine",
        services: &["nxservice"],
        processes: &["nxservice"],
    },
    ToolSpec {
        name: "Chrome Remote Desktop",
        product_id: "chrome-remote-desktop",
        services: &["chromoting"],
        processes: &["remoting_host"],
    },
    ToolSpec {
        name: "Remote Utilities",
        product_id: "remote-utilities",
        services: &["rmanservice"],
        processes: &["rutserv"],
    },
    ToolSpec {
        name: "DameWare",
        product_id: "dameware",
        services: &["dwmrcs"],
        processes: &["dwrcs"],
    },
];

fn tools(s: &Sections, listening: &[ListeningService], f: &mut Facts) {
    let uninstall: Vec<(String, Option<String>, Option<String>)> = s
        .get("uninstall")
        .map(|v| {
            many(v)
                .into_iter()
                .filter_map(|e| {
                    Some((
                        text(e, "DisplayName")?,
                        text(e, "Publisher"),
                        text(e, "DisplayVersion"),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let services: Vec<(String, String, String)> = s
        .get("services")
        .map(|v| {
            many(v)
                .into_iter()
                .filter_map(|e| {
                    Some((
                        text(e, "Name")?.to_ascii_lowercase(),
                        text(e, "State").unwrap_or_default(),
                        text(e, "StartMode").unwrap_or_default(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let procs: Vec<String> = s
        .get("processes")
        .map(|v| {
            many(v)
                .into_iter()
                .filter_map(|p| text(p, "ProcessName"))
                .map(|p| p.to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    for t in TOOLS {
        let entry = uninstall.iter().find(|(n, p, _)| {
            crate::products::match_name(n, p.as_deref()).is_some_and(|sp| sp.id == t.product_id)
        });
        let svc = services
            .iter()
            .find(|(n, _, _)| t.services.iter().any(|p| n.starts_with(p)));
        let running = procs.iter().any(|p| t.processes.contains(&p.as_str()))
            || svc.is_some_and(|(_, st, _)| st.eq_ignore_ascii_case("Running"))
            || listening.iter().any(|l| {
                l.process
                    .as_deref()
                    .is_some_and(|p| t.processes.contains(&p.to_ascii_lowercase().as_str()))
            });
        if entry.is_none() && svc.is_none() && !running {
            continue;
        }
        let mut evidence = Vec::new();
        if let Some((n, _, _)) = entry {
            evidence.push(format!("uninstall entry {n}"));
        }
        if let Some((n, st, mode)) = svc {
            evidence.push(format!("service {n} ({st}, start {mode})"));
        }
        out.push(RemoteTool {
            name: t.name.into(),
            installed: entry.is_some() || svc.is_some(),
            running: Some(running),
            starts_unattended: Some(svc.is_some_and(|(_, _, m)| m.eq_ignore_ascii_case("Auto"))),
            version: entry.and_then(|(_, _, v)| v.clone()),
            evidence: if evidence.is_empty() {
                "running process".into()
            } else {
                evidence.join("; ")
            },
        });
    }
    f.put(
        keys::REMOTE_TOOLS,
        FactValue::RemoteTools(out),
        Confidence::High,
        vec![
            hklm("SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall"),
            cim("Win32_Service"),
            cmdlet("Get-Process"),
        ],
    );
}

/// `remote.*` and `shares.*` facts.
pub fn collect(s: &Sections, build: Option<u32>, listening: &[ListeningService], f: &mut Facts) {
    rdp(s, f);
    smb1(s, build, f);
    shares(s, f);
    tools(s, listening, f);
    // The optional OpenSSH server of Windows runs as the service "sshd".
    let sshd = s
        .get("services")
        .map(|v| {
            many(v)
                .into_iter()
                .any(|e| text(e, "Name").is_some_and(|n| n.eq_ignore_ascii_case("sshd")))
        })
        .unwrap_or(false);
    f.put(
        keys::REMOTE_SSH_INSTALLED,
        FactValue::Bool(sshd),
        Confidence::High,
        vec![cim("Win32_Service")],
    );
    f.unknown(
        keys::REMOTE_SSH_PASSWORD_AUTHENTICATION,
        if sshd {
            UnknownReason::NotCollected
        } else {
            UnknownReason::NotApplicable
        },
        if sshd {
            praxcheck_model::UnknownSaid::SshConfigNotRead
        } else {
            praxcheck_model::UnknownSaid::NoSshServer
        },
        if sshd {
            "Windows OpenSSH server: %ProgramData%\\ssh\\sshd_config is not read"
        } else {
            "no OpenSSH server installed"
        },
        Vec::new(),
    );
}
