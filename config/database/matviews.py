"""Materialized views: one refresh helper that records when and how long, and its readers.

The record is ``public.materialized_view_refreshes`` (``config.models.MaterializedViewRefresh``),
one row per view; the admin and the database-health page read it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from config.database import quote_qualified
from config.models import MaterializedViewRefresh

# Keyed on the view's name, so every refresher of one view (a beat task, an admin button, a
# management command) takes the same lock.
_TRY_LOCK_SQL = "SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0))"
# CONCURRENTLY needs a populated view and a unique index on plain columns over all its rows.
_CAN_REFRESH_CONCURRENTLY_SQL = """
SELECT m.ispopulated AND EXISTS (
    SELECT 1 FROM pg_index i
    WHERE i.indrelid = to_regclass(%s) AND i.indisunique AND i.indisvalid
      AND i.indpred IS NULL AND i.indexprs IS NULL
)
FROM pg_matviews m WHERE m.schemaname || '.' || m.matviewname = %s
"""
_FRESHNESS_SQL = f"""
SELECT m.schemaname || '.' || m.matviewname AS view, m.ispopulated,
       pg_total_relation_size(format('%%I.%%I', m.schemaname, m.matviewname)::regclass),
       r.refreshed_at, r.duration_ms
FROM pg_matviews m
LEFT JOIN {quote_qualified(MaterializedViewRefresh._meta.db_table)} r
  ON r.view_name = m.schemaname || '.' || m.matviewname
WHERE %s::text[] IS NULL OR m.schemaname || '.' || m.matviewname = ANY(%s::text[])
ORDER BY 1
"""  # noqa: S608  (the table name is the model's)


@dataclass(frozen=True)
class ViewRefresh:
    """One refresh; ``refreshed`` is False when another session was refreshing the view."""

    view: str
    refreshed: bool
    concurrently: bool | None = None
    refreshed_at: datetime | None = None
    duration_ms: int | None = None


@dataclass(frozen=True)
class ViewFreshness:
    """A materialized view as the database-health page shows it."""

    view: str
    populated: bool
    size_bytes: int
    refreshed_at: datetime | None
    duration_ms: int | None


def refresh_materialized_view(view: str, using: str = DEFAULT_DB_ALIAS) -> ViewRefresh:
    """Refresh ``view`` (``schema.name``) and record when and how long it took.

    CONCURRENTLY (readers never wait) when the view allows it, else a plain refresh. Returns
    at once, refreshing nothing, while another session refreshes the same view: a slow
    refresh never gets a queue of identical ones behind it. Inside a caller's transaction the
    lock lasts until that transaction ends.
    """
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(_TRY_LOCK_SQL, [view])
        if not cursor.fetchone()[0]:
            return ViewRefresh(view=view, refreshed=False)
        cursor.execute(_CAN_REFRESH_CONCURRENTLY_SQL, [view, view])
        row = cursor.fetchone()
        if row is None:
            raise ValueError(f"{view} is not a materialized view")
        concurrently = bool(row[0])
        refreshed_at = timezone.now()
        started = time.monotonic()
        cursor.execute(
            f"REFRESH MATERIALIZED VIEW {'CONCURRENTLY ' if concurrently else ''}"
            f"{quote_qualified(view)}"
        )
        duration_ms = round((time.monotonic() - started) * 1000)
        MaterializedViewRefresh.objects.using(using).update_or_create(
            view_name=view, defaults={"refreshed_at": refreshed_at, "duration_ms": duration_ms}
        )
    return ViewRefresh(
        view=view,
        refreshed=True,
        concurrently=concurrently,
        refreshed_at=refreshed_at,
        duration_ms=duration_ms,
    )


def last_refresh(view: str, using: str = DEFAULT_DB_ALIAS) -> MaterializedViewRefresh | None:
    """When ``view`` was last refreshed, and how long it took (None: never)."""
    return MaterializedViewRefresh.objects.using(using).filter(view_name=view).first()


def materialized_view_freshness(
    views: Iterable[str] | None = None, using: str = DEFAULT_DB_ALIAS
) -> list[ViewFreshness]:
    """These materialized views (default: all) with size and last recorded refresh."""
    names = None if views is None else list(views)
    with connections[using].cursor() as cursor:
        cursor.execute(_FRESHNESS_SQL, [names, names])
        return [ViewFreshness(*row) for row in cursor.fetchall()]
