//! Remote access: SSH (password and root login), RDP (xrdp), remote-maintenance tools
//! (TeamViewer, AnyDesk, RustDesk, VNC, …) and whether they start unattended; SMB1 and file
//! shares open to everyone (Samba, NFS).

use crate::keys;
use std::collections::BTreeMap;

use praxcheck_model::{
    Confidence, FactSource, FactValue, ListeningService, RemoteTool, Share, UnknownReason,
};

use super::Ctx;
use crate::facts::{Facts, command, file};

/// The effective sshd settings: keyword (lower case) → (value, where).
pub type SshSettings = BTreeMap<String, (String, String)>;

/// Reads `sshd_config` with its `Include`s. The first value of a keyword wins (as in
/// sshd); lines in `Match` blocks are skipped and reported.
#[must_use]
pub fn read_sshd_config(fs: &crate::fsroot::Fs, path: &str) -> (SshSettings, Vec<String>, bool) {
    let mut settings = SshSettings::new();
    let mut files = Vec::new();
    let mut has_match = false;
    read_sshd_file(fs, path, &mut settings, &mut files, &mut has_match, 0);
    (settings, files, has_match)
}

fn glob_files(fs: &crate::fsroot::Fs, pattern: &str) -> Vec<String> {
    let pattern = if pattern.starts_with('/') {
        pattern.to_owned()
    } else {
        format!("/etc/ssh/{pattern}")
    };
    let Some((dir, name)) = pattern.rsplit_once('/') else {
        return Vec::new();
    };
    if !name.contains('*') {
        return vec![pattern.clone()];
    }
    let (pre, suf) = name.split_once('*').unwrap_or((name, ""));
    // In name order, as sshd's glob(3) gives them.
    let mut out: Vec<String> = fs
        .list(dir)
        .into_iter()
        .filter(|n| n.starts_with(pre) && n.ends_with(suf) && n.len() >= pre.len() + suf.len())
        .map(|n| format!("{dir}/{n}"))
        .collect();
    out.sort();
    out
}

fn read_sshd_file(
    fs: &crate::fsroot::Fs,
    path: &str,
    settings: &mut SshSettings,
    files: &mut Vec<String>,
    has_match: &mut bool,
    depth: usize,
) {
    // A file already read adds nothing (the first value of a setting wins) but, included
    // from several files that include each other, would be read again at every level.
    if depth > 8 || files.iter().any(|f| f == path) {
        return;
    }
    let Ok(text) = fs.text(path) else { return };
    files.push(path.to_owned());
    let mut in_match = false;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = match line.split_once(|c: char| c.is_whitespace() || c == '=') {
            Some((k, v)) => (
                k.to_ascii_lowercase(),
                v.trim().trim_start_matches('=').trim(),
            ),
            None => continue,
        };
        if k == "match" {
            in_match = true;
            *has_match = true;
            continue;
        }
        if in_match {
            continue;
        }
        if k == "include" {
            for pat in v.split_whitespace() {
                for f in glob_files(fs, pat) {
                    read_sshd_file(fs, &f, settings, files, has_match, depth + 1);
                }
            }
            continue;
        }
        let v = v.trim_matches('"').to_owned();
        if k == "port" {
            // Several Port lines all apply.
            let e = settings
                .entry(k)
                .or_insert_with(|| (String::new(), format!("{path}:{}", i + 1)));
            if !e.0.is_empty() {
                e.0.push(' ');
            }
            e.0.push_str(&v);
        } else {
            settings
                .entry(k)
                .or_insert_with(|| (v, format!("{path}:{}", i + 1)));
        }
    }
}

/// Parses `sshd -T` (the running configuration, `keyword value` per line, lower case).
#[must_use]
pub fn parse_sshd_t(text: &str) -> SshSettings {
    let mut s = SshSettings::new();
    for l in text.lines() {
        if let Some((k, v)) = l.trim().split_once(' ') {
            let k = k.to_ascii_lowercase();
            if k == "port" {
                let e = s
                    .entry(k)
                    .or_insert_with(|| (String::new(), "sshd -T".to_owned()));
                if !e.0.is_empty() {
                    e.0.push(' ');
                }
                e.0.push_str(v.trim());
            } else {
                s.insert(k, (v.trim().to_owned(), "sshd -T".to_owned()));
            }
        }
    }
    s
}

fn yes(v: &str) -> bool {
    v.eq_ignore_ascii_case("yes")
}

fn ssh(ctx: &Ctx<'_>, listening: &[ListeningService], f: &mut Facts) {
    let installed = ctx.fs.exists("/usr/sbin/sshd") || ctx.base.package("openssh-server").is_some();
    f.put(
        keys::REMOTE_SSH_INSTALLED,
        FactValue::Bool(installed),
        Confidence::High,
        vec![file("/usr/sbin/sshd")],
    );
    if !installed {
        for k in [
            keys::REMOTE_SSH_PASSWORD_AUTHENTICATION,
            keys::REMOTE_SSH_PERMIT_ROOT_LOGIN,
        ] {
            f.unknown(
                k,
                UnknownReason::NotApplicable,
                praxcheck_model::UnknownSaid::NoSshServer,
                "no OpenSSH server installed",
                vec![file("/usr/sbin/sshd")],
            );
        }
        return;
    }
    // The running configuration when root can ask sshd; the files otherwise.
    let mut settings = None;
    let mut confidence = Confidence::Medium;
    let mut srcs: Vec<FactSource> = Vec::new();
    let mut note = String::from(
        "from the configuration files (the running sshd may differ until it is restarted)",
    );
    if ctx.privileged
        && let Ok(out) = ctx.exec.run("sshd", &["-T"], ctx.timeout())
        && out.success()
    {
        settings = Some(parse_sshd_t(&out.stdout_text()));
        confidence = Confidence::High;
        srcs.push(command("sshd -T"));
        note = "sshd -T: the configuration sshd would run with".to_owned();
    }
    let (settings, has_match) = match settings {
        Some(s) => (s, false),
        None => {
            let (s, files, has_match) = read_sshd_config(&ctx.fs, "/etc/ssh/sshd_config");
            if files.is_empty() {
                let e = ctx
                    .fs
                    .read("/etc/ssh/sshd_config", 1)
                    .err()
                    .unwrap_or(crate::fsroot::ReadError::NotFound);
                for k in [
                    keys::REMOTE_SSH_PASSWORD_AUTHENTICATION,
                    keys::REMOTE_SSH_PERMIT_ROOT_LOGIN,
                ] {
                    f.unknown_why(
                        k,
                        e.why("/etc/ssh/sshd_config"),
                        vec![file("/etc/ssh/sshd_config")],
                    );
                }
                return;
            }
            srcs.extend(files.iter().map(|p| file(p)));
            (s, has_match)
        }
    };
    let get = |k: &str| settings.get(k).map(|(v, at)| (v.as_str(), at.as_str()));
    let mut put =
        |key: &str, value: FactValue, what: &str, found: Option<(&str, &str)>, default: &str| {
            let n = match found {
                Some((_, at)) => format!("{what} set at {at}; {note}"),
                None => format!("{what} not set: OpenSSH default {default}; {note}"),
            };
            let n = if has_match {
                format!("{n}; Match blocks may change it for some users or addresses")
            } else {
                n
            };
            f.put_noted(key, value, confidence, srcs.clone(), n);
        };
    let pa = get("passwordauthentication");
    put(
        keys::REMOTE_SSH_PASSWORD_AUTHENTICATION,
        FactValue::Bool(pa.is_none_or(|(v, _)| yes(v))),
        "PasswordAuthentication",
        pa,
        "yes",
    );
    let kbd =
        get("kbdinteractiveauthentication").or_else(|| get("challengeresponseauthentication"));
    let pam = get("usepam").is_some_and(|(v, _)| yes(v));
    put(
        keys::REMOTE_SSH_KBD_INTERACTIVE_AUTHENTICATION,
        FactValue::Bool(kbd.is_none_or(|(v, _)| yes(v)) && pam),
        "KbdInteractiveAuthentication (with UsePAM)",
        kbd,
        "yes",
    );
    let prl = get("permitrootlogin");
    let value = prl.map_or("prohibit-password", |(v, _)| v);
    let value = if value == "without-password" {
        "prohibit-password"
    } else {
        value
    };
    put(
        keys::REMOTE_SSH_PERMIT_ROOT_LOGIN,
        FactValue::Text(value.to_ascii_lowercase()),
        "PermitRootLogin",
        prl,
        "prohibit-password",
    );
    let ports: Vec<String> = get("port").map_or_else(
        || vec!["22".to_owned()],
        |(v, _)| v.split_whitespace().map(str::to_owned).collect(),
    );
    let running = ctx.base.running("sshd")
        || listening
            .iter()
            .any(|s| s.process.as_deref() == Some("sshd"));
    f.put(
        keys::REMOTE_SSH_RUNNING,
        FactValue::Bool(running),
        Confidence::High,
        vec![file("/proc/*/comm")],
    );
    f.put(
        keys::REMOTE_SSH_PORTS,
        FactValue::List(ports),
        confidence,
        srcs,
    );
}

fn tools(ctx: &Ctx<'_>, f: &mut Facts) -> Vec<RemoteTool> {
    let mut out = Vec::new();
    // The tools are data: `remote_tools` of the host catalogue (advisories/data/catalogue.json).
    for t in &praxcheck_advisories::known::Known::embedded().remote_tools {
        let pkg = t.packages.iter().find_map(|p| ctx.base.package(p));
        let file_hit = t.files.iter().find(|p| ctx.fs.exists(p));
        let running = t.processes.iter().any(|p| ctx.base.running(p));
        if pkg.is_none() && file_hit.is_none() && !running {
            continue;
        }
        let unit = ctx
            .base
            .enabled_units
            .iter()
            .find(|u| t.unit_prefixes.iter().any(|p| u.starts_with(p)));
        let evidence = match (pkg, file_hit) {
            (Some(p), _) => format!("package {} {}", p.name, p.version),
            (None, Some(fh)) => fh.clone(),
            (None, None) => "running process".to_owned(),
        };
        out.push(RemoteTool {
            name: t.name.clone(),
            installed: pkg.is_some() || file_hit.is_some(),
            running: Some(running),
            starts_unattended: Some(unit.is_some()),
            version: pkg.map(|p| p.version.clone()),
            evidence: match unit {
                Some(u) => format!("{evidence}; enabled unit {u}"),
                None => evidence,
            },
        });
    }
    f.put(
        keys::REMOTE_TOOLS,
        FactValue::RemoteTools(out.clone()),
        Confidence::High,
        vec![
            file("/var/lib/dpkg/status"),
            file("/proc/*/comm"),
            file("/etc/systemd/system/*.wants"),
        ],
    );
    out
}

/// A Samba share section.
fn samba(ctx: &Ctx<'_>, f: &mut Facts) -> Vec<Share> {
    let installed = ctx.fs.exists("/usr/sbin/smbd") || ctx.base.package("samba").is_some();
    let mut shares = Vec::new();
    if !installed {
        f.put_noted(
            keys::REMOTE_SMB1_ENABLED,
            FactValue::Bool(false),
            Confidence::High,
            vec![file("/usr/sbin/smbd")],
            "no SMB server (Samba) installed",
        );
        return shares;
    }
    let conf = ctx.fs.text("/etc/samba/smb.conf").unwrap_or_default();
    let mut section = String::new();
    let mut global: BTreeMap<String, String> = BTreeMap::new();
    let mut sections: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    for l in conf.lines() {
        let l = l.trim();
        if l.is_empty() || l.starts_with('#') || l.starts_with(';') {
            continue;
        }
        if let Some(name) = l.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
            section = name.trim().to_owned();
            if !section.eq_ignore_ascii_case("global") {
                sections.push((section.clone(), BTreeMap::new()));
            }
            continue;
        }
        if let Some((k, v)) = l.split_once('=') {
            let k = k.trim().to_ascii_lowercase();
            let v = v.trim().to_owned();
            if section.eq_ignore_ascii_case("global") {
                global.insert(k, v);
            } else if let Some((_, m)) = sections.last_mut() {
                m.insert(k, v);
            }
        }
    }
    let min = global
        .get("server min protocol")
        .or_else(|| global.get("min protocol"));
    let smb1 = match min {
        Some(v) => ["NT1", "LANMAN1", "LANMAN2", "CORE", "COREPLUS"]
            .contains(&v.to_ascii_uppercase().as_str()),
        // Samba 4.11 and later default to SMB2_02; older ones to NT1 (SMB1).
        None => ctx
            .base
            .package("samba")
            .and_then(|p| {
                let v = p.version.split(':').next_back()?;
                let mut it = v.split('.');
                let major: u32 = it.next()?.parse().ok()?;
                let minor: u32 = it.next()?.parse().ok()?;
                Some((major, minor) < (4, 11))
            })
            .unwrap_or(false),
    };
    f.put_noted(
        keys::REMOTE_SMB1_ENABLED,
        FactValue::Bool(smb1),
        Confidence::Medium,
        vec![file("/etc/samba/smb.conf")],
        match min {
            Some(v) => format!("server min protocol = {v}"),
            None => "server min protocol not set: Samba's default".to_owned(),
        },
    );
    let yes = |m: &BTreeMap<String, String>, k: &str| {
        m.get(k)
            .is_some_and(|v| ["yes", "true", "1"].contains(&v.to_ascii_lowercase().as_str()))
    };
    let no = |m: &BTreeMap<String, String>, k: &str| {
        m.get(k)
            .is_some_and(|v| ["no", "false", "0"].contains(&v.to_ascii_lowercase().as_str()))
    };
    for (name, m) in sections {
        if ["printers", "print$"].contains(&name.to_ascii_lowercase().as_str()) {
            continue;
        }
        let guest = yes(&m, "guest ok") || yes(&m, "public");
        let writable = yes(&m, "writable")
            || yes(&m, "writeable")
            || yes(&m, "write ok")
            || no(&m, "read only");
        let mut access = Vec::new();
        if guest {
            access.push(format!("guest:{}", if writable { "write" } else { "read" }));
        }
        if let Some(u) = m.get("valid users") {
            access.push(format!("valid users = {u}"));
        }
        shares.push(Share {
            path: m.get("path").cloned().unwrap_or_default(),
            name,
            access,
            open_to_everyone: guest,
            everyone_can_write: guest && writable,
        });
    }
    shares
}

/// NFS exports without a host restriction (`*` or none).
fn nfs(ctx: &Ctx<'_>) -> Vec<Share> {
    let Ok(t) = ctx.fs.text("/etc/exports") else {
        return Vec::new();
    };
    t.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            let path = it.next()?.to_owned();
            let clients: Vec<&str> = it.collect();
            let open = clients.is_empty()
                || clients
                    .iter()
                    .any(|c| c.starts_with('*') || c.starts_with('('));
            let writable = clients.iter().any(|c| c.contains("rw"));
            Some(Share {
                name: format!("nfs:{path}"),
                path,
                access: clients.iter().map(|c| (*c).to_owned()).collect(),
                open_to_everyone: open,
                everyone_can_write: open && writable,
            })
        })
        .collect()
}

/// `remote.*` and `shares.*` facts.
pub fn collect(ctx: &Ctx<'_>, listening: &[ListeningService], f: &mut Facts) {
    ssh(ctx, listening, f);
    let tools = tools(ctx, f);
    let xrdp = tools.iter().find(|t| t.name == "xrdp");
    let rdp = xrdp.is_some_and(|t| t.running == Some(true) || t.starts_unattended == Some(true))
        || listening
            .iter()
            .any(|s| s.port == 3389 && s.protocol == "tcp");
    f.put_noted(
        keys::REMOTE_RDP_ENABLED,
        FactValue::Bool(rdp),
        Confidence::High,
        vec![file("/usr/sbin/xrdp"), file("/proc/net/tcp")],
        "Linux: an RDP server (xrdp) running, enabled, or a program listening on TCP 3389",
    );
    f.unknown(
        keys::REMOTE_RDP_NLA,
        UnknownReason::NotApplicable,
        praxcheck_model::UnknownSaid::WindowsOnly,
        "Network Level Authentication is a Windows Remote Desktop setting",
        Vec::new(),
    );
    let mut shares = samba(ctx, f);
    shares.extend(nfs(ctx));
    let open: Vec<String> = shares
        .iter()
        .filter(|s| s.open_to_everyone)
        .map(|s| s.name.clone())
        .collect();
    let src = vec![file("/etc/samba/smb.conf"), file("/etc/exports")];
    f.put(
        keys::SHARES_LIST,
        FactValue::Shares(shares),
        Confidence::Medium,
        src.clone(),
    );
    f.put(
        keys::SHARES_OPEN_TO_EVERYONE,
        FactValue::List(open),
        Confidence::Medium,
        src,
    );
}
