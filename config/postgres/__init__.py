"""Django's PostgreSQL backend, aware of the per-app schemas.

Models name their tables ``'<schema>"."<table>'``. Django's introspection lists only the
tables on ``search_path`` and by bare name, so without this ``flush`` (run after every
transactional test) and ``migrate``'s table checks would not see the apps' tables.
"""
