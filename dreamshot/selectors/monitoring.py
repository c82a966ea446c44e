"""The seed's three monitoring queries as staff "database health" sections."""

from __future__ import annotations

from django.db import connection

from config.registries import HealthReport, HealthRow

SLOW_MS = 1000  # the seed's threshold: total_time > 1000 ms
_SLOW_SQL = """
SELECT query, calls, total_time, mean_time, rows FROM "dreamshot"."pg_stat_statements"
WHERE total_time > %s ORDER BY total_time DESC LIMIT 20
"""
_INDEX_SQL = """
SELECT schemaname, relname, indexrelname, idx_tup_read, idx_tup_fetch
FROM pg_stat_user_indexes WHERE idx_tup_read > 0 ORDER BY idx_tup_read DESC LIMIT 25
"""
_CACHE_SQL = """
SELECT ROUND(100.0 * sum(blks_hit) / NULLIF(sum(blks_hit) + sum(blks_read), 0), 2),
       sum(blks_hit), sum(blks_read)
FROM pg_stat_database
"""


def _rows(sql: str, params: list | tuple = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def query_statistics_loaded() -> bool:
    return _rows('SELECT "dreamshot".pg_stat_statements_loaded()')[0][0]


def slow_queries_report() -> HealthReport:
    """Statements whose total time passed a second (pg_stat_statements)."""
    columns = ("Query", "Calls", "Total ms", "Mean ms", "Rows")
    if not query_statistics_loaded():
        return HealthReport(
            columns=columns,
            summary="pg_stat_statements is not loaded on this server: add it to "
            "shared_preload_libraries and restart (the embedded server does this itself).",
        )
    rows = _rows(_SLOW_SQL, [SLOW_MS])
    return HealthReport(
        columns=columns,
        rows=tuple(
            HealthRow((query[:300], calls, round(total), round(mean, 1), count))
            for query, calls, total, mean, count in rows
        ),
        summary=f"{len(rows)} statements took over {SLOW_MS} ms in total since the statistics "
        "were reset (the 20 slowest).",
    )


def index_usage_report() -> HealthReport:
    """The most read indexes (the seed's index-usage query, with PostgreSQL's column names)."""
    rows = _rows(_INDEX_SQL)
    return HealthReport(
        columns=("Schema", "Table", "Index", "Tuples read", "Tuples fetched"),
        rows=tuple(HealthRow(tuple(row)) for row in rows),
        summary="The 25 indexes read most since the statistics were reset.",
    )


def cache_hit_ratio_report() -> HealthReport:
    """The buffer cache's hit ratio over every database; under 99 % deserves a look."""
    ratio, hits, reads = _rows(_CACHE_SQL)[0]
    problem = "" if ratio is None or ratio >= 99 else "under 99 %"
    return HealthReport(
        columns=("Metric", "Hit ratio %", "Blocks hit", "Blocks read"),
        rows=(
            HealthRow(("buffer_cache", ratio if ratio is not None else "—", hits, reads), problem),
        ),
        summary="Share of block reads served from shared buffers.",
    )
