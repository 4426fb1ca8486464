-- CSAF 2.0 advisories (issue 13, round three), SQLite dialect. Keep in step with
-- ../postgres/0004_csaf.sql. One row per document (publisher namespace + tracking id); a
-- newer revision replaces the row. `records` holds the OSV records it was mapped to
-- (csaf.rs), which join the signed set when the server loads its advisories.
CREATE TABLE csaf_documents (
    id INTEGER PRIMARY KEY,
    doc_key TEXT NOT NULL UNIQUE,
    tracking_id TEXT NOT NULL,
    revision TEXT NOT NULL,
    records TEXT NOT NULL,
    bytes BLOB NOT NULL,
    imported_at INTEGER NOT NULL
);
