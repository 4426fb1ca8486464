//! The data the network collector reads from the advisory set: the practice port profile
//! (`data/network/ports.json`) and the small MAC vendor table (`data/network/oui.json`).
//! Data, not code: a new port or vendor needs a line in those files.

use serde::Deserialize;

use crate::AdvisoryError;

const PORTS: &str = include_str!("../data/network/ports.json");
const OUI: &str = include_str!("../data/network/oui.json");

/// One port of the practice profile.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ProfilePort {
    /// TCP port.
    pub port: u16,
    /// The service usually found there.
    pub service: String,
    /// The identification probe to run (`banner`, `http`, `https`, `smb`, `rdp`, `vnc`,
    /// `dicom`, `hl7`, `ftp`, `telnet`, `mysql`, `netbios`, `connect_only`).
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
