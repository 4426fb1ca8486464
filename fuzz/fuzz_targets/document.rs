//! Fuzz target: arbitrary bytes as a praxcheck JSON document (`report --from`, uploads).
//! Reading must never panic, and a document that was accepted must write out and read back.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = praxcheck_model::Document::from_json(data) {
        let out = doc.to_json_pretty().expect("an accepted document writes out");
        praxcheck_model::Document::from_json(out.as_bytes())
            .expect("a written document reads back");
    }
});
