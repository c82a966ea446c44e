-- Functions behind Dreamcatcher's triggers, views and scheduled work. Each runs with its own
-- search_path so the seed's unqualified table names resolve whoever calls it.

-- The dream's JSONB arrays mirror its rows: tags = tag ids, todos / documents = row ids.
CREATE OR REPLACE FUNCTION dreamcatcher.refresh_dream_arrays(p_dream_id VARCHAR(255))
RETURNS VOID AS $$
BEGIN
    UPDATE dreams d SET
        tags = COALESCE((SELECT jsonb_agg(dt.tag_id ORDER BY dt.created_at, dt.tag_id)
                         FROM dream_tags dt WHERE dt.dream_id = d.id), '[]'::jsonb),
        todos = COALESCE((SELECT jsonb_agg(t.id ORDER BY t.created_at, t.id)
                          FROM todos t WHERE t.dream_id = d.id), '[]'::jsonb),
        documents = COALESCE((SELECT jsonb_agg(doc.id ORDER BY doc.upload_date, doc.id)
                              FROM documents doc WHERE doc.dream_id = d.id), '[]'::jsonb)
    WHERE d.id = p_dream_id;
END;
$$ LANGUAGE plpgsql SET search_path = dreamcatcher, public;

CREATE OR REPLACE FUNCTION dreamcatcher.get_sync_status(user_id_param VARCHAR(255))
RETURNS TABLE (
    total_dreams BIGINT,
    synced_dreams BIGINT,
    unsynced_dreams BIGINT,
    last_sync TIMESTAMP WITH TIME ZONE
) AS $$
BEGIN
    RETURN QUERY
    SELECT
        COUNT(*) as total_dreams,
        COUNT(CASE WHEN d.synced_with_pipelineos THEN 1 END) as synced_dreams,
        COUNT(CASE WHEN NOT d.synced_with_pipelineos THEN 1 END) as unsynced_dreams,
        MAX(d.synced_at) as last_sync
    FROM dreams d
    WHERE d.user_id = user_id_param::uuid;  -- users.id is a uuid here
END;
$$ LANGUAGE plpgsql STABLE SET search_path = dreamcatcher, public;

CREATE OR REPLACE FUNCTION dreamcatcher.get_dream_statistics(dream_id_param VARCHAR(255))
RETURNS TABLE (
    fragment_count BIGINT,
    todo_count BIGINT,
    completed_todos BIGINT,
    document_count BIGINT,
    completion_percentage NUMERIC
) AS $$
BEGIN
    -- Counted per table: the seed's joins multiply rows (3 fragments x 2 todos = 6 "todos").
    RETURN QUERY
    SELECT
        (SELECT COUNT(*) FROM fragments f WHERE f.dream_id = d.id) AS fragment_count,
        (SELECT COUNT(*) FROM todos t WHERE t.dream_id = d.id) AS todo_count,
        (SELECT COUNT(*) FROM todos t WHERE t.dream_id = d.id AND t.status = 'completed')
            AS completed_todos,
        (SELECT COUNT(*) FROM documents doc WHERE doc.dream_id = d.id) AS document_count,
        COALESCE((SELECT ROUND(COUNT(*) FILTER (WHERE t.status = 'completed')::NUMERIC
                               / NULLIF(COUNT(*), 0) * 100, 2)
                  FROM todos t WHERE t.dream_id = d.id), 0) AS completion_percentage
    FROM dreams d
    WHERE d.id = dream_id_param;
END;
$$ LANGUAGE plpgsql STABLE SET search_path = dreamcatcher, public;

CREATE OR REPLACE FUNCTION dreamcatcher.set_current_user(user_id_param VARCHAR(255))
RETURNS VOID AS $$
BEGIN
    PERFORM set_config('app.current_user_id', user_id_param, true);
END;
$$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = dreamcatcher, public;

CREATE OR REPLACE FUNCTION dreamcatcher.get_user_dreams(user_id_param VARCHAR(255))
RETURNS TABLE (
    id VARCHAR(255),
    title VARCHAR(500),
    description TEXT,
    status VARCHAR(50),
    brand VARCHAR(100),
    created TIMESTAMP WITH TIME ZONE,
    updated TIMESTAMP WITH TIME ZONE
) AS $$
BEGIN
    RETURN QUERY
    SELECT d.id, d.title, d.description, d.status, d.brand::VARCHAR(100), d.created, d.updated
    FROM dreams d
    WHERE d.user_id = user_id_param::uuid
    ORDER BY d.updated DESC;
END;
$$ LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = dreamcatcher, public;

CREATE OR REPLACE FUNCTION dreamcatcher.cleanup_old_data()
RETURNS VOID AS $$
BEGIN
    -- Delete old sync sessions (older than 30 days)
    DELETE FROM sync_sessions
    WHERE started_at < NOW() - INTERVAL '30 days';

    -- Delete old implementations (older than 90 days)
    DELETE FROM implementations
    WHERE created_at < NOW() - INTERVAL '90 days'
    AND status = 'completed';

    -- Update statistics
    ANALYZE dreams;
    ANALYZE fragments;
    ANALYZE todos;
END;
$$ LANGUAGE plpgsql SET search_path = dreamcatcher, public;
