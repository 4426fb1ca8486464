//! Backup tools and their targets on Linux: scheduled jobs (cron, systemd units and the
//! scripts they start) running restic, borg, rsync, tar or duplicity; borgmatic,
//! rsnapshot and Timeshift configurations; installed backup agents; and the folders the
//! user names in the configuration file.

use std::collections::BTreeMap;

use praxcheck_model::BackupTool;

use super::Ctx;
use crate::backup::{self, Candidate, Placement};
use crate::facts::{Facts, file};

/// Splits a shell line into words (quotes removed, `;`, `&&`, `|` as separate words).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            (None, ';' | '|' | '&' | '>') => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                out.push(c.to_string());
            }
            (None, c) => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn basename(w: &str) -> &str {
    w.rsplit('/').next().unwrap_or(w)
}

/// The part of a path before shell expansions (`/mnt/b/$(date +%F)` → `/mnt/b`).
fn static_prefix(p: &str) -> String {
    let cut = p.find(['$', '`', '*']).unwrap_or(p.len());
    let s = &p[..cut];
    if cut < p.len() {
        s.rsplit_once('/').map_or(s, |(d, _)| d).to_owned()
    } else {
        s.trim_end_matches('/').to_owned()
    }
}

/// The backup jobs in one line: (tool, target).
#[must_use]
pub fn jobs_in_line(line: &str) -> Vec<(String, String)> {
    let w = words(line);
    let mut out = Vec::new();
    let end_of_cmd = |x: &str| matches!(x, ";" | "&" | "|" | ">");
    for (k, v) in w.iter().filter_map(|x| x.split_once('=')) {
        if (k == "RESTIC_REPOSITORY" || k.ends_with(" RESTIC_REPOSITORY")) && !v.is_empty() {
            out.push(("restic".to_owned(), v.to_owned()));
        } else if k == "BORG_REPO" && !v.is_empty() {
            out.push(("borg".to_owned(), v.to_owned()));
        }
    }
    for (i, word) in w.iter().enumerate() {
        let tool = basename(word);
        // Only a backup tool's arguments are collected: doing it for every word made a long
        // line (a crontab, an environment file) take quadratic time.
        if !matches!(tool, "restic" | "borg" | "rsync" | "tar" | "duplicity") {
            continue;
        }
        // At most 256 arguments per command, so a line of nothing but `rsync rsync …` stays
        // linear too.
        let args: Vec<&str> = w[i + 1..]
            .iter()
            .map(String::as_str)
            .take_while(|a| !end_of_cmd(a))
            .take(256)
            .collect();
        match tool {
            "restic" => {
                for (j, a) in args.iter().enumerate() {
                    if (*a == "-r" || *a == "--repo") && j + 1 < args.len() {
                        out.push(("restic".to_owned(), args[j + 1].to_owned()));
                    } else if let Some(r) = a.strip_prefix("--repo=") {
                        out.push(("restic".to_owned(), r.to_owned()));
                    }
                }
            }
            "borg" if args.contains(&"create") => {
                if let Some(a) = args.iter().find(|a| a.contains("::")) {
                    let repo = a.split("::").next().unwrap_or("");
                    if !repo.is_empty() {
                        out.push(("borg".to_owned(), repo.to_owned()));
                    }
                }
            }
            "rsync" if !args.contains(&"--dry-run") && !args.contains(&"-n") => {
                let pos: Vec<&&str> = args.iter().filter(|a| !a.starts_with('-')).collect();
                if pos.len() >= 2
                    && let Some(dest) = pos.last()
                {
                    out.push(("rsync".to_owned(), static_prefix(dest)));
                }
            }
            "tar" => {
                let mut file = None;
                for (j, a) in args.iter().enumerate() {
                    if let Some(f) = a.strip_prefix("--file=") {
                        file = Some((*f).to_owned());
                    } else if (*a == "-f" || *a == "--file") && j + 1 < args.len() {
                        file = Some(args[j + 1].to_owned());
                    } else if j == 0 || a.starts_with('-') && !a.starts_with("--") {
                        let flags = a.trim_start_matches('-');
                        if flags.contains('c') && flags.ends_with('f') && j + 1 < args.len() {
                            file = Some(args[j + 1].to_owned());
                        }
                    }
                }
                if let Some(f) = file.filter(|f| f.starts_with('/')) {
                    let dir = f.rsplit_once('/').map_or("/", |(d, _)| d);
                    out.push((
                        "tar".to_owned(),
                        static_prefix(if dir.is_empty() { "/" } else { dir }),
                    ));
                }
            }
            "duplicity" => {
                if let Some(u) = args.iter().rev().find(|a| a.contains("://")) {
                    let t = u.strip_prefix("file://").unwrap_or(u);
                    out.push(("duplicity".to_owned(), t.to_owned()));
                }
            }
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The lines of scheduled jobs: cron tables, systemd services, and the scripts they run
/// (one level). Returns (where, line).
fn job_lines(ctx: &Ctx<'_>) -> Vec<(String, String)> {
    let mut files = vec!["/etc/crontab".to_owned(), "/etc/anacrontab".to_owned()];
    files.extend(
        ctx.fs
            .list("/etc/cron.d")
            .into_iter()
            .map(|n| format!("/etc/cron.d/{n}")),
    );
    for d in ["/var/spool/cron/crontabs", "/var/spool/cron"] {
        files.extend(
            ctx.fs
                .list(d)
                .into_iter()
                .filter(|n| n != "crontabs")
                .map(|n| format!("{d}/{n}")),
        );
    }
    for d in [
        "/etc/cron.hourly",
        "/etc/cron.daily",
        "/etc/cron.weekly",
        "/etc/cron.monthly",
    ] {
        files.extend(ctx.fs.list(d).into_iter().map(|n| format!("{d}/{n}")));
    }
    files.extend(ctx.fs.files_with_suffix("/etc/systemd/system", ".service"));
    let mut out = Vec::new();
    let mut scripts = Vec::new();
    for p in &files {
        let Ok(t) = ctx.fs.read(p, 256 * 1024) else {
            continue;
        };
        let t = String::from_utf8_lossy(&t);
        for (i, l) in t.lines().enumerate() {
            let l = l.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let l = l.strip_prefix("ExecStart=").unwrap_or(l);
            if let Some(env) = l.strip_prefix("EnvironmentFile=") {
                let env = env.trim_start_matches('-');
                if let Ok(e) = ctx.fs.text(env) {
                    for el in e.lines() {
                        out.push((env.to_owned(), el.trim().to_owned()));
                    }
                }
                continue;
            }
            for w in words(l) {
                if w.starts_with('/')
                    && ["/usr/local/", "/root/", "/opt/", "/home/", "/etc/", "/srv/"]
                        .iter()
                        .any(|p| w.starts_with(p))
                    && !scripts.contains(&w)
                {
                    scripts.push(w);
                }
            }
            out.push((format!("{p}:{}", i + 1), l.to_owned()));
        }
    }
    for s in scripts.into_iter().take(50) {
        if files.contains(&s) {
            continue;
        }
        let Ok(b) = ctx.fs.read(&s, 64 * 1024) else {
            continue;
        };
        if !b.starts_with(b"#!") {
            continue;
        }
        for (i, l) in String::from_utf8_lossy(&b).lines().enumerate() {
            let l = l.trim();
            if !l.is_empty() && !l.starts_with('#') {
                out.push((format!("{s}:{}", i + 1), l.to_owned()));
            }
        }
    }
    out
}

fn borgmatic(ctx: &Ctx<'_>) -> Vec<(String, String)> {
    let mut files = vec!["/etc/borgmatic/config.yaml".to_owned()];
    files.extend(ctx.fs.files_with_suffix("/etc/borgmatic.d", ".yaml"));
    let mut out = Vec::new();
    for p in files {
        let Ok(t) = ctx.fs.text(&p) else { continue };
        let mut in_repos = false;
        for l in t.lines() {
            let trimmed = l.trim();
            if trimmed.starts_with("repositories:") {
                in_repos = true;
                continue;
            }
            if in_repos {
                if !l.starts_with(' ') && !l.starts_with('-') && !trimmed.is_empty() {
                    in_repos = false;
                    continue;
                }
                let v = trimmed
                    .trim_start_matches('-')
                    .trim()
                    .trim_start_matches("path:")
                    .trim()
                    .trim_matches(['"', '\'']);
                if !v.is_empty() && !v.starts_with("label:") && !v.contains(": ") {
                    out.push((p.clone(), v.to_owned()));
                }
            }
        }
    }
    out
}

/// Where a target path sits: mounted now, on the system disk, mounted at boot, and the
/// kind of device (from `/proc/self/mountinfo`, `/etc/fstab` and `/sys/dev/block`).
#[must_use]
pub fn placement(ctx: &Ctx<'_>, path: &str) -> Placement {
    let b = &ctx.base;
    let network = |t: &str| {
        [
            "nfs",
            "nfs4",
            "cifs",
            "smb3",
            "smbfs",
            "fuse.sshfs",
            "sshfs",
            "davfs",
            "fuse.rclone",
        ]
        .contains(&t)
    };
    let fstab_for = |mp: &str| {
        b.fstab
            .iter()
            .filter(|e| {
                e.mount_point != "/"
                    && (path == e.mount_point
                        || path.starts_with(&format!("{}/", e.mount_point.trim_end_matches('/'))))
            })
            .max_by_key(|e| e.mount_point.len())
            .filter(|e| e.mount_point.len() > mp.len())
    };
    let Some(m) = b.mount_of(path) else {
        return Placement {
            kind: "unknown".into(),
            ..Placement::default()
        };
    };
    // A configured but unmounted filesystem below the path: the disk is not attached now.
    if let Some(e) = fstab_for(&m.mount_point) {
        return Placement {
            kind: if network(&e.fs_type) {
                "network".into()
            } else {
                "unknown".into()
            },
            attached_now: Some(false),
            on_system_disk: Some(false),
            mounted_at_boot: Some(!e.options.iter().any(|o| o == "noauto")),
            mount_point: Some(e.mount_point.clone()),
        };
    }
    if m.mount_point == "/" {
        // A folder under /media or /run/media on the root filesystem is the empty mount
        // point of a removable disk that is not mounted now.
        let unmounted_media = path.starts_with("/media/") || path.starts_with("/run/media/");
        return Placement {
            kind: if unmounted_media {
                "removable".into()
            } else {
                "local_folder".into()
            },
            attached_now: Some(!unmounted_media),
            on_system_disk: Some(!unmounted_media),
            mounted_at_boot: Some(!unmounted_media),
            mount_point: Some("/".into()),
        };
    }
    let sysdev = format!("/sys/dev/block/{}", m.dev);
    let removable = ctx
        .fs
        .read_link(&sysdev)
        .is_some_and(|l| l.contains("/usb"))
        || ctx
            .fs
            .text(&format!("{sysdev}/removable"))
            .is_ok_and(|t| t.trim() == "1")
        || m.mount_point.starts_with("/media/")
        || m.mount_point.starts_with("/run/media/");
    let in_fstab = b.fstab.iter().find(|e| e.mount_point == m.mount_point);
    let root_dev = b
        .mounts
        .iter()
        .find(|x| x.mount_point == "/")
        .map(|x| x.dev.clone());
    Placement {
        kind: if network(&m.fs_type) {
            "network".into()
        } else if removable {
            "removable".into()
        } else {
            "local_folder".into()
        },
        attached_now: Some(true),
        on_system_disk: Some(root_dev.as_deref() == Some(m.dev.as_str())),
        mounted_at_boot: in_fstab
            .map(|e| !e.options.iter().any(|o| o == "noauto"))
            .or(Some(false)),
        mount_point: Some(m.mount_point.clone()),
    }
}

/// `backup.*` facts.
pub fn collect(ctx: &Ctx<'_>, f: &mut Facts) {
    let mut tools: BTreeMap<String, BackupTool> = BTreeMap::new();
    let mut cands: Vec<Candidate> = Vec::new();
    let add_tool = |tools: &mut BTreeMap<String, BackupTool>,
                    name: &str,
                    configured: bool,
                    evidence: String| {
        let e = tools.entry(name.to_owned()).or_insert(BackupTool {
            name: name.to_owned(),
            configured,
            evidence: evidence.clone(),
        });
        if configured && !e.configured {
            e.configured = true;
            e.evidence = evidence;
        }
    };
    for (at, line) in job_lines(ctx) {
        for (tool, target) in jobs_in_line(&line) {
            if target.is_empty() || target == "/" {
                continue;
            }
            add_tool(&mut tools, &tool, true, at.clone());
            if !cands.iter().any(|c| c.target == target) {
                cands.push(Candidate {
                    tool,
                    target,
                    label: None,
                    evidence: at.clone(),
                });
            }
        }
    }
    for (at, repo) in borgmatic(ctx) {
        add_tool(&mut tools, "borgmatic", true, at.clone());
        if !cands.iter().any(|c| c.target == repo) {
            cands.push(Candidate {
                tool: "borgmatic".into(),
                target: repo,
                label: None,
                evidence: at,
            });
        }
    }
    if let Ok(t) = ctx.fs.text("/etc/rsnapshot.conf") {
        for l in t.lines() {
            if let Some(root) = l.strip_prefix("snapshot_root") {
                let root = root.trim().trim_end_matches('/').to_owned();
                add_tool(&mut tools, "rsnapshot", true, "/etc/rsnapshot.conf".into());
                if !root.is_empty() && !cands.iter().any(|c| c.target == root) {
                    cands.push(Candidate {
                        tool: "rsnapshot".into(),
                        target: root,
                        label: None,
                        evidence: "/etc/rsnapshot.conf".into(),
                    });
                }
            }
        }
    }
    if let Some((p, t)) = ctx
        .fs
        .first_text(&["/etc/timeshift/timeshift.json", "/etc/timeshift.json"])
        && let Ok(v) = serde_json::from_str::<serde_json::Value>(&t)
        && let Some(uuid) = v
            .get("backup_device_uuid")
            .and_then(|u| u.as_str())
            .filter(|u| !u.is_empty())
    {
        add_tool(&mut tools, "Timeshift", true, p.clone());
        // The device is mounted (if at all) somewhere; its snapshots are in timeshift/.
        let dev = ctx.fs.read_link(&format!("/dev/disk/by-uuid/{uuid}"));
        let mounted = dev.as_ref().and_then(|d| {
            let name = d.rsplit('/').next().unwrap_or("");
            ctx.base
                .mounts
                .iter()
                .find(|m| m.source.ends_with(&format!("/{name}")))
        });
        cands.push(Candidate {
            tool: "Timeshift".into(),
            target: mounted.map_or_else(|| format!("UUID={uuid}"), |m| m.mount_point.clone()),
            label: None,
            evidence: p,
        });
    }
    for (name, paths) in [
        ("restic", &["/usr/bin/restic"][..]),
        ("borg", &["/usr/bin/borg"][..]),
        ("rsnapshot", &["/usr/bin/rsnapshot"][..]),
        ("duplicity", &["/usr/bin/duplicity"][..]),
        ("Timeshift", &["/usr/bin/timeshift"][..]),
        (
            "Veeam Agent for Linux",
            &["/usr/bin/veeamconfig", "/etc/veeam"][..],
        ),
        (
            "Bacula/Bareos client",
            &["/usr/sbin/bacula-fd", "/usr/sbin/bareos-fd"][..],
        ),
        (
            "UrBackup client",
            &[
                "/usr/sbin/urbackupclientbackend",
                "/usr/local/sbin/urbackupclientbackend",
            ][..],
        ),
        ("Duplicati", &["/usr/lib/duplicati", "/opt/duplicati"][..]),
        ("Déjà Dup", &["/usr/bin/deja-dup"][..]),
        (
            "Proxmox Backup client",
            &["/usr/bin/proxmox-backup-client"][..],
        ),
    ] {
        if let Some(p) = paths.iter().find(|p| ctx.fs.exists(p)) {
            add_tool(&mut tools, name, false, (*p).to_owned());
        }
    }
    for u in &ctx.backup_cfg.folders {
        add_tool(
            &mut tools,
            "user",
            true,
            ctx.backup_cfg.source.clone().unwrap_or_default(),
        );
        cands.retain(|c| c.target != u.path);
        cands.push(Candidate {
            tool: "user".into(),
            target: u.path.clone(),
            label: u.label.clone(),
            evidence: ctx.backup_cfg.source.clone().unwrap_or_default(),
        });
    }
    tools.remove("user");
    let targets = backup::examine_all(
        &cands,
        ctx.opts.backup_budget,
        ctx.now,
        &|t| ctx.fs.path(t),
        &|t| {
            if t.starts_with("UUID=") {
                Placement {
                    kind: "unknown".into(),
                    attached_now: Some(false),
                    ..Placement::default()
                }
            } else {
                placement(ctx, t)
            }
        },
    );
    backup::facts(
        f,
        tools.into_values().collect(),
        targets,
        ctx.backup_cfg,
        vec![
            file("/etc/crontab"),
            file("/etc/cron.d"),
            file("/var/spool/cron/crontabs"),
            file("/etc/systemd/system/*.service"),
            file("/etc/borgmatic"),
            file("/etc/rsnapshot.conf"),
            file("/etc/timeshift/timeshift.json"),
        ],
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_stay_linear() {
        // 256 KiB of words once took seven seconds; these return at once (the test runner's
        // time is the check: a quadratic pass would take minutes).
        let words = "a ".repeat(1 << 18);
        assert!(jobs_in_line(&words).is_empty());
        let tools = "rsync ".repeat(1 << 16);
        let _ = jobs_in_line(&tools);
    }

    #[test]
    fn cron_lines() {
        assert_eq!(
            jobs_in_line(
                "30 2 * * * root rsync -a --delete /srv/praxis/ /media/backup/praxis/ >/var/log/b.log 2>&1"
            ),
            [("rsync".to_owned(), "/media/backup/praxis".to_owned())]
        );
        assert_eq!(
            jobs_in_line(
                "0 3 * * * RESTIC_PASSWORD_FILE=/root/p restic -r /mnt/nas/restic backup /srv"
            ),
            [("restic".to_owned(), "/mnt/nas/restic".to_owned())]
        );
        assert_eq!(
            jobs_in_line("borg create --stats ssh://b@nas/./repo::'{hostname}-{now}' /srv"),
            [("borg".to_owned(), "ssh://b@nas/./repo".to_owned())]
        );
        assert_eq!(
            jobs_in_line("tar czf /backup/praxis-$(date +%F).tar.gz /srv/praxis"),
            [("tar".to_owned(), "/backup".to_owned())]
        );
        assert_eq!(
            jobs_in_line("ExecStart=/usr/bin/restic --repo=sftp:nas:/restic backup /home"),
            [("restic".to_owned(), "sftp:nas:/restic".to_owned())]
        );
        assert!(jobs_in_line("rsync -n -a /a /b").is_empty());
        assert!(jobs_in_line("echo hello").is_empty());
    }
}
