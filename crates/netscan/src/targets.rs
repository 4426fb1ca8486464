//! Targets: parsing addresses, ranges and CIDR; the private subnets of this computer's
//! interfaces (a pure function over an interface list, so tests use fake lists); the refusal
//! of public ranges and of large ranges.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;

use crate::NetError;

/// Addresses in a /22: the most a scan takes without `--large`.
pub const MAX_ADDRESSES: u64 = 1024;
/// The most a scan takes even with `--large` (a /16).
pub const MAX_ADDRESSES_LARGE: u64 = 65_536;

/// One parsed target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One address.
    Addr(IpAddr),
    /// An inclusive range of addresses of one family.
    Range(IpAddr, IpAddr),
    /// A subnet.
    Net(IpNet),
}

/// One address of an interface (name and address with prefix), as `ip -o addr` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterfaceAddr {
    /// Interface name.
    pub name: String,
    /// Address with its prefix length.
    pub net: IpNet,
}

/// Parses one target: `10.0.0.5`, `10.0.0.1-10.0.0.20`, `10.0.0.1-20`, `10.0.0.0/24`,
/// `fd00::1`, `fd00::/120`.
///
/// # Errors
/// When the text is none of these forms.
pub fn parse_target(text: &str) -> Result<Target, NetError> {
    let t = text.trim();
    let bad = |reason: &str| NetError::BadTarget {
        target: t.to_owned(),
        reason: reason.to_owned(),
    };
    if t.contains('/') {
        let net: IpNet = t.parse().map_err(|_| bad("not a valid CIDR"))?;
        return Ok(Target::Net(net.trunc()));
    }
    if let Some((a, b)) = t.split_once('-') {
        let start: IpAddr = a.trim().parse().map_err(|_| bad("range start"))?;
        let end: IpAddr = match b.trim().parse::<IpAddr>() {
            Ok(e) => e,
            Err(_) => match (start, b.trim().parse::<u8>()) {
                (IpAddr::V4(s), Ok(last)) => {
                    let o = s.octets();
                    IpAddr::V4(Ipv4Addr::new(o[0], o[1], o[2], last))
                }
                _ => return Err(bad("range end")),
            },
        };
        if start.is_ipv4() != end.is_ipv4() {
            return Err(bad("range mixes IPv4 and IPv6"));
        }
        if to_u128(end) < to_u128(start) {
            return Err(bad("range end before start"));
        }
        return Ok(Target::Range(start, end));
    }
    t.parse::<IpAddr>()
        .map(Target::Addr)
        .map_err(|_| bad("not an address, range or CIDR"))
}

fn to_u128(a: IpAddr) -> u128 {
    match a {
        IpAddr::V4(v) => u128::from(u32::from(v)),
        IpAddr::V6(v) => u128::from(v),
    }
}

fn from_u128(v: u128, v4: bool) -> IpAddr {
    if v4 {
        IpAddr::V4(Ipv4Addr::from(u32::try_from(v).unwrap_or(u32::MAX)))
    } else {
        IpAddr::V6(Ipv6Addr::from(v))
    }
}

/// True for addresses a practice LAN uses: RFC 1918, IPv4 link-local, loopback, IPv6 ULA,
/// IPv6 link-local and loopback. Everything else counts as public.
#[must_use]
pub fn is_private(a: IpAddr) -> bool {
    match a {
        IpAddr::V4(v) => v.is_private() || v.is_link_local() || v.is_loopback(),
        IpAddr::V6(v) => {
            let s = v.segments()[0];
            v.is_loopback() || (s & 0xfe00) == 0xfc00 || (s & 0xffc0) == 0xfe80
        }
    }
}

/// The private subnets of an interface list: RFC 1918, link-local and ULA networks of the
/// interfaces' addresses; loopback and public addresses are left out. Pure, for tests.
#[must_use]
pub fn private_subnets(interfaces: &[InterfaceAddr]) -> Vec<IpNet> {
    let mut out = BTreeSet::new();
    for i in interfaces {
        let a = i.net.addr();
        let loopback = match a {
            IpAddr::V4(v) => v.is_loopback(),
            IpAddr::V6(v) => v.is_loopback(),
        };
        if !loopback && is_private(a) {
            out.insert(i.net.trunc());
        }
    }
    out.into_iter().collect()
}

/// Parses `ip -o addr show` output into interface addresses.
#[must_use]
pub fn parse_ip_addr(text: &str) -> Vec<InterfaceAddr> {
    let mut out = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        // "2: eth0    inet 10.0.0.5/24 brd ... scope global eth0"
        if f.len() < 4 || !(f[2] == "inet" || f[2] == "inet6") {
            continue;
        }
        if let Ok(net) = f[3].parse::<IpNet>() {
            out.push(InterfaceAddr {
                name: f[1].trim_end_matches(':').to_owned(),
                net,
            });
        }
    }
    out
}

/// Number of addresses a target covers (for a subnet: the usable host addresses).
#[must_use]
pub fn count(t: &Target) -> u128 {
    match t {
        Target::Addr(_) => 1,
        Target::Range(a, b) => to_u128(*b) - to_u128(*a) + 1,
        Target::Net(n) => {
            let bits = u32::from(n.max_prefix_len() - n.prefix_len());
            let total = if bits >= 128 {
                u128::MAX
            } else {
                1u128 << bits
            };
            if n.addr().is_ipv4() && bits >= 2 {
                total - 2
            } else {
                total
            }
        }
    }
}

/// Checks the targets against the rules (public ranges need `allow_public`, more than
/// [`MAX_ADDRESSES`] addresses need `large`, never more than [`MAX_ADDRESSES_LARGE`]) and
/// expands them into a sorted list without duplicates.
///
/// # Errors
/// [`NetError::Public`] and [`NetError::TooLarge`] naming the target.
pub fn expand(
    targets: &[Target],
    allow_public: bool,
    large: bool,
) -> Result<Vec<IpAddr>, NetError> {
    let mut total: u128 = 0;
    for t in targets {
        let (first, last) = bounds(t);
        if !allow_public && (!is_private(first) || !is_private(last) || spans_public(t)) {
            return Err(NetError::Public {
                target: describe(t),
            });
        }
        total = total.saturating_add(count(t));
    }
    let limit = if large {
        MAX_ADDRESSES_LARGE
    } else {
        MAX_ADDRESSES
    };
    if total > u128::from(limit) {
        return Err(NetError::TooLarge {
            addresses: u64::try_from(total).unwrap_or(u64::MAX),
            limit,
            large_allowed: large,
        });
    }
    let mut set = BTreeSet::new();
    for t in targets {
        match t {
            Target::Addr(a) => {
                set.insert(*a);
            }
            Target::Range(a, b) => {
                for v in to_u128(*a)..=to_u128(*b) {
                    set.insert(from_u128(v, a.is_ipv4()));
                }
            }
            Target::Net(n) => {
                for h in n.hosts() {
                    set.insert(h);
                }
            }
        }
    }
    Ok(set.into_iter().collect())
}

fn bounds(t: &Target) -> (IpAddr, IpAddr) {
    match t {
        Target::Addr(a) => (*a, *a),
        Target::Range(a, b) => (*a, *b),
        Target::Net(n) => (n.network(), n.broadcast()),
    }
}

/// A range whose ends are private may still cross public space (10.255.255.255-11.0.0.1, or
/// 10.0.0.0-172.16.0.0): only a range within one private block counts as private.
fn spans_public(t: &Target) -> bool {
    let (a, b) = bounds(t);
    let blocks: [&str; 9] = [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "169.254.0.0/16",
        "127.0.0.0/8",
        "fc00::/7",
        "fe80::/10",
        "::1/128",
        "0.0.0.0/32",
    ];
    !blocks
        .iter()
        .filter_map(|s| s.parse::<IpNet>().ok())
        .any(|n| n.contains(&a) && n.contains(&b))
}

fn describe(t: &Target) -> String {
    match t {
        Target::Addr(a) => a.to_string(),
        Target::Range(a, b) => format!("{a}-{b}"),
        Target::Net(n) => n.to_string(),
    }
}
