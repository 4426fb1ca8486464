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

/// A network document with a SQL Server 2016 (end of life 2026-07-14) on the server and a
/// secunet connector on a firmware whose approval was revoked.
fn device_doc() -> Document {
    let mut doc = net_doc();
    let n = doc.inventory.network.as_mut().unwrap();
    n.hosts[0].services = vec![svc(
        3389,
        "rdp",
        &[("rdp.nla_required", FactValue::Bool(true))],
    )];
    n.hosts[1].services = vec![
        svc(
            1433,
            "mssql",
            &[
                ("mssql.version", FactValue::Text("13.0.6300".into())),
                ("db.on_server", FactValue::Bool(true)),
            ],
        ),
        svc(
            443,
            "ti-connector",
            &[
                (
                    "ti.connector_product",
                    FactValue::Text("secunet konnektor 2.1.0".into()),
                ),
                ("ti.connector_firmware", FactValue::Text("5.1.2".into())),
            ],
        ),
    ];
    doc
}

fn ids(docs: &[Document]) -> Vec<String> {
    let mut v: Vec<String> = docs[0].findings.iter().map(|f| f.rule_id.clone()).collect();
    v.sort_unstable();
    v
}

#[test]
fn a_stored_document_goes_past_end_of_life_without_a_rescan_and_turns_red() {
    let mut w = World::new();
    w.today = praxcheck_advisories::parse_date("2026-07-13").unwrap();
    let mut docs = vec![device_doc()];
    let a = w.run(&mut docs, &[]);
    assert_eq!(ids(&docs), ["PRAX-NET-FIRMWARE-OUTDATED"]);
    assert_eq!(
        check(&a, "PRAX-NET-DB-UNSUPPORTED", "scanner").state,
        CheckState::Passed
    );
    // What to do, German first.
    assert!(
        a.actions
            .iter()
            .any(|x| x.title.de == "Firmware aktualisieren" && x.title.en == "Update the firmware"),
        "{:#?}",
        a.actions
    );
    assert_ne!(a.light, praxcheck_model::Light::Red);
    // The same document a month later: SQL Server 2016 is out of support — red.
    w.today = praxcheck_advisories::parse_date("2026-08-14").unwrap();
    let mut docs = vec![device_doc()];
    let a = w.run(&mut docs, &[]);
    assert_eq!(
        ids(&docs),
        ["PRAX-NET-DB-UNSUPPORTED", "PRAX-NET-FIRMWARE-OUTDATED"]
    );
    assert_eq!(a.light, praxcheck_model::Light::Red);
    assert!(
        a.actions
            .iter()
            .any(|x| x.title.de == "Datenbank-Server auf eine unterstützte Version bringen")
    );
    let f = docs[0]
        .findings
        .iter()
        .find(|f| f.rule_id == "PRAX-NET-DB-UNSUPPORTED")
        .unwrap();
    let ev = serde_json::to_string(&f.evidence).unwrap();
    assert!(
        ev.contains("10.99.0.20:1433")
            && ev.contains("SQL Server 2016")
            && ev.contains("2026-07-14"),
        "{ev}"
    );
}
