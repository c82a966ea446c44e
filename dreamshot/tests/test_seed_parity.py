"""The database carries the Dreamshot seed: its fields, indexes, partitioning and queries.

The seed lists fields in camelCase without DDL; its queries use them in snake_case, as do we.
"""

import re

import pytest
from django.db import IntegrityError, ProgrammingError, connection, transaction

from dreamshot.tests.factories import AiTestFactory, DreamFactory, ProgressLogFactory
from tests.seed_checks import columns_of, index_names, query, seed_text

SEED = seed_text("004_d1c79d31839eccf4.txt")
pytestmark = pytest.mark.django_db

COLUMNS = {
    "dreams": {"id", "user_id", "title", "description", "original_prompt", "category", "tags",
               "is_public", "status", "metadata", "created_at", "updated_at"},
    "ai_tests": {"id", "dream_id", "user_id", "provider", "model", "impossibility_score",
                 "confidence", "reasoning", "duration", "tokens_used", "cost", "status",
                 "test_parameters", "test_prompt", "response", "error_message", "metadata",
                 "created_at"},
    "progress_logs": {"id", "dream_id", "user_id", "average_impossibility", "best_score",
                      "test_count", "active_models", "improvement_trend", "snapshot_data",
                      "milestone_reached", "notes", "created_at"},
    "ai_models": {"id", "provider", "name", "display_name", "max_tokens", "cost_per_1k_tokens",
                  "is_active", "capabilities"},
}  # fmt: skip


def snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z0-9])", r"_\1", name).lower().replace("1_k", "1k")


def seed_fields(model: str) -> set[str]:
    """The fields the seed lists for ``model`` (``### n. Dream Model`` … its sql block)."""
    block = re.search(rf"### \d\. {model} Model.*?```sql\n(.*?)```", SEED, re.S)[1]
    return {snake(line.split()[0]) for line in block.splitlines() if re.match(r"[a-z]", line)}


def seed_sql(statement: str, params: list | tuple = ()) -> list[tuple]:
    """Run ``statement`` as the seed does: unqualified names on its search_path."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL search_path TO dreamshot, public")
        cursor.execute(statement.replace("$1", "%s"), params)
        return cursor.fetchall()


def seed_query(heading: str) -> str:
    """The SQL block under the seed's ``heading``, exactly as written."""
    return re.search(rf"{re.escape(heading)}\n```sql\n(.*?)```", SEED, re.S)[1]


@pytest.mark.parametrize(
    ("model", "table"),
    [("Dream", "dreams"), ("AiTest", "ai_tests"), ("ProgressLog", "progress_logs"),
     ("AiModel", "ai_models")],
)  # fmt: skip
def test_every_seed_field_is_a_column(model, table):
    listed = seed_fields(model)
    assert listed, model
    assert listed <= COLUMNS[table], listed - COLUMNS[table]
    assert COLUMNS[table] <= columns_of("dreamshot", table)


def test_every_seed_index_exists_under_its_name_and_kind():
    named = dict(re.findall(r"CREATE INDEX CONCURRENTLY (\w+)\s+ON (\w+)", SEED))
    assert len(named) == 9
    definitions = dict(
        query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'dreamshot'")
    )
    assert set(named) <= set(definitions)
    for name, table in named.items():
        assert re.search(rf"ON (ONLY )?dreamshot\.{table} ", definitions[name]), name
    assert "WHERE ((status)::text = 'ACTIVE'::text)" in definitions["idx_dreams_active"]
    assert "WHERE is_active" in definitions["idx_models_active"]
    for gin in re.findall(r"CREATE INDEX CONCURRENTLY (\w+)\s+ON \w+ USING GIN", SEED):
        assert "USING gin" in definitions[gin], gin
    # The "key optimizations" the seed names in prose.
    assert {
        "idx_ai_tests_provider_model",
        "idx_ai_tests_impossibility",
        "idx_ai_tests_created_at",
        "idx_dreams_category",
        "idx_dreams_public",
        "idx_dreams_status_filter",
        "idx_progress_avg_impossibility",
    } <= index_names()


def test_enumerated_columns_refuse_other_values():
    dream = DreamFactory()
    for statement in (
        "UPDATE dreamshot.dreams SET category = 'technology' WHERE id = %s",
        "UPDATE dreamshot.dreams SET status = 'active' WHERE id = %s",
    ):
        with (
            pytest.raises(IntegrityError, match=r"dreams_(category|status)_check"),
            transaction.atomic(),
        ):
            query(statement, [dream.pk])


def test_ai_tests_is_partitioned_by_month_with_the_seeds_names():
    (strategy, key), *_ = query(
        "SELECT p.partstrat, pg_get_partkeydef(p.partrelid) FROM pg_partitioned_table p "
        "WHERE p.partrelid = 'dreamshot.ai_tests'::regclass"
    )
    assert (strategy, key) == ("r", "RANGE (created_at)")
    (primary_key,) = query(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'dreamshot.ai_tests'::regclass AND contype = 'p'"
    )[0]
    assert primary_key == "PRIMARY KEY (id, created_at)"
    partitions = [row[0] for row in query(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = 'dreamshot.ai_tests'::regclass"
    )]  # fmt: skip
    assert partitions
    assert all(re.fullmatch(r"ai_tests_y\d{4}m\d{2}", name) for name in partitions)
    assert columns_of("dreamshot", "ai_tests_archive") == columns_of("dreamshot", "ai_tests")


@pytest.fixture
def tested_dream():
    dream = DreamFactory()
    AiTestFactory(dream=dream, impossibility_score=70)
    AiTestFactory(dream=dream, impossibility_score=50, provider="ANTHROPIC", model="claude")
    ProgressLogFactory(dream=dream, average_impossibility=60, improvement_trend=5)
    DreamFactory()  # another user's
    return dream


def test_dashboard_query(tested_dream):
    rows = seed_sql(seed_query("### 1. Fast User Dashboard Query"), [tested_dream.user_id])
    assert [(row[0], float(row[4]), float(row[5]), row[6]) for row in rows] == [
        (tested_dream.pk, 60.0, 5.0, 2)
    ]


def test_progress_visualization_query(tested_dream):
    rows = seed_sql(seed_query("### 2. Progress Visualization Query"), [tested_dream.pk])
    assert [(float(row[1]), float(row[2]), row[3]) for row in rows] == [(60.0, 50.0, 2)]


def test_model_comparison_and_category_queries(tested_dream):
    rows = seed_sql(seed_query("### 3. Model Comparison Analytics"))
    assert [(row[0], row[1], float(row[2]), row[5]) for row in rows] == [
        ("ANTHROPIC", "claude", 50.0, 1),
        ("OPENAI", "gpt-4o", 70.0, 1),
    ]
    rows = seed_sql(seed_query("### 4. Category Performance Analysis"))
    assert [(row[0], row[1], float(row[2]), row[3]) for row in rows] == [("TECHNOLOGY", 1, 60.0, 2)]


def test_cost_queries(tested_dream):
    rows = seed_sql(seed_query("### 1. Token Usage Tracking"))
    assert {(row[0], row[1], row[3]) for row in rows} == {
        (tested_dream.user.email, "OPENAI", 700),
        (tested_dream.user.email, "ANTHROPIC", 700),
    }
    AiTestFactory(dream=tested_dream, cost=55)
    rows = seed_sql(seed_query("### 2. Budget Alerts"))
    assert [(row[0], float(row[1])) for row in rows] == [(tested_dream.user_id, 55.006)]


def test_slow_query_and_cache_hit_queries_run_unchanged():
    rows = seed_sql(seed_query("#### 1. Slow Query Detection"))
    assert all(row[2] > 1000 for row in rows)  # the compatibility view's total_time
    ((metric, ratio),) = seed_sql(seed_query("#### 3. Cache Hit Ratio"))
    assert metric == "buffer_cache"
    assert 0 <= ratio <= 100


def test_index_usage_query_cannot_run_unchanged():
    """pg_stat_user_indexes names its columns relname and indexrelname (in every PostgreSQL
    version), and pg_catalog is searched before the search_path, so no view of ours can
    answer for it: the seed's query fails as written, and runs with those two names fixed."""
    seed = seed_query("#### 2. Index Usage Analysis")
    with pytest.raises(ProgrammingError, match="tablename"):
        seed_sql(seed)
    fixed = seed.replace("  tablename,", "  relname AS tablename,").replace(
        "  indexname,", "  indexrelname AS indexname,"
    )
    seed_sql(fixed)
