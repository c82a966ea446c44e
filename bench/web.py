"""Cases users feel through the web: list pages, key auth, row-level security, the admin."""

ALL: list = []
