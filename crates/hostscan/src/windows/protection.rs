//! Protection on Windows: anti-malware (`Get-MpComputerStatus`, Security Center's
//! `AntiVirusProduct`), screen lock (machine inactivity limit and the user's secure screen
//! saver, policies first), automatic logon with a stored password (`Winlogon`), BitLocker
//! (`Get-BitLockerVolume`), local accounts that need no password (`Get-LocalUser`) and the
//! members of the administrators group, found by its SID S-1-5-32-544 (the name is
//! localised: "Administratoren").

use praxcheck_model::{Account, AntimalwareProduct, Confidence, FactValue, UnknownReason, Volume};
use time::OffsetDateTime;

use super::system::Context;
use super::{Sections, hklm, unknown_all};
use crate::facts::{self, Facts, cim, cmdlet};
use crate::keys;
use crate::pwsh::{boolean, date, enum_name, int, many, sid, text};

/// The well-known SID of the local administrators group.
pub const ADMINISTRATORS_SID: &str = "S-1-5-32-544";

/// Security Center's `productState` (not documented by Microsoft; the layout every
/// inventory tool uses): bits 12–15 = 1 when the scanner is on, bits 4–7 = 0 when the
/// signatures are up to date.
#[must_use]
pub fn product_state(state: i64) -> (bool, bool) {
    let enabled = (state >> 12) & 0xF == 1;
    let up_to_date = (state >> 4) & 0xF == 0;
    (enabled, up_to_date)
}

fn antimalware(s: &Sections, now: OffsetDateTime, f: &mut Facts) {
    let mut products = Vec::new();
    let mut srcs = Vec::new();
    let defender = s
        .get("defender")
        .ok()
        .and_then(|v| many(v).into_iter().next());
    if let Some(d) = defender {
        srcs.push(cmdlet("Get-MpComputerStatus"));
        let updated = date(d, "AntivirusSignatureLastUpdated");
        // Defender in passive mode (another product is active) scans nothing itself.
        let mode = text(d, "AMRunningMode").unwrap_or_default();
        products.push(AntimalwareProduct {
            name: "Microsoft Defender Antivirus".into(),
            enabled: Some(
                boolean(d, "AntivirusEnabled").unwrap_or(false)
                    && boolean(d, "AMServiceEnabled").unwrap_or(false)
                    && !mode.eq_ignore_ascii_case("Passive Mode"),
            ),
            realtime: boolean(d, "RealTimeProtectionEnabled"),
            signatures_up_to_date: None,
            signatures_updated: updated.map(facts::rfc3339),
            signature_age_days: updated
                .map(|t| facts::days_between(t, now))
                .or_else(|| int(d, "AntivirusSignatureAge")),
            evidence: format!(
                "Get-MpComputerStatus (signatures {}{})",
                text(d, "AntivirusSignatureVersion").unwrap_or_default(),
                if mode.is_empty() {
                    String::new()
                } else {
                    format!(", {mode}")
                }
            ),
        });
    }
    if defender.is_none()
        && let Ok(d) = s.get("defender_registry")
        && boolean(d, "ServicePresent") == Some(true)
    {
        // Without Get-MpComputerStatus: Defender's registry switches. Set to 1 by a policy
        // or the user they turn it off; a disabled service (start type 4) scans nothing.
        srcs.push(hklm("SOFTWARE\\Microsoft\\Windows Defender"));
        let on = |k: &str| int(d, k) == Some(1);
        let updated = date(d, "SignaturesLastUpdated");
        products.push(AntimalwareProduct {
            name: "Microsoft Defender Antivirus".into(),
            enabled: Some(
                !(on("DisableAntiSpyware")
                    || on("DisableAntiVirus")
                    || on("PolicyDisableAntiSpyware")
                    || on("PassiveMode")
                    || int(d, "ServiceStart") == Some(4)),
            ),
            realtime: Some(
                !(on("DisableRealtimeMonitoring") || on("PolicyDisableRealtimeMonitoring")),
            ),
            signatures_up_to_date: None,
            signatures_updated: updated.map(facts::rfc3339),
            signature_age_days: updated.map(|t| facts::days_between(t, now)),
            evidence: format!(
                "registry (signatures {})",
                text(d, "AVSignatureVersion").unwrap_or_default()
            ),
        });
    }
    match s.get("security_center") {
        Ok(v) => {
            srcs.push(cim("root/SecurityCenter2:AntiVirusProduct"));
            for p in many(v) {
                let Some(name) = text(p, "displayName") else {
                    continue;
                };
                let state = int(p, "productState");
                let (enabled, fresh) = state.map_or((None, None), |st| {
                    let (e, u) = product_state(st);
                    (Some(e), Some(u))
                });
                let ts = date(p, "timestamp");
                // Defender appears in both sources; keep one entry and add the state.
                if let Some(existing) = products
                    .iter_mut()
                    .find(|x| name.contains("Defender") && x.name.contains("Defender"))
                {
                    existing.signatures_up_to_date = fresh;
                    continue;
                }
                products.push(AntimalwareProduct {
                    name,
                    enabled,
                    realtime: None,
                    signatures_up_to_date: fresh,
                    signatures_updated: ts.map(facts::rfc3339),
                    signature_age_days: None,
                    evidence: format!("Security Center productState 0x{:06X}", state.unwrap_or(0)),
                });
            }
        }
        Err(why) if why.reason == UnknownReason::ToolMissing => {
            // Windows Server has no Security Center.
        }
        Err(_) => {}
    }
    if products.is_empty()
        && let Err(why) = s.get("defender")
        && why.reason != UnknownReason::ToolMissing
    {
        // Defender could not be asked; absence of a product is not known.
        unknown_all(
            f,
            &[keys::ANTIMALWARE_PRESENT],
            &why,
            &[cmdlet("Get-MpComputerStatus")],
        );
        return;
    }
    f.put(
        keys::ANTIMALWARE_PRESENT,
        FactValue::Bool(products.iter().any(|p| p.enabled != Some(false))),
        Confidence::High,
        srcs.clone(),
    );
    if let Some(age) = products
        .iter()
        .filter(|p| p.enabled != Some(false))
        .filter_map(|p| p.signature_age_days)
        .min()
    {
        f.put(
            keys::ANTIMALWARE_SIGNATURE_AGE_DAYS,
            FactValue::Int(age),
            Confidence::High,
            srcs.clone(),
        );
    }
    if let Some(rt) = products
        .iter()
        .filter_map(|p| p.realtime)
        .reduce(|a, b| a || b)
    {
        f.put(
            keys::ANTIMALWARE_REALTIME,
            FactValue::Bool(rt),
            Confidence::High,
            srcs.clone(),
        );
    }
    f.put(
        keys::ANTIMALWARE_PRODUCTS,
        FactValue::Antimalware(products),
        Confidence::High,
        srcs,
    );
}

fn screenlock(s: &Sections, f: &mut Facts) {
    let src = vec![
        hklm(
            "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\InactivityTimeoutSecs",
        ),
        crate::facts::registry("HKCU\\Control Panel\\Desktop\\ScreenSaveTimeOut"),
        crate::facts::registry(
            "HKCU\\Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop",
        ),
    ];
    let v = match s.get("screenlock") {
        Ok(v) => v,
        Err(why) => {
            unknown_all(
                f,
                &[keys::SCREENLOCK_ENABLED, keys::SCREENLOCK_TIMEOUT_SECONDS],
                &why,
                &src,
            );
            return;
        }
    };
    let machine = int(v, "InactivityTimeoutSecs").filter(|t| *t > 0);
    let pick = |k: &str| int(v, &format!("Policy{k}")).or_else(|| int(v, k));
    let saver = match (
        pick("ScreenSaveActive"),
        pick("ScreenSaverIsSecure"),
        pick("ScreenSaveTimeOut"),
    ) {
        (Some(1), Some(1), Some(t)) if t > 0 => Some(t),
        _ => None,
    };
    let timeout = match (machine, saver) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let note = format!(
        "machine inactivity limit {}; secure screen saver of the user who ran praxcheck {}",
        machine.map_or("not set".to_owned(), |t| format!("{t} s")),
        saver.map_or("off".to_owned(), |t| format!("after {t} s"))
    );
    f.put_noted(
        keys::SCREENLOCK_ENABLED,
        FactValue::Bool(timeout.is_some()),
        Confidence::Medium,
        src.clone(),
        note.clone(),
    );
    match timeout {
        Some(t) => f.put_noted(
            keys::SCREENLOCK_TIMEOUT_SECONDS,
            FactValue::Int(t),
            Confidence::Medium,
            src,
            note,
        ),
        None => f.unknown(
            keys::SCREENLOCK_TIMEOUT_SECONDS,
            UnknownReason::NotConfigured,
            praxcheck_model::UnknownSaid::NoAutomaticLock,
            "no automatic lock configured",
            src,
        ),
    }
}

fn autologon(s: &Sections, f: &mut Facts) {
    let src = vec![hklm(
        "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon",
    )];
    let v = match s.get("autologon") {
        Ok(v) => v,
        Err(why) => {
            unknown_all(
                f,
                &[keys::LOGON_AUTOLOGON, keys::LOGON_AUTOLOGON_PASSWORD_STORED],
                &why,
                &src,
            );
            return;
        }
    };
    let on = int(v, "AutoAdminLogon") == Some(1);
    f.put(
        keys::LOGON_AUTOLOGON,
        FactValue::Bool(on),
        Confidence::High,
        src.clone(),
    );
    if on && let Some(u) = text(v, "DefaultUserName") {
        let user = match text(v, "DefaultDomainName") {
            Some(d) => format!("{d}\\{u}"),
            None => u,
        };
        f.put(
            keys::LOGON_AUTOLOGON_USER,
            FactValue::Text(user),
            Confidence::High,
            src.clone(),
        );
    }
    let stored = boolean(v, "HasDefaultPassword").unwrap_or(false);
    f.put_noted(
        keys::LOGON_AUTOLOGON_PASSWORD_STORED,
        FactValue::Bool(stored),
        if stored || !on { Confidence::High } else { Confidence::Medium },
        src,
        if stored {
            "Winlogon\\DefaultPassword holds a password in plain text (its value was not read)"
        } else if on {
            "no DefaultPassword value; a password may still be kept as an LSA secret, which is not read"
        } else {
            "no DefaultPassword value"
        },
    );
}

/// `VolumeType`: OperatingSystem 0, FixedData 1, Removable 2. `ProtectionStatus`: Off 0,
/// On 1, Unknown 2. `VolumeStatus`: FullyDecrypted 0, FullyEncrypted 1,
/// EncryptionInProgress 2, DecryptionInProgress 3, EncryptionPaused 4, DecryptionPaused 5.
const ENCRYPTION_METHOD: &[(i64, &str)] = &[
    (0, "None"),
    (1, "Aes128Diffuser"),
    (2, "Aes256Diffuser"),
    (3, "Aes128"),
    (4, "Aes256"),
    (5, "Hardware"),
    (6, "XtsAes128"),
    (7, "XtsAes256"),
];

fn bitlocker(s: &Sections, ctx: &Context, f: &mut Facts) {
    let src = vec![cmdlet("Get-BitLockerVolume")];
    let v = match s.get("bitlocker") {
        Ok(v) => v,
        Err(why) => {
            unknown_all(
                f,
                &[keys::DISK_SYSTEM_ENCRYPTED, keys::DISK_VOLUMES],
                &why,
                &src,
            );
            return;
        }
    };
    let mut vols = Vec::new();
    for b in many(v) {
        let mp = text(b, "MountPoint").unwrap_or_default();
        let status = int(b, "VolumeStatus").or_else(|| {
            enum_name(b, "VolumeStatus", &[]).map(|n| match n.as_str() {
                "FullyEncrypted" => 1,
                "EncryptionInProgress" => 2,
                "EncryptionPaused" => 4,
                _ => 0,
            })
        });
        let protection = int(b, "ProtectionStatus")
            .or_else(|| enum_name(b, "ProtectionStatus", &[]).map(|n| i64::from(n == "On")));
        let method = enum_name(b, "EncryptionMethod", ENCRYPTION_METHOD).unwrap_or_default();
        let encrypted = status.map(|st| st == 1 && protection == Some(1));
        vols.push(Volume {
            system: int(b, "VolumeType") == Some(0) || mp.eq_ignore_ascii_case(&ctx.system_drive),
            device: mp.clone(),
            mount_point: mp,
            encrypted,
            method: Some(format!(
                "bitlocker {method}, protection {}",
                match protection {
                    Some(1) => "on",
                    Some(0) => "off (suspended or not protected)",
                    _ => "unknown",
                }
            )),
        });
    }
    vols.sort();
    match vols.iter().find(|v| v.system) {
        Some(v) => match v.encrypted {
            Some(e) => f.put(
                keys::DISK_SYSTEM_ENCRYPTED,
                FactValue::Bool(e),
                Confidence::High,
                src.clone(),
            ),
            None => f.unknown(
                keys::DISK_SYSTEM_ENCRYPTED,
                UnknownReason::ParseError,
                praxcheck_model::UnknownSaid::ValueMissing {
                    value: "VolumeStatus".into(),
                },
                "no VolumeStatus",
                src.clone(),
            ),
        },
        None => f.unknown(
            keys::DISK_SYSTEM_ENCRYPTED,
            UnknownReason::Unreadable,
            praxcheck_model::UnknownSaid::SystemVolumeNotListed,
            "system volume not listed",
            src.clone(),
        ),
    }
    f.put(
        keys::DISK_VOLUMES,
        FactValue::Volumes(vols),
        Confidence::High,
        src,
    );
}

/// `PrincipalSource`: Unknown 0, Local 1, ActiveDirectory 2, AzureAD 3, MicrosoftAccount 4.
const PRINCIPAL_SOURCE: &[(i64, &str)] = &[
    (0, "unknown"),
    (1, "local"),
    (2, "domain"),
    (3, "azure_ad"),
    (4, "microsoft_account"),
];

fn origin(v: &serde_json::Value) -> String {
    match enum_name(v, "PrincipalSource", PRINCIPAL_SOURCE).as_deref() {
        Some("Local") => "local".into(),
        Some("ActiveDirectory") => "domain".into(),
        Some("AzureAD") => "azure_ad".into(),
        Some("MicrosoftAccount") => "microsoft_account".into(),
        Some(o) if PRINCIPAL_SOURCE.iter().any(|(_, n)| *n == o) => o.to_owned(),
        _ => {
            // The CIM fallback has SIDType: 1 user, 2 group, 4 alias, 5 well-known group.
            match int(v, "SIDType") {
                Some(2 | 4 | 5) => "group".into(),
                Some(1) => "local".into(),
                _ => "unknown".into(),
            }
        }
    }
}

fn accounts(s: &Sections, ctx: &Context, f: &mut Facts) {
    let usrc = vec![cmdlet("Get-LocalUser")];
    match s.get("users") {
        Ok(v) => {
            let no_pw: Vec<String> = many(v)
                .into_iter()
                .filter(|u| {
                    boolean(u, "Enabled") == Some(true)
                        && boolean(u, "PasswordRequired") == Some(false)
                })
                .filter_map(|u| text(u, "Name"))
                .collect();
            f.put_noted(
                keys::ACCOUNTS_PASSWORD_NOT_REQUIRED,
                FactValue::List(no_pw),
                Confidence::High,
                usrc,
                "enabled local accounts with PasswordRequired = False (they may have an empty password)",
            );
        }
        Err(why) => f.unknown_why(keys::ACCOUNTS_PASSWORD_NOT_REQUIRED, why, usrc),
    }
    let asrc = vec![
        cmdlet("Get-LocalGroupMember -SID S-1-5-32-544"),
        cim("Win32_GroupUser"),
    ];
    match s.get("admins") {
        Ok(v) => {
            let mut admins: Vec<Account> = many(v)
                .into_iter()
                .filter_map(|m| {
                    let name = match (text(m, "Domain"), text(m, "Name")) {
                        (Some(d), Some(n)) if !n.contains('\\') => format!("{d}\\{n}"),
                        (_, n) => n?,
                    };
                    let sid = sid(m, "SID");
                    let mut origin = origin(m);
                    // Groups by SID pattern (ObjectClass is localised: "Gruppe").
                    if sid.as_deref().is_some_and(|s| {
                        s.ends_with("-512") || s.ends_with("-519") || s.starts_with("S-1-5-32-")
                    }) {
                        origin = "group".into();
                    }
                    Some(Account {
                        name,
                        sid,
                        uid: None,
                        origin,
                        enabled: None,
                        via: Some(ADMINISTRATORS_SID.into()),
                    })
                })
                .collect();
            admins.sort();
            let me = ctx
                .user_sid
                .as_deref()
                .is_some_and(|u| admins.iter().any(|a| a.sid.as_deref() == Some(u)))
                || ctx.group_sids.iter().any(|g| g == ADMINISTRATORS_SID);
            f.put_noted(
                keys::ACCOUNTS_ADMINS,
                FactValue::Accounts(admins),
                Confidence::High,
                asrc.clone(),
                "members of the group with SID S-1-5-32-544 (its name is localised)",
            );
            f.put(
                keys::ACCOUNTS_CURRENT_USER_IS_ADMIN,
                FactValue::Bool(me),
                Confidence::High,
                vec![cmdlet("[Security.Principal.WindowsIdentity]::GetCurrent()")],
            );
        }
        Err(why) => f.unknown_why(keys::ACCOUNTS_ADMINS, why, asrc),
    }
}

/// `antimalware.*`, `screenlock.*`, `logon.*`, `disk.*`, `accounts.*` facts.
pub fn collect(s: &Sections, now: OffsetDateTime, ctx: &Context, f: &mut Facts) {
    antimalware(s, now, f);
    screenlock(s, f);
    autologon(s, f);
    bitlocker(s, ctx, f);
    accounts(s, ctx, f);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_center_states() {
        // Values seen for Defender: on and current, off, on but outdated.
        assert_eq!(product_state(397_568), (true, true));
        assert_eq!(product_state(393_472), (false, true));
        assert_eq!(product_state(397_584), (true, false));
        assert_eq!(product_state(266_240), (true, true));
    }
}
