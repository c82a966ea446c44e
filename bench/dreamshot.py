"""dreamshot benchmark cases: our path against the raw SQL doing the same work.

The data (``DREAMSHOT_BENCH_TESTS`` tests, default one million, over the last 24 monthly
partitions, ``DREAMSHOT_BENCH_DREAMS`` dreams of ``DREAMSHOT_BENCH_USERS`` users) is built
once with ``generate_series`` and kept between runs. Our reads run with the cache cleared, so
they time the query, not Redis. Retention: dropping a month against a ``DELETE`` of the same
rows followed by the VACUUM that reclaims them (target from issue 9: the drop under 1 % of the
delete's time), and archiving the month (copy, then drop) against the same. Dropping costs a
fixed few tens of milliseconds (catalogue work, unlinking the files), a DELETE grows with the
rows, so the ratio reaches 1 % only at millions of rows a month: raise
``DREAMSHOT_BENCH_MONTH_ROWS`` to see it at another scale.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable
from datetime import date

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from bench.harness import Result, compare
from config.database.partitions import (
    add_months,
    archive_partition,
    create_monthly_partitions,
    drop_partition,
    month_start,
    partition_name,
)
from dreamshot.models import Dream
from dreamshot.selectors import analytics
from tests.seed_checks import seed_text

TESTS = int(os.environ.get("DREAMSHOT_BENCH_TESTS", 1_000_000))
MONTHS = 24
DREAMS = int(os.environ.get("DREAMSHOT_BENCH_DREAMS", 5_000))
USERS = int(os.environ.get("DREAMSHOT_BENCH_USERS", 500))
# A month of the million tests over 24 months, by default.
MONTH_ROWS = int(os.environ.get("DREAMSHOT_BENCH_MONTH_ROWS", TESTS // MONTHS))
TABLE = "dreamshot.ai_tests"
SEED = seed_text("004_d1c79d31839eccf4.txt")
# Two months long before the data, filled alike: one dropped (or archived), one deleted.
RETENTION_MONTHS = (date(2001, 1, 1), date(2001, 2, 1))


def _sql(statement: str, params: list | tuple = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def _seed_sql(heading: str) -> str:
    start = SEED.index(heading)
    block = SEED[SEED.index("```sql\n", start) + 7 :]
    return block[: block.index("```")].replace("$1", "%s")


def _raw(heading: str, params: list | tuple = ()) -> Callable[[], object]:
    statement = _seed_sql(heading)

    def run() -> object:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL search_path TO dreamshot, public")
            cursor.execute(statement, params)
            return cursor.fetchall()

    return run


@functools.cache
def _population() -> tuple[str, str]:
    """The bench's users, dreams and tests, made once; returns a busy user and dream."""
    this_month = month_start(timezone.localdate())
    create_monthly_partitions(TABLE, months_ahead=MONTHS + 1, start=add_months(this_month, -MONTHS))
    _sql(
        "INSERT INTO users (password, is_superuser, email, username) "
        "SELECT '!', false, 'dsh-bench-' || g || '@example.com', 'dsh-bench-' || g "
        "FROM generate_series(1, %s) g ON CONFLICT DO NOTHING",
        [USERS],
    )
    users = [str(r[0]) for r in _sql("SELECT id FROM users WHERE username LIKE 'dsh-bench-%%'")]
    _sql(
        "INSERT INTO dreamshot.dreams (id, user_id, title, description, original_prompt, "
        "category, tags, is_public, status, metadata, created_at, updated_at) "
        "SELECT 'bench' || g, (%s::uuid[])[1 + g %% %s], 'Dream ' || g, '', 'Dream ' || g, "
        "(ARRAY['TECHNOLOGY','SCIENCE','PERSONAL','HEALTHCARE'])[1 + g %% 4], '{}', g %% 3 = 0, "
        "CASE WHEN g %% 10 = 0 THEN 'ARCHIVED' ELSE 'ACTIVE' END, '{}', "
        "now() - (g %% 700) * interval '1 day', now() "
        "FROM generate_series(1, %s) g ON CONFLICT DO NOTHING",
        [users, len(users), DREAMS],
    )
    have = _sql("SELECT count(*) FROM dreamshot.ai_tests WHERE metadata ? 'bench'")[0][0]
    if have < TESTS:
        print(f"dreamshot bench: building {TESTS - have:,} tests over {MONTHS} months …")
        started = time.monotonic()
        _sql(
            "INSERT INTO dreamshot.ai_tests (id, dream_id, user_id, provider, model, "
            "impossibility_score, confidence, duration, tokens_used, cost, status, "
            "test_parameters, metadata, created_at) "
            "SELECT 'bt' || (g + %s), d.id, d.user_id, "
            "(ARRAY['OPENAI','ANTHROPIC','LOCAL'])[1 + g %% 3], "
            "(ARRAY['gpt-4o','claude-3-5-sonnet-20241022','local-heuristic'])[1 + g %% 3], "
            "(g::bigint * 7919 %% 10000) / 100.0, 50 + g %% 50, 500 + g %% 2000, 600 + g %% 400, "
            "(g %% 3 <> 2)::int * 0.004, "
            "CASE WHEN g %% 20 = 0 THEN 'FAILED' ELSE 'COMPLETED' END, '{}', '{\"bench\": true}', "
            "now() - (g::bigint * 62899 %% (%s * 30 * 86400)) * interval '1 second' "
            "FROM generate_series(1, %s) g "
            "JOIN dreamshot.dreams d ON d.id = 'bench' || (1 + g %% %s)",
            [have, MONTHS - 1, TESTS - have, DREAMS],
        )
        _sql("ANALYZE dreamshot.ai_tests")
        _sql("ANALYZE dreamshot.dreams")
        print(f"dreamshot bench: built in {time.monotonic() - started:.0f} s")
    print(f"dreamshot bench scale: {TESTS:,} tests over {MONTHS} monthly partitions, "
          f"{DREAMS:,} dreams, {len(users):,} users; "
          f"{MONTH_ROWS:,} rows per retention month")  # fmt: skip
    user_id, dream_id = _sql(
        "SELECT user_id, id FROM dreamshot.dreams WHERE id LIKE 'bench%%' AND status = 'ACTIVE' "
        "ORDER BY id LIMIT 1"
    )[0]
    return str(user_id), dream_id


def _uncached(read: Callable[[], object]) -> Callable[[], object]:
    def run() -> object:
        cache.clear()
        return read()

    return run


def dashboard() -> Result:
    """Query 1 for one user: the ORM selector vs the seed's SQL."""
    user_id, _ = _population()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=user_id)
    return compare("dreamshot dashboard (query 1)",
                   _uncached(lambda: analytics.dashboard(user=user)),
                   _raw("### 1. Fast User Dashboard Query", [user_id]), "20 dreams")  # fmt: skip


def decay_series() -> Result:
    """Query 2 for one dream: the ORM selector vs the seed's SQL."""
    _, dream_id = _population()
    dream = Dream.objects.get(pk=dream_id)
    return compare("dreamshot decay series (query 2)",
                   lambda: analytics.decay_series(dream=dream),
                   _raw("### 2. Progress Visualization Query", [dream_id]), "30 days")  # fmt: skip


def model_comparison() -> Result:
    """Query 3 over a week of everyone's tests: the ORM selector vs the seed's SQL."""
    _population()
    return compare("dreamshot model comparison (query 3)",
                   _uncached(lambda: analytics.model_comparison()),
                   _raw("### 3. Model Comparison Analytics"), "7 days")  # fmt: skip


def _fill_retention_months() -> None:
    _population()
    for month in RETENTION_MONTHS:
        create_monthly_partitions(TABLE, months_ahead=0, start=month)
        _sql(
            "INSERT INTO dreamshot.ai_tests (id, dream_id, user_id, provider, model, status, "
            "created_at) SELECT 'rt' || %s || '-' || g, d.id, d.user_id, 'LOCAL', "
            "'local-heuristic', 'COMPLETED', "
            "%s::timestamptz + (g %% 2000000) * interval '1 second' "
            "FROM generate_series(1, %s) g JOIN dreamshot.dreams d ON d.id = 'bench1'",
            [month.isoformat(), month.isoformat(), MONTH_ROWS],
        )
    _sql("ANALYZE dreamshot.ai_tests")


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    with transaction.atomic():
        work()
    return time.perf_counter() - started


def _delete_month(month: date) -> float:
    """DELETE the month's rows, then VACUUM their partition: what reclaiming the space row by
    row costs (a DELETE alone leaves the dead rows for autovacuum to pay for later)."""
    deleted = _timed(
        lambda: _sql(
            "DELETE FROM dreamshot.ai_tests WHERE created_at >= %s AND created_at < %s",
            [month, add_months(month, 1)],
        )
    )
    started = time.perf_counter()
    _sql(f"VACUUM {partition_name(TABLE, month)}")
    return deleted + time.perf_counter() - started


def _drop_leftovers() -> None:
    for month in RETENTION_MONTHS:
        name = partition_name(TABLE, month)
        if _sql("SELECT to_regclass(%s)", [name])[0][0]:
            drop_partition(TABLE, name)
    _sql("DELETE FROM dreamshot.ai_tests_archive WHERE id LIKE 'rt%%'")


def retention_drop() -> Result:
    """Detach and drop one month's partition vs DELETE of the same number of rows."""
    _fill_retention_months()
    dropped, deleted = RETENTION_MONTHS
    ours = _timed(lambda: drop_partition(TABLE, partition_name(TABLE, dropped)))
    raw = _delete_month(deleted)
    _drop_leftovers()
    return Result(
        "dreamshot retention: drop month vs DELETE+VACUUM", ours, raw, f"{MONTH_ROWS:,} rows"
    )


def retention_archive() -> Result:
    """Archive one month (copy to ai_tests_archive, then drop) vs DELETE of the same rows."""
    _fill_retention_months()
    archived, deleted = RETENTION_MONTHS
    ours = _timed(lambda: archive_partition(TABLE, partition_name(TABLE, archived)))
    raw = _delete_month(deleted)
    _drop_leftovers()
    return Result(
        "dreamshot retention: archive month vs DELETE+VACUUM", ours, raw, f"{MONTH_ROWS:,} rows"
    )


ALL = [dashboard, decay_series, model_comparison, retention_drop, retention_archive]
