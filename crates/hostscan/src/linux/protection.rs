//! Protection: anti-malware (ClamAV and others) with signature age, screen lock, automatic
//! login, disk encryption (LUKS through device-mapper), accounts without password and
//! members of the administrator groups.

use crate::keys;
use std::collections::BTreeSet;

use praxcheck_model::{Account, AntimalwareProduct, Confidence, FactValue, UnknownReason, Volume};
use time::OffsetDateTime;

use super::Ctx;
use crate::facts::{self, Facts, file};

/// The build time of a ClamAV database from its 512-byte header
/// (`ClamAV-VDB:<date>:<version>:<sigs>:<level>:<md5>:<dsig>:<builder>:<build time>`): the
/// last field is the build time in seconds since 1970.
#[must_use]
pub fn clamav_build_time(header: &[u8]) -> Option<OffsetDateTime> {
    let h = String::from_utf8_lossy(header.get(..512.min(header.len()))?);
    let h = h.trim_end_matches(['\0', ' ']);
    if !h.starts_with("ClamAV-VDB:") {
        return None;
    }
    let secs: i64 = h.rsplit(':').next()?.trim().parse().ok()?;
    OffsetDateTime::from_unix_timestamp(secs).ok()
}

fn antimalware(ctx: &Ctx<'_>, f: &mut Facts) {
    let mut products = Vec::new();
    let clam = ["/usr/bin/clamscan", "/usr/sbin/clamd", "/usr/bin/freshclam"]
        .iter()
        .any(|p| ctx.fs.exists(p));
    if clam {
        let mut newest: Option<(OffsetDateTime, String)> = None;
        for db in ["daily.cld", "daily.cvd", "main.cld", "main.cvd"] {
            let p = format!("/var/lib/clamav/{db}");
            let t = ctx
                .fs
                .read(&p, 512)
                .ok()
                .and_then(|h| clamav_build_time(&h))
                .or_else(|| ctx.fs.mtime(&p));
            if let Some(t) = t
                && newest.as_ref().is_none_or(|(n, _)| t > *n)
            {
                newest = Some((t, p));
            }
        }
        let realtime = ctx.base.running("clamonacc");
        products.push(AntimalwareProduct {
            name: "ClamAV".into(),
            enabled: Some(ctx.base.running("clamd") || ctx.base.running("freshclam")),
            realtime: Some(realtime),
            signatures_up_to_date: None,
            signatures_updated: newest.as_ref().map(|(t, _)| facts::rfc3339(*t)),
            signature_age_days: newest
                .as_ref()
                .map(|(t, _)| facts::days_between(*t, ctx.now)),
            evidence: newest.map_or_else(
                || "/usr/bin/clamscan (no signature database in /var/lib/clamav)".to_owned(),
                |(_, p)| format!("{p} header"),
            ),
        });
    }
    for (name, path, procs) in [
        (
            "Microsoft Defender for Endpoint",
            "/opt/microsoft/mdatp",
            &["wdavdaemon"][..],
        ),
        (
            "Sophos Protection for Linux",
            "/opt/sophos-spl",
            &["sophos_threat_d", "sophos_managem"][..],
        ),
        (
            "ESET Server Security",
            "/opt/eset",
            &["oaeventd", "startd"][..],
        ),
        (
            "CrowdStrike Falcon",
            "/opt/CrowdStrike",
            &["falcon-sensor"][..],
        ),
        (
            "Bitdefender",
            "/opt/bitdefender-security-tools",
            &["bdsec"][..],
        ),
    ] {
        if ctx.fs.is_dir(path) {
            products.push(AntimalwareProduct {
                name: name.into(),
                enabled: Some(procs.iter().any(|p| ctx.base.running(p))),
                realtime: None,
                signatures_up_to_date: None,
                signatures_updated: None,
                signature_age_days: None,
                evidence: path.to_owned(),
            });
        }
    }
    let src = vec![
        file("/usr/bin/clamscan"),
        file("/var/lib/clamav"),
        file("/opt"),
    ];
    f.put(
        keys::ANTIMALWARE_PRESENT,
        FactValue::Bool(!products.is_empty()),
        Confidence::High,
        src.clone(),
    );
    if let Some(age) = products.iter().filter_map(|p| p.signature_age_days).min() {
        f.put(
            keys::ANTIMALWARE_SIGNATURE_AGE_DAYS,
            FactValue::Int(age),
            Confidence::High,
            vec![file("/var/lib/clamav/daily.cvd")],
        );
    } else if !products.is_empty() {
        f.unknown(
            keys::ANTIMALWARE_SIGNATURE_AGE_DAYS,
            UnknownReason::Unreadable,
            praxcheck_model::UnknownSaid::NoSignatureDate,
            "no signature database date found",
            src.clone(),
        );
    }
    if products.iter().any(|p| p.realtime == Some(true)) {
        f.put(
            keys::ANTIMALWARE_REALTIME,
            FactValue::Bool(true),
            Confidence::High,
            src.clone(),
        );
    } else if !products.is_empty() && products.iter().all(|p| p.realtime == Some(false)) {
        f.put(
            keys::ANTIMALWARE_REALTIME,
            FactValue::Bool(false),
            Confidence::High,
            src.clone(),
        );
    }
    f.put(
        keys::ANTIMALWARE_PRODUCTS,
        FactValue::Antimalware(products),
        Confidence::High,
        src,
    );
}

/// Reads GNOME's system-wide dconf defaults (`/etc/dconf/db/*.d/*`): (idle-delay seconds,
/// lock-enabled, file).
fn gnome_dconf(ctx: &Ctx<'_>) -> (Option<i64>, Option<bool>, Vec<String>) {
    let mut idle = None;
    let mut lock = None;
    let mut files = Vec::new();
    for db in ctx.fs.list("/etc/dconf/db") {
        if !db.ends_with(".d") {
            continue;
        }
        for name in ctx.fs.list(&format!("/etc/dconf/db/{db}")) {
            let p = format!("/etc/dconf/db/{db}/{name}");
            let Ok(t) = ctx.fs.text(&p) else { continue };
            let mut section = String::new();
            for l in t.lines() {
                let l = l.trim();
                if let Some(s) = l.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
                    section = s.to_owned();
                } else if let Some((k, v)) = l.split_once('=') {
                    let (k, v) = (k.trim(), v.trim());
                    if section == "org/gnome/desktop/session" && k == "idle-delay" {
                        idle = v.trim_start_matches("uint32").trim().parse().ok();
                        files.push(p.clone());
                    } else if section == "org/gnome/desktop/screensaver" && k == "lock-enabled" {
                        lock = Some(v == "true");
                        files.push(p.clone());
                    }
                }
            }
        }
    }
    (idle, lock, files)
}

fn screenlock(ctx: &Ctx<'_>, f: &mut Facts) {
    let desktops: Vec<(&str, &str)> = [
        ("GNOME", "/usr/bin/gnome-session"),
        ("KDE Plasma", "/usr/bin/startplasma-x11"),
        ("Xfce", "/usr/bin/xfce4-session"),
        ("Cinnamon", "/usr/bin/cinnamon-session"),
        ("MATE", "/usr/bin/mate-session"),
    ]
    .into_iter()
    .filter(|(_, p)| ctx.fs.exists(p))
    .collect();
    let dms = [
        "/usr/sbin/gdm3",
        "/usr/sbin/gdm",
        "/usr/sbin/lightdm",
        "/usr/bin/sddm",
    ];
    if desktops.is_empty() && !dms.iter().any(|p| ctx.fs.exists(p)) {
        for k in [keys::SCREENLOCK_ENABLED, keys::SCREENLOCK_TIMEOUT_SECONDS] {
            f.unknown(
                k,
                UnknownReason::NotApplicable,
                praxcheck_model::UnknownSaid::NoDesktop,
                "no graphical desktop installed",
                vec![file("/usr/bin/gnome-session"), file("/usr/sbin/lightdm")],
            );
        }
        return;
    }
    if desktops.iter().any(|(n, _)| *n == "GNOME") {
        let (idle, lock, files) = gnome_dconf(ctx);
        let mut src: Vec<_> = files.iter().map(|p| file(p)).collect();
        src.push(file("/etc/dconf/db"));
        let idle_v = idle.unwrap_or(300);
        let lock_v = lock.unwrap_or(true);
        let note = format!(
            "GNOME system defaults: idle-delay {} ({}), lock-enabled {} ({}); users can change their own setting",
            idle_v,
            if idle.is_some() {
                "set"
            } else {
                "GNOME default"
            },
            lock_v,
            if lock.is_some() {
                "set"
            } else {
                "GNOME default"
            }
        );
        f.put_noted(
            keys::SCREENLOCK_ENABLED,
            FactValue::Bool(lock_v && idle_v > 0),
            Confidence::Medium,
            src.clone(),
            note.clone(),
        );
        f.put_noted(
            keys::SCREENLOCK_TIMEOUT_SECONDS,
            FactValue::Int(idle_v),
            Confidence::Medium,
            src,
            note,
        );
    } else {
        for k in [keys::SCREENLOCK_ENABLED, keys::SCREENLOCK_TIMEOUT_SECONDS] {
            f.unknown(
                k,
                UnknownReason::Unreadable,
                praxcheck_model::UnknownSaid::ScreenLockPerUser {
                    desktop: desktops.first().map_or("desktop", |(n, _)| n).to_owned(),
                },
                format!(
                    "{}: the screen lock is a per-user setting of the desktop, not read",
                    desktops.first().map_or("desktop", |(n, _)| n)
                ),
                Vec::new(),
            );
        }
    }
}

fn ini_value(text: &str, section: Option<&str>, key: &str) -> Option<String> {
    let mut current = String::new();
    let mut found = None;
    for l in text.lines() {
        let l = l.trim();
        if l.starts_with('#') || l.starts_with(';') {
            continue;
        }
        if let Some(s) = l.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
            current = s.to_owned();
            continue;
        }
        if let Some((k, v)) = l.split_once('=')
            && k.trim().eq_ignore_ascii_case(key)
            && section.is_none_or(|s| current.eq_ignore_ascii_case(s))
        {
            found = Some(v.trim().to_owned());
        }
    }
    found.filter(|v| !v.is_empty())
}

fn autologon(ctx: &Ctx<'_>, f: &mut Facts) {
    let mut found: Option<(String, String)> = None;
    let mut checked = Vec::new();
    for p in [
        "/etc/gdm3/custom.conf",
        "/etc/gdm3/daemon.conf",
        "/etc/gdm/custom.conf",
    ] {
        if let Ok(t) = ctx.fs.text(p) {
            checked.push(p.to_owned());
            let on = ini_value(&t, Some("daemon"), "AutomaticLoginEnable")
                .is_some_and(|v| v.eq_ignore_ascii_case("true"));
            if on && let Some(u) = ini_value(&t, Some("daemon"), "AutomaticLogin") {
                found = Some((u, p.to_owned()));
            }
        }
    }
    let mut lightdm = vec!["/etc/lightdm/lightdm.conf".to_owned()];
    lightdm.extend(
        ctx.fs
            .files_with_suffix("/etc/lightdm/lightdm.conf.d", ".conf"),
    );
    lightdm.extend(
        ctx.fs
            .files_with_suffix("/usr/share/lightdm/lightdm.conf.d", ".conf"),
    );
    for p in &lightdm {
        if let Ok(t) = ctx.fs.text(p) {
            checked.push(p.clone());
            if let Some(u) = ini_value(&t, None, "autologin-user") {
                found = Some((u, p.clone()));
            }
        }
    }
    let mut sddm = vec!["/etc/sddm.conf".to_owned()];
    sddm.extend(ctx.fs.files_with_suffix("/etc/sddm.conf.d", ".conf"));
    for p in &sddm {
        if let Ok(t) = ctx.fs.text(p) {
            checked.push(p.clone());
            if let Some(u) = ini_value(&t, Some("Autologin"), "User") {
                found = Some((u, p.clone()));
            }
        }
    }
    for d in [
        "/etc/systemd/system/getty@tty1.service.d",
        "/etc/systemd/system/getty@.service.d",
    ] {
        for p in ctx.fs.files_with_suffix(d, ".conf") {
            if let Ok(t) = ctx.fs.text(&p) {
                checked.push(p.clone());
                for l in t
                    .lines()
                    .filter(|l| l.trim_start().starts_with("ExecStart="))
                {
                    let toks: Vec<&str> = l.split_whitespace().collect();
                    if let Some(i) = toks.iter().position(|t| *t == "--autologin" || *t == "-a")
                        && let Some(u) = toks.get(i + 1)
                    {
                        found = Some(((*u).to_owned(), p.clone()));
                    }
                }
            }
        }
    }
    let mut src: Vec<_> = checked.iter().map(|p| file(p)).collect();
    if src.is_empty() {
        src.push(file("/etc/gdm3/custom.conf"));
    }
    match found {
        Some((user, at)) => {
            f.put_noted(
                keys::LOGON_AUTOLOGON,
                FactValue::Bool(true),
                Confidence::High,
                src.clone(),
                format!("automatic login set in {at}"),
            );
            f.put(
                keys::LOGON_AUTOLOGON_USER,
                FactValue::Text(user),
                Confidence::High,
                src,
            );
        }
        None => {
            f.put(
                keys::LOGON_AUTOLOGON,
                FactValue::Bool(false),
                Confidence::High,
                src,
            );
        }
    }
    f.unknown(
        keys::LOGON_AUTOLOGON_PASSWORD_STORED,
        UnknownReason::NotApplicable,
        praxcheck_model::UnknownSaid::NoAutologinPassword,
        "automatic login on Linux stores no password",
        Vec::new(),
    );
}

/// Whether the block device `major:minor` is (or sits on) a dm-crypt mapping; returns the
/// method (`luks2`, `plain`) when it is. Follows `slaves/` (LVM on LUKS) a few levels.
#[must_use]
pub fn crypt_of(fs: &crate::fsroot::Fs, dev: &str, depth: usize) -> Option<String> {
    if depth > 4 {
        return None;
    }
    let base = format!("/sys/dev/block/{dev}");
    if let Ok(uuid) = fs.text(&format!("{base}/dm/uuid")) {
        let uuid = uuid.trim();
        if let Some(rest) = uuid.strip_prefix("CRYPT-") {
            let method = rest
                .split('-')
                .next()
                .unwrap_or("dm-crypt")
                .to_ascii_lowercase();
            return Some(method);
        }
    }
    for s in fs.list(&format!("{base}/slaves")) {
        if let Ok(d) = fs.text(&format!("/sys/class/block/{s}/dev"))
            && let Some(m) = crypt_of(fs, d.trim(), depth + 1)
        {
            return Some(m);
        }
    }
    None
}

const DISK_FS: &[&str] = &[
    "ext2", "ext3", "ext4", "xfs", "btrfs", "vfat", "exfat", "ntfs", "ntfs3", "f2fs", "jfs",
    "reiserfs",
];

fn disks(ctx: &Ctx<'_>, f: &mut Facts) {
    let mut vols = Vec::new();
    for m in &ctx.base.mounts {
        // Bind mounts of a folder repeat a filesystem that is listed already.
        if (!DISK_FS.contains(&m.fs_type.as_str()) && m.mount_point != "/") || m.bind {
            continue;
        }
        let known = ctx.fs.exists(&format!("/sys/dev/block/{}", m.dev));
        let method = crypt_of(&ctx.fs, &m.dev, 0);
        vols.push(Volume {
            mount_point: m.mount_point.clone(),
            device: m.source.clone(),
            system: m.mount_point == "/",
            encrypted: if method.is_some() {
                Some(true)
            } else if known {
                Some(false)
            } else {
                None
            },
            method,
        });
    }
    vols.sort();
    vols.dedup_by(|a, b| a.mount_point == b.mount_point);
    let src = vec![
        file("/proc/self/mountinfo"),
        file("/sys/dev/block/*/dm/uuid"),
    ];
    match vols.iter().find(|v| v.system) {
        Some(v) => match v.encrypted {
            Some(e) => f.put_noted(
                keys::DISK_SYSTEM_ENCRYPTED,
                FactValue::Bool(e),
                Confidence::High,
                src.clone(),
                format!(
                    "/ on {} ({})",
                    v.device,
                    v.method.as_deref().unwrap_or("no dm-crypt mapping")
                ),
            ),
            None => f.unknown(
                keys::DISK_SYSTEM_ENCRYPTED,
                UnknownReason::NotApplicable,
                praxcheck_model::UnknownSaid::RootNotOnBlockDevice {
                    device: v.device.clone(),
                },
                format!(
                    "/ is on {} (no block device, e.g. a container or network root)",
                    v.device
                ),
                src.clone(),
            ),
        },
        None => f.unknown(
            keys::DISK_SYSTEM_ENCRYPTED,
            UnknownReason::Unreadable,
            praxcheck_model::UnknownSaid::RootNotMounted,
            "the root filesystem was not found in /proc/self/mountinfo",
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

fn accounts(ctx: &Ctx<'_>, f: &mut Facts) {
    let passwd = ctx.fs.text("/etc/passwd").unwrap_or_default();
    let users: Vec<Vec<&str>> = passwd
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split(':').collect::<Vec<_>>())
        .filter(|f| f.len() >= 7)
        .collect();
    // Accounts without a password.
    let mut empty: BTreeSet<String> = users
        .iter()
        .filter(|u| u[1].is_empty())
        .map(|u| u[0].to_owned())
        .collect();
    match ctx.fs.text("/etc/shadow") {
        Ok(shadow) => {
            for l in shadow.lines() {
                let fs: Vec<&str> = l.split(':').collect();
                if fs.len() >= 2 && fs[1].is_empty() && !fs[0].is_empty() {
                    empty.insert(fs[0].to_owned());
                }
            }
            f.put_noted(
                keys::ACCOUNTS_EMPTY_PASSWORD,
                FactValue::List(empty.into_iter().collect()),
                Confidence::High,
                vec![file("/etc/shadow"), file("/etc/passwd")],
                "accounts whose password field is empty (login without a password); locked accounts (! or *) are not listed",
            );
        }
        Err(e) => f.unknown_why(
            keys::ACCOUNTS_EMPTY_PASSWORD,
            e.why("/etc/shadow"),
            vec![file("/etc/shadow")],
        ),
    }
    // Administrators: uid 0, the sudo/wheel/admin groups, sudoers entries.
    let mut admins: Vec<Account> = users
        .iter()
        .filter(|u| u[2] == "0")
        .map(|u| Account {
            name: u[0].to_owned(),
            sid: None,
            uid: u[2].parse().ok(),
            origin: "local".into(),
            enabled: None,
            via: Some("uid 0".into()),
        })
        .collect();
    let group = ctx.fs.text("/etc/group").unwrap_or_default();
    for l in group.lines() {
        let g: Vec<&str> = l.split(':').collect();
        if g.len() < 4 || !["sudo", "wheel", "admin"].contains(&g[0]) {
            continue;
        }
        let mut members: BTreeSet<&str> = g[3].split(',').filter(|m| !m.is_empty()).collect();
        for u in &users {
            if u[3] == g[2] {
                members.insert(u[0]);
            }
        }
        for m in members {
            if !admins.iter().any(|a| a.name == m) {
                admins.push(Account {
                    name: m.to_owned(),
                    sid: None,
                    uid: users
                        .iter()
                        .find(|u| u[0] == m)
                        .and_then(|u| u[2].parse().ok()),
                    origin: "local".into(),
                    enabled: None,
                    via: Some(format!("group {}", g[0])),
                });
            }
        }
    }
    let mut sudoers_files = vec!["/etc/sudoers".to_owned()];
    sudoers_files.extend(
        ctx.fs
            .list("/etc/sudoers.d")
            .into_iter()
            .filter(|n| !n.contains('.') && !n.ends_with('~'))
            .map(|n| format!("/etc/sudoers.d/{n}")),
    );
    let mut sudoers_denied = false;
    for p in &sudoers_files {
        match ctx.fs.text(p) {
            Ok(t) => {
                for l in t.lines() {
                    let l = l.trim();
                    if l.is_empty()
                        || l.starts_with('#')
                        || l.starts_with("Defaults")
                        || l.starts_with('%')
                    {
                        continue;
                    }
                    // "user HOSTS=(RUNAS) [TAGS:] COMMANDS": an administrator when the
                    // commands are ALL.
                    let mut it = l.split_whitespace();
                    let (Some(who), Some(spec)) = (it.next(), it.next()) else {
                        continue;
                    };
                    let all_commands = l.rsplit([' ', ':', ')']).next() == Some("ALL");
                    if spec.contains('=')
                        && all_commands
                        && who
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
                        && !admins.iter().any(|a| a.name == who)
                    {
                        admins.push(Account {
                            name: who.to_owned(),
                            sid: None,
                            uid: users
                                .iter()
                                .find(|u| u[0] == who)
                                .and_then(|u| u[2].parse().ok()),
                            origin: "local".into(),
                            enabled: None,
                            via: Some(format!("sudoers {p}")),
                        });
                    }
                }
            }
            Err(crate::fsroot::ReadError::Denied(_)) => sudoers_denied = true,
            Err(_) => {}
        }
    }
    admins.sort();
    f.put_noted(
        keys::ACCOUNTS_ADMINS,
        FactValue::Accounts(admins),
        if sudoers_denied { Confidence::Medium } else { Confidence::High },
        vec![file("/etc/passwd"), file("/etc/group"), file("/etc/sudoers")],
        if sudoers_denied {
            "uid 0 and the groups sudo, wheel, admin; /etc/sudoers is readable only by root and was not read"
        } else {
            "uid 0, the groups sudo, wheel, admin, and users named in sudoers with ALL"
        },
    );
}

/// `antimalware.*`, `screenlock.*`, `logon.*`, `disk.*`, `accounts.*` facts.
pub fn collect(ctx: &Ctx<'_>, f: &mut Facts) {
    antimalware(ctx, f);
    screenlock(ctx, f);
    autologon(ctx, f);
    disks(ctx, f);
    accounts(ctx, f);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamav_header() {
        let mut h =
            b"ClamAV-VDB:16 Nov 2023 09:25 +0000:27095:2046519:90:8a3e1b4c:sig:raynman:1700126713"
                .to_vec();
        h.resize(512, b' ');
        let t = clamav_build_time(&h).unwrap();
        assert_eq!(crate::facts::rfc3339(t), "2023-11-16T09:25:13Z");
        assert!(clamav_build_time(b"PK\x03\x04").is_none());
    }

    #[test]
    fn ini_lookup() {
        let t = "[daemon]\nAutomaticLoginEnable=True\nAutomaticLogin=empfang\n[security]\n#AutomaticLogin=x\n";
        assert_eq!(
            ini_value(t, Some("daemon"), "AutomaticLogin").as_deref(),
            Some("empfang")
        );
        assert_eq!(ini_value(t, Some("security"), "AutomaticLogin"), None);
    }
}
