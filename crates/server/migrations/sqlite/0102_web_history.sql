-- Web pages, round three (issue 14, crates/web): what the pages show is recorded when hosts
-- are assessed (upload or re-evaluation), never on a page view. SQLite dialect; keep in
-- step with ../postgres/0102_web_history.sql.
-- When each host became and stopped being affected by an advisory (OSV or rule id), from
-- its stored assessments: one row per episode, fixed_at NULL while it lasts.
CREATE TABLE web_advisory_hosts (
    advisory_id TEXT NOT NULL,
    host_id INTEGER NOT NULL,
    practice_id INTEGER NOT NULL,
    since INTEGER NOT NULL,
    fixed_at INTEGER,
    PRIMARY KEY (advisory_id, host_id, since)
);
CREATE INDEX web_advisory_hosts_open ON web_advisory_hosts(host_id) WHERE fixed_at IS NULL;
CREATE INDEX web_advisory_hosts_practice ON web_advisory_hosts(advisory_id, practice_id);
-- Hosts already found by re-evaluations are affected since then.
INSERT INTO web_advisory_hosts (advisory_id, host_id, practice_id, since, fixed_at)
SELECT advisory_id, host_id, practice_id, found_at, NULL FROM impacts;
-- The practice's light, score and open findings with its accepted risks (as its page shows
-- them), for the fleet view. Valid while no host was assessed after evaluated_at and until
-- the earliest expiry of the risks it counted (risks_until, YYYY-MM-DD); past that the
-- fleet falls back to the hosts' own lights.
CREATE TABLE web_practice_status (
    practice_id INTEGER PRIMARY KEY REFERENCES practices(id),
    light_w INTEGER NOT NULL CHECK (light_w IN (1, 2, 3)),
    score INTEGER NOT NULL,
    open_findings INTEGER NOT NULL,
    risks_until TEXT,
    evaluated_at INTEGER NOT NULL
);
