//! Fuzz target for the log decoder and the streaming scanner:
//! `cargo +nightly fuzz run log_decoder`.
//!
//! The decoder must return for any bytes, keep payloads within the bound, and the scanner
//! must agree with it. The same entry points run on random input in the normal test suite
//! (`crates/logscan/tests/it/robustness.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for h in praxcheck_logscan::decode::decode_bytes(data) {
        assert!(h.payload.chars().count() <= praxcheck_model::MAX_PAYLOAD_CHARS);
    }
    let loc = praxcheck_model::Location::file(std::path::Path::new("fuzz.log"));
    let _ = praxcheck_logscan::scan_reader(data, &loc, &praxcheck_logscan::Limits::default());
});
