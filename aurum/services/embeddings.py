"""Aurum's embedding columns: what each vector is made from, for the platform backfill, the
dashboard's coverage card and the admin's re-embed action."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce, Concat

from config.embeddings.backfill import embed_queryset
from config.registries import EmbeddingColumn


def _name_and_description() -> Concat:
    return Concat(
        "name",
        Value(". "),
        Coalesce("description", Value(""), output_field=models.TextField()),
        output_field=models.TextField(),
    )


def _column(model: str, table: str, vector: str, text: Any) -> EmbeddingColumn:
    return EmbeddingColumn(
        name=f"aurum.{table}.{vector}",
        model=f"aurum.{model}",
        text_field=text,
        vector_field=vector,
        embedded_at_field="embedding_updated_at",
        order=300,
    )


EMBEDDING_COLUMNS = [
    _column("Pillar", "pillars", "combined_embedding", _name_and_description()),
    _column("Area", "areas", "combined_embedding", _name_and_description()),
    _column("Project", "projects", "combined_embedding", _name_and_description()),
    _column("Task", "tasks", "name_embedding", "name"),
    _column("Task", "tasks", "description_embedding", "description"),
    _column("JournalEntry", "journal_entries", "content_embedding", "content"),
    _column("JournalEntry", "journal_entries", "title_embedding", "title"),
    _column("DailyReflection", "daily_reflections", "reflection_embedding", "reflection_text"),
    _column(
        "DailyReflection", "daily_reflections", "accomplishment_embedding", "biggest_accomplishment"
    ),
    _column("DailyReflection", "daily_reflections", "challenges_embedding", "challenges_faced"),
    _column("ConversationMemory", "ai_conversation_memory", "message_embedding", "message_content"),
]


def columns_of(model: type[models.Model]) -> list[EmbeddingColumn]:
    """The embedding columns of ``model``'s table."""
    label = model._meta.label
    return [column for column in EMBEDDING_COLUMNS if column.model == label]


def rows_reembed(*, rows: Iterable[models.Model]) -> int:
    """Embed these rows' vectors again now (all of their columns); returns vectors written."""
    by_model: dict[type[models.Model], list[Any]] = {}
    for row in rows:
        by_model.setdefault(type(row), []).append(row.pk)
    written = 0
    for model, pks in by_model.items():
        for column in columns_of(model):
            model.objects.filter(pk__in=pks).update(**{column.vector_field: None})
            written += embed_queryset(
                apps.get_model(column.model).objects.filter(pk__in=pks),
                text_field=column.text_field,
                vector_field=column.vector_field,
                model_field=column.model_field,
                embedded_at_field=column.embedded_at_field,
            )
    return written
