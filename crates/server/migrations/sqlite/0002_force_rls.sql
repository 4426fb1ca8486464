-- Version 2 is PostgreSQL's FORCE ROW LEVEL SECURITY; SQLite has no row-level security
-- (the application's tenant check is the only line there). Kept so both sets share
-- their version numbers.
SELECT 1;
