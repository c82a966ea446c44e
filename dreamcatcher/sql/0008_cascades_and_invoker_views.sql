-- Django creates foreign keys without a database-level ON DELETE (it cascades in Python); the
-- seed's "ON DELETE CASCADE" must hold for every writer, raw SQL included. Owners cascade too:
-- deleting an account deletes its dreams. dreams.brand stays a plain (protecting) reference.
DO $$
DECLARE
    fk RECORD;
BEGIN
    FOR fk IN
        SELECT c.conname, c.conrelid::regclass AS tbl, pg_get_constraintdef(c.oid) AS def
        FROM pg_constraint c
        WHERE c.contype = 'f'
          AND c.connamespace = 'dreamcatcher'::regnamespace
          AND c.confdeltype <> 'c'
          AND NOT (c.conrelid = 'dreamcatcher.dreams'::regclass
                   AND c.confrelid = 'dreamcatcher.brands'::regclass)
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.tbl, fk.conname);
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.tbl, fk.conname,
                       replace(fk.def, ' DEFERRABLE', ' ON DELETE CASCADE DEFERRABLE'));
    END LOOP;
END
$$;

-- The views read as their caller, so row-level security applies through them too.
ALTER VIEW dreamcatcher.dream_summary SET (security_invoker = true);
ALTER VIEW dreamcatcher.user_activity SET (security_invoker = true);
