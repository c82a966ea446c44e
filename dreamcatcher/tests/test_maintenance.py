"""Scheduled upkeep: the dream_statistics refresh, the old-data cleanup, their tasks, commands
and periodic schedules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from config.celery_app import app as celery_app
from config.models import MaterializedViewRefresh
from dreamcatcher import tasks
from dreamcatcher.choices import ImplementationStatus, SyncSessionStatus
from dreamcatcher.models import DreamStatistics, Implementation, SyncSession
from dreamcatcher.services import maintenance
from dreamcatcher.tests.factories import (
    DocumentFactory,
    DreamFactory,
    FragmentFactory,
    ImplementationFactory,
    SyncSessionFactory,
    TodoFactory,
)

pytestmark = pytest.mark.django_db

SCHEDULES = {
    "dreamcatcher: refresh dream statistics": "dreamcatcher.refresh_dream_statistics",
    "dreamcatcher: clean up old data": "dreamcatcher.cleanup_old_data",
}


@pytest.fixture
def other_session_lock():
    """The refresh's advisory lock, held by another database session (another worker)."""
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_lock(hashtextextended(%s, 0))", [maintenance.STATISTICS_VIEW]
        )
    yield
    other.close()  # ends the session, and with it the lock


def _days_ago(days: int):
    return timezone.now() - timedelta(days=days)


# --- dream_statistics -------------------------------------------------------------------------


def test_refresh_shows_new_rows_and_records_when():
    dream = DreamFactory()
    FragmentFactory.create_batch(3, dream=dream)
    TodoFactory(dream=dream, status="completed")
    TodoFactory(dream=dream)
    DocumentFactory(dream=dream)
    before = timezone.now()

    result = maintenance.dream_statistics_refresh()

    assert result.refreshed
    row = DreamStatistics.objects.get(pk=dream.pk)
    assert (row.fragment_count, row.todo_count, row.completed_todos, row.document_count) == (
        3,
        2,
        1,
        1,
    )
    assert result.row_count == DreamStatistics.objects.count()
    record = MaterializedViewRefresh.objects.get(view_name="dreamcatcher.dream_statistics")
    assert record.refreshed_at >= before - timedelta(seconds=1)  # now() is the transaction's
    assert result.refreshed_at == record.refreshed_at
    assert result.duration_ms == record.duration_ms >= 0


def test_refresh_is_concurrent_so_the_view_has_a_unique_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'dreamcatcher' "
            "AND tablename = 'dream_statistics' AND indexdef LIKE 'CREATE UNIQUE INDEX%%'"
        )
        assert cursor.fetchall(), "REFRESH ... CONCURRENTLY needs a unique index"
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'refresh_dream_statistics'")
        assert "CONCURRENTLY" in cursor.fetchone()[0]
    DreamFactory()
    assert maintenance.dream_statistics_refresh().refreshed
    DreamFactory()
    assert maintenance.dream_statistics_refresh().row_count == DreamStatistics.objects.count()


def test_refresh_skips_while_another_session_refreshes(other_session_lock):
    dream = DreamFactory()

    result = maintenance.dream_statistics_refresh()

    assert result == maintenance.StatisticsRefresh(refreshed=False)
    assert not DreamStatistics.objects.filter(pk=dream.pk).exists()


def test_refresh_task_reports_what_it_did(other_session_lock):
    assert tasks.refresh_dream_statistics.apply().get() == {
        "refreshed": False,
        "row_count": None,
        "duration_ms": None,
        "refreshed_at": None,
    }


def test_refresh_task_and_command(capsys):
    DreamFactory.create_batch(2)

    outcome = tasks.refresh_dream_statistics.apply().get()

    assert outcome["refreshed"]
    assert outcome["row_count"] == DreamStatistics.objects.count()
    call_command("refresh_dream_statistics")
    out = capsys.readouterr().out
    assert f"{DreamStatistics.objects.count()} rows" in out
    assert " ms:" in out


def test_refresh_command_says_when_it_skipped(other_session_lock, capsys):
    call_command("refresh_dream_statistics")
    assert "skipped" in capsys.readouterr().out


# --- cleanup ----------------------------------------------------------------------------------


def test_cleanup_deletes_only_old_sessions_and_old_completed_implementations():
    old_session = SyncSessionFactory(started_at=_days_ago(31))
    recent_session = SyncSessionFactory(started_at=_days_ago(29), status=SyncSessionStatus.FAILED)
    old_done, old_running, recent_done = ImplementationFactory.create_batch(3)
    Implementation.objects.filter(pk__in=[old_done.pk, old_running.pk]).update(
        created_at=_days_ago(91)
    )
    Implementation.objects.filter(pk=recent_done.pk).update(created_at=_days_ago(89))
    Implementation.objects.exclude(pk=old_running.pk).update(status=ImplementationStatus.COMPLETED)
    Implementation.objects.filter(pk=old_running.pk).update(status=ImplementationStatus.IN_PROGRESS)

    result = maintenance.old_data_cleanup()

    assert result == maintenance.Cleanup(sync_sessions=1, implementations=1)
    assert not SyncSession.objects.filter(pk=old_session.pk).exists()
    assert SyncSession.objects.filter(pk=recent_session.pk).exists()
    assert set(Implementation.objects.values_list("pk", flat=True)) == {
        old_running.pk,
        recent_done.pk,
    }
    assert maintenance.old_data_cleanup() == maintenance.Cleanup(0, 0)  # nothing left to do


def test_cleanup_task_and_command(capsys):
    SyncSessionFactory(started_at=_days_ago(40))
    assert tasks.cleanup_old_data.apply().get() == {"sync_sessions": 1, "implementations": 0}

    SyncSessionFactory.create_batch(2, started_at=_days_ago(35))
    call_command("cleanup_dreamcatcher")

    out = capsys.readouterr().out
    assert "Deleted 2 sync session(s) older than 30 days" in out
    assert "0 completed implementation(s) older than 90 days" in out


# --- schedules --------------------------------------------------------------------------------


class PeriodicTasksMigration:
    """Runs ``dreamcatcher.0007_periodic_tasks`` the way ``migrate`` does."""

    node = ("dreamcatcher", "0007_periodic_tasks")

    def __init__(self):
        loader = MigrationLoader(connection)
        (self.operation,) = loader.get_migration(*self.node).operations
        self.before = loader.project_state(self.node, at_end=False)
        self.after = loader.project_state(self.node)

    def forwards(self):
        with connection.schema_editor() as editor:
            self.operation.database_forwards("dreamcatcher", editor, self.before, self.after)

    def backwards(self):
        with connection.schema_editor() as editor:
            self.operation.database_backwards("dreamcatcher", editor, self.after, self.before)


def test_the_migration_schedules_both_tasks():
    migration = PeriodicTasksMigration()
    migration.backwards()
    assert not PeriodicTask.objects.filter(name__in=SCHEDULES).exists()

    migration.forwards()
    migration.forwards()  # idempotent

    scheduled = {task.name: task for task in PeriodicTask.objects.filter(name__in=SCHEDULES)}
    assert {name: task.task for name, task in scheduled.items()} == SCHEDULES
    assert set(SCHEDULES.values()) <= set(celery_app.tasks)  # no typo'd task names
    refresh = scheduled["dreamcatcher: refresh dream statistics"]
    assert (refresh.interval.every, refresh.interval.period) == (300, "seconds")
    cleanup = scheduled["dreamcatcher: clean up old data"].crontab
    assert (cleanup.minute, cleanup.hour, str(cleanup.timezone)) == ("15", "4", "UTC")
    assert all(task.enabled and task.description for task in scheduled.values())
