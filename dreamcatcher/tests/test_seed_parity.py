"""The database carries the Dreamcatcher seed: read from the seed document itself."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

SEED = (Path(settings.BASE_DIR) / "tests" / "seeds" / "001_d849d680fcb7f6de.txt").read_text()
pytestmark = pytest.mark.django_db


def seed_tables() -> dict[str, set[str]]:
    tables = {}
    for name, body in re.findall(r"CREATE TABLE (\w+) \((.*?)\n\);", SEED, re.S):
        columns = {
            line.split()[0]
            for line in body.splitlines()
            if line.strip() and not line.strip().startswith(("PRIMARY KEY", "--", "LIKE"))
        }
        tables[name] = columns
    tables.pop("dreams_partitioned", None)  # an illustration of partitioning, not a table
    return tables


def query(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_every_seed_table_and_column_exists():
    for table, columns in seed_tables().items():
        schema = "public" if table == "users" else "dreamcatcher"
        found = {
            row[0]
            for row in query(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = %s AND table_name = %s",
                [schema, table],
            )
        }
        assert columns <= found, (table, columns - found)


def test_every_seed_index_exists_under_its_name():
    names = set(re.findall(r"CREATE (?:UNIQUE )?INDEX (\w+) ON (?!dreams_partitioned)", SEED))
    found = {row[0] for row in query("SELECT indexname FROM pg_indexes")}
    assert names - found == set()
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
