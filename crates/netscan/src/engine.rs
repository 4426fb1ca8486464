//! The scan engine: one gate for every connection, host discovery, the port profile, and the
//! identification probes on open ports.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use praxcheck_model::{
    DeviceKind, FactValue, NetCounters, NetHost, NetLimits, NetService, NetworkFacts,
};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;

use crate::probes::{self, ProbeReport};
use crate::{NetError, NetOptions, neigh};

/// The outcome of one connection attempt.
pub enum Connect {
    /// The port is open; the stream holds the permits until it is dropped.
    Open(Conn),
    /// The host answered with a reset: it exists, the port is closed.
    Refused,
    /// No answer within the time limit, or unreachable.
    NoAnswer,
    /// The address is not in the target list (never connected).
    NotAllowed,
}

/// An open connection and the permits it holds.
pub struct Conn {
    /// The stream.
    pub stream: TcpStream,
    _host: OwnedSemaphorePermit,
    _total: OwnedSemaphorePermit,
}

/// The permits of a connection, held while a protocol layer (TLS) owns the stream.
pub struct Permits(
    #[allow(dead_code)] OwnedSemaphorePermit,
    #[allow(dead_code)] OwnedSemaphorePermit,
);

impl Conn {
    /// The stream and the permits, for wrapping the stream (TLS).
    #[must_use]
    pub fn into_parts(self) -> (TcpStream, Permits) {
        (self.stream, Permits(self._host, self._total))
    }
}

/// The gate every connection of a scan goes through.
pub struct Gate {
    allowed: HashSet<IpAddr>,
    per_host: HashMap<IpAddr, Arc<Semaphore>>,
    total: Arc<Semaphore>,
    connect_timeout: Duration,
    /// Connection attempts made.
    pub attempts: AtomicU64,
    /// Identification probes run.
    pub probes: AtomicU64,
    /// Attempts refused because the address was not a target (must stay 0).
    pub refused_outside: AtomicU64,
    peak: AtomicU64,
    active: AtomicU64,
}

impl Gate {
    /// A gate for these addresses.
    #[must_use]
    pub fn new(addrs: &[IpAddr], per_host: usize, total: usize, connect_timeout: Duration) -> Self {
        Self {
            allowed: addrs.iter().copied().collect(),
            per_host: addrs
                .iter()
                .map(|a| (*a, Arc::new(Semaphore::new(per_host.max(1)))))
                .collect(),
            total: Arc::new(Semaphore::new(total.max(1))),
            connect_timeout,
            attempts: AtomicU64::new(0),
            probes: AtomicU64::new(0),
            refused_outside: AtomicU64::new(0),
            peak: AtomicU64::new(0),
            active: AtomicU64::new(0),
        }
    }

    /// The most connections that were open or being opened at once.
    #[must_use]
    pub fn peak(&self) -> u64 {
        self.peak.load(Ordering::Relaxed)
    }

    /// Connects to `addr` if it is a target, within the connection time limit, holding a
    /// per-host and an overall permit (host first, then overall: one order, no deadlock).
    pub async fn connect(&self, addr: SocketAddr) -> Connect {
        let (Some(host_sem), true) = (
            self.per_host.get(&addr.ip()),
            self.allowed.contains(&addr.ip()),
        ) else {
            self.refused_outside.fetch_add(1, Ordering::Relaxed);
            return Connect::NotAllowed;
        };
        let Ok(host) = Arc::clone(host_sem).acquire_owned().await else {
            return Connect::NoAnswer;
        };
        let Ok(total) = Arc::clone(&self.total).acquire_owned().await else {
            return Connect::NoAnswer;
        };
        self.attempts.fetch_add(1, Ordering::Relaxed);
        let now = self.active.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak.fetch_max(now, Ordering::Relaxed);
        let r = tokio::time::timeout(self.connect_timeout, TcpStream::connect(addr)).await;
        self.active.fetch_sub(1, Ordering::Relaxed);
        match r {
            Ok(Ok(stream)) => {
                let _ = stream.set_nodelay(true);
                Connect::Open(Conn {
                    stream,
                    _host: host,
                    _total: total,
                })
            }
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => Connect::Refused,
            _ => Connect::NoAnswer,
        }
    }
}

/// Runs a scan: targets, discovery, port profile, identification.
///
/// # Errors
/// Bad targets (see [`crate::resolve_targets`]) or a runtime that cannot start.
pub fn scan(opts: &NetOptions) -> Result<NetworkFacts, NetError> {
    let neighbours = match &opts.neighbours {
        Some(n) => n.clone(),
        None => neigh::read_neighbours(),
    };
    let (addrs, target_texts, detected) = crate::resolve_targets(opts, &neighbours)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(NetError::Runtime)?;
    let gate = Arc::new(Gate::new(
        &addrs,
        opts.per_host,
        opts.total,
        opts.connect_timeout,
    ));
    let results: Arc<Mutex<BTreeMap<IpAddr, HostState>>> = Arc::default();
    let (complete, log4shell) = rt.block_on(async {
        let deadline = tokio::time::Instant::now() + opts.scan_timeout;
        let work = run(
            opts,
            &addrs,
            &neighbours,
            Arc::clone(&gate),
            Arc::clone(&results),
        );
        if tokio::time::timeout_at(deadline, work).await.is_err() {
            return (false, Vec::new());
        }
        if !opts.active {
            return (true, Vec::new());
        }
        let targets = http_targets(&results);
        let ao = crate::active::ActiveOptions {
            callback_port: opts.callback_port,
            callback_wait: opts.callback_wait,
            request_timeout: opts.probe_timeout,
        };
        match tokio::time::timeout_at(
            deadline,
            crate::active::probe(&targets, Arc::clone(&gate), &ao),
        )
        .await
        {
            Ok(v) => (true, v),
            Err(_) => (false, Vec::new()),
        }
    });
    // Dropping the runtime cancels whatever the time limit cut off.
    drop(rt);
    let states = results.lock().map(|m| m.clone()).unwrap_or_default();
    // The scan's own connections taught the kernel the MAC addresses of the hosts on this
    // link that answered: read the table again (reading sends nothing) so a host found by
    // its TCP answer gets its vendor too. Entries read before the scan take precedence.
    let neighbours = if opts.neighbours.is_none() && states.values().any(|s| s.alive) {
        let mut after = neigh::read_neighbours();
        after.extend(neighbours);
        after
    } else {
        neighbours
    };
    let mut hosts: Vec<NetHost> = states
        .into_iter()
        .filter(|(_, s)| s.alive)
        .map(|(addr, s)| finish_host(addr, s, &neighbours, opts))
        .collect();
    databases_on_servers(&mut hosts, &opts.servers);
    Ok(NetworkFacts {
        targets: target_texts,
        targets_detected: detected,
        limits: NetLimits {
            per_host_connections: u32::try_from(opts.per_host).unwrap_or(u32::MAX),
            total_connections: u32::try_from(opts.total).unwrap_or(u32::MAX),
            connect_timeout_ms: u64::try_from(opts.connect_timeout.as_millis()).unwrap_or(u64::MAX),
            probe_timeout_ms: u64::try_from(opts.probe_timeout.as_millis()).unwrap_or(u64::MAX),
            scan_timeout_ms: u64::try_from(opts.scan_timeout.as_millis()).unwrap_or(u64::MAX),
            max_read_bytes: crate::MAX_READ_BYTES as u64,
        },
        counters: NetCounters {
            addresses: addrs.len() as u64,
            connect_attempts: gate.attempts.load(Ordering::Relaxed),
            probes: gate.probes.load(Ordering::Relaxed),
        },
        complete,
        hosts,
        log4shell,
        active: opts.active,
    })
}

/// The services the identification named HTTP or HTTPS (any port), for the active probe.
fn http_targets(results: &Mutex<BTreeMap<IpAddr, HostState>>) -> Vec<crate::active::HttpTarget> {
    let Ok(m) = results.lock() else {
        return Vec::new();
    };
    m.iter()
        .filter(|(_, s)| s.alive)
        .flat_map(|(a, s)| {
            s.services.values().filter_map(move |svc| {
                let name = svc.identified.as_deref()?;
                matches!(name, "http" | "https" | "ti-connector").then_some(
                    crate::active::HttpTarget {
                        addr: SocketAddr::new(*a, svc.port),
                        tls: svc.tls.is_some(),
                    },
                )
            })
        })
        .collect()
}

#[derive(Debug, Clone, Default)]
struct HostState {
    alive: bool,
    by_neighbour: bool,
    by_connect: bool,
    services: BTreeMap<u16, NetService>,
}

async fn run(
    opts: &NetOptions,
    addrs: &[IpAddr],
    neighbours: &neigh::Neighbours,
    gate: Arc<Gate>,
    results: Arc<Mutex<BTreeMap<IpAddr, HostState>>>,
) {
    // Discovery: neighbour entries are alive; every other address gets the discovery ports
    // in waves of `per_host` until one answers (open or reset).
    let mut set = JoinSet::new();
    for &a in addrs {
        if neighbours.contains_key(&a) {
            if let Ok(mut m) = results.lock() {
                let s = m.entry(a).or_default();
                s.alive = true;
                s.by_neighbour = true;
            }
            continue;
        }
        let gate = Arc::clone(&gate);
        let ports = opts.profile.discovery.clone();
        let wave = opts.per_host.max(1);
        let results = Arc::clone(&results);
        set.spawn(async move {
            for chunk in ports.chunks(wave) {
                let mut w = JoinSet::new();
                for &p in chunk {
                    let gate = Arc::clone(&gate);
                    w.spawn(async move {
                        matches!(
                            gate.connect(SocketAddr::new(a, p)).await,
                            Connect::Open(_) | Connect::Refused
                        )
                    });
                }
                let mut alive = false;
                while let Some(r) = w.join_next().await {
                    alive |= r.unwrap_or(false);
                }
                if alive {
                    if let Ok(mut m) = results.lock() {
                        let s = m.entry(a).or_default();
                        s.alive = true;
                        s.by_connect = true;
                    }
                    return;
                }
            }
        });
    }
    while set.join_next().await.is_some() {}

    // The port profile on every live host, with the probe on each open port.
    let live: Vec<IpAddr> = results
        .lock()
        .map(|m| m.iter().filter(|(_, s)| s.alive).map(|(a, _)| *a).collect())
        .unwrap_or_default();
    let mut set = JoinSet::new();
    for a in live {
        for pp in &opts.profile.ports {
            let gate = Arc::clone(&gate);
            let results = Arc::clone(&results);
            let pp = pp.clone();
            let popts = probes::ProbeOptions {
                timeout: opts.probe_timeout,
                anonymous_ftp: opts.anonymous_ftp,
            };
            set.spawn(async move {
                let addr = SocketAddr::new(a, pp.port);
                let Connect::Open(conn) = gate.connect(addr).await else {
                    return;
                };
                if pp.probe != "connect_only" {
                    gate.probes.fetch_add(1, Ordering::Relaxed);
                }
                let report = probes::run(&pp.probe, conn, addr, &gate, &popts).await;
                let svc = to_service(&pp, report);
                if let Ok(mut m) = results.lock() {
                    m.entry(a).or_default().services.insert(pp.port, svc);
                }
            });
        }
    }
    while set.join_next().await.is_some() {}
}

fn to_service(pp: &praxcheck_advisories::network::ProfilePort, r: ProbeReport) -> NetService {
    NetService {
        port: pp.port,
        protocol: "tcp".to_owned(),
        expected: pp.service.clone(),
        identified: r.identified,
        product: r.product,
        banner: r.banner,
        tls: r.tls,
        probes: r.probes,
    }
}

fn finish_host(
    addr: IpAddr,
    s: HostState,
    neighbours: &neigh::Neighbours,
    opts: &NetOptions,
) -> NetHost {
    let mac = neighbours.get(&addr).cloned();
    let oui = mac.as_deref().and_then(|m| vendor(m, &opts.oui));
    let mut services: Vec<NetService> = s.services.into_values().collect();
    for svc in &mut services {
        identify_device(svc, &opts.devices);
    }
    let kind = device_kind(oui.map(|o| o.kind.as_str()), &services);
    let mut discovered_by = Vec::new();
    if s.by_neighbour {
        discovered_by.push("neighbour_table".to_owned());
    }
    if s.by_connect {
        discovered_by.push("tcp_connect".to_owned());
    }
    NetHost {
        address: addr.to_string(),
        mac,
        vendor: oui.map(|o| o.vendor.clone()),
        device_kind: kind,
        discovered_by,
        services,
    }
}

/// The vendor table entry of a MAC address.
#[must_use]
pub fn vendor<'a>(
    mac: &str,
    table: &'a [praxcheck_advisories::network::OuiEntry],
) -> Option<&'a praxcheck_advisories::network::OuiEntry> {
    let prefix = mac.get(..8)?.to_ascii_uppercase();
    table.iter().find(|e| e.prefix == prefix)
}

/// The device kind from the vendor table's hint and the identified services.
#[must_use]
pub fn device_kind(vendor_kind: Option<&str>, services: &[NetService]) -> DeviceKind {
    match vendor_kind {
        Some("printer") => return DeviceKind::Printer,
        Some("nas") => return DeviceKind::Nas,
        Some("medical_device") => return DeviceKind::MedicalDevice,
        Some("ti_connector") => return DeviceKind::TiConnector,
        _ => {}
    }
    let has = |name: &str| {
        services.iter().any(|s| {
            s.identified.as_deref() == Some(name) || (s.identified.is_none() && s.expected == name)
        })
    };
    let probe = |key: &str| {
        services
            .iter()
            .flat_map(|s| &s.probes)
            .any(|p| p.key == key)
    };
    let database = has("mysql") || has("postgresql") || has("mssql") || has("firebird");
    let desktop = has("rdp") || has("smb") || has("vnc");
    if probe("ti.connector_product") {
        DeviceKind::TiConnector
    } else if has("ssh") && database && !desktop {
        // A server may well speak HL7 or DICOM to the devices (PVS, PACS): SSH and a
        // database without a desktop make it a server first.
        DeviceKind::Server
    } else if has("dicom") || has("hl7-mllp") {
        DeviceKind::MedicalDevice
    } else if has("ipp") || has("jetdirect") {
        DeviceKind::Printer
    } else if has("rdp") || has("smb") {
        DeviceKind::Computer
    } else {
        DeviceKind::Unknown
    }
}

/// Adds what the device table recognises in a service (`device.product`, `device.version`,
/// each with the observation it was read from).
pub fn identify_device(svc: &mut NetService, table: &praxcheck_advisories::network::DeviceTable) {
    for i in table.identify_service(svc) {
        svc.probes.push(praxcheck_model::NetProbe {
            key: "device.product".to_owned(),
            value: FactValue::Text(format!("{} {}", i.vendor, i.product)),
            evidence: i.evidence.clone(),
        });
        svc.probes.push(praxcheck_model::NetProbe {
            key: "device.version".to_owned(),
            value: FactValue::Text(i.version.clone()),
            evidence: format!("{} {}: {}", i.vendor, i.product, i.evidence),
        });
    }
}

/// The database services of the profile (by the identified name, else the expected one).
const DATABASES: [&str; 4] = ["mssql", "postgresql", "firebird", "mysql"];

fn is_database(s: &NetService) -> bool {
    DATABASES.contains(&s.identified.as_deref().unwrap_or(s.expected.as_str()))
}

/// Marks every database service with `db.on_server`: true on an address named as a server,
/// on a host that looks like a server (SSH and a database, no desktop), and — when no server
/// was named — on the one host that offers databases when there is only one; false
/// elsewhere, and always on printers, storage boxes, medical devices and the TI connector,
/// which are no database servers. Pure.
pub fn databases_on_servers(hosts: &mut [NetHost], servers: &[IpAddr]) {
    let with_db = hosts
        .iter()
        .filter(|h| h.services.iter().any(is_database))
        .count();
    for h in hosts.iter_mut() {
        let named = h
            .address
            .parse::<IpAddr>()
            .is_ok_and(|a| servers.contains(&a));
        let device = matches!(
            h.device_kind,
            DeviceKind::Printer
                | DeviceKind::Nas
                | DeviceKind::MedicalDevice
                | DeviceKind::TiConnector
        );
        let (on_server, why) = if named {
            (true, "named as a practice server (--server)".to_owned())
        } else if device {
            (
                false,
                format!("device kind {:?}: not a database server", h.device_kind),
            )
        } else if h.device_kind == DeviceKind::Server {
            (
                true,
                "the host looks like a server (SSH and a database, no desktop)".to_owned(),
            )
        } else if servers.is_empty() && with_db == 1 {
            (true, "the only host with a database in the scan".to_owned())
        } else if servers.is_empty() {
            (
                false,
                format!("{with_db} hosts offer databases and none was named a server (--server)"),
            )
        } else {
            (false, "not among the named servers (--server)".to_owned())
        };
        for s in h.services.iter_mut().filter(|s| is_database(s)) {
            s.probes.push(praxcheck_model::NetProbe {
                key: "db.on_server".to_owned(),
                value: FactValue::Bool(on_server),
                evidence: why.clone(),
            });
        }
    }
}
