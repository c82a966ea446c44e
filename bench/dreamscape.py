"""dreamscape benchmark cases: our path against the raw SQL doing the same work.

The data (``DREAMSCAPE_BENCH_EVENTS`` events, default two million, over ``DREAMSCAPE_BENCH_USERS``
users and the last 60 days) is built once with ``generate_series`` and kept between runs.
Targets from issue 10: ingest through the API at least 0.3 of a raw ``COPY``'s rows/s (an
ours/raw time of at most 3.3), dropping a month under 1 % of a ``DELETE`` of it, the
behaviour summary near the raw query.
"""

from __future__ import annotations

import json
import os
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from bench.harness import Result, compare
from config.database.partitions import add_months, drop_partition, month_start, partition_name
from dreamscape.models import UserBehavior
from dreamscape.selectors.behaviors import SUMMARY_SQL
from dreamscape.services.maintenance import engagement_summary_refresh
from personakit.services.api_keys import api_key_issue
from tests.factories import UserFactory

EVENTS = int(os.environ.get("DREAMSCAPE_BENCH_EVENTS", 2_000_000))
USERS = int(os.environ.get("DREAMSCAPE_BENCH_USERS", 2_000))
BATCH = 1_000
MONTH_ROWS = int(os.environ.get("DREAMSCAPE_BENCH_MONTH_ROWS", 1_000_000))
TABLE = "dreamscape.user_behaviors"
URL = "/api/v1/dreamscape"


def _sql(statement: str, params: list | tuple = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def _population() -> list[str]:
    """The bench's users and their events, made once (a progress line per step)."""
    _sql(
        "INSERT INTO users (password, is_superuser, email, username) "
        "SELECT '!', false, 'ds-bench-' || g || '@example.com', 'ds-bench-' || g "
        "FROM generate_series(1, %s) g ON CONFLICT DO NOTHING",
        [USERS],
    )
    ids = [str(r[0]) for r in _sql("SELECT id FROM users WHERE username LIKE %s", ["ds-bench-%"])]
    have = _sql(
        "SELECT count(*) FROM dreamscape.user_behaviors WHERE context->>'source' = 'bench'", []
    )[0][0]
    if have < EVENTS:
        print(f"dreamscape bench: building {EVENTS - have:,} events for {len(ids):,} users …")
        started = time.monotonic()
        with transaction.atomic():
            _sql("SET LOCAL session_replication_role = replica", [])  # users made just above
            _sql(
                "INSERT INTO dreamscape.user_behaviors (user_id, action_type, item_id, item_type, "
                "duration_seconds, context, metadata, created_at) "
                "SELECT u.ids[1 + g %% array_length(u.ids, 1)], "
                "(ARRAY['view','edit','search','create'])[1 + g %% 4], gen_random_uuid(), "
                "(ARRAY['article','code','video','note'])[1 + g %% 4], g %% 600, "
                "'{\"source\": \"bench\"}', NULL, now() - (g %% 5184000) * interval '1 second' "
                "FROM generate_series(1, %s) g, (SELECT %s::uuid[] AS ids) u",
                [EVENTS - have, ids],
            )
        _sql("ANALYZE dreamscape.user_behaviors", [])
        print(f"dreamscape bench: built in {time.monotonic() - started:.0f} s")
    print(f"dreamscape bench scale: {EVENTS:,} events, {len(ids):,} users, {MONTH_ROWS:,} "
          "rows per dropped month")  # fmt: skip
    return ids


def _events(count: int) -> list[dict]:
    now = timezone.now()
    return [
        {
            "action_type": "view",
            "item_id": str(uuid.uuid4()),
            "item_type": "article",
            "duration_seconds": index % 600,
            "context": {"source": "timeline", "scroll_depth": 0.8},
            "metadata": {"device": "desktop"},
            "created_at": (now - timedelta(seconds=index)).isoformat(),
        }
        for index in range(count)
    ]


def ingest() -> Result:
    """POST 1000 events (auth, parse, validate, COPY, answer) vs a raw COPY of the same rows."""
    owner = UserFactory(username="ds-bench-ingest")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key_issue(user=owner).raw_key}")
    body = _events(BATCH)

    def ours():
        assert client.post(f"{URL}/behaviors", body, format="json").status_code == 201

    columns = "id, user_id, action_type, item_id, item_type, duration_seconds, context, " \
              "metadata, created_at"  # fmt: skip
    rows = [
        (uuid.uuid4(), owner.pk, e["action_type"], e["item_id"], e["item_type"],
         e["duration_seconds"], json.dumps(e["context"]), json.dumps(e["metadata"]),
         e["created_at"])
        for e in body
    ]  # fmt: skip

    def raw():
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {TABLE} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row((uuid.uuid4(), *row[1:]))

    return compare("ingest 1000 events (target ≤ 3.3)", ours, raw, f"{BATCH} events")


def _month_with_rows(month) -> str:
    """A month far back (out of the data's way) holding ``MONTH_ROWS`` rows, made once."""
    name = partition_name(TABLE, month)
    _sql(
        f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {TABLE} "
        f"FOR VALUES FROM ('{month}') TO ('{add_months(month, 1)}')",
        [],
    )
    missing = MONTH_ROWS - _sql(f"SELECT count(*) FROM {name}", [])[0][0]  # noqa: S608
    if missing > 0:
        with transaction.atomic():
            _sql("SET LOCAL session_replication_role = replica", [])  # its user exists
            _sql(
                "INSERT INTO dreamscape.user_behaviors "
                "(user_id, action_type, item_type, duration_seconds, created_at) "
                "SELECT (SELECT id FROM users LIMIT 1), 'view', 'article', g %% 600, "
                "%s::date + (g %% 2500000) * interval '1 second' FROM generate_series(1, %s) g",
                [month, missing],
            )
        _sql(f"ANALYZE {name}", [])
    return name


def _timed_and_undone(work: Callable[[], object], repeat: int = 3) -> float:
    """Median time of ``work`` in a transaction rolled back after each run (DDL too), so one
    month of data serves every run."""
    samples = []
    for _ in range(repeat):
        with transaction.atomic():
            started = time.perf_counter()
            work()
            samples.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    return statistics.median(samples)


def drop_month() -> Result:
    """Retention: drop a month's partition vs DELETE of that month's rows."""
    month = add_months(month_start(timezone.now().date()), -23)
    name = _month_with_rows(month)
    ours = _timed_and_undone(lambda: drop_partition(TABLE, name))
    raw = _timed_and_undone(
        lambda: _sql(
            "DELETE FROM dreamscape.user_behaviors WHERE created_at >= %s AND created_at < %s",
            [month, add_months(month, 1)],
        )
    )
    return Result(f"drop a month of {MONTH_ROWS:,} (target < 0.01)", ours, raw, "month")


def _timed(prepare: Callable[[], object], work: Callable[[], object], repeat: int = 3) -> float:
    samples = []
    for _ in range(repeat):
        prepare()
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def refresh_concurrently() -> Result:
    """REFRESH … CONCURRENTLY after 5 % of users changed vs a plain REFRESH."""
    ids = _population()
    changed = ids[: max(1, len(ids) // 20)]

    def touch():
        _sql(
            f"INSERT INTO {TABLE} (user_id, action_type, created_at) "
            "SELECT unnest(%s::uuid[]), 'view', now()",
            [changed],
        )

    engagement_summary_refresh()  # populated, so CONCURRENTLY applies
    ours = _timed(touch, engagement_summary_refresh)
    plain = "REFRESH MATERIALIZED VIEW dreamscape.user_engagement_summary"
    raw = _timed(touch, lambda: _sql(plain, []))
    return Result("refresh engagement, 5% changed", ours, raw, "refresh")


def behavior_summary() -> Result:
    """GET /behavior-summary for one user vs the seed's query, at the bench's scale."""
    ids = _population()
    user = UserBehavior._meta.get_field("user").related_model.objects.get(pk=ids[0])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key_issue(user=user).raw_key}")

    def ours():
        assert client.get(f"{URL}/behavior-summary").status_code == 200

    return compare(
        f"behaviour summary at {EVENTS:,} events",
        ours,
        lambda: _sql(SUMMARY_SQL, [user.pk]),
        "summary",
    )


ALL = [ingest, drop_month, refresh_concurrently, behavior_summary]
