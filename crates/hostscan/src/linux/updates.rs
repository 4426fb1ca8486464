//! Updates from local state only: the package manager's logs and a simulation against the
//! package lists already on disk (no download, no online search).

use crate::keys;
use std::io::Read as _;

use praxcheck_model::{Confidence, FactValue, UnknownReason, UnknownSaid};
use time::{OffsetDateTime, PrimitiveDateTime};

use super::Ctx;
use crate::facts::{self, Facts, command, derived, file};

/// A pending update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// Package name.
    pub name: String,
    /// Installed version (absent for packages the upgrade adds).
    pub from: Option<String>,
    /// Candidate version.
    pub to: String,
    /// Whether it comes from a security archive.
    pub security: bool,
}

/// A local date-time from a log line, taken as UTC (the logs carry no zone; a day's
/// precision is what the facts need).
fn naive(date: &str, clock: &str) -> Option<OffsetDateTime> {
    let d = facts::parse_ymd(date)?;
    let mut it = clock.split(':');
    let t = time::Time::from_hms(
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
    )
    .ok()?;
    Some(PrimitiveDateTime::new(d, t).assume_utc())
}

/// The newest `Start-Date` of an apt transaction that upgraded packages.
#[must_use]
pub fn newest_apt_upgrade(history: &str) -> Option<OffsetDateTime> {
    let mut newest: Option<OffsetDateTime> = None;
    let mut start: Option<OffsetDateTime> = None;
    for line in history.lines() {
        if let Some(s) = line.strip_prefix("Start-Date:") {
            let mut it = s.split_whitespace();
            start = match (it.next(), it.next()) {
                (Some(d), Some(c)) => naive(d, c),
                _ => None,
            };
        } else if line.starts_with("Upgrade:")
            && let Some(t) = start
        {
            newest = Some(newest.map_or(t, |n| n.max(t)));
        }
    }
    newest
}

/// The newest `upgrade` action in `/var/log/dpkg.log`.
#[must_use]
pub fn newest_dpkg_upgrade(log: &str) -> Option<OffsetDateTime> {
    log.lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            let (d, c, action) = (it.next()?, it.next()?, it.next()?);
            (action == "upgrade").then(|| naive(d, c)).flatten()
        })
        .max()
}

/// Reads a log and its rotated copies (`.1`, `.2.gz`, …), newest first, at most 12 files
/// and 32 MiB each, and returns the first answer `find` gives.
fn search_rotated(
    ctx: &Ctx<'_>,
    base: &str,
    find: impl Fn(&str) -> Option<OffsetDateTime>,
) -> Option<(OffsetDateTime, String)> {
    const LIMIT: u64 = 32 * 1024 * 1024;
    let mut candidates = vec![base.to_owned(), format!("{base}.1")];
    for i in 1..=12 {
        candidates.push(format!("{base}.{i}.gz"));
    }
    for c in candidates {
        let Ok(bytes) = ctx.fs.read(&c, LIMIT) else {
            continue;
        };
        let text = if c.ends_with(".gz") {
            let mut s = Vec::new();
            let _ = flate2::read::GzDecoder::new(bytes.as_slice())
                .take(LIMIT)
                .read_to_end(&mut s);
            String::from_utf8_lossy(&s).into_owned()
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        if let Some(t) = find(&text) {
            return Some((t, c));
        }
    }
    None
}

/// `updates.*` facts.
#[must_use]
pub fn collect(ctx: &Ctx<'_>) -> Facts {
    let mut f = Facts::new();
    if ctx.base.is_debian_family() {
        debian(ctx, &mut f);
    } else if ctx.base.is_rhel_family() {
        rhel(ctx, &mut f);
    } else {
        f.unknown(
            keys::UPDATES_PENDING_COUNT,
            UnknownReason::NoReferenceData,
            praxcheck_model::UnknownSaid::NotDebianOrRedHat,
            "neither a Debian nor a Red Hat family distribution",
            Vec::new(),
        );
    }
    reboot(ctx, &mut f);
    f
}

fn last_installed_facts(f: &mut Facts, ctx: &Ctx<'_>, t: OffsetDateTime, src: &str, note: &str) {
    f.put_noted(
        keys::UPDATES_LAST_INSTALLED,
        FactValue::Timestamp(facts::rfc3339(t)),
        Confidence::High,
        vec![file(src)],
        note,
    );
    f.put(
        keys::UPDATES_DAYS_SINCE_LAST_INSTALLED,
        FactValue::Int(facts::days_between(t, ctx.now)),
        Confidence::High,
        vec![derived("updates.last_installed + collected_at")],
    );
}

fn debian(ctx: &Ctx<'_>, f: &mut Facts) {
    let hist = search_rotated(ctx, "/var/log/apt/history.log", newest_apt_upgrade);
    let found = hist.or_else(|| search_rotated(ctx, "/var/log/dpkg.log", newest_dpkg_upgrade));
    match found {
        Some((t, src)) => last_installed_facts(
            f,
            ctx,
            t,
            &src,
            "newest package upgrade; the log's local time is taken as UTC",
        ),
        None => {
            let denied = ctx.fs.read("/var/log/apt/history.log", 1).err();
            match denied {
                Some(e @ crate::fsroot::ReadError::Denied(_)) => f.unknown_why(
                    keys::UPDATES_LAST_INSTALLED,
                    e.why("/var/log/apt/history.log"),
                    vec![file("/var/log/apt/history.log")],
                ),
                _ => f.put_noted(
                    keys::UPDATES_LAST_INSTALLED,
                    FactValue::Unknown(praxcheck_model::Unknown {
                        reason: UnknownReason::Unreadable,
                        detail: "no package upgrade recorded in the apt and dpkg logs".into(),
                        says: Some(praxcheck_model::UnknownSaid::NoUpgradeRecorded),
                    }),
                    Confidence::Medium,
                    vec![file("/var/log/apt/history.log"), file("/var/log/dpkg.log")],
                    "the logs are rotated away after some months",
                ),
            }
        }
    }
    // When the package lists were last refreshed.
    let newest_list = ctx
        .fs
        .list("/var/lib/apt/lists")
        .into_iter()
        .filter(|n| n.ends_with("Release"))
        .filter_map(|n| ctx.fs.mtime(&format!("/var/lib/apt/lists/{n}")))
        .max();
    if let Some(t) = newest_list {
        f.put_noted(
            keys::UPDATES_LAST_CHECK,
            FactValue::Timestamp(facts::rfc3339(t)),
            Confidence::High,
            vec![file("/var/lib/apt/lists/*Release")],
            "time the package lists were last downloaded (apt update)",
        );
    }
    // Automatic updates.
    let uu = ctx.base.package("unattended-upgrades").is_some();
    let mut periodic: Option<(bool, String)> = None;
    for p in ctx.fs.list("/etc/apt/apt.conf.d") {
        let path = format!("/etc/apt/apt.conf.d/{p}");
        if let Ok(t) = ctx.fs.text(&path) {
            for l in t.lines() {
                let l = l.trim();
                if let Some(v) = l.strip_prefix("APT::Periodic::Unattended-Upgrade") {
                    let v = v.trim().trim_end_matches(';').trim().trim_matches('"');
                    periodic = Some((v != "0" && !v.is_empty(), path.clone()));
                }
            }
        }
    }
    let mut src = vec![file("/var/lib/dpkg/status")];
    if let Some((_, p)) = &periodic {
        src.push(file(p));
    }
    f.put_noted(
        keys::UPDATES_AUTOMATIC,
        FactValue::Bool(uu && periodic.as_ref().is_some_and(|(on, _)| *on)),
        Confidence::Medium,
        src,
        format!(
            "unattended-upgrades {}; APT::Periodic::Unattended-Upgrade {}",
            if uu { "installed" } else { "not installed" },
            match &periodic {
                Some((true, _)) => "on",
                Some((false, _)) => "off",
                None => "not set",
            }
        ),
    );
    // Pending updates from the local lists.
    let res = super::aptlists::pending_from_lists(&ctx.fs, &ctx.base.packages);
    if res.lists == 0 {
        f.unknown(
            keys::UPDATES_PENDING_COUNT,
            UnknownReason::Unreadable,
            praxcheck_model::UnknownSaid::NoAptLists,
            "no package lists in /var/lib/apt/lists (apt update never ran, or the lists were removed)",
            vec![file("/var/lib/apt/lists")],
        );
    } else {
        pending_facts(f, &res.pending, &res.skipped);
    }
}

fn pending_facts(f: &mut Facts, pending: &[Pending], skipped: &[String]) {
    let src = vec![
        file("/var/lib/apt/lists/*_Packages"),
        file("/var/lib/dpkg/status"),
    ];
    let security: Vec<String> = pending
        .iter()
        .filter(|p| p.security)
        .map(|p| p.name.clone())
        .collect();
    let mut note = "installed packages with a newer version in the package lists on disk (as current as updates.last_check); apt pins are not applied".to_owned();
    if !skipped.is_empty() {
        note.push_str("; lists left out: ");
        note.push_str(&skipped.join(", "));
    }
    f.put_noted(
        keys::UPDATES_PENDING_COUNT,
        FactValue::Int(i64::try_from(pending.len()).unwrap_or(i64::MAX)),
        Confidence::High,
        src.clone(),
        note,
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

/// Parses `dnf -C -q check-update` (`name.arch  version  repo` lines).
#[must_use]
pub fn parse_dnf_check_update(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for l in text.lines() {
        if l.starts_with("Obsoleting") {
            break;
        }
        let f: Vec<&str> = l.split_whitespace().collect();
        if f.len() == 3
            && let Some((name, _arch)) = f[0].rsplit_once('.')
            && !out.iter().any(|n: &String| n == name)
        {
            out.push(name.to_owned());
        }
    }
    out
}

/// Parses `dnf -C -q updateinfo list --security --available`
/// (`RHSA-2024:1234 Important/Sec. openssl-1:3.0.7-27.el9.x86_64`): package names.
#[must_use]
pub fn parse_dnf_security(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in text.lines() {
        let f: Vec<&str> = l.split_whitespace().collect();
        if f.len() != 3 || !f[1].contains("Sec") {
            continue;
        }
        // name-[epoch:]version-release.arch: drop the arch, then two dash-separated parts.
        let nevr = f[2].rsplit_once('.').map_or(f[2], |(a, _)| a);
        let mut parts = nevr.rsplitn(3, '-');
        let (_rel, _ver, name) = (parts.next(), parts.next(), parts.next());
        if let Some(n) = name
            && !out.iter().any(|x| x == n)
        {
            out.push(n.to_owned());
        }
    }
    out
}

fn rhel(ctx: &Ctx<'_>, f: &mut Facts) {
    // The newest install time in the rpm database (read with the package list).
    if let Some(t) = ctx
        .base
        .packages
        .iter()
        .filter_map(|p| p.install_time)
        .max()
        .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
    {
        f.put_noted(
            keys::UPDATES_LAST_INSTALLED,
            FactValue::Timestamp(facts::rfc3339(t)),
            Confidence::Medium,
            vec![command("rpm -qa --qf %{INSTALLTIME}")],
            "newest install time of any package (updates and new installs)",
        );
        f.put(
            keys::UPDATES_DAYS_SINCE_LAST_INSTALLED,
            FactValue::Int(facts::days_between(t, ctx.now)),
            Confidence::Medium,
            vec![derived("updates.last_installed + collected_at")],
        );
    }
    let cmd = "dnf -C -q check-update";
    match ctx
        .exec
        .run("dnf", &["-C", "-q", "check-update"], ctx.timeout())
    {
        // Exit 100: updates available; 0: none.
        Ok(out) if out.status == Some(100) || out.success() => {
            let names = parse_dnf_check_update(&out.stdout_text());
            f.put_noted(
                keys::UPDATES_PENDING_COUNT,
                FactValue::Int(i64::try_from(names.len()).unwrap_or(i64::MAX)),
                Confidence::High,
                vec![command(cmd)],
                "against dnf's metadata cache (-C): no download",
            );
        }
        Ok(out) => f.unknown(
            keys::UPDATES_PENDING_COUNT,
            UnknownReason::Unreadable,
            UnknownSaid::CommandFailed {
                command: cmd.into(),
            },
            format!("{cmd}: exit {:?}: {}", out.status, out.stderr_text()),
            vec![command(cmd)],
        ),
        Err(e) => f.unknown_exec(keys::UPDATES_PENDING_COUNT, cmd, &e, vec![command(cmd)]),
    }
    let cmd = "dnf -C -q updateinfo list --security --available";
    match ctx.exec.run(
        "dnf",
        &[
            "-C",
            "-q",
            "updateinfo",
            "list",
            "--security",
            "--available",
        ],
        ctx.timeout(),
    ) {
        Ok(out) if out.success() => {
            let names = parse_dnf_security(&out.stdout_text());
            f.put(
                keys::UPDATES_PENDING_SECURITY_COUNT,
                FactValue::Int(i64::try_from(names.len()).unwrap_or(i64::MAX)),
                Confidence::High,
                vec![command(cmd)],
            );
            f.put(
                keys::UPDATES_PENDING_SECURITY,
                FactValue::List(names),
                Confidence::High,
                vec![command(cmd)],
            );
        }
        Ok(out) => f.unknown(
            keys::UPDATES_PENDING_SECURITY_COUNT,
            UnknownReason::Unreadable,
            UnknownSaid::CommandFailed {
                command: cmd.into(),
            },
            format!("{cmd}: exit {:?}: {}", out.status, out.stderr_text()),
            vec![command(cmd)],
        ),
        Err(e) => f.unknown_exec(
            keys::UPDATES_PENDING_SECURITY_COUNT,
            cmd,
            &e,
            vec![command(cmd)],
        ),
    }
    let auto = ctx.base.package("dnf-automatic").is_some()
        && ctx
            .base
            .enabled_units
            .iter()
            .any(|u| u.starts_with("dnf-automatic"));
    f.put(
        keys::UPDATES_AUTOMATIC,
        FactValue::Bool(auto),
        Confidence::Medium,
        vec![file("/etc/systemd/system/timers.target.wants/")],
    );
}

fn reboot(ctx: &Ctx<'_>, f: &mut Facts) {
    for p in ["/run/reboot-required", "/var/run/reboot-required"] {
        if ctx.fs.exists(p) {
            f.put(
                keys::UPDATES_REBOOT_REQUIRED,
                FactValue::Bool(true),
                Confidence::High,
                vec![file(p)],
            );
            return;
        }
    }
    // A newer installed kernel than the running one also needs a restart.
    let running = ctx
        .fs
        .text("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();
    let installed: Vec<String> = ctx
        .fs
        .list("/boot")
        .into_iter()
        .filter_map(|n| n.strip_prefix("vmlinuz-").map(str::to_owned))
        .collect();
    let newer = installed.iter().find(|k| {
        praxcheck_versions::compare_debian(k, &running) == std::cmp::Ordering::Greater
            && !running.is_empty()
    });
    let note = if installed.is_empty() {
        "no reboot-required flag; no kernel in /boot (the kernel is not from a package)".to_owned()
    } else if let Some(k) = newer {
        format!("installed kernel {k} is newer than the running {running}")
    } else {
        format!("no reboot-required flag; running kernel {running} is the newest installed")
    };
    f.put_noted(
        keys::UPDATES_REBOOT_REQUIRED,
        FactValue::Bool(newer.is_some()),
        Confidence::Medium,
        vec![file("/run/reboot-required"), file("/boot")],
        note,
    );
}
