DROP VIEW IF EXISTS "dreamshot".pg_stat_statements;
DROP FUNCTION IF EXISTS "dreamshot".pg_stat_statements_compat();
DROP FUNCTION IF EXISTS "dreamshot".pg_stat_statements_loaded();
