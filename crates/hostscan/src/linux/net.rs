//! Listening sockets with their programs (`/proc/net/{tcp,tcp6,udp,udp6}` and the socket
//! links in `/proc/<pid>/fd`), and the routes the TI connector mode is decided from
//! (`/proc/net/route`).

use crate::keys;
use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use praxcheck_model::{Confidence, FactValue, ListeningService, UnknownReason, UnknownSaid};

use super::Ctx;
use crate::facts::{Facts, file};
use crate::ti::NetConfig;

/// A socket from a `/proc/net` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Socket {
    /// `tcp` or `udp`.
    pub protocol: &'static str,
    /// Local address.
    pub address: String,
    /// Local port.
    pub port: u16,
    /// Socket inode (links it to a process).
    pub inode: u64,
}

fn v4(hex: &str) -> Option<Ipv4Addr> {
    let n = u32::from_str_radix(hex, 16).ok()?;
    // The kernel prints the address's memory as a native-endian number.
    Some(Ipv4Addr::from(n.to_ne_bytes()))
}

fn v6(hex: &str) -> Option<Ipv6Addr> {
    if hex.len() != 32 {
        return None;
    }
    let mut bytes = [0u8; 16];
    for (i, chunk) in bytes.chunks_mut(4).enumerate() {
        let n = u32::from_str_radix(hex.get(i * 8..i * 8 + 8)?, 16).ok()?;
        chunk.copy_from_slice(&n.to_ne_bytes());
    }
    Some(Ipv6Addr::from(bytes))
}

/// Parses one `/proc/net/{tcp,udp}{,6}` table and keeps the listening sockets (TCP state
/// `0A` LISTEN; UDP sockets without a remote peer).
#[must_use]
pub fn parse_proc_net(text: &str, protocol: &'static str, ipv6: bool) -> Vec<Socket> {
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let (local, remote, state, inode) = (f.get(1)?, f.get(2)?, f.get(3)?, f.get(9)?);
            let listening = if protocol == "tcp" {
                *state == "0A"
            } else {
                remote.ends_with(":0000")
            };
            if !listening {
                return None;
            }
            let (addr, port) = local.split_once(':')?;
            let address = if ipv6 {
                v6(addr)?.to_string()
            } else {
                v4(addr)?.to_string()
            };
            Some(Socket {
                protocol,
                address,
                port: u16::from_str_radix(port, 16).ok()?,
                inode: inode.parse().ok()?,
            })
        })
        .collect()
}

/// `loopback`, `any` or `specific`.
#[must_use]
pub fn scope(address: &str) -> &'static str {
    match address.parse::<std::net::IpAddr>() {
        Ok(ip) if ip.is_loopback() => "loopback",
        Ok(ip) if ip.is_unspecified() => "any",
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) if v4.is_loopback() => "loopback",
            Some(v4) if v4.is_unspecified() => "any",
            _ => "specific",
        },
        _ => "specific",
    }
}

/// Socket inode → (pid, program) from `/proc/<pid>/fd/*` links. Also returns how many
/// processes' descriptors could not be read.
#[must_use]
pub fn socket_owners(
    ctx_fs: &crate::fsroot::Fs,
    pids: &[(u32, String)],
) -> (BTreeMap<u64, (u32, String)>, usize) {
    let mut map = BTreeMap::new();
    let mut hidden = 0usize;
    for (pid, comm) in pids {
        let dir = format!("/proc/{pid}/fd");
        match ctx_fs.try_list(&dir) {
            Ok(fds) => {
                for fd in fds {
                    if let Some(t) = ctx_fs.read_link(&format!("{dir}/{fd}"))
                        && let Some(inode) = t
                            .strip_prefix("socket:[")
                            .and_then(|x| x.strip_suffix(']'))
                            .and_then(|x| x.parse::<u64>().ok())
                    {
                        map.entry(inode).or_insert((*pid, comm.clone()));
                    }
                }
            }
            Err(_) => hidden += 1,
        }
    }
    (map, hidden)
}

/// `listening.*` facts; returns the services for the remote-access facts.
pub fn collect(ctx: &Ctx<'_>, f: &mut Facts) -> Vec<ListeningService> {
    let mut sockets = Vec::new();
    let mut read_any = false;
    let mut srcs = Vec::new();
    for (name, proto, v6) in [
        ("tcp", "tcp", false),
        ("tcp6", "tcp", true),
        ("udp", "udp", false),
        ("udp6", "udp", true),
    ] {
        let p = format!("/proc/net/{name}");
        if let Ok(t) = ctx.fs.text(&p) {
            read_any = true;
            sockets.extend(parse_proc_net(&t, proto, v6));
            srcs.push(file(&p));
        }
    }
    if !read_any {
        f.unknown(
            keys::LISTENING_SERVICES,
            UnknownReason::Unreadable,
            UnknownSaid::FileUnreadable {
                file: "/proc/net/tcp".into(),
            },
            "/proc/net/tcp: not readable",
            vec![file("/proc/net/tcp")],
        );
        return Vec::new();
    }
    let (owners, hidden) = socket_owners(&ctx.fs, &ctx.base.processes);
    let mut services: Vec<ListeningService> = sockets
        .iter()
        .map(|s| {
            let owner = owners.get(&s.inode);
            ListeningService {
                protocol: s.protocol.to_owned(),
                address: s.address.clone(),
                port: s.port,
                scope: scope(&s.address).to_owned(),
                pid: owner.map(|o| o.0),
                process: owner.map(|o| o.1.clone()),
            }
        })
        .collect();
    services.sort();
    services.dedup();
    let unowned = services.iter().filter(|s| s.pid.is_none()).count();
    srcs.push(file("/proc/*/fd"));
    f.put(
        keys::LISTENING_SERVICES,
        FactValue::Services(services.clone()),
        Confidence::High,
        srcs.clone(),
    );
    if unowned > 0 && hidden > 0 && !ctx.privileged {
        f.unknown(
            keys::LISTENING_OWNERS_COMPLETE,
            UnknownReason::NeedsPrivilege,
            praxcheck_model::UnknownSaid::HiddenSockets {
                sockets: u64::try_from(unowned).unwrap_or(u64::MAX),
                processes: u64::try_from(hidden).unwrap_or(u64::MAX),
            },
            format!(
                "{unowned} sockets without a visible program: the descriptors of {hidden} processes of other users are readable only by root"
            ),
            vec![file("/proc/*/fd")],
        );
    } else {
        f.put_noted(
            keys::LISTENING_OWNERS_COMPLETE,
            FactValue::Bool(unowned == 0),
            Confidence::High,
            vec![file("/proc/*/fd")],
            format!(
                "{unowned} sockets without an owning process (kernel sockets or ended processes)"
            ),
        );
    }
    services
}

/// Parses `/proc/net/route`: default gateways and directly attached networks.
#[must_use]
pub fn parse_route(text: &str) -> (Vec<Ipv4Addr>, Vec<(Ipv4Addr, u8)>) {
    let mut gws = Vec::new();
    let mut nets = Vec::new();
    for l in text.lines().skip(1) {
        let f: Vec<&str> = l.split_whitespace().collect();
        let (Some(dest), Some(gw), Some(flags), Some(mask)) =
            (f.get(1), f.get(2), f.get(3), f.get(7))
        else {
            continue;
        };
        let (Some(dest), Some(gw), Ok(flags), Some(mask)) =
            (v4(dest), v4(gw), u32::from_str_radix(flags, 16), v4(mask))
        else {
            continue;
        };
        let up = flags & 0x1 != 0;
        let via_gateway = flags & 0x2 != 0;
        if !up {
            continue;
        }
        let prefix = u8::try_from(u32::from(mask).count_ones()).unwrap_or(0);
        if dest.is_unspecified() && prefix == 0 && via_gateway {
            if !gws.contains(&gw) {
                gws.push(gw);
            }
        } else if !via_gateway && prefix > 0 && !nets.contains(&(dest, prefix)) {
            nets.push((dest, prefix));
        }
    }
    (gws, nets)
}

/// `network.*` and `ti.*` facts.
pub fn ti_facts(ctx: &Ctx<'_>, f: &mut Facts) {
    let cfg = match ctx.fs.text("/proc/net/route") {
        Ok(t) => {
            let (gateways, networks) = parse_route(&t);
            NetConfig {
                gateways,
                networks,
                sources: vec![file("/proc/net/route")],
            }
        }
        Err(e) => {
            f.unknown_why(
                keys::NETWORK_DEFAULT_GATEWAYS,
                e.why("/proc/net/route"),
                vec![file("/proc/net/route")],
            );
            return;
        }
    };
    crate::ti::facts(f, &cfg, ctx.opts.connector_address);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_net_tables() {
        let tcp = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
   0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   112        0 20315 1 0000000000000000 100 0 0 10 0\n\
   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 18122 1 0000000000000000 100 0 0 10 0\n\
   2: 0200A8C0:0016 0A00A8C0:C350 01 00000000:00000000 02:0001E7A5 00000000     0        0 40431 4 0000000000000000 20 4 29 10 -1\n";
        let s = parse_proc_net(tcp, "tcp", false);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].address.as_str(), s[0].port), ("127.0.0.1", 5432));
        assert_eq!((s[1].address.as_str(), s[1].port), ("0.0.0.0", 22));
        let tcp6 = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 18124 1 0000000000000000 100 0 0 10 0\n\
   1: 00000000000000000000000001000000:0CEA 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 18125 1 0000000000000000 100 0 0 10 0\n";
        let s6 = parse_proc_net(tcp6, "tcp", true);
        assert_eq!(s6[0].address, "::");
        assert_eq!(s6[1].address, "::1");
        assert_eq!(scope(&s6[1].address), "loopback");
        assert_eq!(scope("::ffff:127.0.0.1"), "loopback");
        assert_eq!(scope("0.0.0.0"), "any");
        assert_eq!(scope("192.168.1.5"), "specific");
    }

    #[test]
    fn routes() {
        let t = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n\
eth0\t00000000\t010AA8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n\
eth0\t000AA8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
        let (g, n) = parse_route(t);
        assert_eq!(g, vec!["192.168.10.1".parse::<Ipv4Addr>().unwrap()]);
        assert_eq!(n, vec![("192.168.10.0".parse().unwrap(), 24)]);
    }
}
