"""Database plumbing every app shares, applied by migrations and read by the health page.

- ``on_delete``: ON DELETE rules in the database from each foreign key's ``on_delete``
  (``ApplyOnDeleteRules``, last in an app's migrations) and the drift check.
- ``policies``: row-level security (role, grants, one owner policy per table) and the
  tables that have it.
- ``matviews``: materialized-view refresh with recorded freshness.
- ``partitions``: monthly range partitions (create ahead, list, detach and drop, archive).
- ``health``: the sections of the staff "database health" page.

Model-level helpers (``db_table`` in a schema, triggers, SQL files) stay in ``config.db``.
"""

from __future__ import annotations

import re

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_$]*")


def quote_qualified(name: str) -> str:
    """``"schema"."table"`` for ``schema.table`` (or ``"table"``); names come from code, and
    anything but plain lower-case identifiers is refused rather than escaped."""
    parts = name.split(".")
    if len(parts) > 2 or not all(_IDENTIFIER.fullmatch(part) for part in parts):
        raise ValueError(f"not a plain (schema.)table name: {name!r}")
    return ".".join(f'"{part}"' for part in parts)


def split_qualified(name: str) -> tuple[str, str]:
    """``(schema, table)`` of ``schema.table``; a bare name is in ``public``."""
    schema, _, table = name.rpartition(".")
    return schema or "public", table


def table_name(db_table: str) -> str:
    """``schema.table`` of a model's ``db_table`` (``'app"."table'`` or a bare ``'table'``)."""
    schema, table = split_qualified(db_table.replace('"', ""))
    return f"{schema}.{table}"
