//! The data the network collector reads from the advisory set: the practice port profile
//! (`data/network/ports.json`), the small MAC vendor table (`data/network/oui.json`) and the
//! device table (`data/network/devices.json`: what a banner, header, certificate, service
//! directory or database greeting names, and each release line's end of life and oldest
//! current version). Data, not code: a new port, vendor or device needs an entry in those
//! files.

use praxcheck_model::{FactValue as ProbeValue, NetService};
use praxcheck_versions::Scheme;
use serde::Deserialize;

use crate::AdvisoryError;

const PORTS: &str = include_str!("../data/network/ports.json");
const OUI: &str = include_str!("../data/network/oui.json");
const DEVICES: &str = include_str!("../data/network/devices.json");

/// One port of the practice profile.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ProfilePort {
    /// TCP port.
    pub port: u16,
    /// The service usually found there.
    pub service: String,
    /// The identification probe to run (`banner`, `http`, `https`, `smb`, `rdp`, `vnc`,
    /// `dicom`, `hl7`, `ftp`, `telnet`, `mysql`, `mssql`, `postgresql`, `firebird`, `netbios`,
    /// `connect_only`).
    pub probe: String,
}

/// The practice port profile.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PortProfile {
    /// Ports tried once per address to discover hosts.
    pub discovery: Vec<u16>,
    /// Ports tried on every live host.
    pub ports: Vec<ProfilePort>,
}

/// One entry of the MAC vendor table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OuiEntry {
    /// The first three bytes, `AA:BB:CC`, upper case.
    pub prefix: String,
    /// Vendor name.
    pub vendor: String,
    /// The organisation IEEE lists for the prefix, to the letter (what the kind is checked
    /// against: a display maker's prefix is no printer).
    pub organisation: String,
    /// The device kind a match suggests (`printer`, `nas`, `medical_device`, …).
    pub kind: String,
}

#[derive(Deserialize)]
struct OuiFile {
    entries: Vec<OuiEntry>,
}

/// The embedded port profile.
///
/// # Errors
/// When the embedded data does not parse (a test keeps that from shipping).
pub fn port_profile() -> Result<PortProfile, AdvisoryError> {
    serde_json::from_str(PORTS).map_err(|error| AdvisoryError::Parse {
        what: "data/network/ports.json".to_owned(),
        error,
    })
}

/// The embedded MAC vendor table.
///
/// # Errors
/// When the embedded data does not parse.
pub fn oui_table() -> Result<Vec<OuiEntry>, AdvisoryError> {
    serde_json::from_str::<OuiFile>(OUI)
        .map(|f| f.entries)
        .map_err(|error| AdvisoryError::Parse {
            what: "data/network/oui.json".to_owned(),
            error,
        })
}

/// One way of recognising a device entry: a regular expression over one observation.
#[derive(Debug, Clone, Deserialize)]
pub struct Identify {
    /// The observation it reads (`ssh.banner`, `http.server`, `mssql.version`, …; see
    /// [`observations`]).
    pub source: String,
    /// The pattern, with a named group `version`.
    pub pattern: String,
    /// A pattern that vetoes the match (MySQL's pattern must not take MariaDB's greeting).
    #[serde(default)]
    pub unless: Option<String>,
}

/// One release line of a device entry: a half-open version range with its dates.
#[derive(Debug, Clone, Deserialize)]
pub struct Release {
    /// The line's name for the reports (`SQL Server 2012`).
    pub name: String,
    /// First version of the line (inclusive); none: from the beginning.
    #[serde(default)]
    pub introduced: Option<String>,
    /// First version after the line (exclusive); none: open-ended.
    #[serde(default)]
    pub before: Option<String>,
    /// The day the vendor's security updates end (`YYYY-MM-DD`).
    #[serde(default)]
    pub end_of_life: Option<String>,
    /// The version to update to: versions of the line below it are outdated.
    #[serde(default)]
    pub update_to: Option<String>,
    /// Where the dates and versions come from.
    pub source: String,
}

/// One device (or software on a device) of the device table.
#[derive(Debug, Clone, Deserialize)]
pub struct DeviceEntry {
    /// Stable id (`microsoft-sql-server`).
    pub id: String,
    /// Vendor name.
    pub vendor: String,
    /// Product name.
    pub product: String,
    /// `database` (the database rules) or `firmware`, `os`, `software` (the device rules).
    pub category: String,
    /// How the scan recognises it.
    pub identify: Vec<Identify>,
    /// Release lines (may be empty: recognised, no dates known).
    pub releases: Vec<Release>,
}

#[derive(Deserialize)]
struct DeviceFile {
    entries: Vec<DeviceEntry>,
}

/// One compiled `identify` pattern and its optional veto.
type Compiled = (regex::Regex, Option<regex::Regex>);

/// The device table with its patterns compiled.
#[derive(Debug, Clone)]
pub struct DeviceTable {
    entries: Vec<(DeviceEntry, Vec<Compiled>)>,
}

/// A device entry recognised in one observation of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identified {
    /// The entry's id.
    pub entry: String,
    /// Vendor.
    pub vendor: String,
    /// Product.
    pub product: String,
    /// The entry's category.
    pub category: String,
    /// The version read.
    pub version: String,
    /// `source: observed text` (capped).
    pub evidence: String,
}

/// What the table says about one identified version on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    /// The release line's name.
    pub release: String,
    /// Its end-of-life date, when one is known.
    pub end_of_life: Option<String>,
    /// The end-of-life date lies before the day of the assessment.
    pub past_end_of_life: bool,
    /// The version to update to, when the version is below it.
    pub outdated_below: Option<String>,
    /// The entry's source URL.
    pub source: String,
}

fn contains(r: &Release, version: &str) -> bool {
    let m = Scheme::Maven;
    r.introduced
        .as_deref()
        .is_none_or(|i| m.compare(version, i).is_ge())
        && r.before
            .as_deref()
            .is_none_or(|b| m.compare(version, b).is_lt())
}

impl DeviceTable {
    /// Compiles a table from its JSON text.
    ///
    /// # Errors
    /// JSON that does not parse, a pattern that does not compile or lacks the `version`
    /// group, a date that is not `YYYY-MM-DD`, a range whose end is not after its start.
    pub fn parse(text: &str) -> Result<Self, AdvisoryError> {
        let bad = |id: &str, reason: String| AdvisoryError::Record {
            what: "data/network/devices.json".to_owned(),
            id: id.to_owned(),
            reason,
        };
        let file: DeviceFile =
            serde_json::from_str(text).map_err(|error| AdvisoryError::Parse {
                what: "data/network/devices.json".to_owned(),
                error,
            })?;
        let mut entries = Vec::new();
        for e in file.entries {
            let mut compiled = Vec::new();
            for i in &e.identify {
                let re = regex::Regex::new(&i.pattern)
                    .map_err(|x| bad(&e.id, format!("pattern {:?}: {x}", i.pattern)))?;
                if !re.capture_names().any(|n| n == Some("version")) {
                    return Err(bad(
                        &e.id,
                        format!("pattern {:?} has no version group", i.pattern),
                    ));
                }
                let unless = match &i.unless {
                    Some(u) => Some(
                        regex::Regex::new(u)
                            .map_err(|x| bad(&e.id, format!("pattern {u:?}: {x}")))?,
                    ),
                    None => None,
                };
                compiled.push((re, unless));
            }
            for r in &e.releases {
                if let Some(d) = &r.end_of_life
                    && (d.len() != 10 || crate::parse_date(d).is_none())
                {
                    return Err(bad(&e.id, format!("{}: date {d:?}", r.name)));
                }
                if let (Some(a), Some(b)) = (&r.introduced, &r.before)
                    && Scheme::Maven.compare(a, b).is_ge()
                {
                    return Err(bad(&e.id, format!("{}: empty range {a}..{b}", r.name)));
                }
                if !r.source.starts_with("https://") {
                    return Err(bad(&e.id, format!("{}: source {:?}", r.name, r.source)));
                }
            }
            entries.push((e, compiled));
        }
        Ok(Self { entries })
    }

    /// The entries.
    pub fn entries(&self) -> impl Iterator<Item = &DeviceEntry> {
        self.entries.iter().map(|(e, _)| e)
    }

    /// The entries recognised in one observation (`source`, `text`).
    #[must_use]
    pub fn identify(&self, source: &str, text: &str) -> Vec<Identified> {
        let mut out = Vec::new();
        for (e, pats) in &self.entries {
            for (i, (re, unless)) in e.identify.iter().zip(pats) {
                if i.source != source || unless.as_ref().is_some_and(|u| u.is_match(text)) {
                    continue;
                }
                let Some(version) = re.captures(text).and_then(|c| c.name("version")) else {
                    continue;
                };
                let mut shown: String = text.chars().take(160).collect();
                if shown.len() < text.len() {
                    shown.push('…');
                }
                out.push(Identified {
                    entry: e.id.clone(),
                    vendor: e.vendor.clone(),
                    product: e.product.clone(),
                    category: e.category.clone(),
                    version: version.as_str().to_owned(),
                    evidence: format!("{source}: {shown}"),
                });
                break;
            }
        }
        out
    }

    /// Every entry recognised in a service's observations (see [`observations`]), each
    /// entry once.
    #[must_use]
    pub fn identify_service(&self, s: &NetService) -> Vec<Identified> {
        let mut out: Vec<Identified> = Vec::new();
        for (source, text) in observations(s) {
            for i in self.identify(source, &text) {
                if !out.iter().any(|o| o.entry == i.entry) {
                    out.push(i);
                }
            }
        }
        out
    }

    /// The release line of `version` in entry `entry` and what it means on `today`; `None`
    /// when the entry is unknown or no line holds the version.
    #[must_use]
    pub fn judge(&self, entry: &str, version: &str, today: time::Date) -> Option<Judgement> {
        let (e, _) = self.entries.iter().find(|(e, _)| e.id == entry)?;
        let r = e.releases.iter().find(|r| contains(r, version))?;
        let eol = r.end_of_life.as_deref().and_then(crate::parse_date);
        Some(Judgement {
            release: r.name.clone(),
            end_of_life: r.end_of_life.clone(),
            past_end_of_life: eol.is_some_and(|d| d < today),
            outdated_below: r
                .update_to
                .clone()
                .filter(|u| Scheme::Maven.compare(version, u).is_lt()),
            source: r.source.clone(),
        })
    }
}

/// The observations of a service the device table's patterns read: `ssh.banner`,
/// `ftp.banner` (the first banner line), `http.server` (the `Server` header or product of an
/// HTTP(S) service), `http.title`, `tls.subject`, `tls.issuer`, `ti.connector`
/// (`<product> / firmware <version>` from the connector's service directory), `smb.os`
/// (`<product> <major.minor>.<build>` from the NTLMSSP CHALLENGE of an SMB server:
/// `Windows 6.1.7601`, `Samba 6.1.0`) and every text
/// probe result ending in `.version` under its own key (`mysql.version`, `mssql.version`,
/// `postgresql.version`, `firebird.version`).
#[must_use]
pub fn observations(s: &NetService) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let name = s.identified.as_deref().unwrap_or("");
    let text = |key: &str| {
        s.probes
            .iter()
            .find_map(|p| match (&p.value, p.key == key) {
                (ProbeValue::Text(t), true) => Some(t.clone()),
                _ => None,
            })
    };
    match name {
        "ssh" => {
            if let Some(b) = &s.banner {
                out.push(("ssh.banner", b.clone()));
            }
        }
        "ftp" => {
            if let Some(b) = &s.banner {
                out.push(("ftp.banner", b.clone()));
            }
        }
        "http" | "https" | "ti-connector" => {
            if let Some(p) = &s.product
                && name != "ti-connector"
            {
                out.push(("http.server", p.clone()));
            }
            if let Some(b) = &s.banner {
                out.push(("http.title", b.clone()));
            }
        }
        _ => {}
    }
    if let Some(t) = &s.tls {
        out.push(("tls.subject", t.subject.clone()));
        out.push(("tls.issuer", t.issuer.clone()));
    }
    if let (Some(p), Some(f)) = (text("ti.connector_product"), text("ti.connector_firmware")) {
        out.push(("ti.connector", format!("{p} / firmware {f}")));
    }
    let build = s
        .probes
        .iter()
        .find_map(|p| match (&p.value, p.key.as_str()) {
            (ProbeValue::Int(b), "smb.os_build") => Some(*b),
            _ => None,
        });
    if let (Some(p), Some(v), Some(b)) = (text("smb.os_product"), text("smb.os_version"), build) {
        out.push(("smb.os", format!("{p} {v}.{b}")));
    }
    for (key, source) in [
        ("mysql.version", "mysql.version"),
        ("mssql.version", "mssql.version"),
        ("postgresql.version", "postgresql.version"),
        ("firebird.version", "firebird.version"),
    ] {
        if let Some(v) = text(key) {
            out.push((source, v));
        }
    }
    out
}

/// The embedded device table.
///
/// # Errors
/// When the embedded data does not parse or a pattern does not compile (a test keeps that
/// from shipping).
pub fn device_table() -> Result<DeviceTable, AdvisoryError> {
    DeviceTable::parse(DEVICES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profile_parses_and_keeps_the_printer_port_silent() {
        let p = port_profile().unwrap();
        let ports: Vec<u16> = p.ports.iter().map(|x| x.port).collect();
        for must in [
            21, 22, 23, 80, 104, 139, 443, 445, 2575, 3389, 5900, 11112, 9100,
        ] {
            assert!(ports.contains(&must), "{must} missing");
        }
        let raw = p.ports.iter().find(|x| x.port == 9100).unwrap();
        assert_eq!(raw.probe, "connect_only");
        let mut sorted = ports.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ports.len(), "duplicate port");
    }

    #[test]
    fn the_oui_table_parses_with_upper_case_prefixes() {
        let t = oui_table().unwrap();
        assert!(t.len() >= 10);
        for e in &t {
            assert_eq!(e.prefix.len(), 8, "{}", e.prefix);
            assert_eq!(e.prefix, e.prefix.to_uppercase());
        }
    }
}

#[cfg(test)]
mod device_tests {
    use super::*;
    use time::macros::date;

    fn one(source: &str, text: &str) -> Identified {
        let t = device_table().unwrap();
        let v = t.identify(source, text);
        assert_eq!(v.len(), 1, "{source} {text:?}: {v:?}");
        v.into_iter().next().unwrap()
    }

    #[test]
    fn the_device_table_parses_and_every_line_names_its_source() {
        let t = device_table().unwrap();
        assert!(t.entries().count() >= 8);
        for e in t.entries() {
            assert!(!e.identify.is_empty(), "{}", e.id);
            for r in &e.releases {
                assert!(r.source.starts_with("https://"), "{} {}", e.id, r.name);
            }
        }
        let ids: Vec<&str> = t.entries().map(|e| e.id.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len(), "duplicate id");
    }

    #[test]
    fn a_broken_table_is_refused_with_the_entry_and_reason() {
        let bad = r#"{"entries":[{"id":"x","vendor":"v","product":"p","category":"os",
            "identify":[{"source":"ssh.banner","pattern":"no group"}],"releases":[]}]}"#;
        let e = DeviceTable::parse(bad).unwrap_err().to_string();
        assert!(e.contains("x") && e.contains("version group"), "{e}");
        let bad = r#"{"entries":[{"id":"y","vendor":"v","product":"p","category":"os",
            "identify":[{"source":"s","pattern":"(?P<version>1)"}],
            "releases":[{"name":"n","end_of_life":"2020-13-01","source":"https://x"}]}]}"#;
        let e = DeviceTable::parse(bad).unwrap_err().to_string();
        assert!(e.contains("y") && e.contains("date"), "{e}");
        let bad = r#"{"entries":[{"id":"z","vendor":"v","product":"p","category":"os",
            "identify":[{"source":"s","pattern":"(?P<version>1)"}],
            "releases":[{"name":"n","introduced":"2","before":"1","source":"https://x"}]}]}"#;
        assert!(DeviceTable::parse(bad).is_err());
    }

    #[test]
    fn sql_server_2014_is_past_end_of_life_and_2022_is_not() {
        let t = device_table().unwrap();
        let i = one("mssql.version", "12.0.6024");
        assert_eq!(i.entry, "microsoft-sql-server");
        assert_eq!(i.category, "database");
        let j = t
            .judge(&i.entry, &i.version, date!(2026 - 12 - 04))
            .unwrap();
        assert_eq!(j.release, "SQL Server 2014");
        assert!(j.past_end_of_life);
        assert_eq!(j.end_of_life.as_deref(), Some("2024-07-09"));
        let j = t
            .judge(&i.entry, &i.version, date!(2024 - 07 - 08))
            .unwrap();
        assert!(
            !j.past_end_of_life,
            "the day before the end is still supported"
        );
        let i = one("mssql.version", "16.0.1000");
        let j = t
            .judge(&i.entry, &i.version, date!(2026 - 12 - 04))
            .unwrap();
        assert_eq!(j.release, "SQL Server 2022");
        assert!(!j.past_end_of_life && j.outdated_below.is_none());
    }

    #[test]
    fn mariadb_and_mysql_greetings_are_told_apart() {
        let i = one("mysql.version", "5.5.5-10.11.6-MariaDB-0+deb12u1");
        assert_eq!(
            (i.entry.as_str(), i.version.as_str()),
            ("mariadb", "10.11.6")
        );
        let i = one("mysql.version", "5.5.5-10.4.34-MariaDB");
        let t = device_table().unwrap();
        assert!(
            t.judge(&i.entry, &i.version, date!(2026 - 12 - 04))
                .unwrap()
                .past_end_of_life
        );
        let i = one("mysql.version", "5.7.44-log");
        assert_eq!((i.entry.as_str(), i.version.as_str()), ("mysql", "5.7.44"));
        let j = t
            .judge(&i.entry, &i.version, date!(2026 - 12 - 04))
            .unwrap();
        assert_eq!(j.release, "MySQL 5.7");
        assert!(j.past_end_of_life);
    }

    #[test]
    fn debian_releases_from_ssh_banners_and_windows_from_iis() {
        let t = device_table().unwrap();
        let today = date!(2026 - 12 - 04);
        let i = one("ssh.banner", "SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u7");
        assert_eq!(i.version, "9");
        assert!(
            t.judge(&i.entry, &i.version, today)
                .unwrap()
                .past_end_of_life
        );
        let i = one("ssh.banner", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3");
        assert!(
            !t.judge(&i.entry, &i.version, today)
                .unwrap()
                .past_end_of_life
        );
        assert!(t.identify("ssh.banner", "SSH-2.0-OpenSSH_9.6").is_empty());
        let i = one("http.server", "Microsoft-IIS/7.5");
        let j = t.judge(&i.entry, &i.version, today).unwrap();
        assert!(j.past_end_of_life && j.release.contains("2008"), "{j:?}");
        let i = one("http.server", "Microsoft-IIS/10.0");
        assert!(
            t.judge(&i.entry, &i.version, today).is_none(),
            "no dates for IIS 10"
        );
    }

    #[test]
    fn a_revoked_konnektor_firmware_is_outdated_and_the_current_one_is_not() {
        let t = device_table().unwrap();
        let today = date!(2026 - 12 - 04);
        let i = one("ti.connector", "secunet konnektor 2.1.0 / firmware 5.1.2");
        assert_eq!(i.version, "5.1.2");
        let j = t.judge(&i.entry, &i.version, today).unwrap();
        assert_eq!(j.outdated_below.as_deref(), Some("5.50.4"));
        assert!(!j.past_end_of_life);
        let i = one("ti.connector", "secunet konnektor 2.1.0 / firmware 5.50.4");
        assert!(t.judge(&i.entry, &i.version, today).is_none());
        assert!(
            t.identify("ti.connector", "KoCoBox MED+ / firmware 5.1.2")
                .is_empty()
        );
    }

    #[test]
    fn windows_from_the_ntlm_version_is_judged_by_its_build() {
        let t = device_table().unwrap();
        let today = date!(2026 - 12 - 04);
        let judge = |os: &str| {
            let i = one("smb.os", os);
            assert_eq!(i.entry, "microsoft-windows");
            t.judge(&i.entry, &i.version, today).unwrap()
        };
        // Windows 7 SP1 / Server 2008 R2 SP1: one NT version, past its end since 2020.
        let j = judge("Windows 6.1.7601");
        assert!(j.past_end_of_life, "{j:?}");
        assert_eq!(j.end_of_life.as_deref(), Some("2020-01-14"));
        assert!(j.release.contains("Windows 7") && j.release.contains("2008 R2"));
        assert!(j.source.starts_with("https://endoflife.date/"));
        // Windows 10 22H2 ended on 2025-10-14, 1909 long before.
        let j = judge("Windows 10.0.19045");
        assert!(j.past_end_of_life && j.release.contains("22H2"), "{j:?}");
        assert_eq!(j.end_of_life.as_deref(), Some("2025-10-14"));
        assert!(judge("Windows 10.0.18363").past_end_of_life);
        // A build an LTSC or server edition shares is judged by the longest support.
        let j = judge("Windows 10.0.17763");
        assert!(
            !j.past_end_of_life && j.release.contains("Server 2019"),
            "{j:?}"
        );
        assert!(!judge("Windows 10.0.19044").past_end_of_life);
        assert!(!judge("Windows 10.0.26100").past_end_of_life);
        assert!(!judge("Windows 10.0.20348").past_end_of_life);
        // An unknown build has no line: not judged.
        let i = one("smb.os", "Windows 10.0.19046");
        assert!(t.judge(&i.entry, &i.version, today).is_none());
        // Samba's fixed answer is not Windows.
        assert!(t.identify("smb.os", "Samba 6.1.0").is_empty());
    }

    /// The Windows lines are hostscan's endoflife.date cycles, grouped by what the NTLM
    /// VERSION can tell apart (the NT version before Windows 10, the build from then on), each
    /// with the latest end of support of its group and that cycle's product page.
    #[test]
    fn windows_lines_agree_with_the_endoflife_table() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../hostscan/data/endoflife/eol.json"
        );
        let eol: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        // key -> (introduced, before, end of life, source)
        let mut want: std::collections::BTreeMap<(u32, u32, u32), (String, String, String)> =
            std::collections::BTreeMap::new();
        for product in ["windows", "windows-server"] {
            for c in eol["products"][product].as_array().unwrap() {
                let (Some(latest), Some(end)) = (c["latest"].as_str(), c["eol"].as_str()) else {
                    continue;
                };
                let n: Vec<u32> = latest.split('.').map(|x| x.parse().unwrap()).collect();
                let key = if n[0] >= 10 {
                    (n[0], n[1], n[2])
                } else {
                    (n[0], n[1], 0)
                };
                let e = want.entry(key).or_default();
                // Equal dates: the server cycle's page (Windows 7 and Server 2008 R2 end
                // on the same day).
                if end > e.1.as_str() || (product == "windows-server" && end == e.1.as_str()) {
                    *e = (
                        String::new(),
                        end.to_owned(),
                        format!("https://endoflife.date/{product}"),
                    );
                }
            }
        }
        let want: Vec<(String, String, String, String)> = want
            .into_iter()
            .map(|((a, b, c), (_, end, source))| {
                let (from, to) = if a >= 10 {
                    (format!("{a}.{b}.{c}"), format!("{a}.{b}.{}", c + 1))
                } else {
                    (format!("{a}.{b}"), format!("{a}.{}", b + 1))
                };
                (from, to, end, source)
            })
            .collect();
        let t = device_table().unwrap();
        let e = t.entries().find(|e| e.id == "microsoft-windows").unwrap();
        let have: Vec<(String, String, String, String)> = e
            .releases
            .iter()
            .map(|r| {
                (
                    r.introduced.clone().unwrap_or_default(),
                    r.before.clone().unwrap_or_default(),
                    r.end_of_life.clone().unwrap_or_default(),
                    r.source.clone(),
                )
            })
            .collect();
        assert_eq!(have, want, "devices.json microsoft-windows against {path}");
    }

    /// Recorded FTP greetings of RouterOS (`/ip service` ftp on, identity `MikroTik` and a
    /// renamed one): below the fixed release of their line the firmware is outdated.
    #[test]
    fn a_mikrotik_router_below_the_winbox_fix_is_outdated() {
        let t = device_table().unwrap();
        let today = date!(2026 - 12 - 04);
        let i = one(
            "ftp.banner",
            "220 MikroTik FTP server (MikroTik 6.41.3) ready",
        );
        assert_eq!(
            (i.entry.as_str(), i.version.as_str()),
            ("mikrotik-routeros", "6.41.3")
        );
        assert_eq!(i.category, "firmware");
        let j = t.judge(&i.entry, &i.version, today).unwrap();
        assert_eq!(j.outdated_below.as_deref(), Some("6.42.1"));
        assert!(j.source.starts_with("https://blog.mikrotik.com/"));
        let i = one(
            "ftp.banner",
            "220 praxis-gw FTP server (MikroTik 6.40.5) ready",
        );
        let j = t.judge(&i.entry, &i.version, today).unwrap();
        assert_eq!(j.outdated_below.as_deref(), Some("6.40.8"));
        // Fixed releases and the later lines: nothing to say.
        for fixed in ["6.40.8", "6.42.1", "6.49.10", "7.16"] {
            let i = one(
                "ftp.banner",
                &format!("220 MikroTik FTP server (MikroTik {fixed}) ready"),
            );
            assert!(t.judge(&i.entry, &i.version, today).is_none(), "{fixed}");
        }
        // Other FTP servers are not RouterOS.
        assert!(t.identify("ftp.banner", "220 Praxis FTP ready").is_empty());
        assert!(t.identify("ftp.banner", "220 (vsFTPd 3.0.3)").is_empty());
    }

    #[test]
    fn postgresql_is_judged_by_the_newest_major_it_can_be() {
        let t = device_table().unwrap();
        let today = date!(2026 - 12 - 04);
        let i = one("postgresql.version", "at most 13");
        assert!(
            t.judge(&i.entry, &i.version, today)
                .unwrap()
                .past_end_of_life
        );
        let i = one("postgresql.version", "14 to 16");
        assert_eq!(i.version, "16");
        assert!(
            !t.judge(&i.entry, &i.version, today)
                .unwrap()
                .past_end_of_life
        );
    }
}
