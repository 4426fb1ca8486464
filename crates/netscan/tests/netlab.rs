//! The namespace lab tier: real services (Samba with SMB1 on and off, OpenSSH, vsftpd with
//! anonymous login, an HTTPS server with a self-signed certificate, a pynetdicom C-ECHO SCP)
//! and small fakes (RDP, VNC, HL7, MariaDB and Telnet greetings) in network namespaces this
//! test builds itself (see `lab/mod.rs`); the scanner runs in a namespace of its own. Asserts
//! every finding, the absence of false ones, and with nftables counters in the scanner's
//! namespace that no packet went to an address outside the target list.
//!
//! Root and Debian packages needed; without them each test prints `SKIPPED: <reason>`
//! (`PRAXCHECK_REQUIRE_NETLAB=1` turns that into a failure, as CI does when it runs as root).

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;
mod lab;

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use lab::{Lab, NET, script};
use praxcheck_model::{DeviceKind, FactValue, NetHost, NetService, NetworkFacts};
use praxcheck_netscan::{NetOptions, scan};

fn ip(octet: u8) -> IpAddr {
    format!("{NET}.{octet}").parse().unwrap()
}

fn sa(octet: u8, port: u16) -> SocketAddr {
    SocketAddr::new(ip(octet), port)
}

fn host(f: &NetworkFacts, octet: u8) -> &NetHost {
    let a = ip(octet).to_string();
    f.hosts
        .iter()
        .find(|h| h.address == a)
        .unwrap_or_else(|| panic!("host {a} not found in {:#?}", f.hosts))
}

fn svc(h: &NetHost, port: u16) -> &NetService {
    h.services
        .iter()
        .find(|s| s.port == port)
        .unwrap_or_else(|| panic!("{}:{port} not found in {:#?}", h.address, h.services))
}

fn probe(s: &NetService, key: &str) -> FactValue {
    s.probes
        .iter()
        .find(|p| p.key == key)
        .map(|p| p.value.clone())
        .unwrap_or_else(|| panic!("probe {key} missing on port {}: {:#?}", s.port, s.probes))
}

/// The evidence of probe result `key` on a service.
fn evidence<'a>(s: &'a NetService, key: &str) -> &'a str {
    s.probes
        .iter()
        .find(|p| p.key == key)
        .map(|p| p.evidence.as_str())
        .unwrap_or_else(|| panic!("probe {key} missing on port {}: {:#?}", s.port, s.probes))
}

/// The `PRAX-NET-*` rules that fail on these facts (judged on 2026-11-29), with evidence.
fn failing_rules(facts: &NetworkFacts) -> Vec<(String, String)> {
    common::failing_rules(facts, time::macros::date!(2026 - 11 - 29))
}

fn smb_conf(lab: &Lab, name: &str, addr: IpAddr, min_protocol: &str) -> String {
    let d = lab.path(name);
    for sub in ["private", "lock", "state", "cache", "pid", "share"] {
        std::fs::create_dir_all(d.join(sub)).unwrap();
    }
    let d = d.display();
    let conf = format!(
        "[global]\n  interfaces = {addr}\n  bind interfaces only = yes\n  \
         server min protocol = {min_protocol}\n  server role = standalone server\n  \
         workgroup = PRAXIS\n  netbios name = {name}\n  private dir = {d}/private\n  \
         lock directory = {d}/lock\n  state directory = {d}/state\n  cache directory = {d}/cache\n  \
         pid directory = {d}/pid\n  ncalrpc dir = {d}/state/ncalrpc\n  disable netbios = yes\n  \
         smb ports = 445 139\n  map to guest = Bad User\n  log level = 1\n\
         [befunde]\n  path = {d}/share\n  guest ok = yes\n  read only = yes\n"
    );
    let f = lab.path(&format!("{name}.conf"));
    std::fs::write(&f, conf).unwrap();
    f.display().to_string()
}

/// Starts Samba (`smbd` in the foreground) in `ns` with the configuration of [`smb_conf`].
fn spawn_smbd(lab: &mut Lab, ns: &str, name: &str, netbios: &str, addr: IpAddr, min: &str) {
    let conf = smb_conf(lab, netbios, addr, min);
    lab.spawn(
        ns,
        name,
        &[
            "smbd",
            "--foreground",
            "--no-process-group",
            "--debug-stdout",
            "-s",
            &conf,
        ],
    );
}

/// Starts OpenSSH on `addr:22` in `ns` with a host key in the lab's folder, its
/// privilege-separation directory `/run/sshd` in a private mount namespace (see
/// [`Lab::spawn_private_run`]), no configuration file and no pid file.
fn spawn_sshd(lab: &mut Lab, ns: &str, addr: &str) {
    let key = lab.path("ssh_host_ed25519_key");
    if !key.exists() {
        lab::sh(&[
            "ssh-keygen",
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-f",
            key.to_str().unwrap(),
        ]);
    }
    lab.spawn_private_run(
        ns,
        "sshd",
        "sshd",
        &[
            "/usr/sbin/sshd",
            "-D",
            "-e",
            "-f",
            "/dev/null",
            "-h",
            key.to_str().unwrap(),
            "-o",
            &format!("ListenAddress={addr}"),
            "-o",
            "PidFile=none",
        ],
    );
}

/// Builds the practice LAN; returns the lab and the scanner's namespace.
fn practice_lab() -> (Lab, String) {
    let mut lab = Lab::new();
    let scanner = lab.host("scan", &[1]);
    let pc = lab.host("pc", &[10]);
    let pc2 = lab.host("pc2", &[11]);
    let srv = lab.host("srv", &[20]);
    let med = lab.host("med", &[30]);
    // The ultrasound device's network card carries a prefix of the vendor table (IEEE MA-L
    // 00:09:FB, Philips Patient Monitoring): the scanner learns it from its neighbour table.
    lab::sh(&[
        "ip",
        "-n",
        &med,
        "link",
        "set",
        "eth0",
        "address",
        "00:09:fb:00:00:30",
    ]);
    let decoy = lab.host("decoy", &[50]);
    let py = "python3";
    let services = script("services.py");
    let dicom = script("dicom_scp.py");

    // 10: a reception PC with SMBv1, RDP without NLA, VNC without password.
    spawn_smbd(&mut lab, &pc, "smbd-on", "EMPFANG", ip(10), "NT1");
    let a10 = ip(10).to_string();
    lab.spawn(
        &pc,
        "rdp-std",
        &[py, &services, "rdp-standard", &a10, "3389"],
    );
    lab.spawn(&pc, "vnc-none", &[py, &services, "vnc-none", &a10, "5900"]);
    // … and a SQL Server 2012 (11.0.7001) answering the TDS PRELOGIN: unsupported, and on a
    // workstation rather than the server.
    lab.spawn(
        &pc,
        "mssql",
        &[
            py,
            &services,
            "reply:\\x04\\x01\\x00\\x1a\\x00\\x00\\x01\\x00\\x00\\x00\\x0b\\x00\\x06\\x01\\x00\\x11\\x00\\x01\\xff\\x0b\\x00\\x1b\\x59\\x00\\x00\\x02",
            &a10,
            "1433",
        ],
    );
    // 11: a hardened PC: SMB2 and later only, RDP with NLA, VNC with a password.
    spawn_smbd(&mut lab, &pc2, "smbd-off", "ARZT", ip(11), "SMB2_02");
    let a11 = ip(11).to_string();
    lab.spawn(&pc2, "rdp-nla", &[py, &services, "rdp-nla", &a11, "3389"]);
    lab.spawn(&pc2, "vnc-auth", &[py, &services, "vnc-auth", &a11, "5900"]);

    // 20: the practice server.
    let a20 = ip(20).to_string();
    spawn_sshd(&mut lab, &srv, &a20);
    let www = lab.path("www");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::write(
        www.join("index.html"),
        "<html><head><title>Router Admin Login</title></head>\
         <body><form><input type=\"password\" name=\"p\"></form></body></html>",
    )
    .unwrap();
    let empty = lab.path("vsftpd-empty");
    std::fs::create_dir_all(&empty).unwrap();
    let vsftpd = lab.path("vsftpd.conf");
    std::fs::write(
        &vsftpd,
        format!(
            "listen=YES\nlisten_ipv6=NO\nlisten_address={a20}\nbackground=NO\n\
             anonymous_enable=YES\nanon_root={}\nlocal_enable=NO\nwrite_enable=NO\n\
             secure_chroot_dir={}\nftpd_banner=Praxis FTP ready\n",
            www.display(),
            empty.display()
        ),
    )
    .unwrap();
    lab.spawn(&srv, "vsftpd", &["vsftpd", vsftpd.to_str().unwrap()]);
    lab.spawn(
        &srv,
        "http",
        &[
            py,
            "-m",
            "http.server",
            "80",
            "--bind",
            &a20,
            "--directory",
            www.to_str().unwrap(),
        ],
    );
    let (crt, tkey) = (lab.path("https.crt"), lab.path("https.key"));
    lab::sh(&[
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        tkey.to_str().unwrap(),
        "-out",
        crt.to_str().unwrap(),
        "-days",
        "30",
        "-subj",
        "/CN=praxis-server.local/O=Praxis Test",
    ]);
    lab.spawn(
        &srv,
        "https",
        &[
            "openssl",
            "s_server",
            "-quiet",
            "-www",
            "-accept",
            &format!("{a20}:443"),
            "-cert",
            crt.to_str().unwrap(),
            "-key",
            tkey.to_str().unwrap(),
        ],
    );
    lab.spawn(
        &srv,
        "telnet",
        &[
            py,
            &services,
            "banner:\\xff\\xfd\\x18\\xff\\xfd\\x20\\r\\nDebian GNU/Linux 12\\r\\npraxis-server login: ",
            &a20,
            "23",
        ],
    );
    lab.spawn(&srv, "hl7", &[py, &services, "hl7", &a20, "2575"]);
    lab.spawn(
        &srv,
        "mariadb",
        &[
            py,
            &services,
            "banner:J\\x00\\x00\\x00\\x0a5.5.5-10.11.6-MariaDB-0+deb12u1\\x00",
            &a20,
            "3306",
        ],
    );

    // 30: an ultrasound device: C-ECHO for any AE title on 104 and 11112, strict on 4242.
    let a30 = ip(30).to_string();
    for (port, mode) in [("104", "any"), ("11112", "any"), ("4242", "strict")] {
        lab.spawn(
            &med,
            &format!("dicom{port}"),
            &[py, &dicom, &a30, port, "US_PRAXIS1", mode],
        );
    }

    // 40: a TI connector (secunet) whose service directory names a firmware whose approval
    // was revoked (5.1.2), served by `openssl s_server -WWW` from the lab's folder.
    let kon = lab.host("kon", &[40]);
    let sds = lab.path("kon-www");
    std::fs::create_dir_all(&sds).unwrap();
    std::fs::write(
        sds.join("connector.sds"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <CONN:ConnectorServices xmlns:CONN=\"http://ws.gematik.de/conn/ServiceDirectory/v3.1\" \
         xmlns:PI=\"http://ws.gematik.de/int/version/ProductInformation/v1.1\">\
         <PI:ProductInformation><PI:ProductIdentification><PI:ProductVendorID>secunet</PI:ProductVendorID>\
         <PI:ProductVersion><PI:Local><PI:HWVersion>2.0.0</PI:HWVersion><PI:FWVersion>5.1.2</PI:FWVersion>\
         </PI:Local></PI:ProductVersion></PI:ProductIdentification><PI:ProductMiscellaneous>\
         <PI:ProductName>secunet konnektor 2.1.0</PI:ProductName></PI:ProductMiscellaneous>\
         </PI:ProductInformation></CONN:ConnectorServices>\n",
    )
    .unwrap();
    let a40 = ip(40).to_string();
    let serve_sds = format!(
        "cd '{}' && exec openssl s_server -quiet -WWW -accept {a40}:443 -cert '{}' -key '{}'",
        sds.display(),
        crt.display(),
        tkey.display()
    );
    lab.spawn(&kon, "konnektor", &["sh", "-c", &serve_sds]);
    // 41: an old Linux box whose SSH banner names Debian 9 (past its end of life).
    let old = lab.host("old", &[41]);
    lab.spawn(
        &old,
        "old-ssh",
        &[
            py,
            &services,
            "banner:SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u7\\r\\n",
            &ip(41).to_string(),
            "22",
        ],
    );

    // 50: a device that is not a target: it must not see a packet.
    lab.spawn(
        &decoy,
        "decoy",
        &[py, "-m", "http.server", "80", "--bind", &ip(50).to_string()],
    );

    let limit = Duration::from_secs(40);
    lab.wait_listening(
        &pc,
        &[
            sa(10, 445),
            sa(10, 139),
            sa(10, 3389),
            sa(10, 5900),
            sa(10, 1433),
        ],
        limit,
    );
    lab.wait_listening(
        &pc2,
        &[sa(11, 445), sa(11, 139), sa(11, 3389), sa(11, 5900)],
        limit,
    );
    lab.wait_listening(
        &srv,
        &[
            sa(20, 21),
            sa(20, 22),
            sa(20, 23),
            sa(20, 80),
            sa(20, 443),
            sa(20, 2575),
            sa(20, 3306),
        ],
        limit,
    );
    lab.wait_listening(&med, &[sa(30, 104), sa(30, 11112), sa(30, 4242)], limit);
    lab.wait_listening(&decoy, &[sa(50, 80)], limit);
    lab.wait_listening(&kon, &[sa(40, 443)], limit);
    lab.wait_listening(&old, &[sa(41, 22)], limit);
    lab.count_input(&decoy);
    (lab, scanner)
}

const TOOLS: &[&str] = &[
    "ip",
    "unshare",
    "nft",
    "ss",
    "setsid",
    "smbd",
    "/usr/sbin/sshd",
    "ssh-keygen",
    "vsftpd",
    "openssl",
    "python3",
    "python:pynetdicom",
];

/// The mount entries of a process (`/proc/<pid>/mountinfo`): mount point and source.
fn mounts(pid: &str) -> Vec<(String, String)> {
    std::fs::read_to_string(format!("/proc/{pid}/mountinfo"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            let sep = f.iter().position(|x| *x == "-")?;
            Some(((*f.get(4)?).to_owned(), (*f.get(sep + 2)?).to_owned()))
        })
        .collect()
}

#[test]
fn sshd_keeps_its_privilege_separation_directory_inside_the_lab() {
    if !lab::available(
        "netlab sshd",
        &[
            "ip",
            "ss",
            "setsid",
            "unshare",
            "pgrep",
            "/usr/sbin/sshd",
            "ssh-keygen",
        ],
    ) {
        return;
    }
    let host_run = std::path::Path::new("/run/sshd");
    let existed = host_run.exists();
    let mut lab = Lab::new();
    let srv = lab.host("srv", &[20]);
    spawn_sshd(&mut lab, &srv, &ip(20).to_string());
    lab.wait_listening(&srv, &[sa(20, 22)], Duration::from_secs(20));
    // sshd checks its privilege-separation directory at start: it listens, so it found one —
    // in its own mount namespace, on the lab's tmpfs.
    let sshd = lab
        .pids("sshd")
        .into_iter()
        .find(|p| {
            std::fs::read_to_string(format!("/proc/{p}/comm")).is_ok_and(|c| c.trim() == "sshd")
        })
        .expect("sshd process");
    let own = mounts(&sshd.to_string());
    assert!(
        own.iter()
            .any(|(at, src)| at == "/run" && src == "praxcheck-lab"),
        "{own:?}"
    );
    assert!(std::path::Path::new(&format!("/proc/{sshd}/root/run/sshd")).is_dir());
    assert!(
        !mounts("self").iter().any(|(_, src)| src == "praxcheck-lab"),
        "the lab's tmpfs is visible on the host"
    );
    // The banner comes: sshd runs.
    let banner = Lab::in_ns(&srv, || {
        let mut c = std::net::TcpStream::connect(sa(20, 22)).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut b = [0u8; 64];
        let n = std::io::Read::read(&mut c, &mut b).unwrap_or(0);
        String::from_utf8_lossy(&b[..n]).into_owned()
    });
    assert!(banner.starts_with("SSH-2.0-OpenSSH"), "{banner:?}");
    assert_eq!(
        host_run.exists(),
        existed,
        "the lab changed the host's /run/sshd"
    );
    drop(lab);
    assert_eq!(
        host_run.exists(),
        existed,
        "the lab changed the host's /run/sshd"
    );
}

#[test]
fn the_practice_lab_gives_every_finding_and_no_false_one_and_no_packet_leaves_the_targets() {
    if !lab::available("netlab practice", TOOLS) {
        return;
    }
    let (lab, scanner) = practice_lab();
    // 10.99.7.60 does not exist; 10.99.7.50 exists but is not a target.
    let targets = vec![
        format!("{NET}.10-11"),
        format!("{NET}.20"),
        format!("{NET}.30"),
        format!("{NET}.40-41"),
        format!("{NET}.60"),
    ];
    let allowed = [ip(10), ip(11), ip(20), ip(30), ip(40), ip(41), ip(60)];
    lab.count_output(&scanner, &allowed);
    let mut opts = NetOptions::new(targets).unwrap();
    opts.scan_timeout = Duration::from_secs(60);
    // The active probe too: no service here performs a lookup, so none may be reported.
    opts.active = true;
    opts.callback_wait = Duration::from_secs(1);
    let started = Instant::now();
    let facts = Lab::in_ns(&scanner, move || scan(&opts).unwrap());
    let took = started.elapsed();
    eprintln!("netlab scan of 7 addresses took {took:?}");
    assert!(facts.complete, "the scan ran into its time limit");

    // No packet to an address outside the targets, and the decoy saw nothing.
    let outside = Lab::counter(&scanner, "outside");
    let inside = Lab::counter(&scanner, "inside");
    assert_eq!(
        outside,
        0,
        "packets to addresses outside the target list: {}",
        Lab::outside_destinations(&scanner)
    );
    assert!(
        inside > 100,
        "the scan sent only {inside} packets to targets"
    );
    assert_eq!(Lab::counter(&lab.ns("decoy"), "received"), 0);

    // Exactly the live targets.
    let found: BTreeSet<String> = facts.hosts.iter().map(|h| h.address.clone()).collect();
    let want: BTreeSet<String> = [10, 11, 20, 30, 40, 41]
        .iter()
        .map(|o| ip(*o).to_string())
        .collect();
    assert_eq!(found, want, "{:#?}", facts.hosts);

    // 10: SMBv1 on, RDP without NLA, VNC without password.
    let h = host(&facts, 10);
    assert_eq!(h.device_kind, DeviceKind::Computer);
    let s = svc(h, 445);
    assert_eq!(s.identified.as_deref(), Some("smb"));
    assert_eq!(probe(s, "smb.v1_accepted"), FactValue::Bool(true));
    assert!(matches!(
        probe(s, "smb.signing_required"),
        FactValue::Bool(_)
    ));
    // Samba's NTLMSSP CHALLENGE says 6.1 build 0: named Samba, not Windows 7, and no
    // device line (it is no end-of-life Windows).
    assert_eq!(probe(s, "smb.os_product"), FactValue::Text("Samba".into()));
    assert_eq!(probe(s, "smb.os_version"), FactValue::Text("6.1".into()));
    assert_eq!(probe(s, "smb.os_build"), FactValue::Int(0));
    // Read through SMB1's session setup, since SMB1 is on here.
    let ev = evidence(s, "smb.os_build");
    assert!(ev.starts_with("SMB1 NTLMSSP CHALLENGE"), "{ev}");
    assert!(
        !s.probes.iter().any(|p| p.key.starts_with("device.")),
        "{s:#?}"
    );
    assert_eq!(svc(h, 139).identified.as_deref(), Some("netbios-ssn"));
    assert_eq!(
        probe(svc(h, 3389), "rdp.nla_required"),
        FactValue::Bool(false)
    );
    assert_eq!(probe(svc(h, 5900), "vnc.no_auth"), FactValue::Bool(true));
    let s = svc(h, 1433);
    assert_eq!(s.identified.as_deref(), Some("mssql"));
    assert_eq!(
        probe(s, "mssql.version"),
        FactValue::Text("11.0.7001".into())
    );
    assert_eq!(
        probe(s, "device.product"),
        FactValue::Text("Microsoft SQL Server".into())
    );
    assert_eq!(probe(s, "db.on_server"), FactValue::Bool(false));
    assert_eq!(h.services.len(), 5, "{:#?}", h.services);

    // 11: the hardened PC.
    let h = host(&facts, 11);
    assert_eq!(
        probe(svc(h, 445), "smb.v1_accepted"),
        FactValue::Bool(false)
    );
    assert_eq!(svc(h, 445).identified.as_deref(), Some("smb"));
    assert_eq!(
        probe(svc(h, 445), "smb.os_product"),
        FactValue::Text("Samba".into())
    );
    let ev = evidence(svc(h, 445), "smb.os_build");
    assert!(ev.starts_with("SMB2 NTLMSSP CHALLENGE"), "{ev}");
    assert_eq!(
        probe(svc(h, 3389), "rdp.nla_required"),
        FactValue::Bool(true)
    );
    assert_eq!(probe(svc(h, 5900), "vnc.no_auth"), FactValue::Bool(false));
    assert_eq!(h.services.len(), 4, "{:#?}", h.services);

    // 20: the server.
    let h = host(&facts, 20);
    let s = svc(h, 21);
    assert_eq!(s.identified.as_deref(), Some("ftp"));
    assert_eq!(probe(s, "ftp.anonymous_login"), FactValue::Bool(true));
    let s = svc(h, 22);
    assert_eq!(s.identified.as_deref(), Some("ssh"));
    assert!(s.product.as_deref().unwrap_or("").starts_with("OpenSSH_"));
    // The real OpenSSH's banner names this machine's Debian release: recognised, no other
    // probe result.
    let keys: Vec<&str> = s.probes.iter().map(|p| p.key.as_str()).collect();
    if s.banner.as_deref().unwrap_or("").contains("+deb") {
        assert_eq!(keys, ["device.product", "device.version"], "{s:#?}");
    } else {
        assert!(keys.is_empty(), "{s:#?}");
    }
    assert_eq!(probe(svc(h, 23), "telnet.open"), FactValue::Bool(true));
    let s = svc(h, 80);
    assert_eq!(s.identified.as_deref(), Some("http"));
    assert_eq!(probe(s, "http.plaintext_login"), FactValue::Bool(true));
    let s = svc(h, 443);
    assert_eq!(s.identified.as_deref(), Some("https"));
    let tls = s.tls.as_ref().unwrap();
    assert!(tls.self_signed && !tls.expired, "{tls:?}");
    assert!(tls.subject.contains("praxis-server.local"));
    assert_eq!(svc(h, 2575).identified.as_deref(), Some("hl7-mllp"));
    let s = svc(h, 3306);
    assert_eq!(s.identified.as_deref(), Some("mysql"));
    assert!(s.product.as_deref().unwrap_or("").contains("MariaDB"));
    assert_eq!(
        probe(s, "device.version"),
        FactValue::Text("10.11.6".into())
    );
    assert_eq!(probe(s, "db.on_server"), FactValue::Bool(true));
    assert_eq!(h.device_kind, DeviceKind::Server);
    assert_eq!(h.services.len(), 7, "{:#?}", h.services);

    // 30: the ultrasound device, with its vendor from the MAC address the scan's own
    // connections put into the scanner's neighbour table.
    let h = host(&facts, 30);
    assert_eq!(h.device_kind, DeviceKind::MedicalDevice);
    assert_eq!(h.mac.as_deref(), Some("00:09:fb:00:00:30"), "{h:#?}");
    assert_eq!(h.vendor.as_deref(), Some("Philips Patient Monitoring"));
    assert!(h.discovered_by.iter().any(|d| d == "tcp_connect"), "{h:#?}");
    // Every live host is on the scanner's link: each has its MAC, none of them a vendor
    // the table does not know.
    for h in &facts.hosts {
        assert!(h.mac.is_some(), "{h:#?}");
        if h.address != ip(30).to_string() {
            assert_eq!(h.vendor, None, "{h:#?}");
        }
    }
    assert_eq!(
        probe(svc(h, 104), "dicom.any_ae_accepted"),
        FactValue::Bool(true)
    );
    assert_eq!(
        probe(svc(h, 11112), "dicom.any_ae_accepted"),
        FactValue::Bool(true)
    );
    assert_eq!(
        probe(svc(h, 4242), "dicom.any_ae_accepted"),
        FactValue::Bool(false)
    );
    assert_eq!(h.services.len(), 3, "{:#?}", h.services);

    // 40: the TI connector with the revoked firmware; 41: the Debian 9 box.
    let h = host(&facts, 40);
    assert_eq!(h.device_kind, DeviceKind::TiConnector);
    let s = svc(h, 443);
    assert_eq!(s.identified.as_deref(), Some("ti-connector"));
    assert_eq!(
        probe(s, "ti.connector_firmware"),
        FactValue::Text("5.1.2".into())
    );
    assert_eq!(probe(s, "device.version"), FactValue::Text("5.1.2".into()));
    let h = host(&facts, 41);
    assert_eq!(
        probe(svc(h, 22), "device.product"),
        FactValue::Text("Debian Debian GNU/Linux".into())
    );

    // The active probe reached both web services of the server (plain HTTP and TLS) and the
    // connector's with three requests each, and reports nothing: not detected, never "safe".
    let probed: Vec<(String, u16, &str, u32)> = facts
        .log4shell
        .iter()
        .map(|p| (p.address.clone(), p.port, p.scheme.as_str(), p.requests))
        .collect();
    assert_eq!(
        probed,
        [
            (ip(20).to_string(), 80, "http", 3),
            (ip(20).to_string(), 443, "https", 3),
            (ip(40).to_string(), 443, "https", 3)
        ]
    );
    assert!(facts.log4shell.iter().all(|p| p.verdict
        == praxcheck_model::Log4ShellVerdict::NotDetected
        && p.callbacks.is_empty()));

    // The rules: exactly these fail, each naming only the risky services.
    let failing = failing_rules(&facts);
    let ids: BTreeSet<&str> = failing.iter().map(|(id, _)| id.as_str()).collect();
    let expected: BTreeSet<&str> = [
        "PRAX-NET-SMB1",
        "PRAX-NET-RDP-NO-NLA",
        "PRAX-NET-VNC-NO-AUTH",
        "PRAX-NET-FTP-ANONYMOUS",
        "PRAX-NET-TELNET",
        "PRAX-NET-HTTP-PLAINTEXT-LOGIN",
        "PRAX-NET-TLS-SELF-SIGNED",
        "PRAX-NET-DICOM-ANY-AE",
        "PRAX-NET-DB-UNSUPPORTED",
        "PRAX-NET-DB-EXPOSED",
        "PRAX-NET-FIRMWARE-OUTDATED",
        "PRAX-NET-DEVICE-EOL",
    ]
    .into_iter()
    .collect();
    assert_eq!(ids, expected, "{failing:#?}");
    let evidence = |id: &str| {
        failing
            .iter()
            .find(|(r, _)| r == id)
            .map(|(_, e)| e.clone())
            .unwrap()
    };
    let e = evidence("PRAX-NET-SMB1");
    assert!(e.contains(&format!("{NET}.10:445")) && !e.contains(&format!("{NET}.11")));
    let e = evidence("PRAX-NET-RDP-NO-NLA");
    assert!(e.contains(&format!("{NET}.10:3389")) && !e.contains(&format!("{NET}.11")));
    let e = evidence("PRAX-NET-VNC-NO-AUTH");
    assert!(e.contains(&format!("{NET}.10:5900")) && !e.contains(&format!("{NET}.11")));
    let e = evidence("PRAX-NET-DB-UNSUPPORTED");
    assert!(
        e.contains(&format!("{NET}.10:1433"))
            && e.contains("SQL Server 2012")
            && !e.contains(":3306"),
        "{e}"
    );
    let e = evidence("PRAX-NET-DB-EXPOSED");
    assert!(
        e.contains(&format!("{NET}.10:1433")) && !e.contains(":3306"),
        "{e}"
    );
    let e = evidence("PRAX-NET-FIRMWARE-OUTDATED");
    assert!(
        e.contains(&format!("{NET}.40:443")) && e.contains("5.50.4"),
        "{e}"
    );
    let e = evidence("PRAX-NET-DEVICE-EOL");
    assert!(
        e.contains(&format!("{NET}.41:22"))
            && e.contains("Debian 9")
            && !e.contains(&format!("{NET}.20"))
            && !e.contains(":445"),
        "{e}"
    );
    let e = evidence("PRAX-NET-DICOM-ANY-AE");
    assert!(
        e.contains(":104") && e.contains(":11112") && !e.contains(":4242"),
        "{e}"
    );
    drop(lab);
}

/// The vulnerable Java server's folder (`VulnServer.java`, `lib/` with log4j 2.14.1), from
/// `PRAXCHECK_NETLAB_LOG4J` or `../shared/netlab/log4j-target`: the extended tier (the jars
/// are a deliberately vulnerable third-party binary and never committed).
fn log4j_target() -> Option<std::path::PathBuf> {
    let set = std::env::var_os("PRAXCHECK_NETLAB_LOG4J").map(std::path::PathBuf::from);
    let dir = set.clone().unwrap_or_else(|| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/netlab/log4j-target")
    });
    if dir.join("lib/log4j-core-2.14.1.jar").is_file() {
        return Some(dir);
    }
    assert!(
        set.is_none(),
        "PRAXCHECK_NETLAB_LOG4J={} holds no lib/log4j-core-2.14.1.jar",
        dir.display()
    );
    eprintln!(
        "SKIPPED (extended tier): the vulnerable Log4j server needs {}",
        dir.display()
    );
    None
}

#[test]
fn active_proves_the_vulnerable_java_server_vulnerable_and_the_control_not_detected() {
    if !lab::available(
        "netlab active",
        &["ip", "nft", "ss", "setsid", "java", "javac"],
    ) {
        return;
    }
    let Some(src) = log4j_target() else {
        return;
    };
    let mut lab = Lab::new();
    let scanner = lab.host("scan", &[1]);
    let vuln = lab.host("vuln", &[40]);
    let control = lab.host("ctrl", &[41]);
    let classes = lab.path("classes");
    let api = src.join("lib/log4j-api-2.14.1.jar");
    let core = src.join("lib/log4j-core-2.14.1.jar");
    lab::sh(&[
        "javac",
        "-d",
        classes.to_str().unwrap(),
        "-cp",
        api.to_str().unwrap(),
        src.join("VulnServer.java").to_str().unwrap(),
    ]);
    let cp = format!("{}:{}:{}", classes.display(), api.display(), core.display());
    let (a40, a41) = (ip(40).to_string(), ip(41).to_string());
    lab.spawn(
        &vuln,
        "vulnerable",
        &["java", "-cp", &cp, "VulnServer", &a40, "8080"],
    );
    lab.spawn(
        &control,
        "control",
        &[
            "java",
            "-Dlog4j2.formatMsgNoLookups=true",
            "-cp",
            &cp,
            "VulnServer",
            &a41,
            "8080",
        ],
    );
    let limit = Duration::from_secs(60);
    lab.wait_listening(&vuln, &[sa(40, 8080)], limit);
    lab.wait_listening(&control, &[sa(41, 8080)], limit);
    lab.count_output(&scanner, &[ip(40), ip(41)]);

    let mut opts = NetOptions::new(vec![a40.clone(), a41.clone()]).unwrap();
    opts.active = true;
    opts.callback_wait = Duration::from_secs(2);
    opts.scan_timeout = Duration::from_secs(60);
    let facts = Lab::in_ns(&scanner, move || scan(&opts).unwrap());
    assert!(facts.complete && facts.active);
    assert_eq!(Lab::counter(&scanner, "outside"), 0);

    let l4s = |a: &str| {
        facts
            .log4shell
            .iter()
            .find(|p| p.address == a && p.port == 8080)
            .unwrap_or_else(|| panic!("no probe of {a}:8080 in {:#?}", facts.log4shell))
    };
    let v = l4s(&a40);
    assert_eq!(
        v.verdict,
        praxcheck_model::Log4ShellVerdict::LookupExecuted,
        "{v:#?}\n{}",
        lab.log("vulnerable")
    );
    assert_eq!(v.requests, 3);
    let paths: BTreeSet<(&str, &str)> = v
        .callbacks
        .iter()
        .map(|c| (c.injection_point.as_str(), c.form.as_str()))
        .collect();
    // VulnServer logs User-Agent and X-Forwarded-For: exactly those come back, in every form.
    let want: BTreeSet<(&str, &str)> = ["user-agent", "x-forwarded-for"]
        .iter()
        .flat_map(|p| ["plain", "lower", "default-value"].map(|f| (*p, f)))
        .collect();
    assert_eq!(paths, want, "{v:#?}");
    assert!(v.callbacks.iter().all(|c| c.from_target && c.peer == a40));

    let c = l4s(&a41);
    assert_eq!(c.verdict, praxcheck_model::Log4ShellVerdict::NotDetected);
    assert!(c.callbacks.is_empty());
    assert_eq!(c.requests, 3);

    let failing = failing_rules(&facts);
    let (_, e) = failing
        .iter()
        .find(|(id, _)| id == "PRAX-NET-LOG4SHELL")
        .unwrap_or_else(|| panic!("{failing:#?}"));
    assert!(
        e.contains(&format!("{a40}:8080")) && !e.contains(&a41),
        "{e}"
    );

    // The vulnerable server still answers afterwards (the listener never held its thread).
    let answer = Lab::in_ns(&scanner, move || {
        use std::io::{Read as _, Write as _};
        let mut c =
            std::net::TcpStream::connect_timeout(&sa(40, 8080), Duration::from_secs(2)).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        c.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut b = Vec::new();
        let _ = c.read_to_end(&mut b);
        String::from_utf8_lossy(&b).into_owned()
    });
    assert!(
        answer.starts_with("HTTP/1.1 200") && answer.ends_with("ok\n"),
        "{answer}"
    );
    drop(lab);
}

/// One open port in nmap's XML output: (address, port, service name, product and version).
fn nmap_ports(xml: &str) -> Vec<(String, u16, String, String)> {
    fn attr(tag: &str, name: &str) -> Option<String> {
        // `tag` starts right after the element name; attributes are space-separated.
        let tag = format!(" {tag}");
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = tag[start..].find('"')? + start;
        Some(tag[start..end].to_owned())
    }
    let mut out = Vec::new();
    for host in xml.split("<host ").skip(1) {
        let Some(addr) = host.split("<address ").nth(1).and_then(|t| attr(t, "addr")) else {
            continue;
        };
        for port in host.split("<port ").skip(1) {
            let open = port
                .split("<state ")
                .nth(1)
                .and_then(|t| attr(t, "state"))
                .is_some_and(|s| s == "open");
            let Some(p) = attr(port, "portid").and_then(|p| p.parse().ok()) else {
                continue;
            };
            if !open {
                continue;
            }
            let svc = port.split("<service ").nth(1).unwrap_or("");
            let mut name = attr(svc, "name").unwrap_or_default();
            if attr(svc, "method").as_deref() == Some("table") {
                // Named from the port number only, not identified.
                name.push('?');
            }
            let product = [attr(svc, "product"), attr(svc, "version")]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            out.push((addr.clone(), p, name, product));
        }
    }
    out
}

/// `bench/net.sh` runs this (ignored in normal runs): the lab's /24 with the practice
/// profile, praxcheck and `nmap -sT -sV --version-light` on the same ports from the same
/// namespace in the same run; prints the times and a table of what each identified, and
/// checks that every port nmap identified, praxcheck identified too.
#[test]
#[ignore = "benchmark: run through bench/net.sh"]
fn bench_practice_profile_against_nmap() {
    if !lab::available("netlab bench", &[TOOLS, &["nmap"]].concat()) {
        return;
    }
    let (lab, scanner) = practice_lab();
    let net = format!("{NET}.0/24");
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    let profile = praxcheck_advisories::network::port_profile().unwrap();
    let ports: Vec<String> = profile.ports.iter().map(|p| p.port.to_string()).collect();
    let ports = ports.join(",");
    let ours_json = lab.path("ours.json");
    let nmap_xml = lab.path("nmap.xml");
    let bin = std::env::var("PRAXCHECK_BIN").ok();
    let mut ours_t = Vec::new();
    let mut nmap_t = Vec::new();
    let mut facts = None;
    for _ in 0..runs {
        let started = Instant::now();
        if let Some(bin) = &bin {
            let out = lab::run_bounded(
                &[
                    "ip",
                    "netns",
                    "exec",
                    &scanner,
                    bin,
                    "--quiet",
                    "net",
                    &net,
                    "--format",
                    "json",
                    "--fail-on",
                    "none",
                    "--output",
                    ours_json.to_str().unwrap(),
                ],
                Duration::from_secs(300),
            );
            ours_t.push(started.elapsed());
            assert!(out.0, "{}", String::from_utf8_lossy(&out.2));
            let doc: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&ours_json).unwrap()).unwrap();
            facts = Some(
                serde_json::from_value::<NetworkFacts>(doc["inventory"]["network"].clone())
                    .unwrap(),
            );
        } else {
            let opts = NetOptions::new(vec![net.clone()]).unwrap();
            facts = Some(Lab::in_ns(&scanner, move || scan(&opts).unwrap()));
            ours_t.push(started.elapsed());
        }
        let started = Instant::now();
        let out = lab::run_bounded(
            &[
                "ip",
                "netns",
                "exec",
                &scanner,
                "nmap",
                "-sT",
                "-sV",
                "--version-light",
                "-n",
                "-p",
                &ports,
                &net,
                "-oX",
                nmap_xml.to_str().unwrap(),
            ],
            Duration::from_secs(600),
        );
        nmap_t.push(started.elapsed());
        assert!(out.0, "{}", String::from_utf8_lossy(&out.2));
    }
    let facts = facts.unwrap();
    let nmap = nmap_ports(&std::fs::read_to_string(&nmap_xml).unwrap());
    let ver = String::from_utf8_lossy(
        &lab::run_bounded(&["nmap", "--version"], Duration::from_secs(10)).1,
    )
    .lines()
    .next()
    .unwrap_or("")
    .to_owned();

    let mut table = String::from(
        "| host:port | nmap -sV --version-light | praxcheck identified | praxcheck facts |\n|---|---|---|---|\n",
    );
    let mut keys: BTreeSet<(String, u16)> =
        nmap.iter().map(|(a, p, _, _)| (a.clone(), *p)).collect();
    for h in &facts.hosts {
        for s in &h.services {
            keys.insert((h.address.clone(), s.port));
        }
    }
    let mut nmap_named = 0;
    let mut ours_named = 0;
    let mut missing = Vec::new();
    for (a, p) in &keys {
        let n = nmap.iter().find(|(na, np, _, _)| na == a && np == p);
        let o = facts
            .hosts
            .iter()
            .find(|h| &h.address == a)
            .and_then(|h| h.services.iter().find(|s| s.port == *p));
        let n_text = n.map_or("-".to_owned(), |(_, _, name, prod)| {
            format!("{name} {prod}").trim().to_owned()
        });
        let n_ok = n.is_some_and(|(_, _, name, _)| !name.ends_with('?') && !name.is_empty());
        let o_ok = o.is_some_and(|s| s.identified.is_some());
        nmap_named += usize::from(n_ok);
        ours_named += usize::from(o_ok);
        if n_ok && !o_ok {
            missing.push(format!("{a}:{p}"));
        }
        let o_text = o.map_or("-".to_owned(), |s| {
            format!(
                "{} {}",
                s.identified.as_deref().unwrap_or("?"),
                s.product.as_deref().unwrap_or("")
            )
            .trim()
            .to_owned()
        });
        let facts_text = o.map_or(String::new(), |s| {
            let mut v: Vec<String> = s
                .probes
                .iter()
                .map(|p| {
                    format!(
                        "{}={}",
                        p.key,
                        serde_json::to_value(&p.value).unwrap()["value"]
                    )
                })
                .collect();
            if let Some(t) = &s.tls {
                v.push(format!("tls.self_signed={}", t.self_signed));
            }
            v.join(", ")
        });
        table.push_str(&format!(
            "| {a}:{p} | {n_text} | {o_text} | {facts_text} |\n"
        ));
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (o, n) = (median(&mut ours_t), median(&mut nmap_t));
    let report = format!(
        "praxcheck net {net} ({}): median {:.2} s of {runs} ({:?})\n\
         nmap -sT -sV --version-light -n -p <{} profile ports> {net} ({ver}): median {:.2} s of {runs} ({:?})\n\
         ratio: {:.1}x; ports identified: praxcheck {ours_named}, nmap {nmap_named} of {} open\n\n{table}",
        if bin.is_some() {
            "the praxcheck binary"
        } else {
            "the netscan library in-process"
        },
        o.as_secs_f64(),
        ours_t,
        profile.ports.len(),
        n.as_secs_f64(),
        nmap_t,
        n.as_secs_f64() / o.as_secs_f64(),
        keys.len(),
    );
    eprintln!("{report}");
    if let Ok(f) = std::env::var("BENCH_OUT") {
        std::fs::write(f, &report).unwrap();
    }
    assert!(
        missing.is_empty(),
        "nmap identified, praxcheck did not: {missing:?}"
    );
    drop(lab);
}
