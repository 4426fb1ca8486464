//! A generator that disguises payloads the way attackers did, at random (nesting, lookups
//! with defaults, case lookups, dotless ı, case games, date literals, escapes, URL encoding
//! once or several times, base64), and checks that each decodes to the same payload.

use base64::Engine as _;
use proptest::prelude::*;

use praxcheck_logscan::decode::decode_str;

const PROTOCOLS: &[&str] = &[
    "ldap", "ldaps", "rmi", "dns", "iiop", "corba", "nds", "nis", "http",
];

/// Disguises one character; `pick` chooses how, `depth` allows nesting.
fn disguise_char(c: char, pick: &[u8], depth: usize) -> String {
    let Some((&k, rest)) = pick.split_first() else {
        return c.to_string();
    };
    let inner = |rest: &[u8]| {
        if depth > 0 {
            disguise_char(c, rest, depth - 1)
        } else {
            c.to_string()
        }
    };
    match k % 12 {
        0 | 1 => c.to_string(),
        2 if c.is_ascii_alphabetic() => c.to_ascii_uppercase().to_string(),
        3 => format!("${{lower:{}}}", inner(rest)),
        4 => format!("${{upper:{}}}", inner(rest)),
        5 => format!("${{::-{}}}", inner(rest)),
        6 => format!("${{env:NOT_SET_{}:-{}}}", k, inner(rest)),
        7 => format!("${{sys:not.set.{}:-{}}}", k, inner(rest)),
        8 => format!("${{x{}:y{}:-{}}}", k % 7, k % 5, inner(rest)),
        9 if c != '\'' => format!("${{date:'{c}'}}"),
        10 if c == 'i' => "${upper:ı}".to_owned(),
        11 => format!("${{{}:{}:-{}}}", "k8s", "k5", inner(rest)),
        _ => c.to_string(),
    }
}

fn url_encode_some(s: &str, every: usize) -> String {
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if matches!(ch, '$' | '{' | '}' | ':' | '/') || (every > 0 && i % every == 0) {
            let mut buf = [0u8; 4];
            for b in ch.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(ch);
        }
    }
    out
}

fn escape_dollars(s: &str, octal: bool) -> String {
    if octal {
        s.replace('$', "\\044")
    } else {
        s.replace('$', "\\u0024").replace('{', "\\u007b")
    }
}

prop_compose! {
    fn payload()(
        proto in 0..PROTOCOLS.len(),
        host in "[a-z][a-z0-9]{0,9}(\\.[a-z]{2,5}){1,2}",
        port in proptest::option::of(1u16..65535),
        path in "[a-z0-9]{0,8}",
    ) -> (String, String, String, Option<u16>) {
        let proto = PROTOCOLS[proto].to_owned();
        let port_s = port.map(|p| format!(":{p}")).unwrap_or_default();
        let inner = format!("jndi:{proto}://{host}{port_s}/{path}");
        (inner, proto, host, port)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(768))]

    #[test]
    fn disguised_payloads_decode_to_the_same_payload(
        (inner, proto, host, port) in payload(),
        picks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..4), 64),
        outer in 0u8..7,
        every in 0usize..5,
        prefix in "[ a-zA-ZäöüÄÖÜß0-9:.,-]{0,40}",
    ) {
        let disguised: String = inner
            .chars()
            .enumerate()
            .map(|(i, c)| disguise_char(c, &picks[i % picks.len()], 2))
            .collect();
        let lookup = format!("${{{disguised}}}");
        let text = match outer {
            0 => lookup.clone(),
            1 => url_encode_some(&lookup, every),
            2 => url_encode_some(&url_encode_some(&lookup, every), 0),
            3 => escape_dollars(&lookup, false),
            4 => escape_dollars(&lookup, true),
            5 => format!(
                "${{base64:{}}}",
                base64::engine::general_purpose::STANDARD.encode(lookup.as_bytes())
            ),
            // Inside a case lookup: Log4j evaluates the inner lookup first.
            _ => format!("${{lower:{lookup}}}"),
        };
        let line = format!("{prefix} {text} Ende");
        let hits = decode_str(&line);
        prop_assert_eq!(hits.len(), 1, "{} -> {:?}", line, hits);
        let want = format!("${{{inner}}}");
        prop_assert_eq!(hits[0].payload.to_lowercase(), want.to_lowercase(), "{}", line);
        let cb = hits[0].callback.clone().unwrap();
        prop_assert_eq!(cb.protocol, proto);
        prop_assert_eq!(cb.host.map(|h| h.to_lowercase()), Some(host));
        prop_assert_eq!(cb.port, port);
    }
}
