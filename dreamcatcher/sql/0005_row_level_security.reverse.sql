DROP POLICY IF EXISTS todos_user_policy ON dreamcatcher.todos;
DROP POLICY IF EXISTS documents_user_policy ON dreamcatcher.documents;
DROP POLICY IF EXISTS sync_sessions_user_policy ON dreamcatcher.sync_sessions;
DROP POLICY IF EXISTS implementations_user_policy ON dreamcatcher.implementations;
DROP POLICY IF EXISTS fragments_user_policy ON dreamcatcher.fragments;
DROP POLICY IF EXISTS dreams_user_policy ON dreamcatcher.dreams;
ALTER TABLE dreamcatcher.todos DISABLE ROW LEVEL SECURITY;
ALTER TABLE dreamcatcher.documents DISABLE ROW LEVEL SECURITY;
ALTER TABLE dreamcatcher.sync_sessions DISABLE ROW LEVEL SECURITY;
ALTER TABLE dreamcatcher.implementations DISABLE ROW LEVEL SECURITY;
ALTER TABLE dreamcatcher.fragments DISABLE ROW LEVEL SECURITY;
ALTER TABLE dreamcatcher.dreams DISABLE ROW LEVEL SECURITY;
ALTER DEFAULT PRIVILEGES IN SCHEMA dreamcatcher
    REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM authenticated;
REVOKE ALL ON public.users FROM authenticated;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA dreamcatcher FROM authenticated;
REVOKE ALL ON ALL TABLES IN SCHEMA dreamcatcher FROM authenticated;
REVOKE USAGE ON SCHEMA dreamcatcher FROM authenticated;
