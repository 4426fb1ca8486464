//! Facts of the practice network, recorded by the network collector (`praxcheck net`):
//! hosts, their vendor and device kind, open services with what identified them, TLS facts
//! and the results of the identification probes. Facts only: whether SMBv1 is accepted is
//! a fact here; that it is a risk is a rule in the advisory set.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::host::FactValue;

/// What the network scan saw.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct NetworkFacts {
    /// The targets as given (addresses, ranges, CIDR) or as detected from the interfaces.
    pub targets: Vec<String>,
    /// True when the targets were detected from this computer's private subnets.
    #[serde(default)]
    pub targets_detected: bool,
    /// The limits the scan kept to.
    pub limits: NetLimits,
    /// Counters of what was sent.
    pub counters: NetCounters,
    /// True when the scan finished within its time limit.
    pub complete: bool,
    /// Hosts that answered, in address order.
    pub hosts: Vec<NetHost>,
    /// Results of the active Log4Shell probe (`--active`); empty when it did not run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log4shell: Vec<Log4ShellProbe>,
    /// True when the active Log4Shell probe ran.
    #[serde(default)]
    pub active: bool,
}

impl NetworkFacts {
    /// True when nothing was scanned (no targets): the part is then left out of documents.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty() && self.hosts.is_empty()
    }
}

/// The bounds the scan kept to (documented so that a reader can see how gentle it was).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct NetLimits {
    /// Parallel connections to one host at most.
    pub per_host_connections: u32,
    /// Parallel connections overall at most.
    pub total_connections: u32,
    /// Time limit of one connection attempt, milliseconds.
    pub connect_timeout_ms: u64,
    /// Time limit of one identification probe, milliseconds.
    pub probe_timeout_ms: u64,
    /// Time limit of the whole scan, milliseconds.
    pub scan_timeout_ms: u64,
    /// Bytes read from one service at most.
    pub max_read_bytes: u64,
}

/// What the scan sent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct NetCounters {
    /// Addresses in the target list.
    pub addresses: u64,
    /// TCP connection attempts (discovery, ports and probes).
    pub connect_attempts: u64,
    /// Identification probes run.
    pub probes: u64,
}

/// A kind of device, as far as the evidence tells.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    /// A Windows computer (SMB, RDP).
    Computer,
    /// A server (databases, SSH and web together).
    Server,
    /// A medical device (DICOM, HL7, a medical vendor's MAC address).
    MedicalDevice,
    /// A printer (IPP, raw printing port, a printer vendor).
    Printer,
    /// A network storage box.
    Nas,
    /// The TI connector.
    TiConnector,
    /// A router, switch or other network device.
    NetworkDevice,
    /// Nothing tells.
    Unknown,
}

/// One host of the practice network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NetHost {
    /// IP address.
    pub address: String,
    /// MAC address from the neighbour table, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
    /// Vendor from the MAC address's OUI (the small table in the advisory set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// Device kind derived from vendor and services.
    pub device_kind: DeviceKind,
    /// How the host was found (`neighbour_table`, `tcp_connect`).
    pub discovered_by: Vec<String>,
    /// Open TCP services, in port order.
    pub services: Vec<NetService>,
}

/// One open TCP port and what it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NetService {
    /// TCP port.
    pub port: u16,
    /// `tcp`.
    pub protocol: String,
    /// The service the port profile expects there (`rdp`, `smb`, `dicom`, …).
    pub expected: String,
    /// The service the probes identified (`ssh`, `http`, `dicom`, …), when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identified: Option<String>,
    /// Product and version when a banner or header named them (`OpenSSH_9.2p1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// The first line of the banner, printable ASCII only, capped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banner: Option<String>,
    /// TLS facts when the port spoke TLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsFacts>,
    /// Results of the identification probes (`smb.v1_accepted`, `rdp.nla_required`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub probes: Vec<NetProbe>,
}

/// The result of one identification probe, keyed like a host fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NetProbe {
    /// Stable dotted key, e.g. `smb.v1_accepted` (listed in `crates/advisories/RULES.md`).
    pub key: String,
    /// The value, tagged with its type.
    #[serde(flatten)]
    pub value: FactValue,
    /// What was seen that decided it (English, technical, capped; never file contents).
    pub evidence: String,
}

/// Facts of a TLS service and its certificate.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct TlsFacts {
    /// The protocol version negotiated (`TLSv1.3`).
    pub version: String,
    /// Protocol versions the server accepted when offered alone.
    pub versions_accepted: Vec<String>,
    /// Certificate subject.
    pub subject: String,
    /// Certificate issuer.
    pub issuer: String,
    /// Subject equals issuer and the signature verifies with the certificate's own key.
    pub self_signed: bool,
    /// Start of validity, RFC 3339.
    pub not_before: String,
    /// End of validity, RFC 3339.
    pub not_after: String,
    /// The end of validity was before the scan.
    pub expired: bool,
    /// Public key algorithm (`RSA`, `EC`).
    pub key_algorithm: String,
    /// Public key size in bits.
    pub key_bits: u32,
}

/// The verdict of the active Log4Shell probe for one HTTP service.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Log4ShellVerdict {
    /// A callback with one of the service's tokens arrived: the JNDI lookup was executed.
    LookupExecuted,
    /// No callback arrived. Not the same as safe.
    NotDetected,
}

/// The active Log4Shell probe of one HTTP service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Log4ShellProbe {
    /// Target address.
    pub address: String,
    /// Target port.
    pub port: u16,
    /// `http` or `https`.
    pub scheme: String,
    /// Verdict.
    pub verdict: Log4ShellVerdict,
    /// Requests sent.
    pub requests: u32,
    /// Callbacks that carried one of this service's tokens.
    pub callbacks: Vec<Log4ShellCallback>,
}

/// One callback to the scanner's LDAP listener.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Log4ShellCallback {
    /// The injection point whose token came back (`user-agent`, `x-forwarded-for`, …).
    pub injection_point: String,
    /// The payload form (`plain`, `lower`, `default-value`).
    pub form: String,
    /// The address the callback came from.
    pub peer: String,
    /// False when the callback came from another address than the target (a proxy or a
    /// log pipeline did the lookup).
    pub from_target: bool,
}

impl crate::Collect for NetworkFacts {
    const ID: crate::CollectorId = crate::CollectorId::Network;

    /// The network part of the inventory. (The impl lives here, not in `praxcheck-netscan`,
    /// because the collector returns this model type directly.) Whether the scan finished
    /// within its time limit stays in [`NetworkFacts::complete`]; the command folds it into
    /// `scan.complete` after [`crate::Document::finish`].
    fn into_contribution(self) -> crate::Contribution {
        let mut c = crate::Contribution::new(Self::ID);
        c.coverage.readable_roots = self.targets.len();
        c.inventory.network = Some(self);
        c
    }
}
