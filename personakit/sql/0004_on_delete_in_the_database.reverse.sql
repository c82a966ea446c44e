DO $$
DECLARE
    fk RECORD;
BEGIN
    FOR fk IN
        SELECT c.conname, c.conrelid::regclass AS tbl, pg_get_constraintdef(c.oid) AS def
        FROM pg_constraint c
        WHERE c.contype = 'f'
          AND c.connamespace = 'personakit'::regnamespace
          AND c.confdeltype IN ('c', 'n')
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.tbl, fk.conname);
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.tbl, fk.conname,
                       replace(replace(fk.def, ' ON DELETE CASCADE', ''),
                               ' ON DELETE SET NULL', ''));
    END LOOP;
END
$$;
