//! Fuzz target: arbitrary bytes as a Java archive. The scan must never panic and must
//! stay within its limits (small limits here, so nesting and inflation are exercised).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = praxcheck_javascan::Limits {
        max_depth: 4,
        max_nested_size: 1 << 20,
        max_inflate_per_file: 4 << 20,
        max_nested_per_file: 1_000,
        max_metadata_size: 64 << 10,
        max_class_size: 256 << 10,
        max_central_directory: 1 << 20,
        spool_memory: 64 << 10,
    };
    let _ = praxcheck_javascan::scan_archive_bytes("fuzz.jar", data.to_vec(), &limits);
});
