-- The seed's ALTERs name each owner foreign key fk_<table>_user_id; Django named them itself.
DO $$
DECLARE fk record;
BEGIN
    FOR fk IN
        SELECT c.conname, t.relname
        FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
        WHERE c.contype = 'f' AND c.conparentid = 0
          AND t.relnamespace = 'dreamscape'::regnamespace
          AND t.relname IN ('user_personas', 'learning_profiles', 'tag_clusters',
                            'dreamscape_suggestions')
          AND c.conname <> 'fk_' || t.relname || '_user_id'
    LOOP
        EXECUTE format('ALTER TABLE "dreamscape".%I RENAME CONSTRAINT %I TO %I',
                       fk.relname, fk.conname, 'fk_' || fk.relname || '_user_id');
    END LOOP;
END
$$;
