-- Web pages (issue 14, crates/web), SQLite dialect. Keep in step with ../postgres/0100_web.sql.
CREATE TABLE web_users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('association-admin', 'practice-admin', 'practice-staff')),
    practice_id INTEGER REFERENCES practices(id),
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    disabled_at INTEGER
);
CREATE TABLE web_sessions (
    hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES web_users(id),
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions(user_id);
CREATE TABLE web_login_failures (
    email TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX web_login_failures_email ON web_login_failures(email, at);
CREATE INDEX web_login_failures_at ON web_login_failures(at);
CREATE TABLE web_accepted_risks (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    rule_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    expires TEXT NOT NULL,
    accepted_by TEXT NOT NULL,
    accepted_at INTEGER NOT NULL
);
CREATE INDEX web_accepted_risks_practice ON web_accepted_risks(practice_id);
CREATE TABLE web_grants (
    practice_id INTEGER PRIMARY KEY REFERENCES practices(id),
    granted_by TEXT NOT NULL,
    granted_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE TABLE web_trend (
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    day TEXT NOT NULL,
    score INTEGER NOT NULL,
    open_findings INTEGER NOT NULL,
    PRIMARY KEY (practice_id, day)
);
CREATE INDEX hosts_last_seen ON hosts(last_seen_at);
CREATE INDEX assessments_light ON assessments(light);
