//! The committed JSON Schema of the practice report (several machines' documents with one
//! practice-wide assessment) matches the types.

use praxcheck_model::practice_json_schema;

#[test]
fn committed_practice_schema_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../schema/praxcheck-practice.schema.json");
    let generated = practice_json_schema();
    if std::env::var_os("PRAXCHECK_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap_or_default();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/praxcheck-practice.schema.json is stale; regenerate with \
         PRAXCHECK_UPDATE_SCHEMA=1 cargo test -p praxcheck-model"
    );
}
