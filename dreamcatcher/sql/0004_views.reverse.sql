DROP FUNCTION IF EXISTS dreamcatcher.refresh_dream_statistics();
DROP MATERIALIZED VIEW IF EXISTS dreamcatcher.dream_statistics;
DROP VIEW IF EXISTS dreamcatcher.user_activity;
DROP VIEW IF EXISTS dreamcatcher.dream_summary;
