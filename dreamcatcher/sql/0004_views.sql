-- The seed's views and materialized view. Counts use DISTINCT ids: the seed's chain of
-- LEFT JOINs multiplies rows, so a dream with 3 fragments and 2 todos would report 6 todos.

CREATE VIEW dreamcatcher.dream_summary AS
SELECT
    d.id,
    d.title,
    d.description,
    d.status,
    d.brand,
    d.created,
    d.updated,
    d.synced_with_pipelineos,
    d.pipelineos_project_id,
    COUNT(DISTINCT f.id) as fragment_count,
    COUNT(DISTINCT t.id) as todo_count,
    COUNT(DISTINCT CASE WHEN t.status = 'completed' THEN t.id END) as completed_todos,
    COUNT(DISTINCT doc.id) as document_count,
    array_remove(array_agg(DISTINCT tag.name), NULL)::VARCHAR(100)[] as tag_names
FROM dreamcatcher.dreams d
LEFT JOIN dreamcatcher.fragments f ON d.id = f.dream_id
LEFT JOIN dreamcatcher.todos t ON d.id = t.dream_id
LEFT JOIN dreamcatcher.documents doc ON d.id = doc.dream_id
LEFT JOIN dreamcatcher.dream_tags dt ON d.id = dt.dream_id
LEFT JOIN dreamcatcher.tags tag ON dt.tag_id = tag.id
GROUP BY d.id, d.title, d.description, d.status, d.brand, d.created, d.updated,
         d.synced_with_pipelineos, d.pipelineos_project_id;

CREATE VIEW dreamcatcher.user_activity AS
SELECT
    u.id as user_id,
    u.username,
    u.email,
    COUNT(DISTINCT d.id) as total_dreams,
    COUNT(DISTINCT f.id) as total_fragments,
    COUNT(DISTINCT t.id) as total_todos,
    COUNT(DISTINCT CASE WHEN t.status = 'completed' THEN t.id END) as completed_todos,
    MAX(d.updated) as last_dream_update,
    MAX(f.date) as last_fragment_created,
    u.last_login
FROM public.users u
LEFT JOIN dreamcatcher.dreams d ON u.id = d.user_id
LEFT JOIN dreamcatcher.fragments f ON d.id = f.dream_id
LEFT JOIN dreamcatcher.todos t ON d.id = t.dream_id
GROUP BY u.id, u.username, u.email, u.last_login;

CREATE MATERIALIZED VIEW dreamcatcher.dream_statistics AS
SELECT
    d.id,
    d.title,
    d.status,
    d.brand,
    COUNT(DISTINCT f.id) as fragment_count,
    COUNT(DISTINCT t.id) as todo_count,
    COUNT(DISTINCT CASE WHEN t.status = 'completed' THEN t.id END) as completed_todos,
    COUNT(DISTINCT doc.id) as document_count,
    d.updated
FROM dreamcatcher.dreams d
LEFT JOIN dreamcatcher.fragments f ON d.id = f.dream_id
LEFT JOIN dreamcatcher.todos t ON d.id = t.dream_id
LEFT JOIN dreamcatcher.documents doc ON d.id = doc.dream_id
GROUP BY d.id, d.title, d.status, d.brand, d.updated;

-- Unique, so that REFRESH ... CONCURRENTLY works (readers are never blocked).
CREATE UNIQUE INDEX idx_dream_statistics_id ON dreamcatcher.dream_statistics(id);
CREATE INDEX idx_dream_statistics_status ON dreamcatcher.dream_statistics(status);
CREATE INDEX idx_dream_statistics_brand ON dreamcatcher.dream_statistics(brand);

CREATE OR REPLACE FUNCTION dreamcatcher.refresh_dream_statistics()
RETURNS VOID AS $$
DECLARE
    started TIMESTAMP WITH TIME ZONE := clock_timestamp();
BEGIN
    REFRESH MATERIALIZED VIEW CONCURRENTLY dream_statistics;
    INSERT INTO public.materialized_view_refreshes (view_name, refreshed_at, duration_ms)
    VALUES ('dreamcatcher.dream_statistics', now(),
            (EXTRACT(EPOCH FROM clock_timestamp() - started) * 1000)::INTEGER)
    ON CONFLICT (view_name) DO UPDATE
        SET refreshed_at = EXCLUDED.refreshed_at, duration_ms = EXCLUDED.duration_ms;
END;
$$ LANGUAGE plpgsql SET search_path = dreamcatcher, public;
