//! Registry facts read natively, without PowerShell.
//!
//! The registry-backed sections of the PowerShell parts (`os_registry`, `wu_policy`,
//! `reboot`, `firewall_registry`, `rdp`, `smb_registry`, `screenlock`, `autologon`,
//! `uninstall`, `java`, `defender_registry`) are built here from a [`RegistryView`] as the
//! same JSON the scripts write, so one set of parsers interprets both. On Windows the view
//! is [`WinRegistry`] (the `windows-registry` crate, read-only access); the tests use
//! [`MemRegistry`]. PowerShell then runs only the sections that need CIM or cmdlets
//! ([`script_without`] drops the others from the scripts).
//!
//! Secrets are never read: for the Winlogon password only the value's presence is asked
//! ([`RegistryView::has_value`] queries the type, not the data).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value, json};

/// The sections this module builds (and the PowerShell scripts then leave out).
pub const NATIVE_SECTIONS: [&str; 11] = [
    "os_registry",
    "wu_policy",
    "reboot",
    "firewall_registry",
    "rdp",
    "smb_registry",
    "screenlock",
    "autologon",
    "uninstall",
    "java",
    "defender_registry",
];

/// Read access to a registry. Paths start with `HKLM\` or `HKCU\`.
pub trait RegistryView {
    /// A value as JSON (numbers, strings, string arrays; binary data as an array of bytes),
    /// `None` when the key or value does not exist or cannot be read.
    fn value(&self, path: &str, name: &str) -> Option<Value>;
    /// Whether the key exists (and can be opened for reading).
    fn exists(&self, path: &str) -> bool;
    /// Whether the value exists; its data is not read.
    fn has_value(&self, path: &str, name: &str) -> bool;
    /// The names of the subkeys (empty when the key is missing).
    fn subkeys(&self, path: &str) -> Vec<String>;
}

/// An in-memory registry (tests, and documents recorded elsewhere).
#[derive(Debug, Default, Clone)]
pub struct MemRegistry {
    keys: BTreeMap<String, BTreeMap<String, Value>>,
}

impl MemRegistry {
    /// An empty registry.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a value (creating the key and its parents).
    pub fn set(&mut self, path: &str, name: &str, value: Value) -> &mut Self {
        self.add_key(path);
        self.keys
            .entry(path.to_ascii_lowercase())
            .or_default()
            .insert(name.to_ascii_lowercase(), value);
        self
    }

    /// Creates a key (and its parents) without values.
    pub fn add_key(&mut self, path: &str) -> &mut Self {
        let mut p = String::new();
        for part in path.split('\\') {
            if !p.is_empty() {
                p.push('\\');
            }
            p.push_str(part);
            self.keys.entry(p.to_ascii_lowercase()).or_default();
        }
        self
    }
}

impl RegistryView for MemRegistry {
    fn value(&self, path: &str, name: &str) -> Option<Value> {
        self.keys
            .get(&path.to_ascii_lowercase())?
            .get(&name.to_ascii_lowercase())
            .cloned()
    }
    fn exists(&self, path: &str) -> bool {
        self.keys.contains_key(&path.to_ascii_lowercase())
    }
    fn has_value(&self, path: &str, name: &str) -> bool {
        self.value(path, name).is_some()
    }
    fn subkeys(&self, path: &str) -> Vec<String> {
        let prefix = format!("{}\\", path.to_ascii_lowercase());
        // Subkey names keep their stored case only in the key map's values; the lower-case
        // name is enough for the lookups that follow.
        self.keys
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .filter(|rest| !rest.contains('\\'))
            .map(str::to_owned)
            .collect()
    }
}

/// The values of one key by name (`null` when missing) and `KeyExists`, like the scripts'
/// `Reg` function.
fn reg(r: &dyn RegistryView, path: &str, names: &[&str]) -> Map<String, Value> {
    let mut o = Map::new();
    for n in names {
        o.insert((*n).to_owned(), r.value(path, n).unwrap_or(Value::Null));
    }
    o.insert("KeyExists".into(), Value::Bool(r.exists(path)));
    o
}

fn get(m: &Map<String, Value>, k: &str) -> Value {
    m.get(k).cloned().unwrap_or(Value::Null)
}

const UNINSTALL_ROOTS: [&str; 3] = [
    "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
    "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
    "HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
];

const JAVA_ROOTS: [&str; 5] = [
    "HKLM\\SOFTWARE\\JavaSoft",
    "HKLM\\SOFTWARE\\WOW6432Node\\JavaSoft",
    "HKLM\\SOFTWARE\\Eclipse Adoptium",
    "HKLM\\SOFTWARE\\Eclipse Foundation",
    "HKLM\\SOFTWARE\\Azul Systems\\Zulu",
];

/// The Java vendors' folders below `Program Files`.
const JAVA_VENDOR_DIRS: [&str; 7] = [
    "Java",
    "Eclipse Adoptium",
    "Zulu",
    "Microsoft",
    "Amazon Corretto",
    "BellSoft",
    "Eclipse Foundation",
];

/// Bounds: uninstall entries, Java registry keys visited, bytes of a `release` file.
const MAX_UNINSTALL: usize = 5000;
const MAX_JAVA_KEYS: usize = 2000;
const MAX_RELEASE: u64 = 64 * 1024;

/// The full key name as PowerShell writes it (`HKEY_LOCAL_MACHINE\…`).
fn long_name(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("HKLM\\") {
        format!("HKEY_LOCAL_MACHINE\\{rest}")
    } else if let Some(rest) = path.strip_prefix("HKCU\\") {
        format!("HKEY_CURRENT_USER\\{rest}")
    } else {
        path.to_owned()
    }
}

fn uninstall(r: &dyn RegistryView) -> Value {
    let mut out = Vec::new();
    for root in UNINSTALL_ROOTS {
        for sub in r.subkeys(root) {
            if out.len() >= MAX_UNINSTALL {
                break;
            }
            let p = format!("{root}\\{sub}");
            let Some(name) = r.value(&p, "DisplayName").filter(|v| !is_empty(v)) else {
                continue;
            };
            let mut o = Map::new();
            o.insert("Key".into(), Value::String(long_name(&p)));
            o.insert("DisplayName".into(), name);
            for n in [
                "DisplayVersion",
                "Publisher",
                "InstallLocation",
                "InstallDate",
                "SystemComponent",
            ] {
                o.insert(n.into(), r.value(&p, n).unwrap_or(Value::Null));
            }
            out.push(Value::Object(o));
        }
    }
    Value::Array(out)
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// Java homes from the vendors' registry keys (recursively, bounded) and the vendors'
/// folders below `Program Files`, each with its `release` file.
fn java(r: &dyn RegistryView, program_files: &[String]) -> Value {
    let mut homes: Vec<(Value, String)> = Vec::new();
    let mut visited = 0usize;
    for root in JAVA_ROOTS {
        let mut stack = vec![root.to_owned()];
        while let Some(k) = stack.pop() {
            visited += 1;
            if visited > MAX_JAVA_KEYS {
                break;
            }
            if k != root {
                let h = r
                    .value(&k, "JavaHome")
                    .filter(|v| !is_empty(v))
                    .or_else(|| r.value(&k, "Path").filter(|v| !is_empty(v)));
                if let Some(Value::String(h)) = h {
                    homes.push((Value::String(long_name(&k)), h));
                }
            }
            stack.extend(r.subkeys(&k).into_iter().map(|s| format!("{k}\\{s}")));
        }
    }
    for pf in program_files.iter().filter(|p| !p.is_empty()) {
        for vendor in JAVA_VENDOR_DIRS {
            let dir = Path::new(pf).join(vendor);
            let Ok(rd) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut found: Vec<String> = rd
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.path().display().to_string())
                .collect();
            found.sort();
            homes.extend(found.into_iter().take(100).map(|h| (Value::Null, h)));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (key, home) in homes {
        let jh = home.trim_end_matches('\\').to_owned();
        if !seen.insert(jh.to_ascii_lowercase()) {
            continue;
        }
        let release = read_bounded(&Path::new(&jh).join("release"));
        out.push(json!({ "Home": jh, "Key": key, "Release": release }));
    }
    Value::Array(out)
}

fn read_bounded(p: &Path) -> Value {
    use std::io::Read as _;
    let Ok(f) = std::fs::File::open(p) else {
        return Value::Null;
    };
    let mut buf = Vec::new();
    if f.take(MAX_RELEASE).read_to_end(&mut buf).is_err() {
        return Value::Null;
    }
    Value::String(String::from_utf8_lossy(&buf).into_owned())
}

/// Defender's state as its registry keys hold it (the service's start type, the switches
/// policies and the user set, the signature version and update time).
fn defender(r: &dyn RegistryView) -> Value {
    let svc = reg(
        r,
        "HKLM\\SYSTEM\\CurrentControlSet\\Services\\WinDefend",
        &["Start"],
    );
    let d = reg(
        r,
        "HKLM\\SOFTWARE\\Microsoft\\Windows Defender",
        &["DisableAntiSpyware", "DisableAntiVirus", "PassiveMode"],
    );
    let rt = reg(
        r,
        "HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Real-Time Protection",
        &["DisableRealtimeMonitoring"],
    );
    let pol = reg(
        r,
        "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender",
        &["DisableAntiSpyware"],
    );
    let polrt = reg(
        r,
        "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\Real-Time Protection",
        &["DisableRealtimeMonitoring"],
    );
    let sig = reg(
        r,
        "HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates",
        &["AVSignatureVersion", "SignaturesLastUpdated"],
    );
    json!({
        "ServicePresent": get(&svc, "KeyExists"),
        "ServiceStart": get(&svc, "Start"),
        "DisableAntiSpyware": get(&d, "DisableAntiSpyware"),
        "DisableAntiVirus": get(&d, "DisableAntiVirus"),
        "PassiveMode": get(&d, "PassiveMode"),
        "DisableRealtimeMonitoring": get(&rt, "DisableRealtimeMonitoring"),
        "PolicyDisableAntiSpyware": get(&pol, "DisableAntiSpyware"),
        "PolicyDisableRealtimeMonitoring": get(&polrt, "DisableRealtimeMonitoring"),
        "AVSignatureVersion": get(&sig, "AVSignatureVersion"),
        "SignaturesLastUpdated": filetime(&get(&sig, "SignaturesLastUpdated")),
    })
}

/// A REG_BINARY FILETIME (8 bytes, little-endian, 100 ns since 1601) as RFC 3339 text.
fn filetime(v: &Value) -> Value {
    let Some(bytes) = v.as_array() else {
        return Value::Null;
    };
    let b: Vec<u8> = bytes
        .iter()
        .filter_map(|x| x.as_u64().and_then(|n| u8::try_from(n).ok()))
        .collect();
    let Ok(arr) = <[u8; 8]>::try_from(b.as_slice()) else {
        return Value::Null;
    };
    let ticks = u64::from_le_bytes(arr);
    // Seconds between 1601-01-01 and 1970-01-01.
    let secs = i64::try_from(ticks / 10_000_000).unwrap_or(i64::MAX) - 11_644_473_600;
    time::OffsetDateTime::from_unix_timestamp(secs)
        .map(|t| Value::String(crate::facts::rfc3339(t)))
        .unwrap_or(Value::Null)
}

/// Builds the registry-backed sections. `program_files` are the `Program Files` folders
/// searched for Java runtimes.
#[must_use]
pub fn sections(r: &dyn RegistryView, program_files: &[String]) -> Vec<(&'static str, Value)> {
    let mut out = Vec::new();
    out.push((
        "os_registry",
        Value::Object(reg(
            r,
            "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
            &[
                "ProductName",
                "EditionID",
                "InstallationType",
                "CurrentBuild",
                "CurrentBuildNumber",
                "UBR",
                "DisplayVersion",
                "ReleaseId",
                "CurrentMajorVersionNumber",
                "CurrentMinorVersionNumber",
                "CurrentVersion",
            ],
        )),
    ));
    out.push((
        "wu_policy",
        Value::Object(reg(
            r,
            "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU",
            &["NoAutoUpdate", "AUOptions"],
        )),
    ));
    out.push((
        "reboot",
        json!({
            "CbsRebootPending": r.exists("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending"),
            "WuRebootRequired": r.exists("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired"),
            "PendingFileRename": r.has_value("HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager", "PendingFileRenameOperations"),
        }),
    ));
    let mut fw = Vec::new();
    for p in ["DomainProfile", "StandardProfile", "PublicProfile"] {
        let l = reg(
            r,
            &format!(
                "HKLM\\SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\{p}"
            ),
            &["EnableFirewall", "DefaultInboundAction"],
        );
        let g = reg(
            r,
            &format!("HKLM\\SOFTWARE\\Policies\\Microsoft\\WindowsFirewall\\{p}"),
            &["EnableFirewall", "DefaultInboundAction"],
        );
        fw.push(json!({
            "Profile": p,
            "EnableFirewall": get(&l, "EnableFirewall"),
            "DefaultInboundAction": get(&l, "DefaultInboundAction"),
            "PolicyEnableFirewall": get(&g, "EnableFirewall"),
            "PolicyDefaultInboundAction": get(&g, "DefaultInboundAction"),
        }));
    }
    out.push(("firewall_registry", Value::Array(fw)));
    let ts = reg(
        r,
        "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server",
        &["fDenyTSConnections"],
    );
    let tcp = reg(
        r,
        "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp",
        &["UserAuthentication", "PortNumber", "SecurityLayer"],
    );
    let pol = reg(
        r,
        "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services",
        &["fDenyTSConnections", "UserAuthentication"],
    );
    out.push((
        "rdp",
        json!({
            "fDenyTSConnections": get(&ts, "fDenyTSConnections"),
            "UserAuthentication": get(&tcp, "UserAuthentication"),
            "PortNumber": get(&tcp, "PortNumber"),
            "SecurityLayer": get(&tcp, "SecurityLayer"),
            "PolicyDenyTSConnections": get(&pol, "fDenyTSConnections"),
            "PolicyUserAuthentication": get(&pol, "UserAuthentication"),
        }),
    ));
    let smb = reg(
        r,
        "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters",
        &["SMB1"],
    );
    let cl = reg(
        r,
        "HKLM\\SYSTEM\\CurrentControlSet\\Services\\mrxsmb10",
        &["Start"],
    );
    out.push((
        "smb_registry",
        json!({
            "SMB1": get(&smb, "SMB1"),
            "ClientSmb1Start": get(&cl, "Start"),
            "ClientSmb1Present": get(&cl, "KeyExists"),
        }),
    ));
    let m = reg(
        r,
        "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System",
        &["InactivityTimeoutSecs"],
    );
    let names = [
        "ScreenSaveActive",
        "ScreenSaverIsSecure",
        "ScreenSaveTimeOut",
    ];
    let u = reg(r, "HKCU\\Control Panel\\Desktop", &names);
    let p = reg(
        r,
        "HKCU\\Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop",
        &names,
    );
    out.push((
        "screenlock",
        json!({
            "InactivityTimeoutSecs": get(&m, "InactivityTimeoutSecs"),
            "ScreenSaveActive": get(&u, "ScreenSaveActive"),
            "ScreenSaverIsSecure": get(&u, "ScreenSaverIsSecure"),
            "ScreenSaveTimeOut": get(&u, "ScreenSaveTimeOut"),
            "PolicyScreenSaveActive": get(&p, "ScreenSaveActive"),
            "PolicyScreenSaverIsSecure": get(&p, "ScreenSaverIsSecure"),
            "PolicyScreenSaveTimeOut": get(&p, "ScreenSaveTimeOut"),
        }),
    ));
    let wl = "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon";
    let w = reg(
        r,
        wl,
        &[
            "AutoAdminLogon",
            "DefaultUserName",
            "DefaultDomainName",
            "AutoLogonCount",
        ],
    );
    out.push((
        "autologon",
        json!({
            "AutoAdminLogon": get(&w, "AutoAdminLogon"),
            "DefaultUserName": get(&w, "DefaultUserName"),
            "DefaultDomainName": get(&w, "DefaultDomainName"),
            // Only whether a password value exists; its content is never read.
            "HasDefaultPassword": r.has_value(wl, "DefaultPassword"),
            "AutoLogonCount": get(&w, "AutoLogonCount"),
        }),
    ));
    out.push(("uninstall", uninstall(r)));
    out.push(("java", java(r, program_files)));
    out.push(("defender_registry", defender(r)));
    out
}

/// A part's script without the sections built natively: each `Section 'name' {` block up
/// to its closing `}` line is left out.
#[must_use]
pub fn script_without(part: &str, skip: &[&str]) -> String {
    let mut out = String::with_capacity(part.len());
    let mut skipping = false;
    for line in part.lines() {
        if skipping {
            if line.trim_end() == "}" {
                skipping = false;
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("Section '")
            && let Some(name) = rest.split('\'').next()
            && skip.contains(&name)
        {
            skipping = !line.trim_end().ends_with('}');
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The registry of this computer, read-only.
#[cfg(windows)]
#[derive(Debug, Default, Clone, Copy)]
pub struct WinRegistry;

#[cfg(windows)]
impl WinRegistry {
    fn open(path: &str) -> Option<windows_registry::Key> {
        let (hive, rest) = if let Some(rest) = path.strip_prefix("HKLM\\") {
            (windows_registry::LOCAL_MACHINE, rest)
        } else if let Some(rest) = path.strip_prefix("HKCU\\") {
            (windows_registry::CURRENT_USER, rest)
        } else {
            return None;
        };
        hive.options().read().open(rest).ok()
    }
}

#[cfg(windows)]
impl RegistryView for WinRegistry {
    fn value(&self, path: &str, name: &str) -> Option<Value> {
        use windows_registry::Type;
        let k = Self::open(path)?;
        match k.get_type(name).ok()? {
            Type::U32 => k.get_u32(name).ok().map(Value::from),
            Type::U64 => k.get_u64(name).ok().map(Value::from),
            Type::String | Type::ExpandString => k.get_string(name).ok().map(Value::String),
            Type::MultiString => k
                .get_multi_string(name)
                .ok()
                .map(|v| Value::Array(v.into_iter().map(Value::String).collect())),
            Type::Bytes => k.get_value(name).ok().map(|v| {
                let bytes: &[u8] = v.as_ref();
                Value::Array(bytes.iter().take(4096).map(|&b| Value::from(b)).collect())
            }),
            Type::Other(_) => None,
        }
    }
    fn exists(&self, path: &str) -> bool {
        Self::open(path).is_some()
    }
    fn has_value(&self, path: &str, name: &str) -> bool {
        Self::open(path).is_some_and(|k| k.get_type(name).is_ok())
    }
    fn subkeys(&self, path: &str) -> Vec<String> {
        Self::open(path)
            .and_then(|k| k.keys().ok().map(|it| it.take(MAX_UNINSTALL).collect()))
            .unwrap_or_default()
    }
}
