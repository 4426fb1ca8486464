-- CSAF 2.0 advisories (issue 13, round three), PostgreSQL dialect. Keep in step with
-- ../sqlite/0004_csaf.sql. One row per document (publisher namespace + tracking id); a
-- newer revision replaces the row. `records` holds the OSV records it was mapped to
-- (csaf.rs), which join the signed set when the server loads its advisories.
CREATE TABLE csaf_documents (
    id BIGSERIAL PRIMARY KEY,
    doc_key TEXT NOT NULL UNIQUE,
    tracking_id TEXT NOT NULL,
    revision TEXT NOT NULL,
    records TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    imported_at BIGINT NOT NULL
);
