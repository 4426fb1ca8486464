//! Helpers the netscan test files share: the scan options for fakes on 127.0.0.1, a
//! service's probe result, the `PRAX-NET-*` rules that fail on a scan's facts, and SMB2 /
//! NTLMSSP answers built as a server writes them. Each test file uses a part
//! (`#[allow(dead_code)]` for the rest).

#![allow(dead_code, clippy::unwrap_used)]

use std::time::Duration;

use praxcheck_advisories::AdvisorySet;
use praxcheck_advisories::network::{PortProfile, ProfilePort};
use praxcheck_advisories::rules::RuleOutcome;
use praxcheck_model::{
    Collect as _, DeviceKind, Document, FactValue, NetHost, NetProbe, NetService, NetworkFacts,
    ScanInfo, ScanStats,
};
use praxcheck_netscan::{Neighbours, NetOptions};

/// Options for a scan of fakes: the given targets and profile, an empty neighbour table, 2
/// connections per host and 8 overall, 0.5 s per connection attempt, 1.5 s per probe, 30 s
/// per scan.
pub fn options(targets: &[&str], profile: PortProfile) -> NetOptions {
    let mut o = NetOptions::new(targets.iter().map(|s| (*s).to_owned()).collect()).unwrap();
    o.profile = profile;
    o.neighbours = Some(Neighbours::new());
    o.per_host = 2;
    o.total = 8;
    o.connect_timeout = Duration::from_millis(500);
    o.probe_timeout = Duration::from_millis(1500);
    o.scan_timeout = Duration::from_secs(30);
    o
}

/// One port of a test profile.
pub fn port(port: u16, service: &str, probe: &str) -> ProfilePort {
    ProfilePort {
        port,
        service: service.into(),
        probe: probe.into(),
    }
}

/// The result of probe `key` on `port` of a host, if there is one.
pub fn probe(h: &NetHost, port: u16, key: &str) -> Option<FactValue> {
    h.services
        .iter()
        .find(|s| s.port == port)?
        .probes
        .iter()
        .find(|p| p.key == key)
        .map(|p| p.value.clone())
}

/// A host found by a TCP connection.
pub fn host(addr: &str, kind: DeviceKind, services: Vec<NetService>) -> NetHost {
    NetHost {
        address: addr.to_owned(),
        mac: None,
        vendor: None,
        device_kind: kind,
        discovered_by: vec!["tcp_connect".to_owned()],
        services,
    }
}

/// A TCP service identified as `name`, with these probe results.
pub fn service(port: u16, name: &str, probes: Vec<NetProbe>) -> NetService {
    NetService {
        port,
        protocol: "tcp".to_owned(),
        expected: name.to_owned(),
        identified: Some(name.to_owned()),
        product: None,
        banner: None,
        tls: None,
        probes,
    }
}

/// A complete scan of 10.0.0.0/24 that found these hosts.
pub fn net(hosts: Vec<NetHost>) -> NetworkFacts {
    NetworkFacts {
        targets: vec!["10.0.0.0/24".to_owned()],
        targets_detected: false,
        limits: praxcheck_model::NetLimits::default(),
        counters: praxcheck_model::NetCounters::default(),
        complete: true,
        hosts,
        log4shell: Vec::new(),
        active: false,
    }
}

/// The `PRAX-NET-*` rules that fail on these facts, judged on `today`, each with its
/// evidence as JSON.
pub fn failing_rules(facts: &NetworkFacts, today: time::Date) -> Vec<(String, String)> {
    let set = AdvisorySet::embedded().unwrap();
    let info = ScanInfo {
        hostname: "netscan-test".to_owned(),
        os: "linux".to_owned(),
        started_at: format!("{today}T00:00:00Z"),
        finished_at: format!("{today}T00:00:01Z"),
        duration_ms: 1000,
        roots: facts.targets.clone(),
        collectors: Vec::new(),
        stats: ScanStats::default(),
        complete: false,
        skipped_mounts: Vec::new(),
    };
    let mut doc = Document::new(info, set.reference());
    doc.absorb(facts.clone().into_contribution());
    doc.finish();
    let f = praxcheck_assess::facts::from_document(&doc, today);
    set.rules()
        .iter()
        .filter(|r| r.id.starts_with("PRAX-NET-"))
        .filter_map(|r| match r.evaluate(&f) {
            RuleOutcome::Failed(x) => {
                Some((r.id.clone(), serde_json::to_string(&x.evidence).unwrap()))
            }
            _ => None,
        })
        .collect()
}

/// An NTLMSSP CHALLENGE (type 2) as a server writes it: target name `PRAXIS` and a target
/// info list (NetBIOS computer name, end) after the fixed header, `flags`, and the VERSION
/// `major.minor` build `build` revision 15.
pub fn ntlm_challenge(flags: u32, major: u8, minor: u8, build: u16) -> Vec<u8> {
    let name: Vec<u8> = "PRAXIS".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let mut info = vec![1, 0];
    let host: Vec<u8> = "EMPFANG"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    info.extend(u16::try_from(host.len()).unwrap().to_le_bytes());
    info.extend(&host);
    info.extend([0, 0, 0, 0]);
    let name_off = 56u32;
    let info_off = name_off + u32::try_from(name.len()).unwrap();
    let mut m = b"NTLMSSP\0".to_vec();
    m.extend(2u32.to_le_bytes());
    m.extend(u16::try_from(name.len()).unwrap().to_le_bytes());
    m.extend(u16::try_from(name.len()).unwrap().to_le_bytes());
    m.extend(name_off.to_le_bytes());
    m.extend(flags.to_le_bytes());
    m.extend([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]); // ServerChallenge
    m.extend([0u8; 8]);
    m.extend(u16::try_from(info.len()).unwrap().to_le_bytes());
    m.extend(u16::try_from(info.len()).unwrap().to_le_bytes());
    m.extend(info_off.to_le_bytes());
    m.extend([major, minor]);
    m.extend(build.to_le_bytes());
    m.extend([0, 0, 0, 0x0f]);
    m.extend(name);
    m.extend(info);
    m
}

/// The flags Windows sets in its CHALLENGE, NEGOTIATE_VERSION among them.
pub const WINDOWS_CHALLENGE_FLAGS: u32 = 0xe28a_8215;

/// A SPNEGO NegTokenResp (accept-incomplete, NTLMSSP) around `token`, the short DER forms
/// a server uses for small tokens.
pub fn spnego_response(token: &[u8]) -> Vec<u8> {
    fn der(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut v = vec![tag];
        if body.len() < 0x80 {
            v.push(u8::try_from(body.len()).unwrap());
        } else {
            v.push(0x81);
            v.push(u8::try_from(body.len()).unwrap());
        }
        v.extend_from_slice(body);
        v
    }
    let state = der(0xa0, &der(0x0a, &[1]));
    let mech = der(
        0xa1,
        &der(
            0x06,
            &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a],
        ),
    );
    let tok = der(0xa2, &der(0x04, token));
    der(0xa1, &der(0x30, &[state, mech, tok].concat()))
}

/// An SMB2 SESSION_SETUP answer (STATUS_MORE_PROCESSING_REQUIRED) with `blob` as its
/// security buffer, NetBIOS header first.
pub fn smb2_session_setup_answer(blob: &[u8]) -> Vec<u8> {
    let mut m = vec![0u8; 4];
    let mut h = vec![0u8; 64];
    h[..4].copy_from_slice(b"\xfeSMB");
    h[4] = 64;
    h[8..12].copy_from_slice(&0xc000_0016u32.to_le_bytes());
    h[12] = 1; // SESSION_SETUP
    h[16] = 1; // a response
    h[24] = 1; // MessageId 1
    m.extend(h);
    m.extend(9u16.to_le_bytes()); // StructureSize
    m.extend(0u16.to_le_bytes()); // SessionFlags
    m.extend(72u16.to_le_bytes()); // SecurityBufferOffset
    m.extend(u16::try_from(blob.len()).unwrap().to_le_bytes());
    m.extend_from_slice(blob);
    let len = u32::try_from(m.len() - 4).unwrap();
    m[1..4].copy_from_slice(&len.to_be_bytes()[1..]);
    m
}

/// An SMB1 SESSION_SETUP_ANDX answer in its extended-security form
/// (STATUS_MORE_PROCESSING_REQUIRED, WordCount 4) with `blob` as its security blob and
/// `Windows 5.1` as NativeOS, NetBIOS header first.
pub fn smb1_session_setup_answer(blob: &[u8]) -> Vec<u8> {
    let mut m = vec![0u8; 4];
    let mut h = vec![0u8; 32];
    h[..4].copy_from_slice(b"\xffSMB");
    h[4] = 0x73;
    h[5..9].copy_from_slice(&0xc000_0016u32.to_le_bytes());
    h[9] = 0x98; // a reply
    h[10..12].copy_from_slice(&0xc801u16.to_le_bytes());
    h[28] = 0x08; // UID the server assigned
    h[30] = 1; // MID 1
    m.extend(h);
    m.push(4);
    m.extend([0xff, 0, 0, 0, 0, 0]);
    m.extend(u16::try_from(blob.len()).unwrap().to_le_bytes());
    let os: Vec<u8> = "Windows 5.1\0"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let pad = (32 + 1 + 8 + 2 + blob.len()) % 2;
    m.extend(
        u16::try_from(blob.len() + pad + os.len())
            .unwrap()
            .to_le_bytes(),
    );
    m.extend_from_slice(blob);
    m.extend(std::iter::repeat_n(0u8, pad));
    m.extend(os);
    let len = u32::try_from(m.len() - 4).unwrap();
    m[1..4].copy_from_slice(&len.to_be_bytes()[1..]);
    m
}
