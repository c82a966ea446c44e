"""Dreamcatcher's upkeep: the ``dream_statistics`` refresh and the old-data cleanup.

The refresh goes through the platform's helper (``config.database.matviews``), the cleanup
through the seed's SQL function (``dreamcatcher/sql/``); both report what they did. Beat
runs them (``dreamcatcher.tasks``) and so can staff (admin actions, management commands).
When the last refresh ran is a read: ``selectors.reports.dream_statistics_last_refresh``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from config.database.matviews import refresh_materialized_view

STATISTICS_VIEW = "dreamcatcher.dream_statistics"
# Both must match the intervals written in cleanup_old_data() (sql/0003_functions.sql).
SYNC_SESSION_RETENTION = "30 days"
COMPLETED_IMPLEMENTATION_RETENTION = "90 days"

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
    with transaction.atomic():  # the refresh's lock lasts until the rows are counted
        refresh = refresh_materialized_view(STATISTICS_VIEW)
        if not refresh.refreshed:
            return StatisticsRefresh(refreshed=False)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM dreamcatcher.dream_statistics")
            (row_count,) = cursor.fetchone()
    return StatisticsRefresh(
        refreshed=True,
        row_count=row_count,
        duration_ms=refresh.duration_ms,
        refreshed_at=refresh.refreshed_at,
    )


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
