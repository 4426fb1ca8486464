//! Network facts become findings through the network rules; a computer's own scan leaves
//! them not applicable.

use praxcheck_model::host::FactValue;
use praxcheck_model::{
    AdvisorySetRef, CheckState, DeviceKind, Document, NetHost, NetProbe, NetService, NetworkFacts,
    ScanInfo, TlsFacts,
};

use crate::common::{World, check};

fn svc(port: u16, name: &str, probes: &[(&str, FactValue)]) -> NetService {
    NetService {
        port,
        protocol: "tcp".into(),
        expected: name.into(),
        identified: Some(name.into()),
        product: None,
        banner: None,
        tls: None,
        probes: probes
            .iter()
            .map(|(k, v)| NetProbe {
                key: (*k).into(),
                value: v.clone(),
                evidence: "seen".into(),
            })
            .collect(),
    }
}

fn net_doc() -> Document {
    let mut doc = Document::new(
        ScanInfo {
            hostname: "scanner".into(),
            os: "linux".into(),
            collectors: vec![praxcheck_model::CollectorId::Network],
            complete: true,
            ..ScanInfo::default()
        },
        AdvisorySetRef::default(),
    );
    let mut https = svc(443, "https", &[]);
    https.tls = Some(TlsFacts {
        self_signed: true,
        expired: false,
        key_bits: 2048,
        ..TlsFacts::default()
    });
    doc.inventory.network = Some(NetworkFacts {
        targets: vec!["10.99.0.0/24".into()],
        complete: true,
        hosts: vec![
            NetHost {
                address: "10.99.0.10".into(),
                mac: None,
                vendor: None,
                device_kind: DeviceKind::Computer,
                discovered_by: vec!["tcp_connect".into()],
                services: vec![
                    svc(445, "smb", &[("smb.v1_accepted", FactValue::Bool(true))]),
                    svc(3389, "rdp", &[("rdp.nla_required", FactValue::Bool(true))]),
                    svc(5900, "vnc", &[("vnc.no_auth", FactValue::Bool(true))]),
                ],
            },
            NetHost {
                address: "10.99.0.20".into(),
                mac: None,
                vendor: None,
                device_kind: DeviceKind::Server,
                discovered_by: vec!["tcp_connect".into()],
                services: vec![svc(23, "telnet", &[]), https],
            },
        ],
        ..NetworkFacts::default()
    });
    doc
}

#[test]
fn network_rules_judge_the_network_document() {
    let w = World::new();
    let mut docs = vec![net_doc()];
    let a = w.run(&mut docs, &[]);
    let mut ids: Vec<&str> = docs[0]
        .findings
        .iter()
        .map(|f| f.rule_id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids,
        [
            "PRAX-NET-SMB1",
            "PRAX-NET-TELNET",
            "PRAX-NET-TLS-SELF-SIGNED",
            "PRAX-NET-VNC-NO-AUTH"
        ]
    );
    // NLA required: passed; no FTP seen but the scan ran: passed; no active probe: not checked.
    assert_eq!(
        check(&a, "PRAX-NET-RDP-NO-NLA", "scanner").state,
        CheckState::Passed
    );
    assert_eq!(
        check(&a, "PRAX-NET-FTP-ANONYMOUS", "scanner").state,
        CheckState::Passed
    );
    assert_eq!(
        check(&a, "PRAX-NET-SMB1", "scanner").state,
        CheckState::Failed
    );
    assert_eq!(
        check(&a, "PRAX-NET-LOG4SHELL", "scanner").state,
        CheckState::NotChecked
    );
}

#[test]
fn a_computers_own_scan_leaves_the_network_rules_not_applicable() {
    let w = World::new();
    let mut docs = vec![Document::new(
        ScanInfo {
            hostname: "pc".into(),
            os: "windows".into(),
            collectors: vec![praxcheck_model::CollectorId::Host],
            ..ScanInfo::default()
        },
        AdvisorySetRef::default(),
    )];
    let a = w.run(&mut docs, &[]);
    assert_eq!(
        check(&a, "PRAX-NET-SMB1", "pc").state,
        CheckState::NotApplicable
    );
}
