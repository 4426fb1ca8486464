//! The Windows collector on fixtures (see `tests/fixtures/windows/README.md`): the command
//! runner is replaced by one that answers each PowerShell part with the fixture files of
//! that part, as bytes (code page 850 and 1252 included).

use std::path::{Path, PathBuf};

use base64::Engine as _;
use praxcheck_hostscan::exec::{CmdOutput, ExecError, FnExec};
use praxcheck_hostscan::pwsh::SECTION_MARKER;
use praxcheck_hostscan::windows::{self, Sections, part_of};
use praxcheck_hostscan::{HostScan, Options, Platform, collect_with};
use praxcheck_model::{ComponentKind, FactValue, HostFact, UnknownReason};
use time::macros::datetime;

fn fixtures(scenario: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/windows")
        .join(scenario)
}

/// The bytes a part prints: for every fixture file of the part, the marker line and the
/// file's bytes.
fn part_bytes(scenario: &str, part: &str) -> Vec<u8> {
    let dir = fixtures(scenario);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".json").map(str::to_owned))
        .filter(|n| part_of(n) == part)
        .collect();
    names.sort();
    let mut out = Vec::new();
    for n in names {
        out.extend_from_slice(format!("{SECTION_MARKER}{n}\r\n").as_bytes());
        out.extend_from_slice(&std::fs::read(dir.join(format!("{n}.json"))).unwrap());
    }
    out
}

/// Which part a command line runs (from its `-EncodedCommand` script).
fn part_of_command(args: &[&str]) -> &'static str {
    let enc = args.last().unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(enc)
        .unwrap();
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let script = String::from_utf16(&units).unwrap();
    if script.contains("Section 'context'") {
        "system"
    } else if script.contains("Section 'uninstall'") {
        "inventory"
    } else {
        assert!(script.contains("Section 'wu_pending'"));
        "pending"
    }
}

pub fn opts(root: &Path) -> Options {
    Options {
        root: root.to_path_buf(),
        platform: Platform::Windows,
        now: Some(datetime!(2026-11-29 10:00 UTC)),
        ..Options::default()
    }
}

fn fact<'a>(s: &'a HostScan, key: &str) -> &'a HostFact {
    s.facts.get(key).unwrap_or_else(|| panic!("no fact {key}"))
}

fn b(s: &HostScan, key: &str) -> bool {
    fact(s, key)
        .as_bool()
        .unwrap_or_else(|| panic!("{key}: {:?}", fact(s, key).value))
}

fn i(s: &HostScan, key: &str) -> i64 {
    fact(s, key)
        .as_int()
        .unwrap_or_else(|| panic!("{key}: {:?}", fact(s, key).value))
}

fn t<'a>(s: &'a HostScan, key: &str) -> &'a str {
    fact(s, key)
        .as_text()
        .unwrap_or_else(|| panic!("{key}: {:?}", fact(s, key).value))
}

fn list(s: &HostScan, key: &str) -> Vec<String> {
    match &fact(s, key).value {
        FactValue::List(l) => l.clone(),
        other => panic!("{key}: {other:?}"),
    }
}

fn reason(s: &HostScan, key: &str) -> UnknownReason {
    fact(s, key)
        .unknown()
        .unwrap_or_else(|| panic!("{key} is known: {:?}", fact(s, key).value))
        .reason
}

pub fn reception_pc(connector: Option<&str>) -> (HostScan, tempfile::TempDir) {
    let root = tempfile::tempdir().unwrap();
    // A KBV test module installed inside the practice software's folder.
    let bin = root.path().join("CGM/ALBISWIN/XPM_KVDT.Praxis/Bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(bin.join("xpm-kvdt-praxis-2026.4.2.jar"), b"PK").unwrap();
    std::fs::write(bin.join("xpm-core-4.3.4.jar"), b"PK").unwrap();
    // A backup folder the practice names, with dated backups.
    let backup = root.path().join("Sicherung");
    std::fs::create_dir_all(&backup).unwrap();
    for (n, size) in [
        ("praxis-2026-11-26.zip", 5000),
        ("praxis-2026-11-27.zip", 5100),
        ("praxis-2026-11-28.zip", 5200),
    ] {
        std::fs::write(backup.join(n), vec![0u8; size]).unwrap();
    }
    let cfg = root.path().join("backup.toml");
    std::fs::write(
        &cfg,
        format!(
            "[[folder]]\npath = '{}'\nlabel = 'Ordner auf dem Server'\n\n[[folder]]\npath = 'E:\\Sicherung'\nlabel = 'USB-Platte'\n",
            backup.display()
        ),
    )
    .unwrap();
    let mut o = opts(root.path());
    o.backup_config = Some(cfg);
    o.connector_address = connector.map(|c| c.parse().unwrap());
    let exec = FnExec(|program: &str, args: &[&str]| {
        assert_eq!(program, "powershell.exe");
        assert!(args.contains(&"-NonInteractive") && args.contains(&"-NoProfile"));
        Some(Ok(CmdOutput::ok(part_bytes(
            "praxis-empfang",
            part_of_command(args),
        ))))
    });
    (collect_with(&o, &exec).unwrap(), root)
}

#[test]
fn reception_pc_operating_system_and_end_of_life() {
    let (s, _root) = reception_pc(Some("192.168.10.2"));
    crate::assert_keys_listed(&s.facts);
    crate::assert_keys_listed(&server(true).facts);
    assert_eq!(s.facts.platform, "windows");
    assert!(s.facts.privileged);
    assert_eq!(t(&s, "os.name"), "Windows 10 Pro");
    assert_eq!(t(&s, "os.version"), "10.0.19045.5131");
    assert_eq!(t(&s, "os.release"), "22H2");
    assert_eq!(t(&s, "os.eol_cycle"), "Windows 10 22H2");
    assert_eq!(t(&s, "os.end_of_life"), "2025-10-14");
    assert_eq!(t(&s, "os.end_of_extended_support"), "2028-10-10");
    assert_eq!(t(&s, "os.extended_support_kind"), "paid");
    assert_eq!(i(&s, "os.days_until_end_of_life"), -411);
    // PowerShell 5.1's "\/Date(…)\/".
    assert_eq!(t(&s, "os.last_boot"), "2026-11-28T07:30:00Z");
}

#[test]
fn reception_pc_updates_from_localised_hotfix_dates() {
    let (s, _root) = reception_pc(None);
    assert_eq!(i(&s, "updates.hotfix_count"), 5);
    // Newest of "28.11.2026", "11/12/2026", a FILETIME and the agent's last installation.
    assert_eq!(t(&s, "updates.last_installed"), "2026-11-28T18:00:00Z");
    assert!(
        fact(&s, "updates.last_installed")
            .note
            .as_deref()
            .unwrap()
            .contains("2 without a readable date")
    );
    assert_eq!(i(&s, "updates.days_since_last_installed"), 0);
    assert_eq!(t(&s, "updates.last_check"), "2026-11-29T06:00:00Z");
    assert!(b(&s, "updates.reboot_required"));
    assert!(b(&s, "updates.automatic"));
    assert_eq!(i(&s, "updates.pending_count"), 3);
    assert_eq!(i(&s, "updates.pending_security_count"), 2);
    assert_eq!(
        list(&s, "updates.pending_security"),
        ["KB5046714", "KB4023057"]
    );
}

#[test]
fn reception_pc_firewall_profiles_and_remote_access_rules() {
    let (s, _root) = reception_pc(None);
    assert!(!b(&s, "firewall.enabled"));
    assert!(
        fact(&s, "firewall.enabled")
            .note
            .as_deref()
            .unwrap()
            .contains("public")
    );
    assert!(b(&s, "firewall.profile.domain.enabled"));
    assert!(b(&s, "firewall.profile.private.enabled"));
    assert!(!b(&s, "firewall.profile.public.enabled"));
    assert_eq!(t(&s, "firewall.profile.private.default_inbound"), "block");
    assert_eq!(t(&s, "firewall.default_inbound"), "block");
    let FactValue::FirewallRules(rules) = &fact(&s, "firewall.inbound_remote_access_rules").value
    else {
        panic!()
    };
    let summary: Vec<(String, Vec<String>, Vec<String>)> = rules
        .iter()
        .map(|r| (r.location.clone(), r.services.clone(), r.profiles.clone()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "FPS-SMB-In-TCP".to_owned(),
                vec!["smb".to_owned()],
                vec!["domain".to_owned(), "private".to_owned()]
            ),
            (
                "RemoteDesktop-UserMode-In-TCP".to_owned(),
                vec!["rdp".to_owned()],
                vec!["any".to_owned()]
            ),
            (
                "VNC-Custom-In".to_owned(),
                vec!["vnc".to_owned()],
                vec!["public".to_owned()]
            ),
        ]
    );
    let rdp = rules.iter().find(|r| r.services == ["rdp"]).unwrap();
    assert_eq!(
        rdp.display_name.as_deref(),
        Some("Remotedesktop - Benutzermodus (TCP eingehend)")
    );
}

#[test]
fn reception_pc_remote_access_shares_and_tools() {
    let (s, _root) = reception_pc(None);
    assert!(b(&s, "remote.rdp.enabled"));
    assert!(!b(&s, "remote.rdp.nla"));
    assert_eq!(i(&s, "remote.rdp.port"), 3389);
    assert!(b(&s, "remote.smb1.enabled"));
    // "Jeder" is Everyone in German: decided by the SID S-1-1-0.
    assert_eq!(list(&s, "shares.open_to_everyone"), ["Scans", "Röntgen"]);
    let FactValue::Shares(shares) = &fact(&s, "shares.list").value else {
        panic!()
    };
    let scans = shares.iter().find(|x| x.name == "Scans").unwrap();
    assert!(scans.everyone_can_write);
    assert!(
        !shares
            .iter()
            .find(|x| x.name == "Röntgen")
            .unwrap()
            .everyone_can_write
    );
    assert!(
        !shares
            .iter()
            .find(|x| x.name == "Praxis")
            .unwrap()
            .open_to_everyone
    );
    let FactValue::RemoteTools(tools) = &fact(&s, "remote.tools").value else {
        panic!()
    };
    let tv = tools.iter().find(|x| x.name == "TeamViewer").unwrap();
    assert_eq!(
        (tv.installed, tv.running, tv.starts_unattended),
        (true, Some(true), Some(true))
    );
    assert_eq!(tv.version.as_deref(), Some("15.60.3"));
    let ad = tools.iter().find(|x| x.name == "AnyDesk").unwrap();
    assert_eq!(
        (ad.installed, ad.running, ad.starts_unattended),
        (true, Some(false), Some(false))
    );
    assert_eq!(tools.len(), 2);
}

#[test]
fn reception_pc_protection() {
    let (s, _root) = reception_pc(None);
    assert!(b(&s, "antimalware.present"));
    assert!(b(&s, "antimalware.realtime"));
    assert_eq!(i(&s, "antimalware.signature_age_days"), 1);
    let FactValue::Antimalware(p) = &fact(&s, "antimalware.products").value else {
        panic!()
    };
    assert_eq!(p.len(), 1, "Defender appears once: {p:?}");
    assert_eq!(p[0].signatures_up_to_date, Some(true));
    // A screen saver without password is no lock.
    assert!(!b(&s, "screenlock.enabled"));
    assert_eq!(
        reason(&s, "screenlock.timeout_seconds"),
        UnknownReason::NotConfigured
    );
    assert!(b(&s, "logon.autologon"));
    assert_eq!(t(&s, "logon.autologon_user"), "EMPFANG-PC\\Empfang");
    assert!(b(&s, "logon.autologon_password_stored"));
    assert!(!b(&s, "disk.system_encrypted"));
    assert_eq!(list(&s, "accounts.password_not_required"), ["Empfang"]);
    assert!(b(&s, "accounts.current_user_is_admin"));
}

#[test]
fn administrators_are_found_by_sid_whatever_their_localised_names() {
    let (s, _root) = reception_pc(None);
    let FactValue::Accounts(admins) = &fact(&s, "accounts.admins").value else {
        panic!()
    };
    let names: Vec<(&str, &str, &str)> = admins
        .iter()
        .map(|a| {
            (
                a.name.as_str(),
                a.sid.as_deref().unwrap(),
                a.origin.as_str(),
            )
        })
        .collect();
    // Code page 850 decoded; the group recognised by its RID 512, not by "Gruppe".
    assert_eq!(
        names,
        [
            (
                "EMPFANG-PC\\Administrator",
                "S-1-5-21-1111111111-2222222222-3333333333-500",
                "local"
            ),
            (
                "EMPFANG-PC\\Praxisadmin",
                "S-1-5-21-1111111111-2222222222-3333333333-1001",
                "local"
            ),
            (
                "PRAXIS\\Domänen-Admins",
                "S-1-5-21-4444444444-5555555555-6666666666-512",
                "group"
            ),
        ]
    );
    assert!(
        admins
            .iter()
            .all(|a| a.via.as_deref() == Some("S-1-5-32-544"))
    );
}

#[test]
fn reception_pc_installed_software_as_components() {
    let (s, _root) = reception_pc(None);
    let windows: Vec<&str> = s
        .components
        .iter()
        .filter(|c| c.ecosystem == "Windows")
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(windows.len(), 10);
    // Code page 850 decoded.
    assert!(
        windows.contains(&"Praxisverwaltung für Ärzte - Zusatzmodul Größenprüfung"),
        "{windows:?}"
    );
    let pvs = s
        .components
        .iter()
        .find(|c| c.name.starts_with("Praxisverwaltung"))
        .unwrap();
    assert!(pvs.evidence[0].detail.contains("Müller & Söhne Praxis-EDV"));
    let products: Vec<(String, Option<String>)> = s
        .components
        .iter()
        .filter(|c| c.ecosystem == "Product" && c.kind == ComponentKind::Application)
        .map(|c| (c.name.clone(), c.version.clone()))
        .collect();
    for want in [
        ("cgm-albis", "24.40.10"),
        ("teamviewer", "15.60.3"),
        ("anydesk", "ad 8.1.0"),
        ("veeam", "6.1.2.134"),
        ("haevg-hpm", "2026.4.0"),
        ("ti-kim-client", "2.1.0"),
        ("kbv-xpm-kvdt-praxis", "2026.4.2"),
        ("kbv-xpm-core", "4.3.4"),
    ] {
        assert!(
            products.contains(&(want.0.to_owned(), Some(want.1.to_owned()))),
            "{want:?} missing from {products:?}"
        );
    }
    let runtimes: Vec<(String, Option<String>)> = s
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::Runtime)
        .map(|c| (c.name.clone(), c.version.clone()))
        .collect();
    assert_eq!(
        runtimes,
        [
            ("oracle-java".to_owned(), Some("1.8.0_431".to_owned())),
            ("eclipse-temurin".to_owned(), Some("17.0.13".to_owned())),
        ]
    );
}

#[test]
fn reception_pc_listening_services_with_programs() {
    let (s, _root) = reception_pc(None);
    let FactValue::Services(l) = &fact(&s, "listening.services").value else {
        panic!()
    };
    let rdp = l.iter().find(|x| x.port == 3389).unwrap();
    assert_eq!(
        (rdp.process.as_deref(), rdp.scope.as_str()),
        (Some("svchost"), "any")
    );
    let tv = l.iter().find(|x| x.port == 5939).unwrap();
    assert_eq!(
        (tv.process.as_deref(), tv.scope.as_str()),
        (Some("TeamViewer_Service"), "loopback")
    );
    // The single UDP endpoint came as an object, not an array.
    assert!(l.iter().any(|x| x.protocol == "udp" && x.port == 5353));
    assert!(b(&s, "listening.owners_complete"));
}

#[test]
fn ti_connector_mode_from_gateway_and_connector_address() {
    let (s, _root) = reception_pc(Some("192.168.10.2"));
    assert_eq!(list(&s, "network.default_gateways"), ["192.168.10.1"]);
    assert_eq!(list(&s, "network.local_networks"), ["192.168.10.0/24"]);
    assert_eq!(t(&s, "ti.mode"), "parallel");
    assert!(!b(&s, "ti.connector_is_default_gateway"));
    let (s, _root) = reception_pc(Some("192.168.10.1"));
    assert_eq!(t(&s, "ti.mode"), "serial");
    let (s, _root) = reception_pc(None);
    assert_eq!(reason(&s, "ti.mode"), UnknownReason::NotConfigured);
}

#[test]
fn reception_pc_backups_from_software_and_named_folders() {
    let (s, _root) = reception_pc(None);
    let FactValue::BackupTools(tools) = &fact(&s, "backup.tools").value else {
        panic!()
    };
    assert_eq!(tools.len(), 1);
    assert_eq!(tools[0].name, "Veeam");
    assert!(
        tools[0].evidence.contains("VeeamEndpointBackupSvc"),
        "{tools:?}"
    );
    let FactValue::BackupTargets(targets) = &fact(&s, "backup.targets").value else {
        panic!()
    };
    let folder = targets
        .iter()
        .find(|x| x.label.as_deref() == Some("Ordner auf dem Server"))
        .unwrap();
    assert_eq!(
        folder.newest_backup.as_deref(),
        Some("2026-11-28T00:00:00Z")
    );
    assert_eq!(folder.newest_size_bytes, Some(5200));
    assert_eq!(folder.previous_median_size_bytes, Some(5100));
    assert_eq!(folder.backups_seen, Some(3));
    // E: is a removable drive, present now; the folder is not there on this test machine.
    let usb = targets
        .iter()
        .find(|x| x.label.as_deref() == Some("USB-Platte"))
        .unwrap();
    assert_eq!(
        (usb.kind.as_str(), usb.attached_now, usb.mounted_at_boot),
        ("removable", Some(true), Some(false))
    );
    assert!(!usb.reachable_now);
    assert!(b(&s, "backup.found"));
    assert_eq!(i(&s, "backup.newest_age_days"), 1);
}

pub fn server(exec_pending_timeout: bool) -> HostScan {
    let root = tempfile::tempdir().unwrap();
    let mut o = opts(root.path());
    o.connector_address = Some("192.168.20.2".parse().unwrap());
    let exec = FnExec(move |program: &str, args: &[&str]| {
        // No Windows PowerShell: PowerShell 7 answers.
        if program == "powershell.exe" {
            return Some(Err(ExecError::NotFound(program.to_owned())));
        }
        assert_eq!(program, "pwsh");
        let part = part_of_command(args);
        if part == "pending" && exec_pending_timeout {
            return Some(Err(ExecError::Timeout {
                program: "pwsh".into(),
                seconds: 20.0,
            }));
        }
        Some(Ok(CmdOutput::ok(part_bytes("server-nonadmin", part))))
    });
    collect_with(&o, &exec).unwrap()
}

#[test]
fn normal_user_on_a_server_gets_fewer_facts_and_is_told_which() {
    let s = server(true);
    assert!(!s.facts.privileged);
    assert!(!b(&s, "host.privileged"));
    let needing = list(&s, "host.facts_needing_privilege");
    for k in [
        "accounts.password_not_required",
        "backup.windows_server_backup",
        "disk.system_encrypted",
        "firewall.inbound_remote_access_rules",
        "shares.list",
        "shares.open_to_everyone",
    ] {
        assert!(needing.contains(&k.to_owned()), "{k} not in {needing:?}");
        assert_eq!(reason(&s, k), UnknownReason::NeedsPrivilege, "{k}");
    }
    // Defender failed for another reason: unknown, but not for lack of rights.
    assert_eq!(reason(&s, "antimalware.present"), UnknownReason::Unreadable);
    assert_eq!(reason(&s, "updates.pending_count"), UnknownReason::Timeout);
}

#[test]
fn server_facts_from_fallbacks_and_policies() {
    let s = server(true);
    assert_eq!(t(&s, "os.name"), "Windows Server 2019 Standard");
    assert_eq!(t(&s, "os.id"), "windows-server");
    assert_eq!(t(&s, "os.end_of_life"), "2029-01-09");
    // {"value": "\/Date(…)\/", "DateTime": "Montag, …"}.
    assert_eq!(t(&s, "os.last_boot"), "2026-11-02T05:00:00Z");
    // FILETIME "InstalledOn" is the newest; the agent refused access.
    assert_eq!(t(&s, "updates.last_installed"), "2026-10-15T00:00:00Z");
    assert_eq!(i(&s, "updates.days_since_last_installed"), 45);
    assert!(!b(&s, "updates.automatic"));
    // Firewall from the registry: the domain profile switched off by policy.
    assert!(!b(&s, "firewall.enabled"));
    assert!(!b(&s, "firewall.profile.domain.enabled"));
    assert!(b(&s, "firewall.profile.public.enabled"));
    assert!(
        fact(&s, "firewall.enabled")
            .sources
            .iter()
            .any(|x| x.reference.contains("FirewallPolicy"))
    );
    // NLA required by policy although the local value says no.
    assert!(b(&s, "remote.rdp.enabled"));
    assert!(b(&s, "remote.rdp.nla"));
    assert!(!b(&s, "remote.smb1.enabled"));
    assert!(b(&s, "remote.ssh.installed"));
    assert_eq!(
        reason(&s, "remote.ssh.password_authentication"),
        UnknownReason::NotCollected
    );
    assert!(b(&s, "screenlock.enabled"));
    assert_eq!(i(&s, "screenlock.timeout_seconds"), 600);
    assert!(!b(&s, "logon.autologon"));
    assert!(!b(&s, "logon.autologon_password_stored"));
    assert!(!b(&s, "accounts.current_user_is_admin"));
    assert_eq!(t(&s, "ti.mode"), "serial");
    assert_eq!(list(&s, "network.default_gateways"), ["192.168.20.2"]);
}

#[test]
fn code_page_1252_output_and_the_cim_fallback_for_administrators() {
    let s = server(false);
    let FactValue::Accounts(admins) = &fact(&s, "accounts.admins").value else {
        panic!()
    };
    let names: Vec<(&str, &str)> = admins
        .iter()
        .map(|a| (a.name.as_str(), a.origin.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("PRAXIS\\Domänen-Admins", "group"),
            ("PRAXIS\\IT-Dienstleister", "local"),
            ("SRV-PRAXIS\\Administrator", "local")
        ]
    );
    assert!(
        s.components
            .iter()
            .any(|c| c.name == "Datensicherung für Ärzte (Größe)")
    );
    assert!(
        s.components
            .iter()
            .any(|c| c.name == "cgm-medistar" && c.version.as_deref() == Some("409.87"))
    );
    let FactValue::RemoteTools(tools) = &fact(&s, "remote.tools").value else {
        panic!()
    };
    assert_eq!(tools.len(), 1);
    assert_eq!(
        (tools[0].name.as_str(), tools[0].starts_unattended),
        ("RustDesk", Some(true))
    );
    // The pending part had no fixture: the section is missing, said as such.
    assert_eq!(
        reason(&s, "updates.pending_count"),
        UnknownReason::Unreadable
    );
}

#[test]
fn no_powershell_at_all_makes_every_fact_unknown_not_a_crash() {
    let root = tempfile::tempdir().unwrap();
    let exec = FnExec(|_: &str, _: &[&str]| None);
    let s = collect_with(&opts(root.path()), &exec).unwrap();
    for k in [
        "os.name",
        "firewall.enabled",
        "remote.rdp.enabled",
        "listening.services",
        "accounts.admins",
    ] {
        assert_eq!(reason(&s, k), UnknownReason::ToolMissing, "{k}");
    }
    assert!(
        fact(&s, "os.name")
            .unknown()
            .unwrap()
            .detail
            .contains("PowerShell")
    );
}

#[test]
fn scripts_fit_the_command_line_and_read_only() {
    for (name, part) in windows::PARTS {
        let enc = windows::encoded(&windows::script(part));
        // CreateProcess limits the command line to 32767 characters.
        assert!(enc.len() < 30_000, "{name}: {} characters", enc.len());
        let s = windows::script(part).to_ascii_lowercase();
        for verb in [
            "set-",
            "remove-",
            "new-item",
            "enable-",
            "disable-",
            "start-service",
            "stop-",
            "install-",
        ] {
            assert!(!s.contains(verb), "{name} uses {verb}");
        }
    }
}

/// No PowerShell is available here to parse the scripts; this catches unbalanced
/// brackets and quotes, the typos that would break a whole part.
#[test]
fn scripts_have_balanced_brackets_and_quotes() {
    for (name, part) in windows::PARTS {
        let script = windows::script(part);
        let mut stack: Vec<char> = Vec::new();
        let mut quote: Option<char> = None;
        for (n, line) in script.lines().enumerate() {
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match quote {
                    // '' inside a single-quoted string is a quote character.
                    Some('\'') if c == '\'' && chars.peek() == Some(&'\'') => {
                        chars.next();
                    }
                    Some(q) if c == q => quote = None,
                    Some('"') if c == '`' => {
                        chars.next();
                    }
                    Some(_) => {}
                    None => match c {
                        '\'' | '"' => quote = Some(c),
                        '#' => break,
                        '(' | '{' | '[' => stack.push(c),
                        ')' | '}' | ']' => {
                            let open = stack.pop();
                            let want = match c {
                                ')' => '(',
                                '}' => '{',
                                _ => '[',
                            };
                            assert_eq!(open, Some(want), "{name}: line {}: {line}", n + 1);
                        }
                        _ => {}
                    },
                }
            }
            assert!(
                quote.is_none(),
                "{name}: unterminated string on line {}: {line}",
                n + 1
            );
        }
        assert!(stack.is_empty(), "{name}: unclosed {stack:?}");
    }
}

#[test]
fn sections_of_garbled_output_are_said_to_be_garbled() {
    let s = Sections::from_text(&format!("{SECTION_MARKER}rdp\n{{not json\n"));
    assert_eq!(s.get("rdp").unwrap_err().reason, UnknownReason::ParseError);
}
