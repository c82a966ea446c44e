"""Celery end to end: a real worker and real beats on the test Redis, results in PostgreSQL."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask
from django_celery_results.models import TaskResult

from config import tasks
from config.beat import LeaderElectedScheduler
from config.celery_app import app as celery_app
from config.embeddings.backfill import pending_counts
from config.health import HEARTBEAT_KEY
from config.schedules import Crontab, PeriodicTaskSpec
from config.tasks import backfill_embeddings, cleanup_task_results, heartbeat
from personakit.tests.factories import NarrativeFactory

WAIT = 30.0  # upper bound for anything the worker or beat has to do; never a duration check

# The worker thread and the beats must see committed rows: these tests commit, and Django
# empties the tables afterwards.
committed_db = pytest.mark.django_db(transaction=True)


def wait_until(condition, *, tick=(), timeout=WAIT):
    """Poll ``condition`` (ticking the given schedulers between polls) until true or timeout."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        for scheduler in tick:
            scheduler.tick()
        time.sleep(0.05)


@pytest.fixture
def queue_name():
    """A queue no developer's worker consumes, even on a shared Redis."""
    return f"test-{uuid.uuid4().hex}"


@pytest.fixture
def broker():
    client = redis.Redis.from_url(celery_app.conf.broker_url)
    yield client
    client.close()


@pytest.fixture
def worker(queue_name):
    with start_worker(
        celery_app,
        queues=[queue_name],
        perform_ping_check=False,  # the ping task goes to the default queue, not ours
        shutdown_timeout=WAIT,
    ) as running:
        yield running


@pytest.fixture
def lock_key():
    return f"test:beat:leader:{uuid.uuid4().hex}"


@pytest.fixture
def make_beat(lock_key):
    """``make_beat()`` builds a scheduler on the shared test lock; all are closed afterwards."""
    made = []

    def make(**kwargs):
        kwargs.setdefault("lock_ttl", 1.0)
        beat = LeaderElectedScheduler(app=celery_app, lock_key=lock_key, max_interval=0.1, **kwargs)
        made.append(beat)
        return beat

    yield make
    for beat in made:
        beat.close()


# --- worker ---------------------------------------------------------------------------------


@committed_db
def test_worker_runs_the_heartbeat_end_to_end(worker, queue_name):
    result = heartbeat.s().set(queue=queue_name).delay()

    stamp = result.get(timeout=WAIT)

    assert cache.get(HEARTBEAT_KEY) == datetime.fromisoformat(stamp)
    row = TaskResult.objects.get(task_id=result.id)
    assert row.status == "SUCCESS"
    assert row.task_name == "lucid.heartbeat"


@committed_db
def test_beat_sends_a_periodic_task_the_worker_runs(worker, queue_name, make_beat):
    """The acceptance check in small: visible as a run count and a result row in the admin."""
    task = periodic_heartbeat(queue_name, every_seconds=1)
    results = TaskResult.objects.filter(periodic_task_name=task.name, status="SUCCESS")

    wait_until(results.exists, tick=[make_beat()])

    task.refresh_from_db()
    assert task.total_run_count >= 1
    assert task.last_run_at is not None
    assert cache.get(HEARTBEAT_KEY) is not None


# --- tasks ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_heartbeat_is_what_healthz_reports(client):
    stamp = heartbeat()

    worker_check = client.get("/healthz").json()["checks"]["worker"]

    assert worker_check["last_seen"] == stamp
    assert worker_check["age_seconds"] >= 0


@pytest.mark.django_db
def test_cleanup_task_results_deletes_expired_rows_and_keeps_recent_ones(monkeypatch):
    monkeypatch.setattr(tasks, "CLEANUP_BATCH_SIZE", 2)  # exercise several batches
    expiry = timedelta(seconds=settings.CELERY_RESULT_EXPIRES)
    now = timezone.now()
    for index in range(5):
        finished_result(f"old-{index}", done=now - expiry - timedelta(hours=1))
    finished_result("recent", done=now - expiry + timedelta(hours=1))

    assert cleanup_task_results() == 5
    assert list(TaskResult.objects.values_list("task_id", flat=True)) == ["recent"]
    assert cleanup_task_results() == 0


@pytest.mark.django_db
def test_cleanup_task_results_takes_an_explicit_age():
    finished_result("two-hours", done=timezone.now() - timedelta(hours=2))

    assert cleanup_task_results(older_than_seconds=3 * 3600) == 0
    assert cleanup_task_results(older_than_seconds=3600) == 1


def test_backfill_skips_while_another_run_holds_its_lock():
    cache.add(tasks.BACKFILL_LOCK_KEY, "running", timeout=60)

    assert backfill_embeddings() == {}
    assert cache.get(tasks.BACKFILL_LOCK_KEY) == "running"  # not ours to release


@pytest.mark.django_db
def test_backfill_runs_the_embedding_backfill_and_releases_its_lock():
    NarrativeFactory()  # a registered embedding column with a row still to embed
    pending = pending_counts()
    assert sum(pending.values()) == 1

    counts = backfill_embeddings()

    assert counts == pending  # every registered column, with the rows it embedded
    assert set(pending_counts().values()) <= {0}
    assert cache.get(tasks.BACKFILL_LOCK_KEY) is None


# --- the data migration ---------------------------------------------------------------------

EXPECTED_SCHEDULES = {
    "platform: worker heartbeat": ("lucid.heartbeat", "every 30 seconds"),
    "platform: backfill embeddings": ("lucid.backfill_embeddings", "every 600 seconds"),
    "platform: clean up task results": ("lucid.cleanup_task_results", "30 3 * * *"),
}


class PeriodicTasksMigration:
    """Runs ``lucid.0002_periodic_tasks`` the way ``migrate`` does, on its historical models."""

    node = ("lucid", "0002_periodic_tasks")

    def __init__(self):
        loader = MigrationLoader(connection)
        (self.operation,) = loader.get_migration(*self.node).operations
        self.before = loader.project_state(self.node, at_end=False)
        self.after = loader.project_state(self.node)

    def forwards(self):
        with connection.schema_editor() as editor:
            self.operation.database_forwards("lucid", editor, self.before, self.after)

    def backwards(self):
        with connection.schema_editor() as editor:
            self.operation.database_backwards("lucid", editor, self.after, self.before)


@pytest.mark.django_db
def test_periodic_tasks_migration_creates_the_schedules_idempotently():
    migration = PeriodicTasksMigration()
    migration.backwards()
    assert not PeriodicTask.objects.filter(name__in=EXPECTED_SCHEDULES).exists()

    migration.forwards()
    migration.forwards()

    created = PeriodicTask.objects.filter(name__in=EXPECTED_SCHEDULES)
    assert {task.name: (task.task, describe(task)) for task in created} == EXPECTED_SCHEDULES
    assert all(task.enabled and task.description for task in created)
    assert created.get(name="platform: clean up task results").crontab.timezone.key == "UTC"
    assert IntervalSchedule.objects.filter(every=30, period="seconds").count() == 1
    assert CrontabSchedule.objects.filter(minute="30", hour="3", day_of_week="*").count() == 1
    assert {task.task for task in created} <= set(celery_app.tasks)  # no typo'd task names


@pytest.mark.django_db
def test_rerunning_the_migration_keeps_run_history():
    migration = PeriodicTasksMigration()
    migration.forwards()
    PeriodicTask.objects.filter(name="platform: worker heartbeat").update(total_run_count=7)

    migration.forwards()

    assert PeriodicTask.objects.get(name="platform: worker heartbeat").total_run_count == 7


@pytest.mark.django_db
def test_unapplying_the_migration_keeps_schedules_other_tasks_use():
    migration = PeriodicTasksMigration()
    migration.forwards()
    shared = PeriodicTask.objects.get(name="platform: worker heartbeat").interval
    staff_task = PeriodicTask.objects.create(name="staff", task="lucid.heartbeat", interval=shared)

    migration.backwards()

    assert not PeriodicTask.objects.filter(name__in=EXPECTED_SCHEDULES).exists()
    staff_task.refresh_from_db()  # a schedule row's delete would have cascaded to it
    assert staff_task.interval_id == shared.pk


def test_a_spec_needs_exactly_one_schedule():
    with pytest.raises(ValueError, match="exactly one"):
        PeriodicTaskSpec(name="x", task="lucid.heartbeat")
    with pytest.raises(ValueError, match="exactly one"):
        PeriodicTaskSpec(name="x", task="lucid.heartbeat", every_seconds=5, crontab=Crontab())


# --- beat leader election -------------------------------------------------------------------


def record_sends(scheduler) -> list[str]:
    """Names of the entries this scheduler really sent (the send itself still happens)."""
    sent: list[str] = []
    send = scheduler.apply_async

    def apply_async(entry, *args, **kwargs):
        result = send(entry, *args, **kwargs)
        sent.append(entry.name)
        return result

    scheduler.apply_async = apply_async
    return sent


@committed_db
def test_only_the_leader_sends_and_a_follower_takes_over_when_it_closes(
    make_beat, lock_key, queue_name, broker
):
    periodic_heartbeat(queue_name, every_seconds=1)
    first, second = make_beat(), make_beat()
    sent = {first: record_sends(first), second: record_sends(second)}

    wait_until(lambda: len(sent[first]) + len(sent[second]) >= 2, tick=[first, second])

    leader, follower = (first, second) if first.is_leader else (second, first)
    assert sent[leader]
    assert sent[follower] == []
    assert not follower.is_leader
    assert broker.get(lock_key) == leader.token.encode()
    assert broker.llen(queue_name) == len(sent[leader])  # every recorded send is on the queue

    leader.close()
    assert broker.get(lock_key) is None
    wait_until(lambda: sent[follower], tick=[follower])

    assert follower.is_leader
    assert broker.get(lock_key) == follower.token.encode()


@committed_db
def test_a_dead_leaders_lease_lapses_and_it_cannot_renew_another_beats(
    make_beat, lock_key, queue_name, broker
):
    periodic_heartbeat(queue_name, every_seconds=1)
    first, second = make_beat(), make_beat()
    sent_by_first = record_sends(first)
    first.tick()
    second.tick()
    assert first.is_leader
    assert not second.is_leader

    # ``first`` stops ticking as if its process froze or died: its lease lapses.
    wait_until(lambda: second.is_leader, tick=[second])
    sends_before_waking = len(sent_by_first)
    first.tick()

    assert not first.is_leader
    assert len(sent_by_first) == sends_before_waking
    assert broker.get(lock_key) == second.token.encode()
    assert broker.pttl(lock_key) > 0


@committed_db
def test_a_new_leader_does_not_resend_what_a_dead_leader_just_sent(make_beat, queue_name):
    due = {periodic_heartbeat(queue_name, every_seconds=3600).name for _ in range(3)}
    first, second = make_beat(), make_beat()  # both read the schedule while the tasks are due
    sent_by_first, sent_by_second = record_sends(first), record_sends(second)
    wait_until(lambda: set(sent_by_first) == due, tick=[first, second])

    # ``first`` dies without closing (nothing flushed on the way out); its lease lapses.
    wait_until(lambda: second.is_leader, tick=[second])
    for _ in range(5):
        second.tick()

    assert sorted(sent_by_first) == sorted(due)
    assert sent_by_second == []


def test_the_lease_outlives_several_ticks():
    beat = LeaderElectedScheduler(app=celery_app, lazy=True, max_interval=20, lock_ttl=5)

    assert beat.lock_ttl >= 3 * beat.max_interval


# --- helpers --------------------------------------------------------------------------------


def periodic_heartbeat(queue: str, *, every_seconds: int) -> PeriodicTask:
    """A heartbeat due now, sent to ``queue``; only tasks sent there stay enabled."""
    PeriodicTask.objects.exclude(queue=queue).update(enabled=False)
    interval, _ = IntervalSchedule.objects.get_or_create(every=every_seconds, period="seconds")
    return PeriodicTask.objects.create(
        name=f"test heartbeat {uuid.uuid4().hex}",
        task="lucid.heartbeat",
        interval=interval,
        queue=queue,
        last_run_at=timezone.now() - timedelta(hours=2),
    )


def finished_result(task_id: str, *, done: datetime) -> TaskResult:
    row = TaskResult.objects.create(task_id=task_id, task_name="lucid.heartbeat", status="SUCCESS")
    TaskResult.objects.filter(pk=row.pk).update(date_done=done)  # date_done is auto_now
    return row


def describe(task: PeriodicTask) -> str:
    if task.interval:
        return f"every {task.interval.every} {task.interval.period}"
    cron = task.crontab
    return f"{cron.minute} {cron.hour} {cron.day_of_month} {cron.month_of_year} {cron.day_of_week}"
