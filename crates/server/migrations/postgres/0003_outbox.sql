-- Notification outbox (issue 13, round two), PostgreSQL dialect. Keep in step with
-- ../sqlite/0003_outbox.sql. Rows are written in the same transaction as the impact
-- rows of a re-evaluation, so an acknowledged re-evaluation is never lost; the
-- dispatcher (notify.rs) delivers them with bounded retries.
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('email', 'webhook')),
    practice_id BIGINT REFERENCES practices(id),
    set_version BIGINT NOT NULL,
    payload TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_at BIGINT NOT NULL,
    sent_at BIGINT,
    failed_at BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX outbox_pending ON outbox(next_at) WHERE sent_at IS NULL AND failed_at IS NULL;
