-- Row-level security also binds the tables' owner (the service's role owns its tables):
-- without FORCE, the owner bypasses the policies of 0001 and they protect nothing.
-- The service's connections default to `app.bypass = on` for association-wide work;
-- the practice-facing reads switch it off and set `app.practice_id` per transaction
-- (db::Db::tenant_read). A superuser always bypasses RLS: run the service as an ordinary
-- role that owns its database.
ALTER TABLE hosts FORCE ROW LEVEL SECURITY;
ALTER TABLE uploads FORCE ROW LEVEL SECURITY;
ALTER TABLE assessments FORCE ROW LEVEL SECURITY;
ALTER TABLE impacts FORCE ROW LEVEL SECURITY;
