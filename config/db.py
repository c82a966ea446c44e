"""Database building blocks every app's models and migrations share."""

from __future__ import annotations

import uuid
from pathlib import Path

import pgtrigger
from django.conf import settings
from django.contrib.postgres.functions import RandomUUID
from django.db import migrations, models
from django.db.models.functions import Now
from django.utils import timezone


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
    """A trigger that stamps ``field`` on every UPDATE, whoever the writer is.

    ``statement_timestamp()``, not ``now()``: the transaction's start would come before a
    ``created`` stamped earlier in the same transaction.
    """
    return pgtrigger.Trigger(
        name=f"stamp_{field}",
        when=pgtrigger.Before,
        operation=pgtrigger.Update,
        func=f"NEW.{field} = statement_timestamp(); RETURN NEW;",
    )


def choices_check(
    field: str, choices: type[models.TextChoices], name: str
) -> models.CheckConstraint:
    """A CHECK keeping ``field`` within ``choices`` (NULL passes where the column allows it)."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": choices.values}), name=name)


class RandomTextId(models.Func):
    """``gen_random_uuid()::text``: the database default of the seeds' string primary keys."""

    template = "gen_random_uuid()::text"
    output_field = models.CharField()


def new_text_id() -> str:
    """The same kind of id, made in Python, so a model instance knows its id before saving."""
    import uuid

    return str(uuid.uuid4())


def run_sql_file(app_dir: str | Path, name: str) -> migrations.RunSQL:
    """A reversible ``RunSQL`` from ``<app>/sql/<name>.sql`` and ``<app>/sql/<name>.reverse.sql``.

    The files are read when the migration module loads; once a migration has landed, change
    behaviour by adding a new SQL file and migration, never by editing the old file.
    """
    sql_dir = Path(app_dir) / "sql"
    return migrations.RunSQL(
        sql=(sql_dir / f"{name}.sql").read_text(),
        reverse_sql=(sql_dir / f"{name}.reverse.sql").read_text(),
    )


# --- Columns every app's tables share ------------------------------------------------------


def uuid_id() -> models.UUIDField:
    """``id UUID PRIMARY KEY DEFAULT gen_random_uuid()``."""
    return models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())


def owner(related_name: str) -> models.ForeignKey:
    """``user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE``: the account owning
    the row (indexed by the model, under the seed's index name)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name=related_name,
        db_index=False,
        editable=False,
    )


def created_at() -> models.DateTimeField:
    return models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)


def updated_at() -> models.DateTimeField:
    """Kept by the ``stamp_updated_at`` trigger on every UPDATE."""
    return models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
