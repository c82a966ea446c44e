"""The seed's monitoring queries, for the staff database-health page."""

from __future__ import annotations

from django.db import connection

from config.admin.display import plural
from config.database import quote_qualified
from config.database.partitions import default_partition
from config.registries import HealthReport, HealthRow
from dreamscape.models.behaviors import BEHAVIORS_TABLE

# The seed's "Analyze behavior tracking coverage", as written there.
_COVERAGE_SQL = """
SELECT
    DATE(created_at) as date,
    COUNT(DISTINCT user_id) as active_users,
    COUNT(*) as total_events,
    AVG(duration_seconds) as avg_duration
FROM dreamscape.user_behaviors
WHERE created_at >= NOW() - INTERVAL '7 days'
GROUP BY DATE(created_at)
ORDER BY date
"""


# The seed's "Check table sizes", as written there (its LIKE patterns match other apps' user_*
# tables too; they are shown as the seed shows them).
_SIZES_SQL = """
SELECT
    schemaname,
    tablename,
    pg_size_pretty(pg_total_relation_size(schemaname||'.'||tablename)) as size
FROM pg_tables
WHERE tablename LIKE '%dreamscape%' OR tablename LIKE '%user_%'
ORDER BY pg_total_relation_size(schemaname||'.'||tablename) DESC
"""
WAITING_COUNT_CAP = 100_000


def events_waiting_in_default() -> int:
    """Rows in the DEFAULT partition (months without a partition of their own), counted up to
    ``WAITING_COUNT_CAP``: it should hold none, and is never scanned past that."""
    default = default_partition(BEHAVIORS_TABLE)
    if default is None:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {quote_qualified(default)} LIMIT %s) t",  # noqa: S608
            [WAITING_COUNT_CAP],
        )
        return cursor.fetchone()[0]


def behaviour_coverage_report() -> HealthReport:
    """Events per day of the last 7 days; rows waiting in the DEFAULT partition are a problem
    (``manage.py dreamscape_maintenance partitions`` moves them into their months)."""
    rows = []
    if waiting := events_waiting_in_default():
        rows.append(
            HealthRow(
                ("DEFAULT partition", "—", waiting, "—"),
                problem=f"{plural(waiting, 'event')} in no month's partition: drain them",
            )
        )
    with connection.cursor() as cursor:
        cursor.execute(_COVERAGE_SQL)
        for day, users, events, mean in cursor.fetchall():
            seconds = "—" if mean is None else f"{float(mean):.0f} s"
            rows.append(HealthRow((day.isoformat(), users, events, seconds)))
    return HealthReport(
        columns=("Date", "Active users", "Events", "Mean duration"),
        rows=tuple(rows),
        summary="The seed's behaviour-tracking coverage over the last 7 days.",
    )


def table_sizes_report() -> HealthReport:
    """The seed's table sizes, largest first (every monthly partition is a table of its own)."""
    with connection.cursor() as cursor:
        cursor.execute(_SIZES_SQL)
        rows = tuple(HealthRow(row) for row in cursor.fetchall())
    return HealthReport(
        columns=("Schema", "Table", "Size"),
        rows=rows,
        summary="The seed's storage-growth query: tables named like dreamscape or user_.",
    )
