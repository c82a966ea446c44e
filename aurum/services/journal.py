"""Writes of journal entries: each carries the sentiment of its text; DELETE archives."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from aurum.models import JournalEntry
from aurum.services.hierarchy import MAX_BULK_ITEMS, row_archive
from aurum.services.sentiment import journal_sentiment


def _scored(entry: JournalEntry) -> JournalEntry:
    entry.sentiment_score = journal_sentiment(f"{entry.title}\n{entry.content}").score
    return entry


@transaction.atomic
def journal_entry_create(*, user: Any, data: Mapping[str, Any]) -> JournalEntry:
    """Write a journal entry for ``user``; its sentiment is scored from title and content."""
    entry = _scored(JournalEntry(user=user, **data))
    entry.full_clean()
    entry.save()
    entry.refresh_from_db()
    return entry


@transaction.atomic
def journal_entry_update(
    *, journal_entry: JournalEntry, user: Any, data: Mapping[str, Any]
) -> JournalEntry:
    """Change the entry's fields; a changed text is re-scored (and re-embedded by the backfill)."""
    for field, value in data.items():
        setattr(journal_entry, field, value)
    _scored(journal_entry).full_clean()
    journal_entry.save()
    journal_entry.refresh_from_db()
    return journal_entry


def journal_entry_delete(*, journal_entry: JournalEntry) -> JournalEntry:
    """Archive the entry: it leaves lists and search until restored."""
    return row_archive(row=journal_entry)


@transaction.atomic
def journal_entry_bulk_create(
    *, user: Any, items: Sequence[Mapping[str, Any]]
) -> list[JournalEntry]:
    """Import up to ``MAX_BULK_ITEMS`` entries at once, or none."""
    if not items or len(items) > MAX_BULK_ITEMS:
        raise ValidationError(f"Send between 1 and {MAX_BULK_ITEMS} items.", "bulk_size")
    entries = [_scored(JournalEntry(user=user, **item)) for item in items]
    errors: dict[str, list[str]] = {}
    for index, entry in enumerate(entries):
        try:
            entry.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors[f"{index}.{field}"] = messages
    if errors:
        raise ValidationError(errors)
    JournalEntry.objects.bulk_create(entries)
    saved = JournalEntry.objects.in_bulk([entry.pk for entry in entries])
    return [saved[entry.pk] for entry in entries]
