"""Reading the seed documents (copies in tests/seeds/) for parity tests."""

from __future__ import annotations

import re
from pathlib import Path

from django.db import connection

SEEDS = Path(__file__).resolve().parent / "seeds"


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text()


def seed_tables(text: str, *, skip: tuple[str, ...] = ()) -> dict[str, set[str]]:
    """``CREATE TABLE name (...)`` blocks: table name → column names."""
    tables = {}
    for name, body in re.findall(r"CREATE TABLE (\w+) \((.*?)\n\);", text, re.S):
        if name in skip:
            continue
        tables[name] = {
            line.split()[0]
            for line in body.splitlines()
            if line.strip() and not line.strip().startswith(("PRIMARY KEY", "UNIQUE", "--", "LIKE"))
        }
    return tables


def seed_index_names(text: str, *, skip_tables: tuple[str, ...] = ()) -> set[str]:
    return {
        name
        for name, table in re.findall(r"CREATE (?:UNIQUE )?INDEX (\w+) ON (\w+)", text)
        if table not in skip_tables
    }


def query(sql: str, params: tuple | list = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def columns_of(schema: str, table: str) -> set[str]:
    return {
        row[0]
        for row in query(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s",
            [schema, table],
        )
    }


def index_names() -> set[str]:
    return {row[0] for row in query("SELECT indexname FROM pg_indexes")}
