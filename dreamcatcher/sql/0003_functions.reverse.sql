DROP FUNCTION IF EXISTS dreamcatcher.cleanup_old_data();
DROP FUNCTION IF EXISTS dreamcatcher.get_user_dreams(VARCHAR);
DROP FUNCTION IF EXISTS dreamcatcher.set_current_user(VARCHAR);
DROP FUNCTION IF EXISTS dreamcatcher.get_dream_statistics(VARCHAR);
DROP FUNCTION IF EXISTS dreamcatcher.get_sync_status(VARCHAR);
DROP FUNCTION IF EXISTS dreamcatcher.refresh_dream_arrays(VARCHAR);
