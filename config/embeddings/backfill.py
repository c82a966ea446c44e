"""Keep embedding columns filled with the current provider's vectors, in restartable batches.

A row needs embedding when its vector is null or its ``embedding_model`` is not the provider's
``model_name`` (a new model makes every old vector stale). Rows are walked in primary-key order
with keyset pagination, each batch committed on its own, so an interrupted run loses at most one
batch and the next run carries on where work remains. Rows whose text is empty are skipped, and
so is a row whose text the provider refuses (too long for the model, say), with a warning,
so that one row cannot wedge a whole column.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.apps import apps
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from config.embeddings import (
    EMBEDDING_DIMENSIONS,
    EmbeddingInputError,
    EmbeddingProvider,
    get_provider,
)
from config.registries import EmbeddingColumn, TextSource, embedding_columns

__all__ = [
    "backfill_all",
    "embed_queryset",
    "pending_counts",
    "pending_embeddings",
    "registered_columns",
]

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
ColumnProgress = Callable[[str, int, int], None]


TEXT = "_embedding_text"  # the annotation carrying the text to embed


def with_text(queryset: models.QuerySet, text_field: TextSource) -> models.QuerySet:
    """``queryset`` annotated with the text to embed: a field name or an expression."""
    return queryset.annotate(**{TEXT: F(text_field) if isinstance(text_field, str) else text_field})


def pending_embeddings(
    queryset: models.QuerySet,
    *,
    text_field: TextSource,
    model_name: str,
    vector_field: str = "embedding",
    model_field: str = "embedding_model",
) -> models.QuerySet:
    """Rows of ``queryset`` with text whose vector is missing or not from ``model_name``."""
    stale = (
        Q(**{f"{vector_field}__isnull": True})
        | Q(**{f"{model_field}__isnull": True})
        | ~Q(**{model_field: model_name})
    )
    return (
        with_text(queryset.filter(stale), text_field)
        .exclude(**{f"{TEXT}__isnull": True})
        .exclude(**{f"{TEXT}__regex": r"^\s*$"})
    )


def embed_queryset(
    queryset: models.QuerySet,
    *,
    text_field: TextSource,
    vector_field: str = "embedding",
    model_field: str = "embedding_model",
    embedded_at_field: str | None = None,
    provider: EmbeddingProvider | None = None,
    batch_size: int = 256,
    progress: Progress | None = None,
) -> int:
    """(Re-)embed the rows of ``queryset`` whose vector is missing or stale; returns how many.

    Rows are read ``batch_size`` at a time by primary key and written with ``bulk_update``, one
    transaction per batch. Only rows that were pending when the run started are visited, so a
    table that keeps growing still ends the run. ``progress(done, total)`` is called after each
    batch with the rows visited so far (embedded or skipped) out of those pending at the start.
    A row whose text changed while its batch was being embedded is left for the next run; one
    whose text the provider refuses (``EmbeddingInputError``) is logged and left unembedded.
    Any other ``EmbeddingError`` stops the run; the batches written so far stay.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    provider = provider or get_provider()
    pending = pending_embeddings(
        queryset.order_by(),
        text_field=text_field,
        model_name=provider.model_name,
        vector_field=vector_field,
        model_field=model_field,
    )
    total = pending.count()
    if not total:
        return 0
    # ORDER BY … LIMIT 1 rather than MAX(), which PostgreSQL lacks for uuid keys.
    last_pk = pending.order_by("-pk").values_list("pk", flat=True).first()

    fields = _Fields(
        text=text_field, vector=vector_field, model=model_field, embedded_at=embedded_at_field
    )
    pending = pending.filter(pk__lte=last_pk)
    done = embedded = 0
    after: Any = None
    while True:
        page = pending if after is None else pending.filter(pk__gt=after)
        rows = list(page.order_by("pk").values_list("pk", TEXT)[:batch_size])
        if not rows:
            break
        after = rows[-1][0]
        # The database's idea of whitespace (the regex above) is narrower than Python's.
        texts = [(pk, text) for pk, text in rows if text.strip()]
        texts, vectors = _embed_rows(provider, texts, queryset.model._meta.label)
        embedded += _store(queryset, texts, vectors, fields, provider.model_name)
        done += len(rows)
        if progress is not None:
            progress(done, max(total, done))
    return embedded


def backfill_all(
    progress: ColumnProgress | None = None,
    *,
    names: Sequence[str] | None = None,
    provider: EmbeddingProvider | None = None,
    batch_size: int = 256,
) -> dict[str, int]:
    """Backfill every registered embedding column (or those in ``names``); rows embedded per name.

    ``progress(name, done, total)`` is called after each batch. Unknown ``names`` raise
    ``ValueError`` before anything is embedded.
    """
    provider = provider or get_provider()
    columns = registered_columns(names)
    results: dict[str, int] = {}
    for column in columns:
        column_progress = None if progress is None else functools.partial(progress, column.name)
        model = apps.get_model(column.model)
        results[column.name] = embed_queryset(
            model._default_manager.all(),
            text_field=column.text_field,
            vector_field=column.vector_field,
            model_field=column.model_field,
            embedded_at_field=column.embedded_at_field,
            provider=provider,
            batch_size=batch_size,
            progress=column_progress,
        )
    return results


def pending_counts(
    *, names: Sequence[str] | None = None, provider: EmbeddingProvider | None = None
) -> dict[str, int]:
    """How many rows of each registered column (or those in ``names``) a backfill would embed."""
    provider = provider or get_provider()
    return {
        column.name: pending_embeddings(
            apps.get_model(column.model)._default_manager.all(),
            text_field=column.text_field,
            model_name=provider.model_name,
            vector_field=column.vector_field,
            model_field=column.model_field,
        ).count()
        for column in registered_columns(names)
    }


def registered_columns(names: Sequence[str] | None = None) -> list[EmbeddingColumn]:
    """The registered embedding columns in order, or only those in ``names``.

    Raises ``ValueError`` naming any unknown name.
    """
    registered = list(embedding_columns)
    if names is None:
        return registered
    known = {column.name for column in registered}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValueError(
            f"unknown embedding column(s) {', '.join(unknown)}; registered: "
            f"{', '.join(sorted(known)) or 'none'}"
        )
    wanted = set(names)
    return [column for column in registered if column.name in wanted]


@dataclass(frozen=True, slots=True)
class _Fields:
    text: TextSource
    vector: str
    model: str
    embedded_at: str | None


def _embed_rows(
    provider: EmbeddingProvider, rows: list[tuple[Any, str]], label: str
) -> tuple[list[tuple[Any, str]], np.ndarray]:
    """Embed ``rows``; if the provider refuses some texts, embed the others one by one.

    Returns the rows that were embedded and their vectors. If every text is refused, the request
    rather than the rows is at fault (a model the server does not know, say) and the error stands.
    """
    try:
        return rows, provider.embed([text for _, text in rows])
    except EmbeddingInputError as error:
        if len(rows) == 1:
            logger.warning("Not embedding %s %s: %s", label, rows[0][0], error)
            return [], np.zeros((0, EMBEDDING_DIMENSIONS), dtype=np.float32)
        refusal = error
    kept, vectors = [], []
    for pk, text in rows:
        try:
            vectors.append(provider.embed([text])[0])
        except EmbeddingInputError as error:
            logger.warning("Not embedding %s %s: %s", label, pk, error)
            continue
        kept.append((pk, text))
    if not kept:
        raise refusal
    return kept, np.array(vectors, dtype=np.float32).reshape(len(kept), EMBEDDING_DIMENSIONS)


def _store(
    queryset: models.QuerySet,
    texts: list[tuple[Any, str]],
    vectors: np.ndarray,
    fields: _Fields,
    model_name: str,
) -> int:
    """Write ``vectors`` to the rows whose text is still what was embedded; returns how many."""
    if not texts:
        return 0
    model = queryset.model
    manager = model._base_manager.db_manager(queryset.db)
    with transaction.atomic(using=queryset.db):
        current = dict(
            with_text(manager.filter(pk__in=[pk for pk, _ in texts]), fields.text)
            .select_for_update()
            .values_list("pk", TEXT)
        )
        stamped = [fields.vector, fields.model, *filter(None, [fields.embedded_at])]
        now = timezone.now()
        rows = []
        for (pk, text), vector in zip(texts, vectors, strict=True):
            if current.get(pk) != text:  # edited or deleted meanwhile: that vector would lie
                continue
            row = model(pk=pk)
            setattr(row, fields.vector, vector)
            setattr(row, fields.model, model_name)
            if fields.embedded_at:
                setattr(row, fields.embedded_at, now)
            rows.append(row)
        manager.bulk_update(rows, stamped)
    return len(rows)
