"""Platform tasks that beat sends (schedules in ``config/migrations/0002_periodic_tasks.py``).

Each is idempotent and thin: the work lives in the code it calls.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import timedelta

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from config.health import HEARTBEAT_KEY

logger = logging.getLogger(__name__)

# Long enough that /healthz can tell "a few beats late" from "no worker at all".
HEARTBEAT_TIMEOUT = 5 * 60
BACKFILL_TIME_LIMIT = (
    10 * 60
)  # the schedule's period, so runs seldom overlap (the lock does the rest)
BACKFILL_LOCK_KEY = "lock:task:backfill_embeddings"
CLEANUP_BATCH_SIZE = 5_000
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)
# Tasks touching the database retry a dropped connection or failover a few times, backing off.
RETRY_ON_DATABASE_HICCUPS = {
    "autoretry_for": TRANSIENT_DB_ERRORS,
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 3,
}


@shared_task(name="lucid.heartbeat", time_limit=30, soft_time_limit=20)
def heartbeat() -> str:
    """Record that a worker is alive and consuming; ``/healthz`` reports its age."""
    # No retries: the next beat, 30 seconds on, is the retry.
    now = timezone.now()
    cache.set(HEARTBEAT_KEY, now, timeout=HEARTBEAT_TIMEOUT)
    return now.isoformat()


@shared_task(
    bind=True,
    name="lucid.backfill_embeddings",
    time_limit=BACKFILL_TIME_LIMIT,
    soft_time_limit=BACKFILL_TIME_LIMIT - 60,
    **RETRY_ON_DATABASE_HICCUPS,
)
def backfill_embeddings(self: Task) -> dict[str, int]:
    """Embed rows whose vector is missing or from another model; rows embedded per column.

    The backfill commits in batches, so a run stopped at its time limit keeps its work and
    the next run carries on; such a run returns the rows it visited per column instead.
    Only one run works at a time: with several workers a late delivery could otherwise
    embed the same rows twice. The lock names the run's task; the same task delivered again
    (its worker died mid-run) takes its own lock over instead of waiting for it to lapse.
    """
    run = self.request.id or uuid.uuid4().hex  # called directly, not by a worker
    if not cache.add(BACKFILL_LOCK_KEY, run, timeout=BACKFILL_TIME_LIMIT + 60):
        if cache.get(BACKFILL_LOCK_KEY) != run:
            logger.info("embedding backfill already running elsewhere; skipping this run")
            return {}
        logger.warning("embedding backfill resumes run %s, whose worker died", run)
    visited: dict[str, int] = {}
    try:
        from config.embeddings.backfill import backfill_all

        return backfill_all(progress=lambda name, done, total: visited.update({name: done}))
    except SoftTimeLimitExceeded:
        logger.warning("embedding backfill stopped at its time limit after visiting %s", visited)
        return visited
    finally:
        cache.delete(BACKFILL_LOCK_KEY)


@shared_task(
    name="lucid.cleanup_task_results",
    time_limit=15 * 60,
    soft_time_limit=14 * 60,
    **RETRY_ON_DATABASE_HICCUPS,
)
def cleanup_task_results(older_than_seconds: int | None = None) -> int:
    """Delete task results finished more than ``CELERY_RESULT_EXPIRES`` ago; return how many.

    Deletes in batches so that a week of heartbeats never sits in one long transaction.
    """
    from django_celery_results.models import GroupResult, TaskResult

    if older_than_seconds is None:
        older_than_seconds = settings.CELERY_RESULT_EXPIRES
    cutoff = timedelta(seconds=older_than_seconds)
    deleted = _delete_in_batches(TaskResult.objects.get_all_expired(cutoff))
    _delete_in_batches(GroupResult.objects.get_all_expired(cutoff))
    logger.info("deleted %d task results older than %s", deleted, cutoff)
    return deleted


def _delete_in_batches(queryset) -> int:
    total = 0
    while ids := list(queryset.order_by("pk").values_list("pk", flat=True)[:CLEANUP_BATCH_SIZE]):
        count, _ = queryset.model.objects.filter(pk__in=ids).delete()
        total += count
    return total


DRAIN_BUDGET_SECONDS = 20  # then the task returns and the next beat or kick carries on
DRAIN_TIME_LIMIT = 4 * 60  # below the outbox lease (5 min): a live run keeps its claims


@shared_task(
    name="lucid.drain_outbox",
    acks_late=True,
    ignore_result=True,  # beat sends it every few seconds; the outbox rows are the record
    time_limit=DRAIN_TIME_LIMIT,
    soft_time_limit=DRAIN_TIME_LIMIT - 30,
    **RETRY_ON_DATABASE_HICCUPS,
)
def drain_outbox(budget_seconds: float = DRAIN_BUDGET_SECONDS) -> dict[str, int]:
    """Run due outbox tasks in batches until none is due or the budget is spent.

    Safe with any number of concurrent runs: each claims its own tasks (SKIP LOCKED).
    """
    from config.outbox import DrainReport, drain

    deadline = time.monotonic() + budget_seconds
    total = DrainReport()
    while time.monotonic() < deadline:
        report = drain()
        total.add(report)
        if report.claimed == 0:
            break
    if total.claimed:
        logger.info("outbox drained: %s", total.as_dict())
    return total.as_dict()


@shared_task(name="lucid.purge_idempotency_keys", time_limit=10 * 60, soft_time_limit=9 * 60)
def purge_idempotency_keys() -> int:
    """Delete Idempotency-Key records past their expiry (``config.api.idempotency``)."""
    from config.api.idempotency import idempotency_keys_purge

    return idempotency_keys_purge()
