"""PersonaKit read queries (querysets, reports, search), one module per domain."""
