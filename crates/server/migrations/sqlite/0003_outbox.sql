-- Notification outbox (issue 13, round two), SQLite dialect. Keep in step with
-- ../postgres/0003_outbox.sql. Rows are written in the same transaction as the impact
-- rows of a re-evaluation, so an acknowledged re-evaluation is never lost; the
-- dispatcher (notify.rs) delivers them with bounded retries.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('email', 'webhook')),
    practice_id INTEGER REFERENCES practices(id),
    set_version INTEGER NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL,
    sent_at INTEGER,
    failed_at INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX outbox_pending ON outbox(next_at) WHERE sent_at IS NULL AND failed_at IS NULL;
