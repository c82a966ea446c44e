"""The DEFAULT partition (``config.database.partitions``): found, and drained into month
partitions of their own, on a real partitioned table made in each test's transaction."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from config.database.partitions import (
    create_monthly_partitions,
    default_partition,
    drain_default_partition,
    list_partitions,
)

pytestmark = pytest.mark.django_db

TABLE = "public.test_events"


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


@pytest.fixture
def events():
    sql(
        f"CREATE TABLE {TABLE} (id bigserial, kind text NOT NULL CHECK (kind <> ''), "
        "created_at timestamptz NOT NULL, PRIMARY KEY (id, created_at)) "
        "PARTITION BY RANGE (created_at)"
    )
    sql(f"CREATE INDEX test_events_kind ON {TABLE} (kind)")
    create_monthly_partitions(TABLE, start=date(2025, 1, 1), months_ahead=0)
    return TABLE


def test_no_default_partition_nothing_to_drain(events):
    assert default_partition(events) is None
    assert drain_default_partition(events, column="created_at") == {}


def test_rows_of_missing_months_move_into_new_partitions(events):
    sql(f"CREATE TABLE public.test_events_default PARTITION OF {TABLE} DEFAULT")
    assert default_partition(events) == "public.test_events_default"
    for moment in ("2025-01-10", "2025-03-05", "2025-03-31 23:59", "2025-05-01"):
        sql(f"INSERT INTO {TABLE} (kind, created_at) VALUES ('view', %s)", [moment])

    moved = drain_default_partition(events, column="created_at")

    assert moved == {"public.test_events_y2025m03": 2, "public.test_events_y2025m05": 1}
    assert sql("SELECT count(*) FROM public.test_events_default") == [(0,)]
    where = dict(sql(f"SELECT tableoid::regclass::text, count(*) FROM {TABLE} GROUP BY 1"))
    assert where == {
        "test_events_y2025m01": 1,
        "test_events_y2025m03": 2,
        "test_events_y2025m05": 1,
    }
    bounds = {p.name: (p.lower, p.upper) for p in list_partitions(events)}
    assert bounds["public.test_events_y2025m03"] == (date(2025, 3, 1), date(2025, 4, 1))
    # The moved partitions are true partitions: the table's CHECK and indexes hold there too.
    with pytest.raises(IntegrityError, match="check"), transaction.atomic():
        sql(f"INSERT INTO {TABLE} (kind, created_at) VALUES ('', '2025-03-02')")
    indexes = sql("SELECT count(*) FROM pg_indexes WHERE tablename = 'test_events_y2025m03'")
    assert indexes == [(2,)]  # the primary key and the kind index
