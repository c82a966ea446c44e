"""Aurum Life writes and business rules, one module per domain."""
