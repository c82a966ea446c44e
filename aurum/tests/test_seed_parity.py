"""The database carries the Aurum Life seed, read from the seed document itself: every table,
column, named constraint and index, the generated column, the cascades to users, and the
materialized view answering and refreshing concurrently on the seed's search path."""

import re

import pytest
from django.db import connection

from aurum.tests.factories import TaskFactory
from tests.seed_checks import columns_of, index_names, query, seed_text

SEED = seed_text("003_180d665918f5ea27.txt")
pytestmark = pytest.mark.django_db

NEW_TABLES = {"insights", "daily_reflections", "ai_conversation_memory", "time_entries",
              "user_behavior_patterns", "user_statistics_cache", "audit_log"}  # fmt: skip
BASE_TABLES = {"pillars", "areas", "projects", "tasks", "journal_entries", "user_profiles",
               "user_stats"}  # fmt: skip


def created_tables() -> dict[str, set[str]]:
    tables = {}
    for name, body in re.findall(r"CREATE TABLE public\.(\w+) \((.*?)\n\);", SEED, re.S):
        tables[name] = {
            line.split()[0]
            for line in body.splitlines()
            if re.match(r"\s+[a-z_]+ [A-Z]", line) and not line.strip().startswith("CONSTRAINT")
        }
    return tables


def altered_columns() -> dict[str, set[str]]:
    columns: dict[str, set[str]] = {}
    for table, body in re.findall(r"ALTER TABLE public\.(\w+)\s+(.*?);", SEED, re.S):
        columns.setdefault(table, set()).update(re.findall(r"ADD COLUMN (\w+)", body))
    return columns


def test_every_seed_table_and_column_exists_in_schema_aurum():
    tables = created_tables()
    assert set(tables) == NEW_TABLES
    for table, columns in tables.items():
        assert columns <= columns_of("aurum", table), (table, columns - columns_of("aurum", table))
    altered = altered_columns()
    assert set(altered) == BASE_TABLES - {"pillars"}  # the seed never alters pillars
    for table, columns in altered.items():
        assert columns <= columns_of("aurum", table), (table, columns - columns_of("aurum", table))
    for table in BASE_TABLES:
        assert {"id", "user_id", "created_at"} <= columns_of("aurum", table)


def test_every_seed_index_exists_under_its_name():
    names = set(re.findall(r"CREATE (?:UNIQUE )?INDEX (\w+)\s+ON", SEED))
    assert len(names) == 26
    assert names - index_names() == set()


def test_special_indexes_are_what_the_seed_says():
    definitions = dict(
        query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'aurum'")
    )
    for name in ("idx_journal_content_embedding", "idx_task_description_embedding",
                 "idx_project_embedding", "idx_reflection_embedding",
                 "idx_conversation_embedding"):  # fmt: skip
        assert "USING hnsw" in definitions[name], name
        assert "vector_cosine_ops" in definitions[name], name
    assert "m='16'" in definitions["idx_journal_content_embedding"]
    assert "ef_construction='64'" in definitions["idx_journal_content_embedding"]
    partial = definitions["idx_task_description_embedding"]
    assert "WHERE ((description IS NOT NULL) AND (description <> ''::text))" in partial
    hrm = definitions["idx_tasks_hrm_priority"]
    assert "hrm_priority_score DESC" in hrm
    assert "WHERE (NOT completed)" in hrm
    assert "(user_id, pillar_id, area_id, project_id)" in definitions["idx_tasks_hierarchy"]
    assert "WHERE is_active" in definitions["idx_time_entries_active"]
    assert "WHERE (expires_at IS NOT NULL)" in definitions["idx_insights_expiry"]


def test_named_constraints_and_seed_checks_exist():
    checks = dict(
        query(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE connamespace = 'aurum'::regnamespace AND contype IN ('c', 'u')"
        )
    )
    for name in ("chk_task_status", "chk_task_priority", "chk_project_status",
                 "chk_project_priority", "chk_area_importance", "chk_project_importance",
                 "chk_completion_percentage", "unique_user_date",
                 "unique_user_stat_date"):  # fmt: skip
        assert name in checks, name
    assert "'urgent'" in checks["chk_task_priority"]
    assert "'on_hold'" in checks["chk_project_status"]
    assert "'very_high'" in checks["tasks_energy_level_at_start_check"]
    assert "'enterprise'" in checks["user_profiles_user_tier_check"]
    assert "'optimization_suggestion'" in checks["insights_insight_type_check"]
    assert "'overwhelmed'" in checks["daily_reflections_mood_check"]
    assert "'break_frequency'" in checks["user_behavior_patterns_pattern_type_check"]


def test_duration_minutes_is_generated_as_the_seed_writes():
    ((generated, expression),) = query(
        "SELECT is_generated, generation_expression FROM information_schema.columns "
        "WHERE table_schema = 'aurum' AND table_name = 'time_entries' "
        "AND column_name = 'duration_minutes'"
    )
    assert generated == "ALWAYS"
    assert "EXTRACT(epoch FROM (end_time - start_time)) / (60)" in expression


def test_every_user_id_references_users_on_delete_cascade():
    rows = query(
        "SELECT c.conrelid::regclass::text, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "WHERE c.contype = 'f' AND c.connamespace = 'aurum'::regnamespace "
        "AND a.attname = 'user_id'"
    )
    tables = {table for table, _ in rows}
    assert {f"aurum.{name}" for name in NEW_TABLES | BASE_TABLES} <= tables
    for table, definition in rows:
        assert "REFERENCES users(id) ON DELETE CASCADE" in definition, (table, definition)


def test_hierarchy_view_answers_and_refreshes_concurrently_on_the_seed_search_path():
    task = TaskFactory()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL search_path TO aurum, public")
        cursor.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY hierarchy_view")
        cursor.execute(
            "SELECT task_name, project_name, area_name, pillar_name FROM hierarchy_view "
            "WHERE user_id = %s",
            [task.user_id],
        )
        assert cursor.fetchall() == [
            (task.name, task.project.name, task.project.area.name, task.project.area.pillar.name)
        ]
        cursor.execute("SET LOCAL search_path TO DEFAULT")
