-- Web pages, round three (issue 14, crates/web): optional TOTP (RFC 6238). PostgreSQL
-- dialect; keep in step with ../sqlite/0101_web_totp.sql. The secret is never shown again
-- after enrolment and never logged; totp_last_step refuses a code's replay within its window.
ALTER TABLE web_users ADD COLUMN totp_secret TEXT;
ALTER TABLE web_users ADD COLUMN totp_pending TEXT;
ALTER TABLE web_users ADD COLUMN totp_last_step BIGINT;
-- A password check passed, the code is still due: the challenge lives in a cookie, its
-- SHA-256 here, for a few minutes.
CREATE TABLE web_login_challenges (
    hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES web_users(id),
    expires_at BIGINT NOT NULL
);
CREATE INDEX web_login_challenges_user ON web_login_challenges(user_id);
