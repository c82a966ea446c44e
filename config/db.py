"""Database building blocks every app's models and migrations share."""

from __future__ import annotations

import pgtrigger
from django.db import migrations


def schema_table(schema: str, table: str) -> str:
    """A ``db_table`` value that puts ``table`` in Postgres schema ``schema``."""
    return f'{schema}"."{table}'


def create_schema(schema: str) -> migrations.RunSQL:
    """The migration operation that creates an app's own Postgres schema (reversible)."""
    return migrations.RunSQL(
        sql=f'CREATE SCHEMA IF NOT EXISTS "{schema}"',
        reverse_sql=f'DROP SCHEMA IF EXISTS "{schema}"',
    )


def stamp_updated_at(field: str = "updated_at") -> pgtrigger.Trigger:
    """A trigger that sets ``field`` to ``now()`` on every UPDATE, whoever the writer is."""
    return pgtrigger.Trigger(
        name=f"stamp_{field}",
        when=pgtrigger.Before,
        operation=pgtrigger.Update,
        func=f"NEW.{field} = now(); RETURN NEW;",
    )
