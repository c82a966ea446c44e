"""Monthly range partitions (``config.database.partitions``) on a real partitioned table, made
in each test's transaction the way the Dreamscape seed partitions ``user_behaviors``."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import ProgrammingError, connection
from django.utils import timezone

from config.database.health import partitions_report
from config.database.partitions import (
    add_months,
    archive_partition,
    create_monthly_partitions,
    detach_partition,
    drop_partition,
    drop_partitions_before,
    list_partitions,
    partition_name,
    partitioned_tables,
)

pytestmark = pytest.mark.django_db

TABLE = "public.test_user_behaviors"
JANUARY, FEBRUARY, MARCH = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


@pytest.fixture
def behaviors():
    sql(
        f"CREATE TABLE {TABLE} (id bigserial, user_id uuid, action_type text NOT NULL, "
        "created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (id, created_at)) "
        "PARTITION BY RANGE (created_at)"
    )
    return TABLE


def insert(created_at, action="view"):
    sql(
        f"INSERT INTO {TABLE} (action_type, created_at) VALUES (%s, %s)",
        [action, created_at],
    )


def names(table=TABLE):
    return [partition.name for partition in list_partitions(table)]


def test_partitions_are_made_ahead_with_the_seeds_names(behaviors):
    created = create_monthly_partitions(behaviors, months_ahead=2, start=date(2025, 1, 15))

    assert created == [
        "public.test_user_behaviors_y2025m01",
        "public.test_user_behaviors_y2025m02",
        "public.test_user_behaviors_y2025m03",
    ]
    assert create_monthly_partitions(behaviors, months_ahead=3, start=JANUARY) == [
        "public.test_user_behaviors_y2025m04"
    ]
    insert("2025-02-14 23:30:00+00")
    assert sql(f"SELECT tableoid::regclass::text FROM {TABLE}") == [
        ("test_user_behaviors_y2025m02",)
    ]


def test_partitions_are_listed_with_ranges_and_sizes(behaviors):
    create_monthly_partitions(behaviors, months_ahead=1, start=JANUARY)
    sql(f"CREATE TABLE public.test_user_behaviors_rest PARTITION OF {TABLE} DEFAULT")
    for _ in range(3):
        insert("2025-01-10 08:00:00+00")
    sql(f"ANALYZE {TABLE}")

    january, february, default = list_partitions(behaviors)

    assert (january.name, january.lower, january.upper) == (
        "public.test_user_behaviors_y2025m01",
        JANUARY,
        FEBRUARY,
    )
    assert "FROM ('2025-01-01 00:00:00+00') TO ('2025-02-01 00:00:00+00')" in january.bound
    assert january.row_estimate == 3
    assert january.size_bytes > february.size_bytes >= 0
    assert (default.bound, default.lower, default.upper) == ("DEFAULT", None, None)
    assert partitioned_tables(["public"]) == [TABLE]


def test_detach_keeps_the_rows_in_a_table_of_their_own(behaviors):
    create_monthly_partitions(behaviors, months_ahead=1, start=JANUARY)
    insert("2025-01-10 08:00:00+00")
    january = partition_name(behaviors, JANUARY)

    detach_partition(behaviors, january)

    assert names() == [partition_name(behaviors, FEBRUARY)]
    assert sql(f"SELECT count(*) FROM {TABLE}") == [(0,)]
    assert sql(f"SELECT count(*) FROM {january}") == [(1,)]


def test_drop_takes_the_month_and_its_rows(behaviors):
    create_monthly_partitions(behaviors, months_ahead=1, start=JANUARY)
    insert("2025-01-10 08:00:00+00")
    insert("2025-02-10 08:00:00+00")

    drop_partition(behaviors, partition_name(behaviors, JANUARY))

    assert names() == [partition_name(behaviors, FEBRUARY)]
    assert sql(f"SELECT created_at::date FROM {TABLE}") == [(date(2025, 2, 10),)]
    assert sql("SELECT to_regclass('public.test_user_behaviors_y2025m01')") == [(None,)]


def test_archive_moves_the_rows_then_drops_the_month(behaviors):
    create_monthly_partitions(behaviors, months_ahead=1, start=JANUARY)
    insert("2025-01-10 08:00:00+00", action="search")
    insert("2025-01-11 08:00:00+00", action="click")
    insert("2025-02-10 08:00:00+00")

    archived = archive_partition(behaviors, partition_name(behaviors, JANUARY))

    assert archived == 2
    assert names() == [partition_name(behaviors, FEBRUARY)]
    assert sql(
        "SELECT action_type FROM public.test_user_behaviors_archive ORDER BY created_at"
    ) == [("search",), ("click",)]
    # Into the same archive next month; the archive is a plain table, not a partition.
    archive_partition(behaviors, partition_name(behaviors, FEBRUARY))
    assert sql("SELECT count(*) FROM public.test_user_behaviors_archive") == [(3,)]
    assert partitioned_tables(["public"]) == [TABLE]


def test_archive_refuses_rows_its_archive_has_no_column_for(behaviors):
    create_monthly_partitions(behaviors, months_ahead=0, start=JANUARY)
    insert("2025-01-10 08:00:00+00")
    sql(f"CREATE TABLE public.test_user_behaviors_archive (LIKE {TABLE})")
    sql(f"ALTER TABLE {TABLE} ADD COLUMN item_id text")

    with pytest.raises(ProgrammingError, match="item_id"):
        archive_partition(behaviors, partition_name(behaviors, JANUARY))

    assert names() == [partition_name(behaviors, JANUARY)]  # nothing lost, nothing dropped


@pytest.mark.parametrize("archive", [False, True])
def test_retention_drops_whole_months_before_the_cutoff(behaviors, archive):
    create_monthly_partitions(behaviors, months_ahead=2, start=JANUARY)
    sql(f"CREATE TABLE public.test_user_behaviors_rest PARTITION OF {TABLE} DEFAULT")
    insert("2025-01-10 08:00:00+00")
    insert("2024-06-01 08:00:00+00")  # lands in the DEFAULT partition

    dropped = drop_partitions_before(behaviors, date(2025, 2, 15), archive=archive)

    assert dropped == [partition_name(behaviors, JANUARY)]  # February is not wholly before
    assert names() == [
        partition_name(behaviors, FEBRUARY),
        partition_name(behaviors, MARCH),
        "public.test_user_behaviors_rest",
    ]
    archive_exists = sql("SELECT to_regclass('public.test_user_behaviors_archive')")[0][0]
    assert bool(archive_exists) is archive


def test_the_health_report_lists_partitions_and_flags_a_missing_next_month(behaviors):
    create_monthly_partitions(behaviors, months_ahead=0, start=JANUARY)
    this_month = timezone.now().date().replace(day=1)

    rows = [row for row in partitions_report().rows if row.cells[0] == TABLE]

    assert [row.problem for row in rows] == ["next month missing", ""]
    assert rows[1].cells[1] == partition_name(behaviors, JANUARY)

    create_monthly_partitions(behaviors, months_ahead=1, start=this_month)
    rows = [row for row in partitions_report().rows if row.cells[0] == TABLE]
    assert [row.problem for row in rows] == ["", "", ""]
    assert rows[-1].cells[1] == partition_name(behaviors, add_months(this_month, 1))
