"""Monthly range partitions, named as the seeds name them: ``<table>_yYYYYmMM``.

For tables ``PARTITION BY RANGE`` on a date or timestamp column (``dreamscape.user_behaviors``,
``dreamshot.ai_tests``): a beat task makes the coming months' partitions ahead of the rows
(``create_monthly_partitions``), retention drops whole old months, archiving their rows first
if asked (``drop_partitions_before``), and the admin lists every partition with its range and
size (``list_partitions``). django-postgres-extra's partitioning would own the table's model
and migrations; these helpers take the tables as the seeds define them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from config.database import quote_qualified, split_qualified

_BOUND = re.compile(r"FROM \('(?P<lower>[^']+)'\) TO \('(?P<upper>[^']+)'\)")
_PARTITIONS_SQL = """
SELECT n.nspname || '.' || c.relname, pg_get_expr(c.relpartbound, c.oid),
       pg_total_relation_size(c.oid), greatest(c.reltuples, 0)::bigint
FROM pg_inherits i
JOIN pg_class c ON c.oid = i.inhrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE i.inhparent = to_regclass(%s)
ORDER BY pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', c.relname
"""
_PARTITIONED_TABLES_SQL = """
SELECT n.nspname || '.' || c.relname
FROM pg_partitioned_table p
JOIN pg_class c ON c.oid = p.partrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(%s) AND NOT c.relispartition
ORDER BY 1
"""
_COLUMNS_SQL = """
SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum)
FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped
"""


@dataclass(frozen=True)
class Partition:
    """One partition: its ``bound`` as PostgreSQL prints it, the months it covers (None for a
    DEFAULT or open-ended partition), its size on disk and the planner's row estimate."""

    name: str
    bound: str
    lower: date | None
    upper: date | None
    size_bytes: int
    row_estimate: int


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def partition_name(table: str, month: date) -> str:
    """``schema.<table>_yYYYYmMM``, the seeds' name for ``table``'s partition of ``month``."""
    schema, bare = split_qualified(table)
    return f"{schema}.{bare}_y{month.year:04d}m{month.month:02d}"


def create_monthly_partitions(
    table: str,
    *,
    months_ahead: int = 3,
    start: date | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> list[str]:
    """Make ``table``'s partitions from ``start``'s month (default: this month) through
    ``months_ahead`` months after it; returns those it created (existing ones are kept)."""
    first = month_start(start or timezone.now().date())
    existing = {partition.name for partition in list_partitions(table, using=using)}
    created = []
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        for offset in range(months_ahead + 1):
            month = add_months(first, offset)
            name = partition_name(table, month)
            if name in existing:
                continue
            cursor.execute(
                f"CREATE TABLE {quote_qualified(name)} PARTITION OF {quote_qualified(table)} "
                f"FOR VALUES FROM ('{month.isoformat()}') "
                f"TO ('{add_months(month, 1).isoformat()}')"
            )
            created.append(name)
    return created


def partitioned_tables(schemas: list[str], using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """``schema.table`` of every partitioned (parent) table in these schemas."""
    with connections[using].cursor() as cursor:
        cursor.execute(_PARTITIONED_TABLES_SQL, [schemas])
        return [name for (name,) in cursor.fetchall()]


def list_partitions(table: str, using: str = DEFAULT_DB_ALIAS) -> list[Partition]:
    """``table``'s partitions in name order (so month order), any DEFAULT partition last."""
    with connections[using].cursor() as cursor:
        cursor.execute(_PARTITIONS_SQL, [quote_qualified(table)])
        rows = cursor.fetchall()
    return [
        Partition(
            name=name,
            bound=bound,
            lower=_bound_date(bound, "lower"),
            upper=_bound_date(bound, "upper"),
            size_bytes=size,
            row_estimate=rows_estimate,
        )
        for name, bound, size, rows_estimate in rows
    ]


def _bound_date(bound: str, which: str) -> date | None:
    # '2025-01-01' for a date key, '2025-01-01 00:00:00+00' for a timestamptz one.
    match = _BOUND.search(bound)
    return date.fromisoformat(match[which][:10]) if match else None


def detach_partition(table: str, partition: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Detach ``partition`` from ``table``: it stays as a table of its own, out of queries."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE {quote_qualified(table)} DETACH PARTITION {quote_qualified(partition)}"
        )


def drop_partition(table: str, partition: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Detach and drop ``partition`` (its rows go with it)."""
    with transaction.atomic(using=using):
        detach_partition(table, partition, using=using)
        with connections[using].cursor() as cursor:
            cursor.execute(f"DROP TABLE {quote_qualified(partition)}")


def archive_table_name(table: str) -> str:
    """``schema.<table>_archive``, as the Dreamshot seed names one (``ai_tests_archive``)."""
    return f"{table}_archive"


def archive_partition(
    table: str, partition: str, *, archive: str | None = None, using: str = DEFAULT_DB_ALIAS
) -> int:
    """Copy ``partition``'s rows into ``archive`` (default ``<table>_archive``, made with the
    table's columns if missing), then detach and drop the partition; returns rows archived.
    One transaction: a failure leaves the partition where it was. Columns are copied by name,
    so an archive made before the table gained a column refuses the rows rather than lose it.
    """
    target = quote_qualified(archive or archive_table_name(table))
    source = quote_qualified(partition)
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {target} "
            f"(LIKE {quote_qualified(table)} INCLUDING DEFAULTS)"
        )
        cursor.execute(_COLUMNS_SQL, [source])
        (columns,) = cursor.fetchone()
        cursor.execute(f"INSERT INTO {target} ({columns}) SELECT {columns} FROM {source}")  # noqa: S608
        archived = cursor.rowcount
        drop_partition(table, partition, using=using)
    return archived


def drop_partitions_before(
    table: str, cutoff: date, *, archive: bool = False, using: str = DEFAULT_DB_ALIAS
) -> list[str]:
    """Drop (after archiving, if ``archive``) every month partition wholly before ``cutoff``;
    returns their names. The DEFAULT partition is never dropped."""
    dropped = []
    for partition in list_partitions(table, using=using):
        if partition.upper is None or partition.upper > cutoff:
            continue
        if archive:
            archive_partition(table, partition.name, using=using)
        else:
            drop_partition(table, partition.name, using=using)
        dropped.append(partition.name)
    return dropped


def default_partition(table: str, using: str = DEFAULT_DB_ALIAS) -> str | None:
    """``schema.name`` of ``table``'s DEFAULT partition, or None when it has none."""
    return next((p.name for p in list_partitions(table, using=using) if p.bound == "DEFAULT"), None)


def drain_default_partition(
    table: str, *, column: str, using: str = DEFAULT_DB_ALIAS
) -> dict[str, int]:
    """Move the rows of ``table``'s DEFAULT partition into month partitions of their own.

    A month with rows in the DEFAULT partition cannot get its partition made the usual way
    (PostgreSQL refuses: the DEFAULT one holds rows of its range), so each such month's
    partition is made beside the table, filled from the DEFAULT partition and attached, in one
    transaction per month. ``column`` is the partition key. Returns rows moved per partition.
    """
    default = default_partition(table, using=using)
    if default is None:
        return {}
    key = connections[using].ops.quote_name(column)
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT date_trunc('month', {key})::date "  # noqa: S608
            f"FROM {quote_qualified(default)} ORDER BY 1"
        )
        months = [month for (month,) in cursor.fetchall()]
    moved = {}
    for month in months:
        name, following = partition_name(table, month), add_months(month, 1)
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE {quote_qualified(name)} (LIKE {quote_qualified(table)} "
                "INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
            )
            cursor.execute(
                f"WITH moved AS (DELETE FROM {quote_qualified(default)} "  # noqa: S608
                f"WHERE {key} >= %s AND {key} < %s RETURNING *) "
                f"INSERT INTO {quote_qualified(name)} SELECT * FROM moved",
                [month, following],
            )
            moved[name] = cursor.rowcount
            cursor.execute(
                f"ALTER TABLE {quote_qualified(table)} ATTACH PARTITION {quote_qualified(name)} "
                f"FOR VALUES FROM ('{month.isoformat()}') TO ('{following.isoformat()}')"
            )
    return moved
