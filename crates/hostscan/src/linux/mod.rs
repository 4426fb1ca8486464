//! The Linux collector. Everything is read below [`crate::Options::root`]; commands run
//! only for the live system. The slow sources (the package manager's simulation, the
//! firewall ruleset) run in parallel with the file-based facts.

pub mod aptlists;
pub mod firewall;
pub mod net;
pub mod os;
pub mod packages;
pub mod protection;
pub mod remote;
pub mod sysbackup;
pub mod updates;

use crate::keys;
use std::collections::BTreeSet;
use std::time::Duration;

use praxcheck_model::Component;
use time::OffsetDateTime;

use crate::Options;
use crate::backup::BackupConfig;
use crate::exec::Exec;
use crate::facts::Facts;
use crate::fsroot::Fs;

/// A mounted filesystem (`/proc/self/mountinfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// `major:minor` of the device.
    pub dev: String,
    /// Mount point.
    pub mount_point: String,
    /// Filesystem type.
    pub fs_type: String,
    /// Mount source (`/dev/sda1`, `server:/export`, …).
    pub source: String,
    /// A bind mount of a folder inside the filesystem (mountinfo root is not `/`).
    pub bind: bool,
}

/// An `/etc/fstab` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FstabEntry {
    /// Device spec (`UUID=…`, `/dev/sdb1`, `//nas/backup`).
    pub spec: String,
    /// Mount point.
    pub mount_point: String,
    /// Filesystem type.
    pub fs_type: String,
    /// Options.
    pub options: Vec<String>,
}

/// An installed package (dpkg or rpm).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// Binary package name.
    pub name: String,
    /// Full version (`[epoch:]upstream[-revision]`).
    pub version: String,
    /// Architecture.
    pub arch: String,
    /// Source package, when it differs from the name (dpkg `Source:`).
    pub source: Option<String>,
    /// Vendor (rpm).
    pub vendor: Option<String>,
    /// Install time, seconds since 1970 (rpm).
    pub install_time: Option<i64>,
    /// On hold (dpkg selection `hold`): not upgraded.
    pub held: bool,
}

/// What several fact groups need, read once.
#[derive(Debug, Default)]
pub struct Base {
    /// `/etc/os-release` keys.
    pub os_release: Vec<(String, String)>,
    /// The file `os_release` came from.
    pub os_release_path: Option<String>,
    /// Running processes: (pid, `comm`).
    pub processes: Vec<(u32, String)>,
    /// Mounted filesystems.
    pub mounts: Vec<Mount>,
    /// `/etc/fstab`.
    pub fstab: Vec<FstabEntry>,
    /// systemd units enabled in `/etc/systemd/system/*.wants/`.
    pub enabled_units: BTreeSet<String>,
    /// Installed packages.
    pub packages: Vec<Package>,
    /// Where the package list came from (`/var/lib/dpkg/status`, `rpm -qa`).
    pub package_source: Option<String>,
}

impl Base {
    /// An `os-release` value.
    #[must_use]
    pub fn os(&self, key: &str) -> Option<&str> {
        self.os_release
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Whether a program with this `comm` name runs.
    #[must_use]
    pub fn running(&self, comm: &str) -> bool {
        self.processes.iter().any(|(_, c)| c == comm)
    }

    /// Whether a package is installed.
    #[must_use]
    pub fn package(&self, name: &str) -> Option<&Package> {
        self.packages.iter().find(|p| p.name == name)
    }

    /// Whether this is a Debian-family system (dpkg).
    #[must_use]
    pub fn is_debian_family(&self) -> bool {
        let id = self.os("ID").unwrap_or("");
        let like = self.os("ID_LIKE").unwrap_or("");
        id == "debian" || id == "ubuntu" || like.split_whitespace().any(|w| w == "debian")
    }

    /// Whether this is a Red Hat-family system (rpm/dnf).
    #[must_use]
    pub fn is_rhel_family(&self) -> bool {
        let id = self.os("ID").unwrap_or("");
        let like = self.os("ID_LIKE").unwrap_or("");
        ["rhel", "fedora", "centos", "rocky", "almalinux", "ol"].contains(&id)
            || like
                .split_whitespace()
                .any(|w| w == "rhel" || w == "fedora")
    }

    /// The mount that holds `path` (longest mount point prefix).
    #[must_use]
    pub fn mount_of(&self, path: &str) -> Option<&Mount> {
        self.mounts
            .iter()
            .filter(|m| {
                path == m.mount_point
                    || m.mount_point == "/"
                    || path.starts_with(&format!("{}/", m.mount_point.trim_end_matches('/')))
            })
            .max_by_key(|m| m.mount_point.len())
    }
}

/// Everything a fact group needs.
pub struct Ctx<'a> {
    /// The system tree.
    pub fs: Fs,
    /// The command runner.
    pub exec: &'a dyn Exec,
    /// The clock.
    pub now: OffsetDateTime,
    /// The options.
    pub opts: &'a Options,
    /// Facts read once.
    pub base: Base,
    /// Root rights.
    pub privileged: bool,
    /// The backup configuration.
    pub backup_cfg: &'a BackupConfig,
}

impl Ctx<'_> {
    /// The command time limit.
    #[must_use]
    pub fn timeout(&self) -> Duration {
        self.opts.command_timeout
    }
}

/// Parses `KEY=value` lines (`os-release`, `/etc/default/*`), removing quotes.
#[must_use]
pub fn parse_env_file(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| {
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|x| x.strip_suffix('"'))
                .or_else(|| v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
                .unwrap_or(v);
            (k.trim().to_owned(), v.replace("\\\"", "\""))
        })
        .collect()
}

pub use praxcheck_sys::mounts::unescape_mount;

/// Parses `/proc/self/mountinfo` (with `praxcheck_sys::mounts`).
#[must_use]
pub fn parse_mountinfo(text: &str) -> Vec<Mount> {
    praxcheck_sys::mounts::parse_mountinfo(text)
        .into_iter()
        .map(|m| Mount {
            bind: m.root != "/",
            dev: m.dev,
            mount_point: m.mount_point,
            fs_type: m.fs_type,
            source: m.source,
        })
        .collect()
}

/// Parses `/etc/fstab`.
#[must_use]
pub fn parse_fstab(text: &str) -> Vec<FstabEntry> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            Some(FstabEntry {
                spec: unescape_mount(f.first()?),
                mount_point: unescape_mount(f.get(1)?),
                fs_type: (*f.get(2)?).to_owned(),
                options: f
                    .get(3)
                    .map(|o| o.split(',').map(str::to_owned).collect())
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// The running processes (`/proc/<pid>/comm`).
#[must_use]
pub fn processes(fs: &Fs) -> Vec<(u32, String)> {
    let mut v: Vec<(u32, String)> = fs
        .list("/proc")
        .into_iter()
        .filter_map(|n| n.parse::<u32>().ok())
        .filter_map(|pid| {
            let comm = fs.text(&format!("/proc/{pid}/comm")).ok()?;
            Some((pid, comm.trim().to_owned()))
        })
        .collect();
    v.sort();
    v
}

/// systemd units enabled by a symbolic link in `/etc/systemd/system/*.wants/`.
#[must_use]
pub fn enabled_units(fs: &Fs) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    for d in fs.list("/etc/systemd/system") {
        if d.ends_with(".wants") || d.ends_with(".requires") {
            for u in fs.list(&format!("/etc/systemd/system/{d}")) {
                set.insert(u);
            }
        }
    }
    set
}

/// Reads the facts every group needs.
#[must_use]
pub fn read_base(ctx_fs: &Fs, exec: &dyn Exec, timeout: Duration) -> Base {
    let mut b = Base::default();
    if let Some((p, t)) = ctx_fs.first_text(&["/etc/os-release", "/usr/lib/os-release"]) {
        b.os_release = parse_env_file(&t);
        b.os_release_path = Some(p);
    }
    b.processes = processes(ctx_fs);
    b.mounts = ctx_fs
        .text("/proc/self/mountinfo")
        .map(|t| parse_mountinfo(&t))
        .unwrap_or_default();
    b.fstab = ctx_fs
        .text("/etc/fstab")
        .map(|t| parse_fstab(&t))
        .unwrap_or_default();
    b.enabled_units = enabled_units(ctx_fs);
    let (pkgs, src) = packages::read_packages(ctx_fs, exec, timeout, &b);
    b.packages = pkgs;
    b.package_source = src;
    b
}

/// Collects all Linux facts and components; returns them with the privilege flag.
#[must_use]
pub fn collect(
    opts: &Options,
    exec: &dyn Exec,
    now: OffsetDateTime,
    backup_cfg: &BackupConfig,
) -> (Facts, Vec<Component>, bool) {
    let fs = Fs::new(&opts.root);
    let privileged = opts.privileged.unwrap_or_else(|| {
        if opts.is_live() {
            praxcheck_model::sys::is_root()
        } else {
            true
        }
    });
    let base = read_base(&fs, exec, opts.command_timeout);
    let ctx = Ctx {
        fs,
        exec,
        now,
        opts,
        base,
        privileged,
        backup_cfg,
    };
    let mut facts = Facts::new();
    let mut components = Vec::new();
    std::thread::scope(|s| {
        let upd = s.spawn(|| updates::collect(&ctx));
        let fw = s.spawn(|| firewall::collect(&ctx));
        os::collect(&ctx, &mut facts);
        let listening = net::collect(&ctx, &mut facts);
        remote::collect(&ctx, &listening, &mut facts);
        protection::collect(&ctx, &mut facts);
        sysbackup::collect(&ctx, &mut facts);
        net::ti_facts(&ctx, &mut facts);
        components = packages::components(&ctx, &mut facts);
        match upd.join() {
            Ok(f) => facts.extend(f),
            Err(_) => facts.unknown(
                keys::UPDATES_PENDING_COUNT,
                praxcheck_model::UnknownReason::ParseError,
                praxcheck_model::UnknownSaid::InternalError,
                "internal error while reading updates",
                Vec::new(),
            ),
        }
        match fw.join() {
            Ok(f) => facts.extend(f),
            Err(_) => facts.unknown(
                keys::FIREWALL_ENABLED,
                praxcheck_model::UnknownReason::ParseError,
                praxcheck_model::UnknownSaid::InternalError,
                "internal error while reading the firewall",
                Vec::new(),
            ),
        }
    });
    (facts, components, privileged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mountinfo_marks_bind_mounts() {
        // The parsing itself is tested in `praxcheck_sys::mounts`; here the mapping.
        let m = parse_mountinfo(
            "22 1 254:1 / / rw - ext4 /dev/vda1 rw\n\
             41 22 254:1 /srv/data /mnt/data rw - ext4 /dev/vda1 rw\n",
        );
        assert_eq!(m.len(), 2);
        assert!(!m[0].bind);
        assert!(m[1].bind);
        assert_eq!(
            (m[1].mount_point.as_str(), m[1].dev.as_str()),
            ("/mnt/data", "254:1")
        );
    }

    #[test]
    fn env_file_quotes() {
        let v = parse_env_file("NAME=\"Debian GNU/Linux\"\nID=debian\n# c\nX='y'\n");
        assert_eq!(v[0], ("NAME".into(), "Debian GNU/Linux".into()));
        assert_eq!(v[1], ("ID".into(), "debian".into()));
        assert_eq!(v[2], ("X".into(), "y".into()));
    }
}
