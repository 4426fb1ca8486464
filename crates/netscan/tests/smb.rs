//! The SMB operating-system probe's messages and parsers: the NTLMSSP NEGOTIATE it sends
//! (no user, no password), the SMB2 SESSION_SETUP around it, and the VERSION read from a
//! server's CHALLENGE — on constructed answers as Windows and Samba write them, and on
//! hostile ones (truncated at every length, lying offsets, wrong types) that must give no
//! version and never a panic. The live answer of a real Samba is in `netlab.rs`.

#![allow(clippy::unwrap_used)]

mod common;

use common::{
    WINDOWS_CHALLENGE_FLAGS, failing_rules, host, net, ntlm_challenge, service,
    smb1_session_setup_answer, smb2_session_setup_answer, spnego_response,
};
use praxcheck_model::{DeviceKind, FactValue, NetService};
use praxcheck_netscan::probes::{
    NtlmVersion, ProbeReport, ntlm_challenge_version, ntlm_negotiate, smb_os_facts,
    smb1_session_setup_blob, smb1_session_setup_ntlm, smb2_session_setup_blob,
    smb2_session_setup_ntlm, spnego_ntlm_negotiate,
};

const VERSION_FLAG: u32 = 0x0200_0000;

#[test]
fn the_negotiate_names_no_user_and_asks_for_the_version() {
    let n = ntlm_negotiate();
    assert_eq!(n.len(), 40);
    assert_eq!(&n[..8], b"NTLMSSP\0");
    assert_eq!(u32::from_le_bytes([n[8], n[9], n[10], n[11]]), 1, "type 1");
    let flags = u32::from_le_bytes([n[12], n[13], n[14], n[15]]);
    assert_ne!(flags & VERSION_FLAG, 0);
    // Domain and workstation fields are empty: nothing about us, nothing to log in with.
    assert!(n[16..32].iter().all(|b| *b == 0));
    // The SPNEGO token carries exactly that message.
    let s = spnego_ntlm_negotiate();
    assert_eq!(s[0], 0x60);
    assert!(s.ends_with(&n));
    // The SESSION_SETUP: NetBIOS length right, command 1, message id 1, the buffer where
    // its offset says.
    let m = smb2_session_setup_ntlm();
    let len = usize::from(m[1]) << 16 | usize::from(m[2]) << 8 | usize::from(m[3]);
    assert_eq!(len, m.len() - 4);
    assert_eq!(&m[4..8], b"\xfeSMB");
    assert_eq!(u16::from_le_bytes([m[16], m[17]]), 1);
    assert_eq!(m[28], 1);
    let body = &m[68..];
    assert_eq!(u16::from_le_bytes([body[0], body[1]]), 25);
    let off = usize::from(u16::from_le_bytes([body[12], body[13]]));
    let blen = usize::from(u16::from_le_bytes([body[14], body[15]]));
    assert_eq!(&m[4 + off..4 + off + blen], s.as_slice());
}

#[test]
fn windows_and_samba_challenges_give_their_versions() {
    let answer = smb2_session_setup_answer(&spnego_response(&ntlm_challenge(
        WINDOWS_CHALLENGE_FLAGS,
        6,
        1,
        7601,
    )));
    let blob = smb2_session_setup_blob(&answer).unwrap();
    let v = ntlm_challenge_version(blob).unwrap().unwrap();
    assert_eq!(
        v,
        NtlmVersion {
            major: 6,
            minor: 1,
            build: 7601,
            revision: 15
        }
    );
    assert_eq!(v.product(), "Windows");
    // Samba: 6.1 build 0, the fixed answer of its ntlmssp_version_blob().
    let v = ntlm_challenge_version(&ntlm_challenge(0xe28a_8215, 6, 1, 0))
        .unwrap()
        .unwrap();
    assert_eq!(v.product(), "Samba");

    // The facts, and the observation the device table reads from them.
    let mut r = ProbeReport::default();
    smb_os_facts(
        &mut r,
        NtlmVersion {
            major: 10,
            minor: 0,
            build: 19045,
            revision: 15,
        },
        "SMB2",
    );
    let keys: Vec<(&str, &FactValue)> = r
        .probes
        .iter()
        .map(|p| (p.key.as_str(), &p.value))
        .collect();
    assert_eq!(
        keys,
        [
            ("smb.os_product", &FactValue::Text("Windows".into())),
            ("smb.os_version", &FactValue::Text("10.0".into())),
            ("smb.os_build", &FactValue::Int(19045)),
        ]
    );
    assert!(r.probes[0].evidence.contains("SMB2 NTLMSSP CHALLENGE"));
    assert!(r.probes[0].evidence.contains("before any login"));
    let svc = NetService {
        port: 445,
        protocol: "tcp".into(),
        expected: "smb".into(),
        identified: Some("smb".into()),
        product: None,
        banner: None,
        tls: None,
        probes: r.probes,
    };
    let obs = praxcheck_advisories::network::observations(&svc);
    assert!(
        obs.contains(&("smb.os", "Windows 10.0.19045".to_owned())),
        "{obs:?}"
    );
}

#[test]
fn a_challenge_without_the_version_flag_or_with_a_payload_over_it_has_no_version() {
    let no_flag = ntlm_challenge(WINDOWS_CHALLENGE_FLAGS & !VERSION_FLAG, 6, 1, 7601);
    assert_eq!(ntlm_challenge_version(&no_flag), Ok(None));
    // Lying offsets: the target info "starts" at 48, where the VERSION would be.
    let mut lying = ntlm_challenge(WINDOWS_CHALLENGE_FLAGS, 6, 1, 7601);
    lying[44..48].copy_from_slice(&48u32.to_le_bytes());
    assert_eq!(ntlm_challenge_version(&lying), Ok(None));
    let mut lying = ntlm_challenge(WINDOWS_CHALLENGE_FLAGS, 6, 1, 7601);
    lying[16..20].copy_from_slice(&0u32.to_le_bytes());
    assert_eq!(ntlm_challenge_version(&lying), Ok(None));
    // Offsets far past the end do not matter for the fixed VERSION field.
    let mut far = ntlm_challenge(WINDOWS_CHALLENGE_FLAGS, 10, 0, 20348);
    far[44..48].copy_from_slice(&u32::MAX.to_le_bytes());
    far[40..42].copy_from_slice(&u16::MAX.to_le_bytes());
    assert_eq!(ntlm_challenge_version(&far).unwrap().unwrap().build, 20348);
}

#[test]
fn hostile_answers_give_no_version_and_never_panic() {
    let good = ntlm_challenge(WINDOWS_CHALLENGE_FLAGS, 6, 1, 7601);
    // Truncated at every length: the VERSION needs 56 bytes.
    for n in 0..56 {
        assert!(
            ntlm_challenge_version(&good[..n]).is_err(),
            "{n} bytes gave a version"
        );
    }
    assert!(ntlm_challenge_version(&good[..56]).unwrap().is_some());
    // Other message types.
    for t in [1u32, 3, 0, u32::MAX] {
        let mut m = good.clone();
        m[8..12].copy_from_slice(&t.to_le_bytes());
        assert_eq!(
            ntlm_challenge_version(&m),
            Err("not an NTLMSSP CHALLENGE"),
            "type {t}"
        );
    }
    assert!(ntlm_challenge_version(b"SSH-2.0-OpenSSH_9.2\r\n").is_err());

    // The SMB2 answer: every truncation, a buffer offset past the end, a wrong command, a
    // wrong structure size.
    let answer = smb2_session_setup_answer(&spnego_response(&good));
    for n in 0..answer.len() {
        assert_eq!(smb2_session_setup_blob(&answer[..n]), None, "{n} bytes");
    }
    let mut past = answer.clone();
    past[4 + 64 + 4..4 + 64 + 6].copy_from_slice(&u16::MAX.to_le_bytes());
    assert_eq!(smb2_session_setup_blob(&past), None);
    let mut past = answer.clone();
    past[4 + 64 + 6..4 + 64 + 8].copy_from_slice(&u16::MAX.to_le_bytes());
    assert_eq!(smb2_session_setup_blob(&past), None);
    let mut cmd = answer.clone();
    cmd[16] = 0;
    assert_eq!(smb2_session_setup_blob(&cmd), None);
    let mut size = answer.clone();
    size[68] = 8;
    assert_eq!(smb2_session_setup_blob(&size), None);
    assert_eq!(smb2_session_setup_blob(b"\0\0\0\x05\xffSMBr"), None);

    // Every single-byte change of a whole answer: parsed or refused, never a panic, and
    // a version only from a CHALLENGE.
    for i in 0..answer.len() {
        for x in [0u8, 0x7f, 0xff] {
            let mut m = answer.clone();
            m[i] = x;
            if let Some(blob) = smb2_session_setup_blob(&m) {
                let _ = ntlm_challenge_version(blob);
            }
        }
    }
}

/// What the assessment makes of it: Windows 7 and Windows 10 22H2 seen through SMB are past
/// their end of support, with the date and the source; Windows Server 2022 and Samba are not.
#[test]
fn windows_past_its_end_of_support_is_a_device_finding_with_date_and_source() {
    let smb = |major: u8, minor: u8, build: u16| {
        let mut r = ProbeReport::default();
        smb_os_facts(
            &mut r,
            NtlmVersion {
                major,
                minor,
                build,
                revision: 15,
            },
            "SMB2",
        );
        service(445, "smb", r.probes)
    };
    let facts = net(vec![
        host("10.0.0.10", DeviceKind::Computer, vec![smb(6, 1, 7601)]),
        host("10.0.0.11", DeviceKind::Computer, vec![smb(10, 0, 19045)]),
        host("10.0.0.12", DeviceKind::Computer, vec![smb(10, 0, 20348)]),
        host("10.0.0.13", DeviceKind::Computer, vec![smb(6, 1, 0)]),
    ]);
    let failing = failing_rules(&facts, time::macros::date!(2026 - 12 - 04));
    let ids: Vec<&str> = failing.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["PRAX-NET-DEVICE-EOL"], "{failing:#?}");
    let e = &failing[0].1;
    for want in [
        "10.0.0.10:445",
        "Windows 7",
        "2020-01-14",
        "10.0.0.11:445",
        "Windows 10 22H2",
        "2025-10-14",
        "https://endoflife.date/windows",
    ] {
        assert!(e.contains(want), "{want} missing in {e}");
    }
    assert!(!e.contains("10.0.0.12") && !e.contains("10.0.0.13"), "{e}");
}

/// SMB1 for servers that speak no SMB2 (Windows XP, Server 2003): the SESSION_SETUP_ANDX
/// carries the same NEGOTIATE, and the CHALLENGE comes back in its security blob.
#[test]
fn smb1_session_setup_carries_the_negotiate_and_its_answer_the_version() {
    let m = smb1_session_setup_ntlm();
    let len = usize::from(m[1]) << 16 | usize::from(m[2]) << 8 | usize::from(m[3]);
    assert_eq!(len, m.len() - 4);
    assert_eq!(&m[4..9], b"\xffSMB\x73");
    assert_eq!(m[36], 12, "WordCount");
    let blob_len = usize::from(u16::from_le_bytes([m[37 + 14], m[37 + 15]]));
    let byte_count = usize::from(u16::from_le_bytes([m[61], m[62]]));
    assert_eq!(m.len(), 63 + byte_count);
    assert_eq!(&m[63..63 + blob_len], spnego_ntlm_negotiate().as_slice());
    assert!(m[63 + blob_len..].iter().all(|b| *b == 0), "no names sent");

    // Windows XP SP3 answers 5.1 build 2600.
    let answer = smb1_session_setup_answer(&spnego_response(&ntlm_challenge(
        WINDOWS_CHALLENGE_FLAGS,
        5,
        1,
        2600,
    )));
    let v = ntlm_challenge_version(smb1_session_setup_blob(&answer).unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(
        (v.major, v.minor, v.build, v.product()),
        (5, 1, 2600, "Windows")
    );
    // Cut anywhere before the blob's end: no blob (NativeOS after it is not needed).
    let blob_end = 4 + 32 + 1 + 8 + 2 + usize::from(u16::from_le_bytes([answer[43], answer[44]]));
    for n in 0..blob_end {
        assert_eq!(smb1_session_setup_blob(&answer[..n]), None, "{n} bytes");
    }
    assert!(smb1_session_setup_blob(&answer[..blob_end]).is_some());
    let mut wc = answer.clone();
    wc[36] = 3;
    assert_eq!(smb1_session_setup_blob(&wc), None);
    let mut long = answer.clone();
    long[37 + 6..37 + 8].copy_from_slice(&u16::MAX.to_le_bytes());
    assert_eq!(smb1_session_setup_blob(&long), None);
    assert_eq!(
        smb1_session_setup_blob(&smb2_session_setup_answer(b"x")),
        None
    );
    assert_eq!(smb2_session_setup_blob(&answer), None);
}
