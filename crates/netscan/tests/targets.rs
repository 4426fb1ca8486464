//! Target parsing, refusal of public and large ranges, and detection from fake interface
//! lists (never from this machine's interfaces).

#![allow(clippy::unwrap_used)]

use std::net::IpAddr;

use praxcheck_netscan::targets::{
    InterfaceAddr, expand, parse_ip_addr, parse_target, private_subnets,
};
use praxcheck_netscan::{NetError, detected_targets, neigh};

fn iface(name: &str, net: &str) -> InterfaceAddr {
    InterfaceAddr {
        name: name.into(),
        net: net.parse().unwrap(),
    }
}

#[test]
fn forms_parse() {
    for t in [
        "10.0.0.5",
        "10.0.0.1-10.0.0.20",
        "10.0.0.1-20",
        "10.0.0.0/24",
        "fd00::1",
        "fd00::/120",
    ] {
        parse_target(t).unwrap();
    }
    for bad in [
        "10.0.0.300",
        "10.0.0.9-10.0.0.1",
        "10.0.0.1-fd00::1",
        "host.example",
        "10.0.0.0/33",
        "",
    ] {
        assert!(
            matches!(parse_target(bad), Err(NetError::BadTarget { .. })),
            "{bad}"
        );
    }
    let a = expand(&[parse_target("10.0.0.1-3").unwrap()], false, false).unwrap();
    assert_eq!(a.len(), 3);
    // A /24 gives its 254 host addresses.
    assert_eq!(
        expand(&[parse_target("192.168.7.0/24").unwrap()], false, false)
            .unwrap()
            .len(),
        254
    );
    // Duplicates collapse.
    let d = expand(
        &[
            parse_target("10.0.0.1").unwrap(),
            parse_target("10.0.0.0/30").unwrap(),
        ],
        false,
        false,
    )
    .unwrap();
    assert_eq!(d.len(), 2);
}

#[test]
fn public_ranges_are_refused_without_allow_public() {
    for t in [
        "8.8.8.8",
        "1.2.3.0/24",
        "10.255.255.250-11.0.0.2",
        "2001:db8::1",
        "9.255.255.255-10.0.0.1",
    ] {
        let parsed = parse_target(t).unwrap();
        assert!(
            matches!(
                expand(std::slice::from_ref(&parsed), false, false),
                Err(NetError::Public { .. })
            ),
            "{t}"
        );
        assert!(
            expand(&[parsed], true, false).is_ok(),
            "{t} with allow_public"
        );
    }
    // A range from one private block into another crosses public space.
    assert!(matches!(
        expand(&[parse_target("10.0.0.1-172.16.0.1").unwrap()], false, true),
        Err(NetError::Public { .. })
    ));
}

#[test]
fn more_than_a_slash_22_needs_large() {
    let ok = expand(&[parse_target("10.1.0.0/22").unwrap()], false, false).unwrap();
    assert_eq!(ok.len(), 1022);
    let big = parse_target("10.1.0.0/21").unwrap();
    assert!(matches!(
        expand(std::slice::from_ref(&big), false, false),
        Err(NetError::TooLarge { limit: 1024, .. })
    ));
    assert_eq!(expand(&[big], false, true).unwrap().len(), 2046);
    // Not even with --large beyond a /16, and a /64 never.
    assert!(matches!(
        expand(&[parse_target("10.0.0.0/15").unwrap()], false, true),
        Err(NetError::TooLarge { .. })
    ));
    assert!(matches!(
        expand(&[parse_target("fd00::/64").unwrap()], false, true),
        Err(NetError::TooLarge { .. })
    ));
    // Several targets count together.
    let two = [
        parse_target("10.0.0.0/22").unwrap(),
        parse_target("10.0.8.0/29").unwrap(),
    ];
    assert!(matches!(
        expand(&two, false, false),
        Err(NetError::TooLarge { .. })
    ));
}

#[test]
fn private_subnets_from_a_fake_interface_list() {
    let list = [
        iface("lo", "127.0.0.1/8"),
        iface("lo", "::1/128"),
        iface("eth0", "192.168.178.23/24"),
        iface("eth0", "fd12:3456::23/64"),
        iface("eth0", "fe80::1/64"),
        iface("wan0", "85.1.2.3/24"),
        iface("wan0", "2a01:4f8::1/64"),
        iface("vpn0", "10.8.0.6/30"),
        iface("docker0", "169.254.10.1/16"),
    ];
    let nets: Vec<String> = private_subnets(&list)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        nets,
        [
            "10.8.0.4/30",
            "169.254.0.0/16",
            "192.168.178.0/24",
            "fd12:3456::/64",
            "fe80::/64"
        ]
    );
    // The link-local /16 is larger than a /22: detection refuses it without --large.
    let none = neigh::Neighbours::new();
    assert!(matches!(
        detected_targets(&list, &none, false),
        Err(NetError::TooLarge { .. })
    ));
    // Without it: both IPv4 subnets in full, IPv6 only through neighbour entries.
    let mut nb = neigh::Neighbours::new();
    nb.insert("fd12:3456::99".parse().unwrap(), "00:11:32:aa:bb:cc".into());
    nb.insert("2a01:4f8::9".parse().unwrap(), "00:11:32:aa:bb:cd".into());
    let (addrs, texts, detected) = detected_targets(&list[..5], &nb, false).unwrap();
    assert!(detected);
    assert_eq!(texts, ["192.168.178.0/24", "fd12:3456::/64", "fe80::/64"]);
    assert_eq!(addrs.len(), 254 + 1);
    assert!(addrs.contains(&"fd12:3456::99".parse::<IpAddr>().unwrap()));
    assert!(!addrs.iter().any(|a| a.to_string().starts_with("2a01")));
    // Only loopback and public addresses: nothing to scan.
    assert!(matches!(
        detected_targets(&[list[0].clone(), list[5].clone()], &none, false),
        Err(NetError::NoTargets)
    ));
}

#[test]
fn ip_addr_and_neighbour_output_parse() {
    let ip = "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever\n\
              2: eth0    inet 192.168.1.20/24 brd 192.168.1.255 scope global eth0\\ valid_lft forever\n\
              2: eth0    inet6 fe80::1/64 scope link \\ valid_lft forever\n";
    let l = parse_ip_addr(ip);
    assert_eq!(l.len(), 3);
    assert_eq!(l[1].name, "eth0");
    let arp = "IP address       HW type     Flags       HW address            Mask     Device\n\
               192.168.1.1      0x1         0x2         00:11:32:AA:BB:CC     *        eth0\n\
               192.168.1.7      0x1         0x0         00:00:00:00:00:00     *        eth0\n";
    let n = neigh::parse_proc_arp(arp);
    assert_eq!(n.len(), 1);
    assert_eq!(n.values().next().unwrap(), "00:11:32:aa:bb:cc");
    let ipn = "192.168.1.1 dev eth0 lladdr 00:1b:a9:01:02:03 REACHABLE\n\
               192.168.1.9 dev eth0  FAILED\n\
               fd00::5 dev eth0 lladdr 00:00:48:01:02:03 STALE\n";
    let n = neigh::parse_ip_neigh(ipn);
    assert_eq!(n.len(), 2);
}
