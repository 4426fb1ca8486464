-- A practice's own webhook (issue 13, round four), PostgreSQL dialect. Keep in step with
-- ../sqlite/0006_practice_webhook.sql. The practice's webhook_url gets its own
-- affected hosts (outbox rows of kind 'webhook' with its practice_id), signed with this
-- secret. It is kept readable because the server signs with it (a hash cannot sign); it
-- is shown once when set and replaced each time the webhook is set.
ALTER TABLE practices ADD COLUMN webhook_secret TEXT;
