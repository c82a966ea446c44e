"""``manage.py backup`` and ``restore`` with the wheel's pg_dump and pg_restore: a backup
restored into a fresh cluster holds every row, vectors included; a bad restore changes nothing.
"""

import shutil
import uuid

import numpy as np
import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from config import embedded
from config.database.backups import restore_database
from config.embeddings import EMBEDDING_DIMENSIONS
from dreamcatcher.tests.factories import DreamFactory, TodoFactory
from personakit.models import Narrative
from personakit.tests.factories import NarrativeFactory, ObservationFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCHEMAS = ("public", "dreamcatcher", "personakit")
TABLES = f"""
    SELECT table_schema, table_name FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND table_schema IN {SCHEMAS}
    ORDER BY 1, 2
"""


def row_counts(cursor) -> dict[str, int]:
    cursor.execute(TABLES)
    counts = {}
    for schema, table in cursor.fetchall():
        cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')
        counts[f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def fresh_cluster():
    # Beside the test cluster, not in pytest's tmp_path: the server runs as another user
    # when the tests run as root, and pytest keeps its temporary directories private.
    data_dir = settings.DATA_DIR / f"restore-{uuid.uuid4().hex[:8]}"
    yield embedded.postgres_url(data_dir)
    embedded.postgres_stop(data_dir)
    shutil.rmtree(data_dir)


def test_a_backup_restored_into_a_fresh_cluster_holds_every_row(tmp_path, fresh_cluster):
    for dream in DreamFactory.create_batch(3):
        TodoFactory.create_batch(2, dream=dream)
    ObservationFactory.create_batch(4)
    vector = np.random.default_rng(7).random(EMBEDDING_DIMENSIONS, dtype=np.float32)
    narrative = NarrativeFactory()
    Narrative.objects.filter(pk=narrative.pk).update(embedding=vector)
    with connection.cursor() as cursor:
        expected = row_counts(cursor)
    assert expected["dreamcatcher.todos"] == 6

    backup = tmp_path / "lucid.dump"
    call_command("backup", output=backup, stdout=open(tmp_path / "log", "w"))  # noqa: SIM115
    assert backup.stat().st_size > 0
    assert "dreamcatcher.todos" in (tmp_path / "log").read_text()  # a progress line per table

    restore_database(fresh_cluster, backup)

    with psycopg.connect(fresh_cluster) as conn, conn.cursor() as cursor:
        assert row_counts(cursor) == expected
        cursor.execute(
            "SELECT embedding::text FROM personakit.narratives WHERE id = %s", [narrative.pk]
        )
        restored = np.array(cursor.fetchone()[0].strip("[]").split(","), dtype=np.float32)
    assert np.array_equal(restored, vector)


def test_restore_asks_for_confirmation_and_a_bad_file_changes_nothing(tmp_path):
    DreamFactory.create_batch(2)
    with connection.cursor() as cursor:
        before = row_counts(cursor)
    garbage = tmp_path / "not-a-backup.dump"
    garbage.write_bytes(b"PGDMP but not really")

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(garbage))
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore", str(garbage), yes=True)
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore", str(tmp_path / "missing.dump"), yes=True)

    with connection.cursor() as cursor:
        assert row_counts(cursor) == before
