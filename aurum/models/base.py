"""Pieces the Aurum Life tables share beyond config.db's: embeddings, soft delete, rules."""

from typing import Any

import pgtrigger
from django.db import models
from pgvector.django import VectorField

from config.embeddings import EMBEDDING_DIMENSIONS

SCHEMA = "aurum"
# The seed's default for every embedding_model column; rows embedded by another model are
# redone by the backfill, so this only labels vectors that were never made here.
SEED_EMBEDDING_MODEL = "text-embedding-3-small"


@models.TextField.register_lookup
class NotEqual(models.Lookup):
    """``field <> value``, as the seed writes partial-index predicates (Django's negation of
    ``=`` adds an ``IS NOT NULL`` the planner would have to see through)."""

    lookup_name = "ne"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} <> {rhs}", [*lhs_params, *rhs_params]


def vector() -> VectorField:
    return VectorField(dimensions=EMBEDDING_DIMENSIONS, blank=True, null=True, editable=False)


def embedding_model() -> models.TextField:
    return models.TextField(
        default=SEED_EMBEDDING_MODEL,
        db_default=SEED_EMBEDDING_MODEL,
        blank=True,
        null=True,
        editable=False,
    )


def embedding_updated_at() -> models.DateTimeField:
    return models.DateTimeField(blank=True, null=True, editable=False)


def archived() -> models.BooleanField:
    return models.BooleanField(default=False, db_default=False, editable=False)


def archived_at() -> models.DateTimeField:
    return models.DateTimeField(blank=True, null=True, editable=False)


def decimal_score(
    *, digits: int = 3, places: int = 2, default: float | None = None, **kwargs: object
) -> models.DecimalField:
    """``DECIMAL(digits, places)`` with the seed's default (``None``: nullable, no default)."""
    if default is None:
        return models.DecimalField(
            max_digits=digits, decimal_places=places, blank=True, null=True, **kwargs
        )
    return models.DecimalField(
        max_digits=digits,
        decimal_places=places,
        default=default,
        db_default=default,
        null=True,
        **kwargs,
    )


def between(table: str, field: str, low: float, high: float) -> models.CheckConstraint:
    """The seed's inline ``CHECK (field >= low AND field <= high)`` under PostgreSQL's name for
    it (``<table>_<field>_check``); NULL passes."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": low, f"{field}__lte": high})
        | models.Q(**{f"{field}__isnull": True}),
        name=f"{table}_{field}_check",
    )


def one_of(table: str, field: str, choices: type[models.TextChoices]) -> models.CheckConstraint:
    """The seed's inline ``CHECK (field IN (...))`` under PostgreSQL's name for it."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": choices.values})
        | models.Q(**{f"{field}__isnull": True}),
        name=f"{table}_{field}_check",
    )


def before_write(table: str) -> pgtrigger.Trigger:
    """``<table>_before_write``: the row rules of ``aurum.<table>_before_write(NEW, OLD)``
    (``aurum/sql/``), which returns the row to store."""
    return pgtrigger.Trigger(
        name="before_write",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update,
        func=f"RETURN {SCHEMA}.{table}_before_write(NEW, OLD);",
    )


def audited() -> pgtrigger.Trigger:
    """Append create, update, archive, restore and delete of the row to ``audit_log``."""
    return pgtrigger.Trigger(
        name="audit",
        when=pgtrigger.After,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        func=f"PERFORM {SCHEMA}.audit_write(TG_OP, TG_TABLE_NAME, to_jsonb(OLD), to_jsonb(NEW)); "
        "RETURN NULL;",
    )


def after_write(table: str) -> pgtrigger.Trigger:
    """``<table>_after_write``: what other rows follow from a change of this one
    (``aurum.<table>_after_write(TG_OP, OLD, NEW)`` in ``aurum/sql/``)."""
    return pgtrigger.Trigger(
        name="after_write",
        when=pgtrigger.After,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        func=f"PERFORM {SCHEMA}.{table}_after_write(TG_OP, OLD, NEW); RETURN NULL;",
    )
