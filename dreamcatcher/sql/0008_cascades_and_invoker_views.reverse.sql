ALTER VIEW dreamcatcher.user_activity RESET (security_invoker);
ALTER VIEW dreamcatcher.dream_summary RESET (security_invoker);
DO $$
DECLARE
    fk RECORD;
BEGIN
    FOR fk IN
        SELECT c.conname, c.conrelid::regclass AS tbl, pg_get_constraintdef(c.oid) AS def
        FROM pg_constraint c
        WHERE c.contype = 'f'
          AND c.connamespace = 'dreamcatcher'::regnamespace
          AND c.confdeltype = 'c'
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.tbl, fk.conname);
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.tbl, fk.conname,
                       replace(fk.def, ' ON DELETE CASCADE', ''));
    END LOOP;
END
$$;
