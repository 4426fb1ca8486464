-- Outbox claims (issue 13, round three), PostgreSQL dialect. Keep in step with
-- ../sqlite/0005_outbox_claim.sql. Several instances on one database share the outbox: a
-- dispatcher claims due rows (claimed_by = its instance id, claimed_until = a lease) in one
-- UPDATE … RETURNING before sending, so no row is sent by two instances; a crashed
-- instance's claims expire with the lease.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT;
