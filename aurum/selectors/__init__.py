"""Aurum Life read queries, one module per domain."""
