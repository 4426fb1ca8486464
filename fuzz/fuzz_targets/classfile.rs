//! Fuzz target: arbitrary bytes as a class file (constant pool parser, fingerprint).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = praxcheck_javascan::classfile::fingerprint_for(
        "org/apache/logging/log4j/core/lookup/JndiLookup",
        data,
        ("x/", "org/apache/logging/log4j/"),
    );
});
