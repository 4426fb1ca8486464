//! The Linux collector on fake system trees built here: a Debian practice server with
//! everything a practice check looks at, a bare minimum, a Red Hat system (its commands
//! answered from text written here), and the unprivileged case.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use praxcheck_hostscan::exec::{CmdOutput, ExecError, FnExec, NoExec};
use praxcheck_hostscan::{HostScan, Options, Platform, collect, collect_with};
use praxcheck_model::{ComponentKind, FactValue, HostFact, UnknownReason};
use time::OffsetDateTime;
use time::macros::datetime;

/// A fake system tree.
pub struct Tree {
    pub dir: tempfile::TempDir,
}

impl Tree {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel.trim_start_matches('/'))
    }

    pub fn file(&self, rel: &str, content: impl AsRef<[u8]>) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
        self
    }

    pub fn dir(&self, rel: &str) -> &Self {
        std::fs::create_dir_all(self.path(rel)).unwrap();
        self
    }

    pub fn link(&self, rel: &str, target: &str) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(target, p).unwrap();
        #[cfg(windows)]
        std::os::windows::fs::symlink_file(target, p).unwrap();
        self
    }

    pub fn mtime(&self, rel: &str, t: OffsetDateTime) -> &Self {
        let st: SystemTime = t.into();
        let mut o = std::fs::OpenOptions::new();
        o.read(true);
        // Windows: setting a time needs FILE_WRITE_ATTRIBUTES (a read-only handle gets
        // "Access denied"), and a folder opens only with FILE_FLAG_BACKUP_SEMANTICS.
        #[cfg(windows)]
        {
            use std::os::windows::fs::OpenOptionsExt as _;
            const FILE_WRITE_ATTRIBUTES: u32 = 0x0100;
            const FILE_FLAG_BACKUP_SEMANTICS: u32 = 0x0200_0000;
            o.read(false)
                .access_mode(FILE_WRITE_ATTRIBUTES)
                .custom_flags(FILE_FLAG_BACKUP_SEMANTICS);
        }
        o.open(self.path(rel)).unwrap().set_modified(st).unwrap();
        self
    }

    pub fn opts(&self) -> Options {
        Options {
            root: self.dir.path().to_path_buf(),
            platform: Platform::Linux,
            now: Some(datetime!(2026-11-29 10:00 UTC)),
            privileged: Some(true),
            ..Options::default()
        }
    }
}

pub fn fact<'a>(s: &'a HostScan, key: &str) -> &'a HostFact {
    s.facts.get(key).unwrap_or_else(|| panic!("no fact {key}"))
}

pub fn b(s: &HostScan, key: &str) -> bool {
    fact(s, key)
        .as_bool()
        .unwrap_or_else(|| panic!("{key}: {:?}", fact(s, key).value))
}

pub fn i(s: &HostScan, key: &str) -> i64 {
    fact(s, key)
        .as_int()
        .unwrap_or_else(|| panic!("{key}: {:?}", fact(s, key).value))
}

pub fn t<'a>(s: &'a HostScan, key: &str) -> &'a str {
    fact(s, key)
        .as_text()
        .unwrap_or_else(|| panic!("{key}: {:?}", fact(s, key).value))
}

pub fn list(s: &HostScan, key: &str) -> Vec<String> {
    match &fact(s, key).value {
        FactValue::List(l) => l.clone(),
        other => panic!("{key}: {other:?}"),
    }
}

pub fn reason(s: &HostScan, key: &str) -> UnknownReason {
    fact(s, key)
        .unknown()
        .unwrap_or_else(|| panic!("{key} is known: {:?}", fact(s, key).value))
        .reason
}

const DEBIAN_OS_RELEASE: &str = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n";

const DPKG_STATUS: &str = "\
Package: openssh-server\nStatus: install ok installed\nArchitecture: amd64\nSource: openssh\nVersion: 1:9.2p1-2+deb12u3\n\n\
Package: samba\nStatus: hold ok installed\nArchitecture: amd64\nVersion: 2:4.17.12+dfsg-0+deb12u1\n\n\
Package: teamviewer\nStatus: install ok installed\nArchitecture: amd64\nVersion: 15.60.3\n\n\
Package: unattended-upgrades\nStatus: install ok installed\nArchitecture: all\nVersion: 2.9.1+nmu3\n\n\
Package: restic\nStatus: install ok installed\nArchitecture: amd64\nVersion: 0.14.0-1+b5\n\n\
Package: tzdata\nStatus: install ok installed\nArchitecture: all\nVersion: 2025b-0+deb12u1\n\n\
Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.15-1~deb12u1\nDescription: Secure Sockets Layer toolkit\n shared libraries\n\n\
Package: oldpkg\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1.0\n";

const APT_HISTORY: &str = "\
Start-Date: 2026-11-20  06:25:12\nCommandline: apt-get -y upgrade\nUpgrade: libssl3:amd64 (3.0.14-1~deb12u2, 3.0.15-1~deb12u1)\nEnd-Date: 2026-11-20  06:25:40\n\n\
Start-Date: 2026-11-25  14:02:01\nCommandline: apt-get install restic\nInstall: restic:amd64 (0.14.0-1+b5)\nEnd-Date: 2026-11-25  14:02:05\n";

/// apt's lists: the main archive (plain), security (lz4, as container images keep them),
/// updates (gzip) and backports (not chosen automatically).
fn apt_lists(tr: &Tree) {
    use std::io::Write as _;
    const L: &str = "var/lib/apt/lists/deb.debian.org_debian";
    tr.file(&format!("{L}_dists_bookworm_InRelease"), "Origin: Debian\nLabel: Debian\nSuite: oldstable\nCodename: bookworm\n")
        .file(
            &format!("{L}_dists_bookworm_main_binary-amd64_Packages"),
            "Package: libssl3\nVersion: 3.0.15-1~deb12u1\nArchitecture: amd64\nDescription: x\n more\n\n\
             Package: samba\nVersion: 2:4.17.13+dfsg-0+deb12u1\nArchitecture: amd64\n\n\
             Package: tzdata\nVersion: 2025b-0+deb12u2\nArchitecture: all\n\n\
             Package: libssl3\nVersion: 3.0.99-1\nArchitecture: i386\n",
        )
        .file(&format!("{L}-security_dists_bookworm-security_InRelease"), "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nOrigin: Debian\nLabel: Debian-Security\nSuite: oldstable-security\nCodename: bookworm-security\n")
        .file(&format!("{L}_dists_bookworm-backports_Release"), "Suite: bookworm-backports\nNotAutomatic: yes\n");
    let mut lz = lz4_flex::frame::FrameEncoder::new(Vec::new());
    lz.write_all(b"Package: libssl3\nVersion: 3.0.17-1~deb12u2\nArchitecture: amd64\n\nPackage: linux-image-6.1.0-29-amd64\nVersion: 6.1.123-1\nArchitecture: amd64\n").unwrap();
    tr.file(
        &format!("{L}-security_dists_bookworm-security_main_binary-amd64_Packages.lz4"),
        lz.finish().unwrap(),
    );
    for r in [
        "_dists_bookworm_InRelease",
        "-security_dists_bookworm-security_InRelease",
        "_dists_bookworm-backports_Release",
    ] {
        tr.mtime(&format!("{L}{r}"), datetime!(2026-11-27 05:00 UTC));
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"Package: openssh-server\nVersion: 1:9.9p1-1~bpo12+1\nArchitecture: amd64\n")
        .unwrap();
    tr.file(
        &format!("{L}_dists_bookworm-backports_main_binary-amd64_Packages.gz"),
        gz.finish().unwrap(),
    );
}

const NFT_RULESET: &str = r#"{"nftables":[{"metainfo":{"version":"1.0.6","release_name":"Lester Gooch #5","json_schema_version":1}},
{"table":{"family":"inet","name":"filter","handle":1}},
{"chain":{"family":"inet","table":"filter","name":"input","handle":1,"type":"filter","hook":"input","prio":0,"policy":"drop"}},
{"rule":{"family":"inet","table":"filter","chain":"input","handle":4,"expr":[{"match":{"op":"==","left":{"meta":{"key":"iif"}},"right":"lo"}},{"accept":null}]}},
{"rule":{"family":"inet","table":"filter","chain":"input","handle":5,"expr":[{"match":{"op":"in","left":{"ct":{"key":"state"}},"right":["established","related"]}},{"accept":null}]}},
{"rule":{"family":"inet","table":"filter","chain":"input","handle":6,"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":2222}},{"accept":null}]}},
{"rule":{"family":"inet","table":"filter","chain":"input","handle":7,"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"saddr"}},"right":{"prefix":{"addr":"192.168.10.0","len":24}}}},{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":{"set":[139,445]}}},{"accept":null}]}}]}"#;

/// The ClamAV database header (512 bytes) with a build time.
fn cvd_header(t: OffsetDateTime) -> Vec<u8> {
    let mut h = format!(
        "ClamAV-VDB:20 Nov 2026 08:00 +0000:27466:2076519:90:0123456789abcdef0123456789abcdef:sig:raynman:{}",
        t.unix_timestamp()
    )
    .into_bytes();
    h.resize(512, b' ');
    h.extend_from_slice(b"compressed signatures follow");
    h
}

/// A Debian 12 practice server.
pub fn practice_server() -> Tree {
    let tr = Tree::new();
    tr.file("etc/os-release", DEBIAN_OS_RELEASE)
        .file("etc/debian_version", "12.12\n")
        .file("proc/sys/kernel/osrelease", "6.1.0-27-amd64\n")
        .file("boot/vmlinuz-6.1.0-27-amd64", "k")
        .file("boot/vmlinuz-6.1.0-28-amd64", "k")
        .file("var/lib/dpkg/status", DPKG_STATUS)
        .file("var/log/apt/history.log", APT_HISTORY)
        .file("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_Release", "Suite: oldstable\n")
        .mtime("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_Release", datetime!(2026-11-28 05:00 UTC))
        .file("etc/apt/apt.conf.d/20auto-upgrades", "APT::Periodic::Update-Package-Lists \"1\";\nAPT::Periodic::Unattended-Upgrade \"1\";\n")
        .file("usr/sbin/nft", "")
        // SSH: the include comes first, so its PasswordAuthentication wins.
        .file("usr/sbin/sshd", "")
        .file(
            "etc/ssh/sshd_config",
            "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\nPasswordAuthentication yes\nUsePAM yes\nKbdInteractiveAuthentication no\n\nMatch User praxis-it\n    PasswordAuthentication yes\n",
        )
        .file("etc/ssh/sshd_config.d/50-praxis.conf", "PasswordAuthentication no\nPort 2222\n")
        // Mounts: / on LVM on LUKS, the NAS by CIFS; the USB backup disk is in fstab but unplugged.
        .file(
            "proc/self/mountinfo",
            "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/mapper/vg0-root rw\n\
             23 22 0:22 / /proc rw,nosuid - proc proc rw\n\
             60 22 0:50 / /srv/nas rw,relatime shared:30 - cifs //nas/praxis rw,vers=3.1.1\n",
        )
        .file(
            "etc/fstab",
            "/dev/mapper/vg0-root / ext4 errors=remount-ro 0 1\nUUID=7A1B-22C4 /media/usb-backup ext4 noauto,nofail 0 2\n//nas/praxis /srv/nas cifs credentials=/root/.nas,vers=3.1.1 0 0\n",
        )
        .file("sys/dev/block/254:1/dm/uuid", "LVM-abcdefghijklmnopqrstuvwxyz0123456789\n")
        .file("sys/dev/block/254:1/slaves/dm-0/dummy", "")
        .file("sys/class/block/dm-0/dev", "254:0\n")
        .file("sys/dev/block/254:0/dm/uuid", "CRYPT-LUKS2-0f1e2d3c4b5a69788796a5b4c3d2e1f0-luks\n")
        // Sockets and their programs.
        .file(
            "proc/net/tcp",
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
   0: 00000000:08AE 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5001 1 0000000000000000 100 0 0 10 0\n\
   1: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   112        0 5002 1 0000000000000000 100 0 0 10 0\n",
        )
        .file(
            "proc/net/tcp6",
            "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
   0: 00000000000000000000000000000000:01BD 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5003 1 0000000000000000 100 0 0 10 0\n",
        )
        .file("proc/net/udp", "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n")
        .file("proc/100/comm", "sshd\n")
        .link("proc/100/fd/3", "socket:[5001]")
        .file("proc/200/comm", "postgres\n")
        .link("proc/200/fd/4", "socket:[5002]")
        .file("proc/300/comm", "smbd\n")
        .link("proc/300/fd/7", "socket:[5003]")
        .link("proc/300/fd/8", "/var/log/samba/log.smbd")
        .file("proc/400/comm", "teamviewerd\n")
        .file(
            "proc/net/route",
            "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n\
eth0\t00000000\t020AA8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n\
eth0\t000AA8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n",
        )
        // Backups: rsync to the unplugged USB disk, restic to the NAS and off site.
        .file(
            "etc/cron.d/praxis-backup",
            "SHELL=/bin/sh\n30 1 * * * root rsync -a --delete /srv/praxis/ /media/usb-backup/praxis/ >/var/log/rsync.log 2>&1\n0 2 * * * root /usr/local/bin/sicherung.sh\n",
        )
        .file(
            "usr/local/bin/sicherung.sh",
            "#!/bin/sh\nexport RESTIC_PASSWORD_FILE=/root/.restic\nrestic -r /srv/nas/restic backup /srv/praxis\nrestic -r sftp:backup@offsite.example:/restic backup /srv/praxis\n",
        )
        .file("srv/nas/restic/config", "x")
        .file("srv/nas/restic/data/ab/ab12cd", vec![0u8; 3000])
        .dir("srv/nas/restic/index")
        .dir("srv/nas/restic/keys");
    for (n, d) in [
        ("1111", datetime!(2026-11-26 02:05 UTC)),
        ("2222", datetime!(2026-11-27 02:05 UTC)),
        ("3333", datetime!(2026-11-28 02:05 UTC)),
    ] {
        let p = format!("srv/nas/restic/snapshots/{n}");
        tr.file(&p, "{}").mtime(&p, d);
    }
    apt_lists(&tr);
    // The practice's own folder (named in the configuration file): the newest archive is
    // suspiciously small.
    tr.file(
        "etc/praxcheck/backup.toml",
        "[[folder]]\npath = \"/srv/backup/tar\"\nlabel = \"Tagessicherung\"\n",
    );
    for (n, size) in [("25", 10_000), ("26", 10_100), ("27", 10_200), ("28", 120)] {
        tr.file(
            &format!("srv/backup/tar/praxis-2026-11-{n}.tar.gz"),
            vec![0u8; size],
        );
    }
    // Samba with SMB1 and a guest share; NFS export to everyone.
    tr.file("usr/sbin/smbd", "")
        .file(
            "etc/samba/smb.conf",
            "[global]\n   workgroup = PRAXIS\n   server min protocol = NT1\n\n[scans]\n   path = /srv/scans\n   guest ok = yes\n   writable = yes\n\n[praxis]\n   path = /srv/praxis\n   valid users = @praxis\n   read only = no\n\n[printers]\n   guest ok = yes\n",
        )
        .file("etc/exports", "/srv/export *(rw,sync)\n/srv/intern 192.168.10.0/24(ro)\n")
        // Accounts.
        .file(
            "etc/passwd",
            "root:x:0:0:root:/root:/bin/bash\nempfang:x:1000:1000:Empfang:/home/empfang:/bin/bash\nit:x:1001:1001:IT:/home/it:/bin/bash\nbackup:x:34:34:backup:/var/backups:/usr/sbin/nologin\n",
        )
        .file(
            "etc/shadow",
            "root:$6$abc$def:19000:0:99999:7:::\nempfang::19000:0:99999:7:::\nit:$6$x$y:19000:0:99999:7:::\nbackup:*:19000:0:99999:7:::\n",
        )
        .file("etc/group", "root:x:0:\nsudo:x:27:it\npraxis:x:1000:empfang\n")
        .file(
            "etc/sudoers",
            "Defaults env_reset\nroot ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) ALL\nempfang ALL=(root) NOPASSWD: /usr/bin/systemctl restart cups\n",
        )
        // Desktop with automatic login and no screen lock.
        .file("usr/bin/gnome-session", "")
        .file("usr/sbin/gdm3", "")
        .file("etc/gdm3/custom.conf", "[daemon]\nAutomaticLoginEnable=true\nAutomaticLogin=empfang\n\n[security]\n")
        .file("etc/dconf/db/local.d/00-screensaver", "[org/gnome/desktop/session]\nidle-delay=uint32 0\n")
        // ClamAV with signatures from 2026-11-20.
        .file("usr/bin/clamscan", "")
        .file("var/lib/clamav/daily.cld", cvd_header(datetime!(2026-11-20 08:00 UTC)))
        // Java, the KBV test module, TeamViewer's unattended service.
        .file(
            "usr/lib/jvm/java-17-openjdk-amd64/release",
            "IMPLEMENTOR=\"Debian\"\nJAVA_RUNTIME_VERSION=\"17.0.15+6-Debian-1deb12u1\"\nJAVA_VERSION=\"17.0.15\"\n",
        )
        .link("usr/lib/jvm/default-java", "java-17-openjdk-amd64")
        .file("opt/praxis/XPM_KVDT.Praxis/Bin/xpm-kvdt-praxis-2026.4.2.jar", "PK")
        .link("etc/systemd/system/multi-user.target.wants/teamviewerd.service", "/usr/lib/systemd/system/teamviewerd.service");
    tr
}

pub type Answer = Option<Result<CmdOutput, ExecError>>;

pub fn server_exec() -> FnExec<impl Fn(&str, &[&str]) -> Answer + Sync> {
    FnExec(|program: &str, args: &[&str]| match (program, args) {
        ("nft", ["-j", "list", "ruleset"]) => Some(Ok(CmdOutput::ok(NFT_RULESET))),
        _ => None,
    })
}

pub fn scan_server(connector: Option<&str>) -> (HostScan, Tree) {
    let tr = practice_server();
    let mut o = tr.opts();
    o.connector_address = connector.map(|c| c.parse().unwrap());
    let s = collect_with(&o, &server_exec()).unwrap();
    (s, tr)
}

#[test]
fn operating_system_and_end_of_life_from_os_release() {
    let (s, _t) = scan_server(None);
    assert_eq!(t(&s, "os.name"), "Debian GNU/Linux 12 (bookworm)");
    assert_eq!(t(&s, "os.id"), "debian");
    assert_eq!(t(&s, "os.version"), "12");
    assert_eq!(t(&s, "os.point_release"), "12.12");
    assert_eq!(t(&s, "os.eol_cycle"), "Debian 12 (Bookworm)");
    assert_eq!(t(&s, "os.end_of_life"), "2026-07-11");
    assert_eq!(t(&s, "os.end_of_extended_support"), "2028-06-30");
    // Debian LTS: free, from the normal security repository (the assessment judges the
    // phase on its own date).
    assert_eq!(t(&s, "os.extended_support_kind"), "free");
    assert!(
        fact(&s, "os.extended_support_kind")
            .sources
            .iter()
            .any(|x| x.reference == "https://wiki.debian.org/LTS")
    );
    assert!(
        fact(&s, "os.end_of_life")
            .sources
            .iter()
            .any(|x| x.reference.starts_with("https://")),
        "the cycle's own source"
    );
    assert_eq!(i(&s, "os.days_until_end_of_life"), -141);
    assert!(
        fact(&s, "os.end_of_life")
            .sources
            .iter()
            .any(|x| x.reference == "/etc/os-release")
    );
}

#[test]
fn updates_from_apt_history_and_the_local_package_lists() {
    let (s, _t) = scan_server(None);
    // The install of 2026-11-25 is not an update; the upgrade of 2026-11-20 is.
    assert_eq!(t(&s, "updates.last_installed"), "2026-11-20T06:25:12Z");
    assert_eq!(i(&s, "updates.days_since_last_installed"), 9);
    assert_eq!(t(&s, "updates.last_check"), "2026-11-28T05:00:00Z");
    // libssl3 from security (an lz4 list), tzdata from main; samba is on hold, the
    // backport and the i386 build are no candidates, the kernel image is not installed.
    assert_eq!(i(&s, "updates.pending_count"), 2);
    assert_eq!(i(&s, "updates.pending_security_count"), 1);
    assert_eq!(list(&s, "updates.pending_security"), ["libssl3"]);
    let note = fact(&s, "updates.pending_count").note.clone().unwrap();
    assert!(note.contains("NotAutomatic archive"), "{note}");
    assert!(b(&s, "updates.automatic"));
    // Kernel 6.1.0-28 is installed, 6.1.0-27 runs.
    assert!(b(&s, "updates.reboot_required"));
}

#[test]
fn firewall_ruleset_and_remote_access_rules() {
    let (s, _t) = scan_server(None);
    assert!(b(&s, "firewall.enabled"));
    assert_eq!(t(&s, "firewall.default_inbound"), "drop");
    assert_eq!(t(&s, "firewall.backend"), "nftables");
    let FactValue::FirewallRules(r) = &fact(&s, "firewall.inbound_remote_access_rules").value
    else {
        panic!()
    };
    assert_eq!(
        r.len(),
        1,
        "port 2222 is no known remote-access port: {r:?}"
    );
    assert_eq!(
        (r[0].services.as_slice(), r[0].remote.as_str()),
        (&["smb".to_owned()][..], "192.168.10.0/24")
    );
}

#[test]
fn ssh_settings_follow_sshd_first_value_rule_and_includes() {
    let (s, _t) = scan_server(None);
    assert!(b(&s, "remote.ssh.installed"));
    assert!(b(&s, "remote.ssh.running"));
    assert!(!b(&s, "remote.ssh.password_authentication"));
    let note = fact(&s, "remote.ssh.password_authentication")
        .note
        .clone()
        .unwrap();
    assert!(
        note.contains("/etc/ssh/sshd_config.d/50-praxis.conf:1"),
        "{note}"
    );
    assert!(note.contains("Match"), "{note}");
    assert_eq!(t(&s, "remote.ssh.permit_root_login"), "yes");
    assert!(!b(&s, "remote.ssh.kbd_interactive_authentication"));
    assert_eq!(list(&s, "remote.ssh.ports"), ["2222"]);
}

#[test]
fn sshd_includes_that_include_each_other_are_read_once() {
    // Four drop-ins that each include the whole folder (a copy-paste mistake): read once
    // each, not 4^8 times.
    let root = tempfile::tempdir().unwrap();
    let d = root.path().join("etc/ssh/sshd_config.d");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(
        root.path().join("etc/ssh/sshd_config"),
        "Include /etc/ssh/sshd_config.d/*.conf\nPort 22\n",
    )
    .unwrap();
    for i in 0..4 {
        std::fs::write(
            d.join(format!("{i}.conf")),
            format!("Include /etc/ssh/sshd_config.d/*.conf\nPort 22{i}\n"),
        )
        .unwrap();
    }
    let fs = praxcheck_hostscan::fsroot::Fs::new(root.path());
    let (settings, files, _) =
        praxcheck_hostscan::linux::remote::read_sshd_config(&fs, "/etc/ssh/sshd_config");
    assert_eq!(files.len(), 5, "{files:?}");
    // Each Include is read where it stands (before the file's own Port line), in name order.
    assert_eq!(settings["port"].0, "223 222 221 220 22");
}

// Unix only: the fake tree stands for the kernel's `/proc/<pid>/fd` links (socket:[inode])
// and systemd's wants-links, which the Linux collector reads with readlink. On Windows (the
// Wine tier) such links need a privilege and do not read back as Linux writes them, and the
// Linux collector never runs there against its own system, so the test proves nothing there.
#[cfg(unix)]
#[test]
fn listening_services_with_their_programs() {
    let (s, _t) = scan_server(None);
    let FactValue::Services(l) = &fact(&s, "listening.services").value else {
        panic!()
    };
    let got: Vec<(u16, &str, Option<&str>)> = l
        .iter()
        .map(|x| (x.port, x.scope.as_str(), x.process.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (2222, "any", Some("sshd")),
            (5432, "loopback", Some("postgres")),
            (445, "any", Some("smbd"))
        ]
    );
    assert!(b(&s, "listening.owners_complete"));
}

// Unix only: the fake tree stands for the kernel's `/proc/<pid>/fd` links (socket:[inode])
// and systemd's wants-links, which the Linux collector reads with readlink. On Windows (the
// Wine tier) such links need a privilege and do not read back as Linux writes them, and the
// Linux collector never runs there against its own system, so the test proves nothing there.
#[cfg(unix)]
#[test]
fn remote_tools_smb1_and_open_shares() {
    let (s, _t) = scan_server(None);
    let FactValue::RemoteTools(tools) = &fact(&s, "remote.tools").value else {
        panic!()
    };
    assert_eq!(tools.len(), 1);
    let tv = &tools[0];
    assert_eq!(
        (tv.name.as_str(), tv.running, tv.starts_unattended),
        ("TeamViewer", Some(true), Some(true))
    );
    assert_eq!(tv.version.as_deref(), Some("15.60.3"));
    assert!(b(&s, "remote.smb1.enabled"));
    assert!(!b(&s, "remote.rdp.enabled"));
    assert_eq!(reason(&s, "remote.rdp.nla"), UnknownReason::NotApplicable);
    assert_eq!(
        list(&s, "shares.open_to_everyone"),
        ["scans", "nfs:/srv/export"]
    );
    let FactValue::Shares(sh) = &fact(&s, "shares.list").value else {
        panic!()
    };
    assert!(
        sh.iter()
            .find(|x| x.name == "scans")
            .unwrap()
            .everyone_can_write
    );
    assert!(
        !sh.iter()
            .find(|x| x.name == "praxis")
            .unwrap()
            .open_to_everyone
    );
    assert!(!sh.iter().any(|x| x.name == "printers"));
}

#[test]
fn protection_accounts_autologin_and_disk_encryption() {
    let (s, _t) = scan_server(None);
    assert!(b(&s, "antimalware.present"));
    assert_eq!(i(&s, "antimalware.signature_age_days"), 9);
    assert!(!b(&s, "antimalware.realtime"));
    assert!(!b(&s, "screenlock.enabled"));
    assert_eq!(i(&s, "screenlock.timeout_seconds"), 0);
    assert!(b(&s, "logon.autologon"));
    assert_eq!(t(&s, "logon.autologon_user"), "empfang");
    assert!(b(&s, "disk.system_encrypted"));
    let FactValue::Volumes(v) = &fact(&s, "disk.volumes").value else {
        panic!()
    };
    assert_eq!(
        v.iter().find(|x| x.system).unwrap().method.as_deref(),
        Some("luks2")
    );
    assert_eq!(list(&s, "accounts.empty_password"), ["empfang"]);
    let FactValue::Accounts(a) = &fact(&s, "accounts.admins").value else {
        panic!()
    };
    let names: Vec<(&str, &str)> = a
        .iter()
        .map(|x| (x.name.as_str(), x.via.as_deref().unwrap()))
        .collect();
    // empfang may restart CUPS by sudo, which does not make an administrator.
    assert_eq!(names, [("it", "group sudo"), ("root", "uid 0")]);
}

#[test]
fn backups_targets_age_size_and_attachment() {
    let (s, _t) = scan_server(None);
    let FactValue::BackupTargets(targets) = &fact(&s, "backup.targets").value else {
        panic!()
    };
    let by = |needle: &str| {
        targets
            .iter()
            .find(|x| x.target.contains(needle))
            .unwrap_or_else(|| panic!("{needle}: {targets:?}"))
    };
    // The unplugged USB disk: in fstab with noauto, not mounted now.
    let usb = by("/media/usb-backup/praxis");
    assert_eq!(
        (usb.tool.as_str(), usb.attached_now, usb.mounted_at_boot),
        ("rsync", Some(false), Some(false))
    );
    assert!(!usb.reachable_now);
    // restic on the NAS share: mounted at boot, network.
    let nas = by("/srv/nas/restic");
    assert_eq!(
        (nas.kind.as_str(), nas.attached_now, nas.mounted_at_boot),
        ("network", Some(true), Some(true))
    );
    assert_eq!(nas.newest_backup.as_deref(), Some("2026-11-28T02:05:00Z"));
    assert_eq!(nas.backups_seen, Some(3));
    assert_eq!(nas.total_size_bytes, Some(3000));
    assert_eq!(nas.method.as_deref(), Some("restic repository: snapshots/"));
    // Off-site restic: named, not contacted.
    let off = by("sftp:backup@offsite.example");
    assert_eq!(off.kind, "remote");
    // The user's folder: the newest archive is 120 bytes against 10 kB before.
    let own = by("/srv/backup/tar");
    assert_eq!(own.label.as_deref(), Some("Tagessicherung"));
    assert_eq!(
        (own.newest_size_bytes, own.previous_median_size_bytes),
        (Some(120), Some(10_100))
    );
    assert_eq!(own.on_system_disk, Some(true));
    assert!(own.examined_all);
    assert!(b(&s, "backup.found"));
    assert_eq!(t(&s, "backup.newest"), "2026-11-28T02:05:00Z");
    assert_eq!(i(&s, "backup.newest_age_days"), 1);
    assert!(b(&s, "backup.newest_target_attached_now"));
    assert_eq!(i(&s, "backup.detached_targets"), 1);
    let FactValue::BackupTools(tools) = &fact(&s, "backup.tools").value else {
        panic!()
    };
    let names: Vec<(&str, bool)> = tools
        .iter()
        .map(|x| (x.name.as_str(), x.configured))
        .collect();
    assert_eq!(names, [("restic", true), ("rsync", true)]);
    assert!(
        tools[0].evidence.contains("/usr/local/bin/sicherung.sh:3"),
        "{tools:?}"
    );
}

#[test]
fn ti_connector_serial_and_parallel() {
    let (s, _t) = scan_server(Some("192.168.10.2"));
    assert_eq!(t(&s, "ti.mode"), "serial");
    assert!(b(&s, "ti.connector_is_default_gateway"));
    let (s, _t) = scan_server(Some("192.168.10.5"));
    assert_eq!(t(&s, "ti.mode"), "parallel");
    assert!(b(&s, "ti.connector_in_local_network"));
    let (s, _t) = scan_server(Some("10.0.0.1"));
    assert_eq!(t(&s, "ti.mode"), "other_network");
}

#[test]
fn installed_software_becomes_components_with_purls() {
    let (s, _t) = scan_server(None);
    let pkgs: Vec<_> = s
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::OsPackage)
        .collect();
    assert_eq!(pkgs.len(), 7, "removed packages are left out");
    let ssl = pkgs.iter().find(|c| c.name == "libssl3").unwrap();
    assert_eq!(ssl.ecosystem, "Debian");
    assert_eq!(
        ssl.purl.as_deref(),
        Some(
            "pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=debian-12&upstream=openssl"
        )
    );
    assert_eq!(i(&s, "software.package_count"), 7);
    let prod: Vec<(&str, Option<&str>)> = s
        .components
        .iter()
        .filter(|c| c.ecosystem == "Product")
        .map(|c| (c.name.as_str(), c.version.as_deref()))
        .collect();
    assert!(prod.contains(&("teamviewer", Some("15.60.3"))), "{prod:?}");
    assert!(prod.contains(&("restic", Some("0.14.0-1+b5"))), "{prod:?}");
    assert!(
        prod.contains(&("kbv-xpm-kvdt-praxis", Some("2026.4.2"))),
        "{prod:?}"
    );
    // The default-java link is not a second runtime.
    assert!(prod.contains(&("openjdk", Some("17.0.15"))), "{prod:?}");
    assert_eq!(
        s.components
            .iter()
            .filter(|c| c.kind == ComponentKind::Runtime)
            .count(),
        1
    );
    let xpm = s
        .components
        .iter()
        .find(|c| c.name == "kbv-xpm-kvdt-praxis")
        .unwrap();
    // The display joins the path with the platform's separator: on Windows (the Wine tier)
    // a Linux tree read from there shows `\`, which no Windows user ever sees, because the
    // Linux collector runs only on Linux.
    #[cfg(unix)]
    assert_eq!(
        xpm.location.display,
        "/opt/praxis/XPM_KVDT.Praxis/Bin/xpm-kvdt-praxis-2026.4.2.jar"
    );
}

#[test]
fn every_fact_names_its_source() {
    let (s, _t) = scan_server(None);
    for f in &s.facts.facts {
        let derived_only = f.key.starts_with("host.");
        assert!(
            !f.sources.is_empty() || f.unknown().is_some() || derived_only,
            "{} has no source",
            f.key
        );
    }
    assert!(
        s.facts.facts.windows(2).all(|w| w[0].key < w[1].key),
        "sorted by key"
    );
}

#[test]
fn a_foreign_root_runs_no_commands() {
    let tr = practice_server();
    let s = collect(&tr.opts()).unwrap();
    assert_eq!(reason(&s, "firewall.enabled"), UnknownReason::NotCollected);
    // Files still tell what they tell.
    assert_eq!(i(&s, "updates.pending_count"), 2);
    assert_eq!(
        s.facts.root.as_deref(),
        Some(tr.dir.path().to_str().unwrap())
    );
}

// Unix only: the fake tree stands for the kernel's `/proc/<pid>/fd` links (socket:[inode])
// and systemd's wants-links, which the Linux collector reads with readlink. On Windows (the
// Wine tier) such links need a privilege and do not read back as Linux writes them, and the
// Linux collector never runs there against its own system, so the test proves nothing there.
#[cfg(unix)]
#[test]
fn unprivileged_run_says_which_facts_need_root() {
    let tr = practice_server();
    let mut o = tr.opts();
    o.privileged = Some(false);
    let exec = FnExec(|program: &str, _: &[&str]| match program {
        "nft" => Some(Ok(CmdOutput::failed(
            1,
            "netlink: Error: cache initialization failed: Operation not permitted\n",
        ))),
        _ => None,
    });
    let s = collect_with(&o, &exec).unwrap();
    assert!(!s.facts.privileged);
    assert_eq!(
        reason(&s, "firewall.enabled"),
        UnknownReason::NeedsPrivilege
    );
    assert_eq!(
        list(&s, "host.facts_needing_privilege"),
        ["firewall.enabled"]
    );
    // sshd -T is asked only as root; without it the files are read.
    assert_eq!(
        fact(&s, "remote.ssh.password_authentication").confidence,
        praxcheck_model::Confidence::Medium
    );
}

#[test]
fn a_bare_system_says_no_backup_found_plainly() {
    let tr = Tree::new();
    tr.file("etc/os-release", "NAME=\"Ubuntu\"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"22.04\"\nPRETTY_NAME=\"Ubuntu 22.04.5 LTS\"\n");
    let s = collect_with(&tr.opts(), &NoExec).unwrap();
    assert!(!b(&s, "backup.found"));
    assert_eq!(
        fact(&s, "backup.found").note.as_deref(),
        Some("no backup tool, job or backup folder found")
    );
    assert_eq!(t(&s, "os.end_of_life"), "2027-04-01");
    assert_eq!(t(&s, "os.eol_cycle"), "Ubuntu 22.04 LTS (Jammy Jellyfish)");
    assert!(!b(&s, "firewall.enabled"));
    assert_eq!(
        fact(&s, "firewall.enabled").confidence,
        praxcheck_model::Confidence::Low
    );
    assert_eq!(
        reason(&s, "screenlock.enabled"),
        UnknownReason::NotApplicable
    );
    assert_eq!(
        reason(&s, "remote.ssh.password_authentication"),
        UnknownReason::NotApplicable
    );
}

#[test]
fn rotated_apt_history_is_read_when_the_current_log_has_no_upgrade() {
    use std::io::Write as _;
    let tr = Tree::new();
    tr.file("etc/os-release", DEBIAN_OS_RELEASE)
        .file("var/log/apt/history.log", "Start-Date: 2026-11-02  09:00:00\nInstall: vim:amd64 (2:9.0.1378-2)\nEnd-Date: 2026-11-02  09:00:09\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"Start-Date: 2026-10-03  07:15:00\nUpgrade: bash:amd64 (5.2.15-2+b2, 5.2.15-2+b7)\nEnd-Date: 2026-10-03  07:15:30\n").unwrap();
    tr.file("var/log/apt/history.log.2.gz", gz.finish().unwrap());
    let s = collect_with(&tr.opts(), &NoExec).unwrap();
    assert_eq!(t(&s, "updates.last_installed"), "2026-10-03T07:15:00Z");
    assert!(
        fact(&s, "updates.last_installed").sources[0]
            .reference
            .ends_with("history.log.2.gz")
    );
}

#[test]
fn red_hat_family_from_rpm_and_dnf() {
    let tr = Tree::new();
    tr.file("etc/os-release", "NAME=\"Rocky Linux\"\nVERSION_ID=\"9.4\"\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\nPRETTY_NAME=\"Rocky Linux 9.4 (Blue Onyx)\"\n")
        .dir("var/lib/rpm");
    let rpm_out = "openssl\t1\t3.0.7\t27.el9\tx86_64\tRocky Enterprise Software Foundation\t1764288000\nbash\t(none)\t5.1.8\t9.el9\tx86_64\tRocky Enterprise Software Foundation\t1761696000\n";
    let exec = FnExec(move |program: &str, args: &[&str]| {
        match (program, args.first().copied()) {
        ("rpm", Some("-qa")) => Some(Ok(CmdOutput::ok(rpm_out))),
        ("dnf", _) if args.contains(&"check-update") => Some(Ok(CmdOutput {
            status: Some(100),
            stdout: b"\nopenssl.x86_64   1:3.0.7-28.el9_4   baseos\ncurl.x86_64   7.76.1-29.el9_4.1   baseos\nObsoleting Packages\nfoo.x86_64  1-1  appstream\n".to_vec(),
            stderr: Vec::new(),
            truncated: false,
        })),
        ("dnf", _) if args.contains(&"updateinfo") => {
            Some(Ok(CmdOutput::ok("RLSA-2024:3501 Important/Sec. openssl-1:3.0.7-28.el9_4.x86_64\nRLSA-2024:3501 Important/Sec. openssl-libs-1:3.0.7-28.el9_4.x86_64\n")))
        }
        _ => None,
    }
    });
    let s = collect_with(&tr.opts(), &exec).unwrap();
    assert_eq!(reason(&s, "os.end_of_life"), UnknownReason::NoReferenceData);
    assert_eq!(i(&s, "updates.pending_count"), 2);
    assert_eq!(
        list(&s, "updates.pending_security"),
        ["openssl", "openssl-libs"]
    );
    assert_eq!(t(&s, "updates.last_installed"), "2025-11-28T00:00:00Z");
    let ssl = s.components.iter().find(|c| c.name == "openssl").unwrap();
    assert_eq!(ssl.ecosystem, "RPM");
    assert_eq!(
        ssl.purl.as_deref(),
        Some("pkg:rpm/rocky/openssl@3.0.7-27.el9?arch=x86_64&epoch=1&distro=rocky-9.4")
    );
}

#[test]
fn a_missing_root_is_an_error_naming_it() {
    let o = Options {
        root: PathBuf::from("/nonexistent/praxcheck-root"),
        platform: Platform::Linux,
        ..Options::default()
    };
    let e = collect(&o).unwrap_err().to_string();
    assert!(e.starts_with("/nonexistent/praxcheck-root: "), "{e}");
}

#[test]
fn a_broken_named_backup_configuration_is_an_error_with_the_line() {
    let tr = Tree::new();
    tr.file("etc/os-release", DEBIAN_OS_RELEASE)
        .file("cfg.toml", "[[folder]]\npath = \"/x\"\ncolour = \"blau\"\n");
    let mut o = tr.opts();
    o.backup_config = Some(tr.path("cfg.toml"));
    let e = collect(&o).unwrap_err().to_string();
    assert!(e.contains("cfg.toml") && e.contains("colour"), "{e}");
    // The same file at the default place is reported as a fact; the scan goes on.
    tr.file(
        "etc/praxcheck/backup.toml",
        "[[folder]]\npath = \"/x\"\ncolour = \"blau\"\n",
    );
    let s = collect_with(&tr.opts(), &NoExec).unwrap();
    assert_eq!(reason(&s, "backup.config"), UnknownReason::ParseError);
    let _ = Path::new("/");
}
