"""The database matches the seeds: schemas per app, public.users, its indexes, pgvector."""

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction

from tests.factories import UserFactory

SEED_USER_COLUMNS = {
    "id": "uuid",
    "email": "character varying",
    "username": "character varying",
    "full_name": "character varying",
    "avatar_url": "character varying",
    "preferences": "jsonb",
    "created_at": "timestamp with time zone",
    "updated_at": "timestamp with time zone",
    "last_login": "timestamp with time zone",
    "is_active": "boolean",
    "is_verified": "boolean",
}


def query(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


@pytest.mark.django_db
def test_every_app_has_its_schema():
    schemas = {row[0] for row in query("SELECT nspname FROM pg_namespace")}
    assert set(settings.LUCID_APPS) <= schemas


@pytest.mark.django_db
def test_vector_extension_is_installed():
    assert query("SELECT extversion FROM pg_extension WHERE extname = 'vector'")[0][0] >= "0.8"


@pytest.mark.django_db
def test_users_has_the_seed_columns():
    columns = dict(
        query(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name = 'users'"
        )
    )
    assert {name: columns.get(name) for name in SEED_USER_COLUMNS} == SEED_USER_COLUMNS


@pytest.mark.django_db
def test_users_has_the_seed_indexes():
    indexes = dict(query("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'users'"))
    for name in ("email", "username", "created_at", "is_active"):
        assert f"idx_users_{name}" in indexes
    assert "USING gin (preferences)" in indexes["idx_users_preferences"]


@pytest.mark.django_db
def test_users_defaults_hold_for_raw_sql_writers():
    query(
        "INSERT INTO users (email, username, password, is_superuser) VALUES "
        "('raw@example.com', 'raw', '!', false)"
    )
    row = query(
        "SELECT id, preferences, is_active, is_verified, is_staff, created_at "
        "FROM users WHERE username = 'raw'"
    )[0]
    assert row[0] is not None
    assert row[1:5] == ("{}", True, False, False)  # Django reads jsonb as text in raw SQL
    assert row[5] is not None


@pytest.mark.django_db
def test_updated_at_is_stamped_by_the_database():
    user = UserFactory()
    stamped, started, finished = query(
        "UPDATE users SET full_name = 'x', updated_at = '2000-01-01' WHERE id = %s "
        "RETURNING updated_at, now(), clock_timestamp()",
        [user.pk],
    )[0]
    assert started <= stamped <= finished  # the writer's value is replaced by the statement's time


@pytest.mark.django_db
def test_email_and_username_are_unique():
    UserFactory(username="same", email="same@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        query(
            "INSERT INTO users (email, username, password, is_superuser) VALUES "
            "('same@example.com', 'other', '!', false)"
        )
