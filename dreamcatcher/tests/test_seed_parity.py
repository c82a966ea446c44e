"""The database carries the Dreamcatcher seed: read from the seed document itself."""

import re

import pytest

from tests.seed_checks import (
    columns_of,
    index_names,
    query,
    seed_index_names,
    seed_tables,
    seed_text,
)

SEED = seed_text("001_d849d680fcb7f6de.txt")
pytestmark = pytest.mark.django_db


def test_every_seed_table_and_column_exists():
    tables = seed_tables(SEED, skip=("dreams_partitioned",))  # partitioning illustration
    assert len(tables) == 10
    for table, columns in tables.items():
        schema = "public" if table == "users" else "dreamcatcher"
        assert columns <= columns_of(schema, table), (table, columns - columns_of(schema, table))


def test_every_seed_index_exists_under_its_name():
    names = seed_index_names(SEED, skip_tables=("dreams_partitioned",))
    assert names - index_names() == set()
    assert len(names) > 40


def test_gin_indexes_on_jsonb_columns():
    gin = re.findall(r"CREATE INDEX (\w+) ON \w+ USING GIN", SEED)
    defs = dict(query("SELECT indexname, indexdef FROM pg_indexes"))
    assert gin
    assert all("USING gin" in defs[name] for name in gin)


def test_every_seed_policy_view_and_function_exists():
    policies = set(re.findall(r"CREATE POLICY (\w+)", SEED))
    found = {row[0] for row in query("SELECT policyname FROM pg_policies")}
    assert policies <= found
    views = set(re.findall(r"CREATE (?:MATERIALIZED )?VIEW (\w+)", SEED))
    found = {
        row[0]
        for row in query(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'dreamcatcher' AND c.relkind IN ('v', 'm')"
        )
    }
    assert views <= found
    functions = set(re.findall(r"CREATE OR REPLACE FUNCTION (\w+)", SEED))
    found = {
        row[0]
        for row in query(
            "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'dreamcatcher'"
        )
    }
    assert functions <= found


def test_rls_is_enabled_on_the_seed_tables():
    tables = set(re.findall(r"ALTER TABLE (\w+) ENABLE ROW LEVEL SECURITY", SEED))
    enabled = {
        row[0]
        for row in query(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'dreamcatcher' AND c.relrowsecurity"
        )
    }
    assert tables == enabled


def test_default_brands_and_tags_have_the_seed_values():
    for table in ("brands", "tags"):
        block = re.search(rf"INSERT INTO {table} \((.*?)\) VALUES\n(.*?);", SEED, re.S)
        columns = [c.strip() for c in block.group(1).split(",")]
        expected = {tuple(re.findall(r"'([^']*)'", row)) for row in block.group(2).splitlines()}
        rows = query(f'SELECT {", ".join(columns)} FROM "dreamcatcher"."{table}"')
        assert expected <= set(rows), expected - set(rows)
