//! The committed JSON Schema matches the types, and documents validate against it.

use praxcheck_model::{
    AdvisorySetRef, Component, ComponentKind, Document, Location, PathSegment, ScanInfo,
    Unreadable, UnreadableReason, json_schema,
};

fn schema_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../schema/praxcheck-document.schema.json")
}

#[test]
fn committed_schema_is_current() {
    let generated = json_schema();
    if std::env::var_os("PRAXCHECK_UPDATE_SCHEMA").is_some() {
        std::fs::write(schema_path(), &generated).unwrap();
    }
    let committed = std::fs::read_to_string(schema_path()).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/praxcheck-document.schema.json is stale; regenerate with \
         PRAXCHECK_UPDATE_SCHEMA=1 cargo test -p praxcheck-model --test schema"
    );
}

#[test]
fn a_document_validates_and_round_trips() {
    let mut doc = Document::new(ScanInfo::default(), AdvisorySetRef::default());
    let loc = Location::new(vec![
        PathSegment::Text("/opt/a.ear".into()),
        PathSegment::from_bytes(b"lib/M\xfcller.jar"),
    ]);
    doc.inventory.components.push(Component {
        id: Component::derive_id(ComponentKind::JavaArchive, "g:a", &loc, None),
        kind: ComponentKind::JavaArchive,
        ecosystem: "Maven".into(),
        name: "g:a".into(),
        version: Some("1.0".into()),
        version_range: Vec::new(),
        version_source: None,
        purl: Some(praxcheck_model::maven_purl("g", "a", Some("1.0"))),
        location: loc.clone(),
        placement: praxcheck_model::Placement::Installed,
        open_by: Vec::new(),
        evidence: Vec::new(),
        java: None,
    });
    doc.unreadable.push(Unreadable {
        location: loc,
        reason: UnreadableReason::Corrupt,
        detail: "x".into(),
    });
    let json = doc.to_json_pretty().unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&json_schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let back = Document::from_json(json.as_bytes()).unwrap();
    assert_eq!(back, doc);
}

#[test]
fn newer_documents_are_refused() {
    let err = Document::from_json(br#"{"schema_version": 999}"#).unwrap_err();
    assert!(err.to_string().contains("999"));
}
