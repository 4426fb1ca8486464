//! The one escaping function for terminal output (issue 11, item 5).
//!
//! Everything an attacker can choose — log payloads and callback hosts, archive entry
//! names, file names, hostnames and other strings read from documents — passes through
//! [`visible`] before the text and overview renderers print it, so that no control
//! character (C0, C1, ESC, CR, DEL) and no bidirectional override reaches the terminal:
//! each is shown as a visible escape such as `\x1b` or `\u{202e}`. Written by hand: the
//! rule is a dozen lines and names exactly the characters a terminal acts on.

use std::borrow::Cow;

/// Whether a character would be acted on by a terminal or reorders the text around it.
fn is_hidden(c: char) -> bool {
    c.is_control() // C0, DEL, C1
        || matches!(
            c,
            '\u{061c}' // Arabic letter mark
                | '\u{200e}'..='\u{200f}' // LRM, RLM
                | '\u{2028}'..='\u{2029}' // line and paragraph separator
                | '\u{202a}'..='\u{202e}' // embeddings and overrides
                | '\u{2066}'..='\u{2069}' // isolates
        )
}

#[cfg(test)]
fn is_hidden_outside_newlines(c: char) -> bool {
    is_hidden(c) && c != '\n'
}

/// `s` with every control character and bidi control shown as a visible escape
/// (`\x1b`, `\r`, `\u{202e}`); borrowed unchanged when there is none.
#[must_use]
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !is_hidden(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// [`visible`] as an owned string, for building catalogue arguments.
#[must_use]
pub fn vis(s: &str) -> String {
    visible(s).into_owned()
}

/// Serialized JSON (the document, SARIF, the SBOM) with the characters a terminal acts on
/// that JSON allows raw — C1 controls and the bidi and separator marks of [`is_hidden`] —
/// written as `\uXXXX` escapes. JSON's own escaping already covers C0 and DEL, and these
/// characters can only stand inside strings, so the value read back is the same; only the
/// bytes printed to a terminal change. Unchanged (no copy) when there is none.
#[must_use]
pub fn json_visible(json: Vec<u8>) -> Vec<u8> {
    // Every such character starts with the lead byte 0xC2 (C1), 0xD8 (U+061C) or 0xE2 (the
    // marks); lead bytes never occur inside another character's encoding, so a byte search
    // finds each candidate without decoding the document (it runs on every JSON output).
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    for i in memchr::memchr3_iter(0xC2, 0xD8, 0xE2, &json) {
        let len = if json[i] == 0xE2 { 3 } else { 2 };
        let Some(c) = json
            .get(i..i + len)
            .and_then(|b| std::str::from_utf8(b).ok())
            .and_then(|s| s.chars().next())
        else {
            continue;
        };
        if !is_hidden(c) {
            continue;
        }
        let o = out.get_or_insert_with(|| Vec::with_capacity(json.len() + 16));
        o.extend_from_slice(&json[copied..i]);
        o.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes());
        copied = i + len;
    }
    match out {
        None => json,
        Some(mut o) => {
            o.extend_from_slice(&json[copied..]);
            o
        }
    }
}

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn controls_and_bidi_are_shown_not_sent() {
        assert_eq!(visible("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(visible("\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07");
        assert_eq!(visible("x\ry\nz\t"), "x\\ry\\nz\\t");
        assert_eq!(visible("\u{7f}\u{9b}"), "\\x7f\\u{9b}");
        assert_eq!(visible("abc\u{202e}gpj.exe"), "abc\\u{202e}gpj.exe");
        assert_eq!(visible("\u{2066}\u{2069}"), "\\u{2066}\\u{2069}");
    }

    #[test]
    fn ordinary_text_is_unchanged() {
        for ok in [
            "C:\\Programme\\app.jar",
            "Größe ✔ ▲",
            "host-1.praxis.local",
            "",
        ] {
            assert!(matches!(visible(ok), std::borrow::Cow::Borrowed(_)));
            assert_eq!(visible(ok), ok);
        }
    }

    #[test]
    fn json_keeps_its_value_and_shows_c1_and_bidi_as_escapes() {
        let v = serde_json::json!({"host": "pc\u{9b}2J\u{202e}gpj.exe\u{2028}x", "n": "Müller"});
        let raw = serde_json::to_vec_pretty(&v).unwrap();
        assert!(
            String::from_utf8_lossy(&raw).contains('\u{202e}'),
            "serde_json leaves it raw"
        );
        let shown = super::json_visible(raw.clone());
        let text = String::from_utf8(shown.clone()).unwrap();
        assert!(
            !text.chars().any(super::is_hidden_outside_newlines),
            "{text:?}"
        );
        assert!(
            text.contains("\\u009b") && text.contains("\\u202e") && text.contains("\\u2028"),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_slice(&shown).unwrap();
        assert_eq!(back, v);
        // Nothing to escape: the same bytes.
        let plain = serde_json::to_vec_pretty(&serde_json::json!({"n": "Müller"})).unwrap();
        assert_eq!(super::json_visible(plain.clone()), plain);
    }
}
