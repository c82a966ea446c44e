"""The outbox as the platform's durable queue: enqueue, drain, retry, reclaim, crash safety."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from config import outbox
from config.celery_app import app as celery_app
from config.outbox import (
    drain,
    enqueue,
    outbox_discard,
    outbox_health,
    outbox_retry,
    retry_delay,
)
from config.platform_models import get_outbox_model
from config.tasks import drain_outbox
from tests import outbox_handlers as helpers
from tests.outbox_handlers import EFFECT_TASK, FAILING_TASK, effects
from tests.stack import database_url_of_this_test

WAIT = 30.0  # an upper bound for anything another thread or process has to do

committed_db = pytest.mark.django_db(transaction=True)
OutboxTask = get_outbox_model()
SEND_KICK = outbox._send_kick  # the real one, before ``kicks`` replaces it in each test


@pytest.fixture(autouse=True)
def kicks(monkeypatch):
    """Kicks that would have gone to the broker (no test leaves messages on Redis)."""
    sent: list[None] = []
    monkeypatch.setattr(outbox, "_send_kick", lambda: sent.append(None))
    return sent


@pytest.fixture
def broker_down(monkeypatch):
    """Kicks really sent, to a broker address where nothing listens (Redis down)."""
    with socket.socket() as probe:  # free a moment ago, so nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr(outbox, "_send_kick", SEND_KICK)
    monkeypatch.setattr(celery_app.conf, "broker_url", f"redis://127.0.0.1:{port}/0")
    # Pooled connections would still reach the real broker: start from empty pools.
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    yield
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()


@pytest.fixture
def handlers():
    with helpers.registered(max_failing_attempts=3):
        yield


@pytest.fixture
def effects_table(db, handlers):
    helpers.create_effects_table()
    yield
    helpers.drop_effects_table()


def db_now():
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


def enqueue_effects(count: int, **payload) -> list:
    return [enqueue(EFFECT_TASK, {"key": str(uuid.uuid4()), **payload}).pk for _ in range(count)]


def make_due(task) -> None:
    OutboxTask.objects.filter(pk=task.pk).update(run_after=timezone.now() - timedelta(seconds=1))


def wait_until(condition, *, process=None, timeout=WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process is not None:
            assert process.poll() is None, process.stdout.read()
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


# --- enqueue ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_enqueue_in_a_transaction_that_rolls_back_leaves_no_task(handlers, kicks):
    def change_that_fails():
        with transaction.atomic():
            enqueue(EFFECT_TASK, {"key": "k"})
            raise RuntimeError("the caller's change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()

    assert not OutboxTask.objects.exists()
    assert kicks == []


@pytest.mark.django_db
def test_enqueue_writes_a_due_pending_task_and_kicks_once_after_commit(
    handlers, kicks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue(EFFECT_TASK, {"key": "a"})
        enqueue(EFFECT_TASK, {"key": "b"})
        assert kicks == []  # nothing before the commit

    assert kicks == [None]  # debounced: two commits within a second, one kick
    assert (first.status, first.attempts, first.payload) == ("pending", 0, {"key": "a"})
    assert first.run_after <= db_now()


@pytest.mark.django_db
def test_enqueue_for_later_does_not_kick(handlers, kicks, django_capture_on_commit_callbacks):
    later = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        task = enqueue(EFFECT_TASK, {"key": "a"}, run_after=later)

    assert task.run_after == later
    assert kicks == []


@pytest.mark.django_db
def test_enqueue_rejects_programming_errors(handlers):
    with pytest.raises(ValueError, match="no outbox handler"):
        enqueue("nobody.handles.this", {})
    with pytest.raises(ValueError, match="JSON-serialisable"):
        enqueue(EFFECT_TASK, {"when": timezone.now()})
    with pytest.raises(ValueError, match="must be a dict"):
        enqueue(EFFECT_TASK, ["key"])

    assert not OutboxTask.objects.exists()


@committed_db
def test_a_broker_outage_does_not_break_the_callers_commit(handlers, broker_down, caplog):
    with caplog.at_level(logging.WARNING, logger="config.outbox"), transaction.atomic():
        task = enqueue(EFFECT_TASK, {"key": "k"})
    # The kick ran on commit, failed, and was only logged: the task waits for beat.

    assert OutboxTask.objects.get(pk=task.pk).status == "pending"
    assert "could not kick the outbox drainer; beat will drain" in caplog.text
    assert any(record.exc_info for record in caplog.records)  # with the broker's error


# --- drain -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_drain_runs_handlers_and_marks_tasks_done(effects_table):
    ids = enqueue_effects(3)

    report = drain(worker_id="w1")

    assert report.as_dict() == {"claimed": 3, "done": 3, "retried": 0, "failed": 0, "lost": 0}
    tasks = OutboxTask.objects.filter(pk__in=ids)
    assert {(t.status, t.attempts, t.claimed_by) for t in tasks} == {("done", 1, "w1")}
    assert all(t.completed_at and t.lease_expires_at is None for t in tasks)
    assert sorted(effects().values()) == [1, 1, 1]
    assert drain().claimed == 0


@pytest.mark.django_db
def test_drain_takes_at_most_a_batch_oldest_first(effects_table):
    ids = enqueue_effects(3)
    OutboxTask.objects.filter(pk=ids[2]).update(run_after=timezone.now() - timedelta(hours=1))

    assert drain(batch_size=1).done == 1

    assert OutboxTask.objects.get(pk=ids[2]).status == "done"
    assert OutboxTask.objects.filter(status="pending").count() == 2


@pytest.mark.django_db
def test_a_failing_handler_is_rolled_back_and_retried_with_backoff(effects_table):
    task = enqueue(FAILING_TASK, {"key": str(uuid.uuid4())})
    before = db_now()

    report = drain()

    after = db_now()
    assert (report.retried, report.done, report.failed) == (1, 0, 0)
    assert effects() == {}  # the handler's write rolled back with it
    task.refresh_from_db()
    assert (task.status, task.attempts, task.completed_at) == ("pending", 1, None)
    assert task.last_error == f"RuntimeError: boom {task.payload['key']}"
    low, high = retry_delay_bounds(1)
    assert before + timedelta(seconds=low) <= task.run_after <= after + timedelta(seconds=high)
    assert drain().claimed == 0  # not due yet


@pytest.mark.django_db
def test_past_max_attempts_a_task_fails(effects_table):
    task = enqueue(FAILING_TASK, {"key": str(uuid.uuid4())})
    outcomes = []
    for _ in range(3):  # the fixture registers the failing handler with max_attempts=3
        make_due(task)
        outcomes.append(drain())

    assert [(r.retried, r.failed) for r in outcomes] == [(1, 0), (1, 0), (0, 1)]
    task.refresh_from_db()
    assert (task.status, task.attempts) == ("failed", 3)
    assert task.last_error.startswith("RuntimeError: boom")
    make_due(task)
    assert drain().claimed == 0  # failed tasks wait for staff
    assert effects() == {}


@pytest.mark.django_db
def test_a_task_without_a_handler_fails_with_a_clear_error(handlers):
    task = OutboxTask.objects.create(task_type="nobody.handles.this", payload={})

    report = drain()

    assert (report.claimed, report.failed) == (1, 1)
    task.refresh_from_db()
    assert task.status == "failed"
    assert task.last_error == "no outbox handler registered for task type 'nobody.handles.this'"


@pytest.mark.django_db
def test_an_in_progress_task_whose_lease_expired_is_reclaimed(effects_table):
    expired, alive = (
        OutboxTask.objects.create(
            task_type=EFFECT_TASK,
            payload={"key": str(uuid.uuid4())},
            status="in_progress",
            attempts=1,
            claimed_by="dead-worker",
            lease_expires_at=timezone.now() + lease,
        )
        for lease in (timedelta(minutes=-1), timedelta(minutes=5))
    )

    report = drain(worker_id="w2")

    assert (report.claimed, report.done) == (1, 1)
    expired.refresh_from_db()
    alive.refresh_from_db()
    assert (expired.status, expired.attempts, expired.claimed_by) == ("done", 2, "w2")
    assert (alive.status, alive.claimed_by) == ("in_progress", "dead-worker")
    assert effects() == {expired.payload["key"]: 1}


@pytest.mark.django_db
def test_a_drainer_whose_claim_was_taken_over_does_not_run_the_task(effects_table):
    enqueue_effects(1)
    (stale,) = outbox._claim(batch_size=1, worker_id="slow", lease_seconds=0)

    assert drain(worker_id="fast").done == 1  # the lease ran out: reclaimed and done

    assert outbox._run(stale, worker_id="slow") == "lost"
    assert list(effects().values()) == [1]


@pytest.mark.django_db
def test_a_drain_stopped_early_hands_back_the_tasks_it_never_ran(effects_table, monkeypatch):
    ids = enqueue_effects(3)

    def interrupted(claim, *, worker_id):
        raise KeyboardInterrupt

    monkeypatch.setattr(outbox, "_run", interrupted)
    with pytest.raises(KeyboardInterrupt):
        drain()

    tasks = OutboxTask.objects.filter(pk__in=ids)
    assert {(t.status, t.attempts) for t in tasks} == {("pending", 0)}


def retry_delay_bounds(attempts: int) -> tuple[float, float]:
    ceiling = min(3600, 2**attempts)
    return ceiling / 2, ceiling


@pytest.mark.parametrize("attempts", [1, 2, 5, 11, 12, 40])
def test_retry_delay_grows_exponentially_with_jitter_up_to_an_hour(attempts):
    low, high = retry_delay_bounds(attempts)

    assert all(low <= retry_delay(attempts) <= high for _ in range(50))


# --- staff services and the dashboard --------------------------------------------------------


@pytest.mark.django_db
def test_staff_retry_makes_failed_tasks_due_and_keeps_attempts(
    handlers, kicks, django_capture_on_commit_callbacks
):
    failed = OutboxTask.objects.create(
        task_type=EFFECT_TASK, payload={}, status="failed", attempts=8, last_error="x"
    )
    done = OutboxTask.objects.create(task_type=EFFECT_TASK, payload={}, status="done")

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_retry([failed.pk, done.pk]) == 1

    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("pending", 8)
    assert failed.run_after <= db_now()
    assert OutboxTask.objects.get(pk=done.pk).status == "done"
    assert kicks == [None]


@pytest.mark.django_db
def test_staff_discard_fails_pending_tasks_and_keeps_real_errors(handlers):
    pending = OutboxTask.objects.create(task_type=EFFECT_TASK, payload={})
    failed = OutboxTask.objects.create(
        task_type=EFFECT_TASK, payload={}, status="failed", last_error="ValueError: real"
    )

    assert outbox_discard([str(pending.pk), failed.pk]) == 1

    pending.refresh_from_db()
    assert (pending.status, pending.last_error) == ("failed", "discarded by staff")
    assert OutboxTask.objects.get(pk=failed.pk).last_error == "ValueError: real"
    assert drain().claimed == 0


@pytest.mark.django_db
def test_health_counts_by_status_and_ages_the_oldest_due_task():
    assert outbox_health() == {
        "pending": 0,
        "due": 0,
        "in_progress": 0,
        "failed": 0,
        "oldest_due_age_seconds": None,
    }
    now = timezone.now()
    for status, run_after in [
        ("pending", now - timedelta(minutes=10)),
        ("pending", now - timedelta(minutes=1)),
        ("pending", now + timedelta(hours=1)),  # not due: does not age
        ("in_progress", now),
        ("failed", now),
        ("done", now - timedelta(days=1)),
    ]:
        OutboxTask.objects.create(task_type="t", payload={}, status=status, run_after=run_after)

    health = outbox_health()

    age = health.pop("oldest_due_age_seconds")
    assert health == {"pending": 3, "due": 2, "in_progress": 1, "failed": 1}
    assert 10 * 60 <= age < 24 * 3600


# --- the Celery task and its schedule --------------------------------------------------------


@pytest.mark.django_db
def test_the_drain_task_drains_until_nothing_is_due(effects_table, monkeypatch):
    batches = []

    def drain_in_twos(**kwargs):
        batches.append(report := drain(batch_size=2, **kwargs))
        return report

    monkeypatch.setattr(outbox, "drain", drain_in_twos)
    enqueue_effects(5)

    assert drain_outbox() == {"claimed": 5, "done": 5, "retried": 0, "failed": 0, "lost": 0}
    assert [report.claimed for report in batches] == [2, 2, 1, 0]


@pytest.mark.django_db
def test_the_schedule_migration_drains_every_five_seconds():
    node = ("lucid", "0004_outbox_drain_schedule")
    loader = MigrationLoader(connection)
    (operation,) = loader.get_migration(*node).operations
    before, after = loader.project_state(node, at_end=False), loader.project_state(node)
    with connection.schema_editor() as editor:
        operation.database_forwards("lucid", editor, before, after)

    task = PeriodicTask.objects.get(name="platform: drain the outbox")
    assert (task.task, task.interval.every, task.interval.period) == (
        "lucid.drain_outbox",
        5,
        "seconds",
    )
    assert task.enabled
    assert drain_outbox.acks_late


# --- concurrency and crashes -----------------------------------------------------------------


@committed_db
def test_parallel_drainers_never_run_a_task_twice(effects_table):
    ids = enqueue_effects(60)
    reports, errors = [], []

    def drainer():
        try:
            while (report := drain(batch_size=5)).claimed:
                reports.append(report)
        except Exception as exc:  # surfaced below; a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=drainer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)

    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert sum(report.done for report in reports) == 60
    assert set(OutboxTask.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"done"}
    assert sorted(effects().values()) == [1] * 60


DOOMED_DRAINER = """
import sys

import django

django.setup()

from config.outbox import drain
from config.registries import OutboxHandler, outbox_handlers
from tests.outbox_handlers import EFFECT_TASK, record_effect_then_stall

outbox_handlers.register(OutboxHandler(name=EFFECT_TASK, handle=record_effect_then_stall))
drain(batch_size=int(sys.argv[1]), worker_id="doomed", lease_seconds=float(sys.argv[2]))
"""


@committed_db
def test_a_drainer_killed_mid_batch_loses_no_task_and_applies_no_effect_twice(effects_table):
    """The acceptance test: SIGKILL a drainer process while it holds a batch."""
    keys = [str(uuid.uuid4()) for _ in range(10)]
    # The fourth task's handler writes its effect, then stalls before committing.
    tasks = [
        enqueue(EFFECT_TASK, {"key": key, "stall_seconds": 600 if index == 3 else 0})
        for index, key in enumerate(keys)
    ]
    for index, task in enumerate(tasks):  # a fixed claim order: the stall is fourth
        OutboxTask.objects.filter(pk=task.pk).update(
            run_after=timezone.now() - timedelta(minutes=10 - index)
        )
    stalled = tasks[3]
    drainer = start_drainer(batch_size=10, lease_seconds=2)
    try:
        wait_until(lambda: done_count() == 3 and is_row_locked(stalled), process=drainer)
        assert OutboxTask.objects.filter(status="in_progress").count() == 7  # mid-batch
        os.kill(drainer.pid, signal.SIGKILL)
        drainer.wait(timeout=WAIT)
    finally:
        if drainer.poll() is None:
            drainer.kill()
            drainer.wait(timeout=WAIT)
    wait_until(lambda: not is_row_locked(stalled))  # the server rolled the dead one back
    assert set(effects()) == set(keys[:3])

    def finish():
        drain(worker_id="survivor")  # claims nothing until the dead drainer's leases pass
        return done_count() == len(keys)

    wait_until(finish)

    assert effects() == dict.fromkeys(keys, 1)
    attempts = dict(OutboxTask.objects.values_list("payload__key", "attempts"))
    assert [attempts[key] for key in keys] == [1, 1, 1] + [2] * 7


def start_drainer(*, batch_size: int, lease_seconds: float) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": database_url_of_this_test(),
        "REDIS_URL": settings.REDIS_URL,
    }
    return subprocess.Popen(  # noqa: S603  (our own interpreter and script)
        [sys.executable, "-c", DOOMED_DRAINER, str(batch_size), str(lease_seconds)],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def done_count() -> int:
    return OutboxTask.objects.filter(status="done").count()


def is_row_locked(task) -> bool:
    """Whether another session holds the task's row lock (its handler is running)."""
    try:
        with transaction.atomic():
            list(OutboxTask.objects.select_for_update(nowait=True).filter(pk=task.pk))
    except OperationalError:
        return True
    return False
