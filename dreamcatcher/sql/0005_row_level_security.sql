-- Row-level security (the seed's policies). API requests run as role "authenticated" with
-- app.current_user_id set in their transaction (config.db.rls); the admin and Celery connect
-- as the tables' owner, which these policies do not bind. users.id is a uuid here, so the
-- setting is compared as one; an unset setting matches nothing.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN
        CREATE ROLE authenticated NOLOGIN;
    END IF;
END
$$;
GRANT authenticated TO CURRENT_USER;  -- so the application may SET ROLE to it

GRANT USAGE ON SCHEMA dreamcatcher TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA dreamcatcher TO authenticated;
GRANT SELECT ON dreamcatcher.dream_statistics TO authenticated;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA dreamcatcher TO authenticated;
GRANT SELECT ON public.users TO authenticated;
ALTER DEFAULT PRIVILEGES IN SCHEMA dreamcatcher
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO authenticated;

ALTER TABLE dreamcatcher.dreams ENABLE ROW LEVEL SECURITY;
ALTER TABLE dreamcatcher.fragments ENABLE ROW LEVEL SECURITY;
ALTER TABLE dreamcatcher.implementations ENABLE ROW LEVEL SECURITY;
ALTER TABLE dreamcatcher.sync_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE dreamcatcher.documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE dreamcatcher.todos ENABLE ROW LEVEL SECURITY;

CREATE POLICY dreams_user_policy ON dreamcatcher.dreams
    FOR ALL TO authenticated
    USING (user_id = NULLIF(current_setting('app.current_user_id', true), '')::uuid);

CREATE POLICY fragments_user_policy ON dreamcatcher.fragments
    FOR ALL TO authenticated
    USING (user_id = NULLIF(current_setting('app.current_user_id', true), '')::uuid);

CREATE POLICY implementations_user_policy ON dreamcatcher.implementations
    FOR ALL TO authenticated
    USING (user_id = NULLIF(current_setting('app.current_user_id', true), '')::uuid);

CREATE POLICY sync_sessions_user_policy ON dreamcatcher.sync_sessions
    FOR ALL TO authenticated
    USING (user_id = NULLIF(current_setting('app.current_user_id', true), '')::uuid);

CREATE POLICY documents_user_policy ON dreamcatcher.documents
    FOR ALL TO authenticated
    USING (user_id = NULLIF(current_setting('app.current_user_id', true), '')::uuid);

CREATE POLICY todos_user_policy ON dreamcatcher.todos
    FOR ALL TO authenticated
    USING (user_id = NULLIF(current_setting('app.current_user_id', true), '')::uuid);
