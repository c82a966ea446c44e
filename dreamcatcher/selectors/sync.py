"""Reads of PipelineOS sync: a user's sync sessions and how many of their dreams are synced."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from config.cache import remember
from dreamcatcher.models import SyncSession, User
from dreamcatcher.selectors import cache
from dreamcatcher.selectors.reports import function_row


def sync_session_list(*, user: User) -> QuerySet[SyncSession]:
    """The user's sync sessions, newest first."""
    return SyncSession.objects.filter(user=user)


def sync_status(*, user: User) -> dict[str, Any]:
    """``get_sync_status(user)``: how many of the user's dreams are synced, and when last.

    Cached per user until a write to one of their dreams.
    """
    row = remember(
        cache.sync_status_key(user.pk),
        cache.TIMEOUT_SECONDS,
        lambda: function_row("SELECT * FROM dreamcatcher.get_sync_status(%s)", [str(user.pk)]),
    )
    assert row is not None  # an aggregate without GROUP BY always answers one row
    return row
