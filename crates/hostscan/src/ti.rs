//! The TI connector's mode, from this computer's network configuration and the connector
//! address the user gives:
//!
//! * **serial** (Reihenbetrieb): this computer's default gateway is the connector; the
//!   connector's firewall stands between the practice network and the internet.
//! * **parallel** (Parallelbetrieb): the connector sits in the same network as this computer,
//!   but the default gateway is another device (the internet router), so the practice
//!   network needs its own firewall.
//! * **other_network**: the connector is neither the gateway nor in a network this computer
//!   is directly attached to.
//! * **no_default_gateway**: this computer has no default route.

use crate::keys;
use std::net::Ipv4Addr;

use praxcheck_model::{Confidence, FactSource, FactValue, UnknownReason};

use crate::facts::{Facts, derived, user};

/// The network configuration the mode is decided from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetConfig {
    /// IPv4 default gateways.
    pub gateways: Vec<Ipv4Addr>,
    /// Directly attached IPv4 networks (address, prefix length).
    pub networks: Vec<(Ipv4Addr, u8)>,
    /// Where these were read.
    pub sources: Vec<FactSource>,
}

/// Whether `ip` lies in `net/prefix`.
#[must_use]
pub fn in_network(ip: Ipv4Addr, net: Ipv4Addr, prefix: u8) -> bool {
    if prefix == 0 {
        return true;
    }
    let mask = u32::MAX
        .checked_shl(32 - u32::from(prefix.min(32)))
        .unwrap_or(0);
    (u32::from(ip) & mask) == (u32::from(net) & mask)
}

/// The connector mode.
#[must_use]
pub fn mode(cfg: &NetConfig, connector: Ipv4Addr) -> &'static str {
    if cfg.gateways.contains(&connector) {
        "serial"
    } else if cfg.gateways.is_empty() {
        "no_default_gateway"
    } else if cfg
        .networks
        .iter()
        .any(|(n, p)| *p > 0 && in_network(connector, *n, *p))
    {
        "parallel"
    } else {
        "other_network"
    }
}

/// `network.*` and `ti.*` facts.
pub fn facts(f: &mut Facts, cfg: &NetConfig, connector: Option<Ipv4Addr>) {
    f.put(
        keys::NETWORK_DEFAULT_GATEWAYS,
        FactValue::List(cfg.gateways.iter().map(ToString::to_string).collect()),
        Confidence::High,
        cfg.sources.clone(),
    );
    f.put(
        keys::NETWORK_LOCAL_NETWORKS,
        FactValue::List(
            cfg.networks
                .iter()
                .map(|(n, p)| format!("{n}/{p}"))
                .collect(),
        ),
        Confidence::High,
        cfg.sources.clone(),
    );
    let Some(c) = connector else {
        for k in [keys::TI_CONNECTOR_ADDRESS, keys::TI_MODE] {
            f.unknown(
                k,
                UnknownReason::NotConfigured,
                praxcheck_model::UnknownSaid::NoConnectorAddress,
                "no connector address given (--connector-address)",
                Vec::new(),
            );
        }
        return;
    };
    f.put(
        keys::TI_CONNECTOR_ADDRESS,
        FactValue::Text(c.to_string()),
        Confidence::High,
        vec![user("--connector-address")],
    );
    let mut src = cfg.sources.clone();
    src.push(user("--connector-address"));
    f.put(
        keys::TI_CONNECTOR_IS_DEFAULT_GATEWAY,
        FactValue::Bool(cfg.gateways.contains(&c)),
        Confidence::High,
        src.clone(),
    );
    f.put(
        keys::TI_CONNECTOR_IN_LOCAL_NETWORK,
        FactValue::Bool(
            cfg.networks
                .iter()
                .any(|(n, p)| *p > 0 && in_network(c, *n, *p)),
        ),
        Confidence::High,
        src.clone(),
    );
    src.push(derived("network.default_gateways, network.local_networks"));
    f.put(
        keys::TI_MODE,
        FactValue::Text(mode(cfg, c).to_owned()),
        Confidence::High,
        src,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(gw: &str) -> NetConfig {
        NetConfig {
            gateways: vec![gw.parse().unwrap()],
            networks: vec![("192.168.10.0".parse().unwrap(), 24)],
            sources: Vec::new(),
        }
    }

    #[test]
    fn modes() {
        let k: Ipv4Addr = "192.168.10.2".parse().unwrap();
        assert_eq!(mode(&cfg("192.168.10.2"), k), "serial");
        assert_eq!(mode(&cfg("192.168.10.1"), k), "parallel");
        assert_eq!(
            mode(&cfg("192.168.10.1"), "10.0.0.5".parse().unwrap()),
            "other_network"
        );
        assert_eq!(mode(&NetConfig::default(), k), "no_default_gateway");
        assert!(in_network(k, "192.168.0.0".parse().unwrap(), 16));
        assert!(!in_network(k, "192.168.11.0".parse().unwrap(), 24));
    }
}
