-- The seed's slow-query query reads pg_stat_statements' total_time and mean_time, which
-- PostgreSQL 13 renamed total_exec_time and mean_exec_time. On search_path
-- "dreamshot, public" this view answers under the seed's names, so the query runs unchanged.
-- Where the extension is missing or not in shared_preload_libraries (a server we do not
-- control), it answers no rows rather than an error; the health page says why.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_stat_statements WITH SCHEMA public;
EXCEPTION WHEN undefined_file OR feature_not_supported OR insufficient_privilege THEN
    RAISE NOTICE 'pg_stat_statements is not available here: %', SQLERRM;
END
$$;

CREATE OR REPLACE FUNCTION "dreamshot".pg_stat_statements_loaded() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_stat_statements')
       AND 'pg_stat_statements' = ANY (
           string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')
       )
$$;

CREATE OR REPLACE FUNCTION "dreamshot".pg_stat_statements_compat()
RETURNS TABLE (
    userid oid, dbid oid, queryid bigint, query text, calls bigint,
    total_time double precision, mean_time double precision,
    min_time double precision, max_time double precision, rows bigint,
    shared_blks_hit bigint, shared_blks_read bigint
)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    extension_schema text;
BEGIN
    IF NOT "dreamshot".pg_stat_statements_loaded() THEN
        RETURN;
    END IF;
    SELECT n.nspname INTO extension_schema
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_stat_statements';
    RETURN QUERY EXECUTE format(
        'SELECT s.userid, s.dbid, s.queryid, s.query, s.calls, s.total_exec_time, '
        's.mean_exec_time, s.min_exec_time, s.max_exec_time, s.rows, s.shared_blks_hit, '
        's.shared_blks_read FROM %I.pg_stat_statements s', extension_schema);
EXCEPTION WHEN object_not_in_prerequisite_state THEN
    RETURN;  -- loaded after all? only once the server restarts with it
END
$$;

CREATE OR REPLACE VIEW "dreamshot".pg_stat_statements AS
SELECT * FROM "dreamshot".pg_stat_statements_compat();

-- Query texts of every user: staff read them through the admin, never the API's role.
REVOKE ALL ON "dreamshot".pg_stat_statements FROM authenticated;
REVOKE ALL ON FUNCTION "dreamshot".pg_stat_statements_compat() FROM PUBLIC, authenticated;
