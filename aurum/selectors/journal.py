"""Reads of journal entries and daily reflections."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from aurum.models import DailyReflection, JournalEntry


def journal_entry_list(*, user: Any, archived: bool = False) -> QuerySet[JournalEntry]:
    """The caller's live (or archived) journal entries, newest first."""
    return JournalEntry.objects.filter(user=user, archived=archived)


def reflection_list(*, user: Any) -> QuerySet[DailyReflection]:
    """The caller's daily reflections, newest day first."""
    return DailyReflection.objects.filter(user=user)
