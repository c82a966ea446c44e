DROP MATERIALIZED VIEW IF EXISTS "dreamscape"."user_engagement_summary";
