"""The database carries the PersonaKit seed: read from the seed document itself."""

import pytest

from tests.seed_checks import (
    columns_of,
    index_names,
    query,
    seed_index_names,
    seed_tables,
    seed_text,
)

SEED = seed_text("002_65e471a7360a5187.txt")
pytestmark = pytest.mark.django_db


def test_every_seed_table_and_column_exists():
    tables = seed_tables(SEED)
    # The seed's "users" (API access) is carried as personakit.api_keys; accounts are public.users.
    api_access = tables.pop("users")
    assert len(tables) == 9
    for table, columns in tables.items():
        assert columns <= columns_of("personakit", table), (
            table,
            columns - columns_of("personakit", table),
        )
    assert {"api_key_hash", "is_active", "created_at", "last_used_at"} <= columns_of(
        "personakit", "api_keys"
    )
    assert {"id", "email"} <= columns_of("public", "users")
    assert api_access


def test_every_seed_index_exists_under_its_name():
    names = seed_index_names(SEED)
    assert len(names) >= 13
    assert names - index_names() == set()


def test_special_indexes_are_what_the_seed_says():
    definitions = dict(query("SELECT indexname, indexdef FROM pg_indexes"))
    assert "USING hnsw (embedding vector_cosine_ops)" in definitions["idx_narratives_embedding"]
    assert "USING gin (tags)" in definitions["idx_narratives_tags"]
    assert definitions["idx_mapper_configs_active"].startswith("CREATE UNIQUE INDEX")
    assert "WHERE ((status)::text = 'active'::text)" in definitions["idx_mapper_configs_active"]
    assert definitions["idx_mindscapes_person"].startswith("CREATE UNIQUE INDEX")
    assert "created_at DESC" in definitions["idx_observations_person_created"]
    assert "created_at DESC" in definitions["idx_feedback_created"]


def test_seed_check_constraints_exist():
    checks = " ".join(
        row[0]
        for row in query(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'c' AND connamespace = 'personakit'::regnamespace"
        )
    )
    expected = ["self_observation", "curation", "extracted_from", "contradicts", "confidence",
                "'draft'", "'deprecated'", "rating", "'in_progress'"]  # fmt: skip
    for fragment in expected:
        assert fragment in checks, fragment
