//! The registry read natively (`windows::native`): an in-memory registry with the values a
//! badly configured reception PC has, no PowerShell at all, through the same parsers.
//! Under Wine the same facts are read from values written with `wine reg add` by the real
//! `praxcheck.exe` (cli test `wine::registry_values_written_with_wine_reg_become_facts_and_findings`).

use praxcheck_hostscan::exec::FnExec;
use praxcheck_hostscan::windows::native::{self, MemRegistry};
use praxcheck_hostscan::{HostScan, Options, Platform, collect_with_registry};
use praxcheck_i18n::Lang;
use praxcheck_model::{FactValue, UnknownReason};
use serde_json::json;
use time::macros::datetime;

const CV: &str = "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";
const UNINSTALL: &str =
    "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall";

fn bad_pc() -> MemRegistry {
    let mut r = MemRegistry::new();
    r.set(CV, "ProductName", json!("Windows 10 Pro"))
        .set(CV, "EditionID", json!("Professional"))
        .set(CV, "InstallationType", json!("Client"))
        .set(CV, "CurrentBuild", json!("19045"))
        .set(CV, "UBR", json!(3803))
        .set(CV, "DisplayVersion", json!("22H2"))
        .set(
            "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters",
            "SMB1",
            json!(1),
        )
        .set(
            "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server",
            "fDenyTSConnections",
            json!(0),
        )
        .set(
            "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp",
            "UserAuthentication",
            json!(0),
        )
        .set(
            "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon",
            "AutoAdminLogon",
            json!("1"),
        )
        .set(
            "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon",
            "DefaultUserName",
            json!("Empfang"),
        )
        .set(
            "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon",
            "DefaultPassword",
            json!("geheim-123"),
        )
        .set(
            &format!("{UNINSTALL}\\KBV-XPM"),
            "DisplayName",
            json!("KBV-Prüfmodul KVDT"),
        )
        .set(
            &format!("{UNINSTALL}\\KBV-XPM"),
            "DisplayVersion",
            json!("2019.2.1"),
        )
        .set(
            &format!("{UNINSTALL}\\KBV-XPM"),
            "Publisher",
            json!("Kassenärztliche Bundesvereinigung"),
        );
    r
}

fn scan(r: &MemRegistry, lang: Lang) -> HostScan {
    let root = tempfile::tempdir().unwrap();
    let opts = Options {
        root: root.path().to_path_buf(),
        platform: Platform::Windows,
        now: Some(datetime!(2026-11-29 10:00 UTC)),
        lang,
        ..Options::default()
    };
    // No PowerShell: every part fails to start.
    let exec = FnExec(|_: &str, _: &[&str]| None);
    collect_with_registry(&opts, &exec, r).unwrap()
}

fn value<'a>(s: &'a HostScan, key: &str) -> &'a FactValue {
    &s.facts
        .facts
        .iter()
        .find(|f| f.key == key)
        .unwrap_or_else(|| panic!("{key} missing"))
        .value
}

#[test]
fn registry_facts_without_powershell() {
    let s = scan(&bad_pc(), Lang::En);
    super::assert_keys_listed(&s.facts);
    assert_eq!(
        value(&s, "os.name"),
        &FactValue::Text("Windows 10 Pro".into())
    );
    assert_eq!(value(&s, "remote.smb1.enabled"), &FactValue::Bool(true));
    assert_eq!(value(&s, "remote.rdp.enabled"), &FactValue::Bool(true));
    assert_eq!(value(&s, "remote.rdp.nla"), &FactValue::Bool(false));
    assert_eq!(value(&s, "logon.autologon"), &FactValue::Bool(true));
    assert_eq!(
        value(&s, "logon.autologon_password_stored"),
        &FactValue::Bool(true)
    );
    let FactValue::List(products) = value(&s, "software.products") else {
        panic!("software.products is not a list");
    };
    assert!(
        products
            .iter()
            .any(|p| p.contains("kbv-xpm") && p.contains("2019.2.1")),
        "{products:?}"
    );
    // The stored password is never read, so it is nowhere in the result.
    let doc = format!("{s:?}");
    assert!(!doc.contains("geheim-123"));
}

#[test]
fn facts_only_powershell_knows_say_why_in_the_users_language() {
    for (lang, word) in [(Lang::De, "fehlt"), (Lang::En, "missing")] {
        let s = scan(&bad_pc(), lang);
        let f = s
            .facts
            .facts
            .iter()
            .find(|f| f.key == "listening.services")
            .unwrap();
        let u = f.unknown().unwrap();
        assert_eq!(u.reason, UnknownReason::ToolMissing);
        assert!(u.detail.contains(word), "{lang:?}: {}", u.detail);
        assert!(!u.detail.contains("Some("), "{}", u.detail);
    }
}

#[test]
fn constrained_language_mode_is_recognised_by_its_error_id() {
    let stderr = "Cannot invoke method. Method invocation is supported only on core types in this language mode.\n    + FullyQualifiedErrorId : MethodInvocationNotSupportedInConstrainedLanguage";
    assert!(praxcheck_hostscan::windows::constrained_language(stderr));
    assert!(!praxcheck_hostscan::windows::constrained_language(
        "Access is denied."
    ));
}

#[test]
fn scripts_leave_out_the_natively_read_sections() {
    for (name, part) in praxcheck_hostscan::windows::PARTS {
        let s = native::script_without(part, &native::NATIVE_SECTIONS);
        for sec in native::NATIVE_SECTIONS {
            assert!(!s.contains(&format!("Section '{sec}'")), "{name}: {sec}");
        }
        // The rest stays, with balanced braces.
        assert_eq!(s.matches('{').count(), s.matches('}').count(), "{name}");
    }
    let system = native::script_without(
        praxcheck_hostscan::windows::SYSTEM,
        &native::NATIVE_SECTIONS,
    );
    assert!(system.contains("Section 'hotfixes'"));
    assert!(system.contains("Section 'bitlocker'"));
}
