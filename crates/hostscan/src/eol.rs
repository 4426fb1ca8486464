//! End-of-life dates of operating systems, from a converted subset of the endoflife.date
//! data (MIT licence, `data/endoflife/LICENSE`). `data/endoflife/eol.json` is generated from
//! the product files' front matter by the test `eol::shipped_table_matches_the_source`
//! (`PRAXCHECK_UPDATE_EOL=1` regenerates it); `data/endoflife/README.md` says how.
//!
//! Each cycle carries the address its dates come from (`source`), and each product says
//! what its extended phase is (`extended`): Debian LTS is free and reaches every machine
//! through the normal security repository; Ubuntu's ESM needs an Ubuntu Pro subscription
//! the machine is attached to; Windows ESU is a paid licence. The collector records these
//! facts; the assessment judges the phase on its own date (`praxcheck-assess`,
//! `facts::support_phase`), so a stored document moves from one phase to the next without
//! a rescan.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The shipped table, as JSON.
pub const EOL_JSON: &str = include_str!("../data/endoflife/eol.json");

/// The converted table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// Where the data comes from, with its licence.
    pub source: String,
    /// Release cycles per product (`debian`, `ubuntu`, `windows`, `windows-server`).
    pub products: BTreeMap<String, Vec<Cycle>>,
    /// What the extended phase (`Cycle::extended_support`) of each product is.
    #[serde(default)]
    pub extended: BTreeMap<String, Extended>,
}

/// Who may get the security updates of a product's extended phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtendedKind {
    /// Free for everyone, from the distribution's normal security repository (Debian LTS).
    Free,
    /// Only on machines attached to a subscription (Ubuntu Pro's Expanded Security
    /// Maintenance; free for personal use only).
    Subscription,
    /// Only with a paid licence (Windows Extended Security Updates).
    Paid,
}

impl ExtendedKind {
    /// The word recorded in the fact `os.extended_support_kind`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Free => "free",
            Self::Subscription => "subscription",
            Self::Paid => "paid",
        }
    }
}

/// The extended phase of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extended {
    /// Its name (`Debian LTS`, `Ubuntu Pro (ESM)`, `Windows ESU`).
    pub name: String,
    /// Who gets its updates.
    pub kind: ExtendedKind,
    /// Where that is documented.
    pub source: String,
}

/// One release cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cycle {
    /// endoflife.date's cycle id (`12`, `22.04`, `10-22h2`, `11-23h2-w`, `2019`).
    pub cycle: String,
    /// A readable label (`Debian 12 (Bookworm)`, `Windows 11 23H2 (W)`).
    pub label: String,
    /// Release date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_date: Option<String>,
    /// End of security support (`YYYY-MM-DD`), when the data has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eol: Option<String>,
    /// End of paid or community extended support (Debian LTS, Ubuntu ESM, Windows ESU).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extended_support: Option<String>,
    /// Latest version or build of the cycle (`12.15`, `10.0.19045`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest: Option<String>,
    /// Long-term servicing cycle.
    #[serde(default)]
    pub lts: bool,
    /// Where the cycle's dates come from (the product's endoflife.date page, which names
    /// the vendor's own sources).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The table (parsed once). `None` only if the shipped JSON were broken, which a test rules
/// out.
#[must_use]
pub fn table() -> Option<&'static Table> {
    static T: OnceLock<Option<Table>> = OnceLock::new();
    T.get_or_init(|| serde_json::from_str(EOL_JSON).ok())
        .as_ref()
}

/// A matched cycle with its product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Product key in the table.
    pub product: &'static str,
    /// The cycle.
    pub cycle: &'static Cycle,
}

impl Match {
    /// The product's extended phase, when the cycle has one.
    #[must_use]
    pub fn extended(&self) -> Option<&'static Extended> {
        self.cycle.extended_support.as_ref()?;
        table()?.extended.get(self.product)
    }
}

fn find(product: &str, pred: impl Fn(&Cycle) -> bool) -> Option<Match> {
    let t = table()?;
    let (k, cycles) = t.products.get_key_value(product)?;
    cycles.iter().find(|c| pred(c)).map(|c| Match {
        product: k.as_str(),
        cycle: c,
    })
}

/// The cycle of a Linux distribution from `/etc/os-release` (`ID`, `VERSION_ID`).
#[must_use]
pub fn linux(id: &str, version_id: &str) -> Option<Match> {
    match id {
        "debian" => {
            let major = version_id.split('.').next().unwrap_or(version_id);
            find("debian", |c| c.cycle == major)
        }
        "ubuntu" => find("ubuntu", |c| c.cycle == version_id),
        _ => None,
    }
}

/// What Windows says about its version (registry `HKLM\SOFTWARE\Microsoft\Windows
/// NT\CurrentVersion`, `Win32_OperatingSystem`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WindowsVersion {
    /// `ProductName` (Windows 11 still says "Windows 10 …" here).
    pub product_name: String,
    /// `EditionID` (`Professional`, `Enterprise`, `EnterpriseS`, `ServerStandard`, …).
    pub edition_id: String,
    /// `InstallationType` (`Client`, `Server`, `Server Core`).
    pub installation_type: String,
    /// Major.minor (`10.0`, `6.3`, `6.1`).
    pub major_minor: String,
    /// `CurrentBuild`.
    pub build: u32,
    /// `Win32_OperatingSystem.ProductType`: 1 workstation, 2 domain controller, 3 server.
    pub product_type: Option<i64>,
}

impl WindowsVersion {
    /// Whether this is a server edition.
    #[must_use]
    pub fn is_server(&self) -> bool {
        self.installation_type.starts_with("Server")
            || self.edition_id.starts_with("Server")
            || self.product_type.is_some_and(|t| t == 2 || t == 3)
            || self.product_name.contains("Server")
    }

    /// The edition class endoflife.date uses: `w` (Home, Pro), `e` (Enterprise, Education,
    /// IoT Enterprise), `e-lts` (Enterprise LTSC), `iot-lts` (IoT Enterprise LTSC).
    #[must_use]
    pub fn edition_class(&self) -> &'static str {
        let e = self.edition_id.as_str();
        if e.starts_with("IoTEnterpriseS") {
            "iot-lts"
        } else if e.starts_with("EnterpriseS") {
            "e-lts"
        } else if e.starts_with("Enterprise")
            || e.starts_with("Education")
            || e.starts_with("IoTEnterprise")
        {
            "e"
        } else {
            "w"
        }
    }

    /// A readable name: Windows 11 is recognised by its build (22000 and later), since its
    /// `ProductName` still says Windows 10.
    #[must_use]
    pub fn display_name(&self) -> String {
        if !self.is_server() && self.build >= 22000 && self.product_name.contains("Windows 10") {
            self.product_name.replacen("Windows 10", "Windows 11", 1)
        } else {
            self.product_name.clone()
        }
    }
}

fn build_of(latest: &str) -> Option<(&str, u32)> {
    let (mm, b) = latest.rsplit_once('.')?;
    Some((mm, b.parse().ok()?))
}

/// The cycle of a Windows installation.
#[must_use]
pub fn windows(v: &WindowsVersion) -> Option<Match> {
    let t = table()?;
    if v.is_server() {
        let (k, cycles) = t.products.get_key_value("windows-server")?;
        let same: Vec<&Cycle> = cycles
            .iter()
            .filter(|c| {
                c.latest
                    .as_deref()
                    .and_then(build_of)
                    .is_some_and(|(mm, b)| b == v.build && mm == v.major_minor)
            })
            .collect();
        // The year in the product name ("Windows Server 2019 Standard") decides between a
        // long-term and a semi-annual cycle with the same build; else long-term wins.
        let by_name = same.iter().find(|c| {
            let year = c.cycle.split('-').next().unwrap_or("");
            year.len() == 4 && v.product_name.contains(year)
        });
        let chosen = by_name
            .or_else(|| same.iter().find(|c| c.lts))
            .or_else(|| same.first())?;
        return Some(Match {
            product: k.as_str(),
            cycle: chosen,
        });
    }
    let (k, cycles) = t.products.get_key_value("windows")?;
    let same: Vec<&Cycle> = cycles
        .iter()
        .filter(|c| {
            c.latest
                .as_deref()
                .and_then(build_of)
                .is_some_and(|(mm, b)| b == v.build && mm == v.major_minor)
        })
        .collect();
    let class = v.edition_class();
    let suffix_is = |c: &Cycle, s: &str| c.cycle.ends_with(&format!("-{s}"));
    let plain = |c: &Cycle| {
        !["-w", "-e", "-e-lts", "-iot-lts", "-iot"]
            .iter()
            .any(|s| c.cycle.ends_with(s))
    };
    type Pred = Box<dyn Fn(&Cycle) -> bool>;
    let order: Vec<Pred> = match class {
        "iot-lts" => vec![
            Box::new(move |c| suffix_is(c, "iot-lts")),
            Box::new(move |c| suffix_is(c, "e-lts")),
        ],
        "e-lts" => vec![Box::new(move |c| suffix_is(c, "e-lts"))],
        "e" => vec![
            Box::new(move |c| suffix_is(c, "e") && !c.cycle.ends_with("-lts")),
            Box::new(plain),
        ],
        _ => vec![Box::new(move |c| suffix_is(c, "w")), Box::new(plain)],
    };
    let chosen = order
        .iter()
        .find_map(|p| same.iter().find(|c| p(c)).copied())?;
    Some(Match {
        product: k.as_str(),
        cycle: chosen,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn win(edition: &str, build: u32, name: &str) -> WindowsVersion {
        WindowsVersion {
            product_name: name.into(),
            edition_id: edition.into(),
            installation_type: if name.contains("Server") {
                "Server".into()
            } else {
                "Client".into()
            },
            major_minor: if build < 10000 {
                match build {
                    7601 => "6.1".into(),
                    9600 => "6.3".into(),
                    _ => "6.2".into(),
                }
            } else {
                "10.0".into()
            },
            build,
            product_type: None,
        }
    }

    fn cyc(v: &WindowsVersion) -> String {
        windows(v)
            .map(|m| m.cycle.cycle.clone())
            .unwrap_or_default()
    }

    #[test]
    fn the_shipped_table_parses() {
        let t = table().unwrap();
        for p in ["debian", "ubuntu", "windows", "windows-server"] {
            assert!(!t.products[p].is_empty(), "{p}");
        }
    }

    #[test]
    fn windows_editions_pick_their_cycle() {
        assert_eq!(
            cyc(&win("Professional", 19045, "Windows 10 Pro")),
            "10-22h2"
        );
        assert_eq!(
            cyc(&win("Enterprise", 19045, "Windows 10 Enterprise")),
            "10-22h2"
        );
        assert_eq!(
            cyc(&win("Professional", 22631, "Windows 10 Pro")),
            "11-23h2-w"
        );
        assert_eq!(
            cyc(&win("Education", 22631, "Windows 10 Education")),
            "11-23h2-e"
        );
        assert_eq!(
            cyc(&win(
                "EnterpriseS",
                19044,
                "Windows 10 Enterprise LTSC 2021"
            )),
            "10-21h2-e-lts"
        );
        assert_eq!(
            cyc(&win(
                "IoTEnterpriseS",
                19044,
                "Windows 10 IoT Enterprise LTSC 2021"
            )),
            "10-21h2-iot-lts"
        );
        assert_eq!(
            cyc(&win("Professional", 7601, "Windows 7 Professional")),
            "7-sp1"
        );
        assert_eq!(cyc(&win("Core", 26100, "Windows 10 Home")), "11-24h2-w");
        assert_eq!(
            cyc(&win(
                "ServerStandard",
                17763,
                "Windows Server 2019 Standard"
            )),
            "2019"
        );
        assert_eq!(
            cyc(&win(
                "ServerStandard",
                9600,
                "Windows Server 2012 R2 Standard"
            )),
            "2012-r2"
        );
        assert_eq!(cyc(&win("Professional", 12345, "Windows 10 Pro")), "");
    }

    #[test]
    fn windows_11_is_named_by_build() {
        assert_eq!(
            win("Professional", 22631, "Windows 10 Pro").display_name(),
            "Windows 11 Pro"
        );
        assert_eq!(
            win("Professional", 19045, "Windows 10 Pro").display_name(),
            "Windows 10 Pro"
        );
    }

    #[test]
    fn linux_distributions() {
        let m = linux("debian", "12").unwrap();
        assert_eq!(m.cycle.eol.as_deref(), Some("2026-07-11"));
        assert_eq!(m.cycle.extended_support.as_deref(), Some("2028-06-30"));
        assert_eq!(
            linux("ubuntu", "22.04").unwrap().cycle.eol.as_deref(),
            Some("2027-04-01")
        );
        assert!(linux("rhel", "9.4").is_none());
    }

    #[test]
    fn every_cycle_names_its_source_and_every_extended_phase_its_kind() {
        let t = table().unwrap();
        for (p, cycles) in &t.products {
            for c in cycles {
                assert!(
                    c.source
                        .as_deref()
                        .is_some_and(|s| s.starts_with("https://")),
                    "{p} {}",
                    c.cycle
                );
                if c.extended_support.is_some() {
                    assert!(t.extended.contains_key(p), "{p} {}", c.cycle);
                }
            }
        }
        let kind = |os: &str, v: &str| linux(os, v).and_then(|m| m.extended()).map(|e| e.kind);
        assert_eq!(kind("debian", "12"), Some(ExtendedKind::Free));
        assert_eq!(kind("ubuntu", "22.04"), Some(ExtendedKind::Subscription));
        assert_eq!(kind("ubuntu", "23.10"), None, "no ESM for interim releases");
    }
}
