//! Decoding text that Windows programs write.
//!
//! A German Windows writes console output in the OEM code page 850 (PowerShell 5.1 uses
//! `[Console]::OutputEncoding`, which is the OEM code page unless changed), files of older
//! programs (`.ini`, `.bat`) in the ANSI code page 1252, redirected PowerShell 5.1 output in
//! UTF-16LE with a byte order mark, and newer programs in UTF-8. [`decode_windows`] takes
//! any of these: a byte order mark decides first, then valid UTF-8, then the single-byte code
//! page whose decoding looks more like (German) text.
//!
//! `encoding_rs` provides windows-1252 and UTF-16 but not code page 850 (the Encoding
//! Standard it implements has no DOS code pages), so CP850 is the 128-entry table below,
//! taken from the Unicode mapping `VENDORS/MICSFT/PC/CP850.TXT`.

/// A single-byte Windows code page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePage {
    /// OEM code page 850 (console, Western Europe).
    Cp850,
    /// ANSI code page 1252 (Western Europe).
    Cp1252,
}

/// CP850 bytes 0x80–0xFF.
const CP850_HIGH: [char; 128] = [
    '\u{00C7}', '\u{00FC}', '\u{00E9}', '\u{00E2}', '\u{00E4}', '\u{00E0}', '\u{00E5}', '\u{00E7}',
    '\u{00EA}', '\u{00EB}', '\u{00E8}', '\u{00EF}', '\u{00EE}', '\u{00EC}', '\u{00C4}', '\u{00C5}',
    '\u{00C9}', '\u{00E6}', '\u{00C6}', '\u{00F4}', '\u{00F6}', '\u{00F2}', '\u{00FB}', '\u{00F9}',
    '\u{00FF}', '\u{00D6}', '\u{00DC}', '\u{00F8}', '\u{00A3}', '\u{00D8}', '\u{00D7}', '\u{0192}',
    '\u{00E1}', '\u{00ED}', '\u{00F3}', '\u{00FA}', '\u{00F1}', '\u{00D1}', '\u{00AA}', '\u{00BA}',
    '\u{00BF}', '\u{00AE}', '\u{00AC}', '\u{00BD}', '\u{00BC}', '\u{00A1}', '\u{00AB}', '\u{00BB}',
    '\u{2591}', '\u{2592}', '\u{2593}', '\u{2502}', '\u{2524}', '\u{00C1}', '\u{00C2}', '\u{00C0}',
    '\u{00A9}', '\u{2563}', '\u{2551}', '\u{2557}', '\u{255D}', '\u{00A2}', '\u{00A5}', '\u{2510}',
    '\u{2514}', '\u{2534}', '\u{252C}', '\u{251C}', '\u{2500}', '\u{253C}', '\u{00E3}', '\u{00C3}',
    '\u{255A}', '\u{2554}', '\u{2569}', '\u{2566}', '\u{2560}', '\u{2550}', '\u{256C}', '\u{00A4}',
    '\u{00F0}', '\u{00D0}', '\u{00CA}', '\u{00CB}', '\u{00C8}', '\u{0131}', '\u{00CD}', '\u{00CE}',
    '\u{00CF}', '\u{2518}', '\u{250C}', '\u{2588}', '\u{2584}', '\u{00A6}', '\u{00CC}', '\u{2580}',
    '\u{00D3}', '\u{00DF}', '\u{00D4}', '\u{00D2}', '\u{00F5}', '\u{00D5}', '\u{00B5}', '\u{00FE}',
    '\u{00DE}', '\u{00DA}', '\u{00DB}', '\u{00D9}', '\u{00FD}', '\u{00DD}', '\u{00AF}', '\u{00B4}',
    '\u{00AD}', '\u{00B1}', '\u{2017}', '\u{00BE}', '\u{00B6}', '\u{00A7}', '\u{00F7}', '\u{00B8}',
    '\u{00B0}', '\u{00A8}', '\u{00B7}', '\u{00B9}', '\u{00B3}', '\u{00B2}', '\u{25A0}', '\u{00A0}',
];

/// Decodes bytes in a single-byte code page.
#[must_use]
pub fn decode_code_page(bytes: &[u8], cp: CodePage) -> String {
    match cp {
        CodePage::Cp850 => bytes
            .iter()
            .map(|&b| {
                if b < 0x80 {
                    char::from(b)
                } else {
                    CP850_HIGH[usize::from(b - 0x80)]
                }
            })
            .collect(),
        CodePage::Cp1252 => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// How much a decoded text looks like Western European text: letters outside ASCII count
/// for it, box-drawing characters, control characters and typographic symbols against it.
fn text_score(s: &str) -> i64 {
    let mut score = 0i64;
    for c in s.chars().filter(|c| !c.is_ascii()) {
        if "äöüÄÖÜßéèêëáàâçñóòôúùûíìîïÉÈÁÀÂÇÑÓÒÔÚÙÛÍÌÎÏ".contains(c)
        {
            score += 3;
        } else if c.is_alphabetic() {
            score += 1;
        } else if ('\u{2500}'..='\u{25FF}').contains(&c) || c.is_control() {
            score -= 3;
        } else {
            score -= 1;
        }
    }
    score
}

/// Decodes text written by a Windows program: UTF-8 or UTF-16 with a byte order mark,
/// valid UTF-8, else CP850 or CP1252, whichever reads more like text (`hint` breaks ties:
/// pass [`CodePage::Cp850`] for console output and [`CodePage::Cp1252`] for files).
#[must_use]
pub fn decode_windows(bytes: &[u8], hint: CodePage) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return encoding_rs::UTF_16LE
            .decode_with_bom_removal(bytes)
            .0
            .into_owned();
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return encoding_rs::UTF_16BE
            .decode_with_bom_removal(bytes)
            .0
            .into_owned();
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_owned();
    }
    let a = decode_code_page(bytes, CodePage::Cp850);
    let b = decode_code_page(bytes, CodePage::Cp1252);
    let (sa, sb) = (text_score(&a), text_score(&b));
    if sa > sb || (sa == sb && hint == CodePage::Cp850) {
        a
    } else {
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_words_in_both_code_pages() {
        let word = "Praxisverwaltung für Ärzte – Größe";
        // The dash is not in CP850; the rest is.
        let cp850: Vec<u8> = "Praxisverwaltung f\u{81}r \u{8E}rzte - Gr\u{94}\u{E1}e"
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap())
            .collect();
        assert_eq!(
            decode_windows(&cp850, CodePage::Cp1252),
            "Praxisverwaltung für Ärzte - Größe"
        );
        let cp1252 = encoding_rs::WINDOWS_1252.encode(word).0.into_owned();
        assert_eq!(decode_windows(&cp1252, CodePage::Cp850), word);
    }

    #[test]
    fn byte_order_marks_decide() {
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "Jeder".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_windows(&utf16, CodePage::Cp850), "Jeder");
        assert_eq!(
            decode_windows("\u{FEFF}Müller".as_bytes(), CodePage::Cp850),
            "Müller"
        );
        assert_eq!(
            decode_windows("Müller".as_bytes(), CodePage::Cp850),
            "Müller"
        );
    }

    #[test]
    fn table_matches_known_positions() {
        assert_eq!(
            decode_code_page(&[0x81, 0x84, 0x94, 0xE1], CodePage::Cp850),
            "üäöß"
        );
        assert_eq!(
            decode_code_page(&[0x8E, 0x99, 0x9A], CodePage::Cp850),
            "ÄÖÜ"
        );
        assert_eq!(decode_code_page(&[0x80, 0xFC], CodePage::Cp1252), "€ü");
    }
}
