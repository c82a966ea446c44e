"""Redis caching of dream statistics and sync status, forgotten on every write they summarise.

A dream's statistics count its fragments, todos and documents; a user's sync status counts
their dreams. Each write forgets the affected entries twice: immediately (so a read later in
the same request or test is fresh) and again after commit (so a reader who cached the old
numbers between the write and its commit does not keep them). The services call
``forget``/``forget_rows``; ``connect_signals()`` covers ORM saves and deletes elsewhere
(the admin, Celery tasks); ``bulk_create`` and ``QuerySet.update()`` send no signals, so
their callers call ``forget`` themselves. A short timeout bounds anything missed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from config.cache import forget_now_and_on_commit

TIMEOUT_SECONDS = 300


def dream_statistics_key(dream_id: str) -> str:
    return f"dreamcatcher:dream-statistics:{dream_id}"


def sync_status_key(user_id: object) -> str:
    return f"dreamcatcher:sync-status:{user_id}"


def forget(*, dream_ids: Iterable[str] = (), user_ids: Iterable[object] = ()) -> None:
    """Drop the statistics of ``dream_ids`` and the sync status of ``user_ids``."""
    keys = [dream_statistics_key(dream_id) for dream_id in set(dream_ids) if dream_id]
    keys += [sync_status_key(user_id) for user_id in set(user_ids) if user_id]
    forget_now_and_on_commit(keys)


def forget_rows(rows: Iterable[Model]) -> None:
    """Forget whatever summarises ``rows`` (dreams, or children carrying a ``dream_id``)."""
    from dreamcatcher.models import Dream

    dream_ids: list[str] = []
    user_ids: list[object] = []
    for row in rows:
        if isinstance(row, Dream):
            dream_ids.append(row.pk)
            user_ids.append(row.user_id)
        else:
            dream_ids.append(row.dream_id)
    forget(dream_ids=dream_ids, user_ids=user_ids)


def _on_write(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    forget_rows([instance])


def _receivers() -> list[tuple[Any, type[Model], str]]:
    from dreamcatcher.models import Document, Dream, Fragment, Todo

    return [
        (signal, model, f"dreamcatcher.selectors.cache.{model.__name__}")
        for model in (Dream, Fragment, Todo, Document)
        for signal in (post_save, post_delete)
    ]


def connect_signals() -> None:
    """Forget on every ORM save or delete of the summarised tables (call from ``ready()``)."""
    for signal, model, uid in _receivers():
        signal.connect(_on_write, sender=model, dispatch_uid=uid)


def disconnect_signals() -> None:
    """Undo ``connect_signals()``."""
    for signal, model, uid in _receivers():
        signal.disconnect(sender=model, dispatch_uid=uid)
