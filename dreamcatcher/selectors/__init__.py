"""Dreamcatcher read queries (querysets, reports, cached summaries), one module per domain."""
