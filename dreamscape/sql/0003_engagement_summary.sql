-- The seed's materialized view, unchanged; the unique index lets beat refresh it CONCURRENTLY.
CREATE MATERIALIZED VIEW "dreamscape"."user_engagement_summary" AS
SELECT
    user_id,
    COUNT(*) as total_actions,
    COUNT(DISTINCT item_id) as unique_items,
    AVG(duration_seconds) as avg_session_duration,
    COUNT(DISTINCT DATE(created_at)) as active_days,
    MAX(created_at) as last_activity
FROM "dreamscape"."user_behaviors"
WHERE created_at >= NOW() - INTERVAL '90 days'
GROUP BY user_id;

CREATE UNIQUE INDEX idx_user_engagement_summary_user_id
    ON "dreamscape"."user_engagement_summary" (user_id);
