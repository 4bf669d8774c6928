-- The audit log's times come from the program's clock (caseload_now()) instead of SQLite's:
-- nothing to change in the tables; the triggers are made again after every migration.
SELECT 1;
