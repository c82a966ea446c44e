"""Dreamcatcher's upkeep: the ``dream_statistics`` refresh and the old-data cleanup.

Both call the seed's SQL functions (``dreamcatcher/sql/``) and report what they did; beat
runs them (``dreamcatcher.tasks``) and so can staff (admin actions, management commands).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from config.models import MaterializedViewRefresh

STATISTICS_VIEW = "dreamcatcher.dream_statistics"
# Both must match the intervals written in cleanup_old_data() (sql/0003_functions.sql).
SYNC_SESSION_RETENTION = "30 days"
COMPLETED_IMPLEMENTATION_RETENTION = "90 days"

_REFRESH_LOCK_SQL = "SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0))"
# Counted and locked in the cleanup's own transaction, so now() is the function's now() and
# a row deleted meanwhile by another run is neither counted nor deleted twice.
_EXPIRED_SYNC_SESSIONS_SQL = f"""
SELECT count(*) FROM (
    SELECT 1 FROM dreamcatcher.sync_sessions
    WHERE started_at < now() - INTERVAL '{SYNC_SESSION_RETENTION}' FOR UPDATE
) expired
"""  # noqa: S608  (constants, no input)
_EXPIRED_IMPLEMENTATIONS_SQL = f"""
SELECT count(*) FROM (
    SELECT 1 FROM dreamcatcher.implementations
    WHERE created_at < now() - INTERVAL '{COMPLETED_IMPLEMENTATION_RETENTION}'
      AND status = 'completed' FOR UPDATE
) expired
"""  # noqa: S608


@dataclass(frozen=True)
class StatisticsRefresh:
    """One refresh of ``dream_statistics``; ``refreshed`` is False when another was running."""

    refreshed: bool
    row_count: int | None = None
    duration_ms: int | None = None
    refreshed_at: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["refreshed_at"] = self.refreshed_at.isoformat() if self.refreshed_at else None
        return data


@dataclass(frozen=True)
class Cleanup:
    """Rows ``cleanup_old_data()`` deleted."""

    sync_sessions: int
    implementations: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def dream_statistics_refresh() -> StatisticsRefresh:
    """Refresh ``dream_statistics`` concurrently (readers never wait) and record when.

    Returns at once, refreshing nothing, while another refresh holds the advisory lock: a
    slow refresh never gets a queue of identical ones piled up behind it.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_REFRESH_LOCK_SQL, [STATISTICS_VIEW])
        if not cursor.fetchone()[0]:
            return StatisticsRefresh(refreshed=False)
        cursor.execute("SELECT dreamcatcher.refresh_dream_statistics()")
        cursor.execute("SELECT count(*) FROM dreamcatcher.dream_statistics")
        (row_count,) = cursor.fetchone()
        record = MaterializedViewRefresh.objects.get(view_name=STATISTICS_VIEW)
    return StatisticsRefresh(
        refreshed=True,
        row_count=row_count,
        duration_ms=record.duration_ms,
        refreshed_at=record.refreshed_at,
    )


def dream_statistics_last_refresh() -> MaterializedViewRefresh | None:
    """When ``dream_statistics`` was last refreshed, and how long it took (None: never)."""
    return MaterializedViewRefresh.objects.filter(view_name=STATISTICS_VIEW).first()


def old_data_cleanup() -> Cleanup:
    """Run ``cleanup_old_data()``: sync sessions past 30 days and completed implementations
    past 90 days go, then the busy tables are analysed. Returns how many rows went."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_EXPIRED_SYNC_SESSIONS_SQL)
        (sync_sessions,) = cursor.fetchone()
        cursor.execute(_EXPIRED_IMPLEMENTATIONS_SQL)
        (implementations,) = cursor.fetchone()
        cursor.execute("SELECT dreamcatcher.cleanup_old_data()")
    return Cleanup(sync_sessions=sync_sessions, implementations=implementations)
