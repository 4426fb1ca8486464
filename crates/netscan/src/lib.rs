//! The network collector of `praxcheck net`: hosts and risky services of the practice LAN,
//! for devices that cannot run an agent (medical devices, printers, the TI connector).
//!
//! Facts only (collectors never assign severity): which ports are open, what answered, what
//! each identification probe saw. The judgements are rules in the advisory set.
//!
//! Asynchronous inside (tokio, a runtime of its own per scan), synchronous outside:
//! [`scan`] takes [`NetOptions`] and returns [`praxcheck_model::NetworkFacts`].
//!
//! Do no harm: every connection goes through one gate ([`engine`]) that refuses any address
//! outside the expanded target list, holds a per-host and an overall permit for the whole
//! life of the connection, counts it, and bounds it in time; there are no retries. Reads are
//! capped in bytes. The only login ever sent is anonymous FTP (`anonymous_ftp = false` turns
//! it off); of NTLM only the first message goes out, to read the SMB server's version; the
//! raw printing port 9100 is connected and closed without a byte.

pub mod active;
pub mod dbprobes;
pub mod engine;
pub mod neigh;
pub mod probes;
pub mod targets;
pub mod tls;

use std::net::IpAddr;
use std::time::Duration;

use praxcheck_advisories::network::{DeviceTable, OuiEntry, PortProfile};

pub use engine::scan;
pub use neigh::Neighbours;
pub use targets::{InterfaceAddr, Target};

/// Errors of the network collector.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// A target could not be parsed.
    #[error("target {target:?}: {reason}")]
    BadTarget {
        /// The text as given.
        target: String,
        /// Why it was refused.
        reason: String,
    },
    /// A public address or range without `--allow-public`.
    #[error("target {target} is not a private address range; a scan of it needs --allow-public")]
    Public {
        /// The target.
        target: String,
    },
    /// Too many addresses.
    #[error("{addresses} addresses exceed the limit of {limit}{}", if *large_allowed { "" } else { " (more than a /22 needs --large)" })]
    TooLarge {
        /// Addresses in the targets.
        addresses: u64,
        /// The limit in force.
        limit: u64,
        /// Whether `--large` was given.
        large_allowed: bool,
    },
    /// No targets given and no private subnet found on the interfaces.
    #[error("no targets given and no private subnet found on this computer's interfaces")]
    NoTargets,
    /// The embedded port profile or vendor table is broken.
    #[error("advisory set: {0}")]
    Data(#[from] praxcheck_advisories::AdvisoryError),
    /// The asynchronous runtime could not start.
    #[error("network runtime: {0}")]
    Runtime(std::io::Error),
}

/// How a scan runs. [`NetOptions::new`] gives the documented defaults.
#[derive(Debug, Clone)]
pub struct NetOptions {
    /// Targets as given; empty = the private subnets of this computer's interfaces.
    pub targets: Vec<String>,
    /// Allow public addresses.
    pub allow_public: bool,
    /// Allow more than a /22.
    pub large: bool,
    /// Try the anonymous FTP login (the only login praxcheck ever sends).
    pub anonymous_ftp: bool,
    /// Parallel connections to one host at most.
    pub per_host: usize,
    /// Parallel connections overall at most.
    pub total: usize,
    /// Time limit of one connection attempt.
    pub connect_timeout: Duration,
    /// Time limit of one identification probe (after the connection stands).
    pub probe_timeout: Duration,
    /// Time limit of the whole scan.
    pub scan_timeout: Duration,
    /// The port profile (default: the advisory set's).
    pub profile: PortProfile,
    /// The MAC vendor table (default: the advisory set's).
    pub oui: Vec<OuiEntry>,
    /// The device table that names products and versions (default: the advisory set's).
    pub devices: DeviceTable,
    /// Addresses named as the practice's servers (`--server`): a database there is where it
    /// belongs.
    pub servers: Vec<IpAddr>,
    /// The neighbour table (default: read from this computer); tests pass their own.
    pub neighbours: Option<Neighbours>,
    /// The interface list for target detection (default: read with `ip -o addr`).
    pub interfaces: Option<Vec<InterfaceAddr>>,
    /// Run the active Log4Shell probe on every HTTP(S) service found (`--active`; off by
    /// default).
    pub active: bool,
    /// Port of the active probe's LDAP callback listener (0: any free port).
    pub callback_port: u16,
    /// How long the active probe waits for late callbacks after its last request.
    pub callback_wait: Duration,
}

/// Bytes read from one service at most (banners, HTTP heads, negotiation answers).
pub const MAX_READ_BYTES: usize = 16 * 1024;

impl NetOptions {
    /// The defaults: 4 connections per host, 512 overall, 1 s per connection attempt, 3 s
    /// per probe, 5 minutes per scan, the embedded port profile and vendor table; the active
    /// probe off (when on: any free listener port, 5 s wait for late callbacks).
    ///
    /// # Errors
    /// When the embedded data does not parse.
    pub fn new(targets: Vec<String>) -> Result<Self, NetError> {
        Ok(Self {
            targets,
            allow_public: false,
            large: false,
            anonymous_ftp: true,
            per_host: 4,
            total: 512,
            connect_timeout: Duration::from_millis(1000),
            probe_timeout: Duration::from_secs(3),
            scan_timeout: Duration::from_secs(300),
            profile: praxcheck_advisories::network::port_profile()?,
            oui: praxcheck_advisories::network::oui_table()?,
            devices: praxcheck_advisories::network::device_table()?,
            servers: Vec::new(),
            neighbours: None,
            interfaces: None,
            active: false,
            callback_port: 0,
            callback_wait: Duration::from_secs(5),
        })
    }
}

/// The targets a scan will take: parsed and checked (public, size), or detected from the
/// interfaces (IPv4 subnets in full, IPv6 subnets only through their neighbour entries,
/// since a /64 cannot be swept). Returns the addresses and the target texts.
///
/// # Errors
/// Bad, public or too large targets; no private subnet when none were given.
pub fn resolve_targets(
    opts: &NetOptions,
    neighbours: &Neighbours,
) -> Result<(Vec<IpAddr>, Vec<String>, bool), NetError> {
    if !opts.targets.is_empty() {
        let parsed = opts
            .targets
            .iter()
            .map(|t| targets::parse_target(t))
            .collect::<Result<Vec<_>, _>>()?;
        let addrs = targets::expand(&parsed, opts.allow_public, opts.large)?;
        return Ok((addrs, opts.targets.clone(), false));
    }
    let ifaces = match &opts.interfaces {
        Some(i) => i.clone(),
        None => neigh::run_bounded("ip", &["-o", "addr", "show"])
            .map(|t| targets::parse_ip_addr(&t))
            .unwrap_or_default(),
    };
    detected_targets(&ifaces, neighbours, opts.large)
}

/// The detection part of [`resolve_targets`], pure.
///
/// # Errors
/// No private subnet; more addresses than allowed.
pub fn detected_targets(
    ifaces: &[InterfaceAddr],
    neighbours: &Neighbours,
    large: bool,
) -> Result<(Vec<IpAddr>, Vec<String>, bool), NetError> {
    let subnets = targets::private_subnets(ifaces);
    if subnets.is_empty() {
        return Err(NetError::NoTargets);
    }
    let mut parsed = Vec::new();
    for n in &subnets {
        if n.addr().is_ipv4() {
            parsed.push(Target::Net(*n));
        } else {
            parsed.extend(
                neighbours
                    .keys()
                    .filter(|a| n.contains(*a))
                    .map(|a| Target::Addr(*a)),
            );
        }
    }
    let addrs = targets::expand(&parsed, false, large)?;
    Ok((
        addrs,
        subnets.iter().map(ToString::to_string).collect(),
        true,
    ))
}
