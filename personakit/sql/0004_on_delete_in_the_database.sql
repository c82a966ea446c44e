-- Django creates foreign keys without a database-level ON DELETE (it acts in Python); these
-- make every writer, raw SQL included, get the seed's cascades. Authorship references
-- (created_by) and the generating mapper (mapper_id) are set to NULL instead, as the models say.
DO $$
DECLARE
    fk RECORD;
BEGIN
    FOR fk IN
        SELECT c.conname, c.conrelid::regclass AS tbl, pg_get_constraintdef(c.oid) AS def,
               a.attname AS col
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f'
          AND c.connamespace = 'personakit'::regnamespace
          AND c.confdeltype = 'a'
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.tbl, fk.conname);
        EXECUTE format(
            'ALTER TABLE %s ADD CONSTRAINT %I %s', fk.tbl, fk.conname,
            replace(fk.def, ' DEFERRABLE',
                    CASE WHEN fk.col IN ('created_by', 'mapper_id')
                         THEN ' ON DELETE SET NULL DEFERRABLE'
                         ELSE ' ON DELETE CASCADE DEFERRABLE' END));
    END LOOP;
END
$$;
