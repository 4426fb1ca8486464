-- praxcheck-server schema, SQLite dialect. Keep in step with ../postgres/0001_init.sql
-- (same tables, columns and version number; a test applies both).
CREATE TABLE practices (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    contact_email TEXT,
    webhook_url TEXT,
    created_at INTEGER NOT NULL
);
CREATE TABLE enroll_tokens (
    id TEXT PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    secret_hash TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    max_uses INTEGER NOT NULL,
    uses INTEGER NOT NULL DEFAULT 0,
    revoked_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE TABLE inventories (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    components INTEGER NOT NULL
);
CREATE TABLE hosts (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    hostname TEXT NOT NULL,
    hardware_uuid TEXT,
    machine_id TEXT,
    serial TEXT,
    os TEXT,
    reenroll_hash TEXT NOT NULL,
    enrolled_at INTEGER NOT NULL,
    last_seen_at INTEGER,
    current_upload_id INTEGER,
    current_inventory_id INTEGER REFERENCES inventories(id),
    UNIQUE (practice_id, id)
);
CREATE INDEX hosts_practice ON hosts(practice_id);
CREATE INDEX hosts_inventory ON hosts(current_inventory_id);
CREATE TABLE credentials (
    hash TEXT PRIMARY KEY,
    host_id INTEGER NOT NULL REFERENCES hosts(id),
    practice_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER
);
CREATE INDEX credentials_host ON credentials(host_id);
CREATE TABLE uploads (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL,
    host_id INTEGER NOT NULL,
    upload_key TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    body BLOB,
    inventory_id INTEGER NOT NULL REFERENCES inventories(id),
    UNIQUE (host_id, upload_key),
    FOREIGN KEY (practice_id, host_id) REFERENCES hosts(practice_id, id)
);
CREATE INDEX uploads_practice ON uploads(practice_id, host_id);
CREATE TABLE packages (
    id INTEGER PRIMARY KEY,
    ecosystem TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (ecosystem, name)
);
CREATE TABLE package_versions (
    id INTEGER PRIMARY KEY,
    package_id INTEGER NOT NULL REFERENCES packages(id),
    version_key TEXT NOT NULL,
    sample TEXT NOT NULL,
    UNIQUE (package_id, version_key)
);
CREATE TABLE inventory_items (
    version_id INTEGER NOT NULL,
    inventory_id INTEGER NOT NULL,
    PRIMARY KEY (version_id, inventory_id)
) WITHOUT ROWID;
CREATE TABLE advisory_sets (
    version INTEGER PRIMARY KEY,
    set_id TEXT NOT NULL,
    bytes BLOB NOT NULL,
    signature TEXT NOT NULL,
    installed TEXT NOT NULL,
    imported_at INTEGER NOT NULL
);
CREATE TABLE assessments (
    host_id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL,
    upload_id INTEGER NOT NULL,
    set_version INTEGER NOT NULL,
    light TEXT NOT NULL,
    score INTEGER NOT NULL,
    findings TEXT NOT NULL,
    assessed_at INTEGER NOT NULL
);
CREATE INDEX assessments_practice ON assessments(practice_id);
CREATE TABLE impacts (
    advisory_id TEXT NOT NULL,
    host_id INTEGER NOT NULL,
    practice_id INTEGER NOT NULL,
    set_version INTEGER NOT NULL,
    found_at INTEGER NOT NULL,
    PRIMARY KEY (advisory_id, host_id)
);
CREATE INDEX impacts_practice ON impacts(practice_id);
CREATE TABLE admin_keys (
    hash TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
