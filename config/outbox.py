"""The outbox: the platform's durable queue (the table of ``settings.LUCID_OUTBOX_MODEL``).

An app writes a task with :func:`enqueue` in the same transaction as the change that
caused it, so the task exists exactly when the change does. Handlers are registered by
task type in ``config.registries.outbox_handlers``; :func:`drain` runs them.

Delivery guarantees:

* A task is claimed under a lease (``SELECT … FOR UPDATE SKIP LOCKED``), so several
  drainers never claim the same task; a task whose drainer died is reclaimed once its
  lease has expired.
* The handler runs in one transaction together with marking its task ``done``, holding
  the task's row lock meanwhile. Its database effects are therefore applied exactly once:
  a crash or an error rolls them back with the done-mark, and nobody can reclaim a task
  whose handler is still running. Effects outside the database (HTTP calls, mail) may
  still happen twice after a crash, so handlers must be idempotent.
* A failing handler is retried with exponential backoff and jitter in ``run_after``;
  after its handler's ``max_attempts`` the task is ``failed`` and waits for staff.

The task model is the one ``settings.LUCID_OUTBOX_MODEL`` names, so the platform names no app.
Times come from the database clock, never from the application server's.
"""

from __future__ import annotations

import json
import logging
import os
import random
import socket
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import kombu.exceptions
import redis
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Model
from django.db.models.functions import Now
from django.utils import timezone

from config.platform_models import get_outbox_model
from config.registries import outbox_handlers

logger = logging.getLogger(__name__)

KICK_KEY = "outbox:kick"
KICK_DEBOUNCE_SECONDS = 1
KICK_EXPIRES_SECONDS = 60  # a kick nobody consumed in time is moot: beat drains anyway
BACKOFF_CAP_SECONDS = 3600
LAST_ERROR_MAX_CHARS = 2000
DISCARDED_ERROR = "discarded by staff"
CELERY_SEND = "celery.send"
# What publishing to an unreachable broker raises (kombu wraps most, not every, Redis error).
BROKER_ERRORS = (kombu.exceptions.OperationalError, redis.exceptions.RedisError, OSError)


def _table() -> str:
    return connection.ops.quote_name(get_outbox_model()._meta.db_table)


@dataclass
class DrainReport:
    """What one :func:`drain` did. ``lost`` counts tasks whose claim was taken over
    (lease expired and reclaimed elsewhere, or discarded by staff) before they ran."""

    claimed: int = 0
    done: int = 0
    retried: int = 0
    failed: int = 0
    lost: int = 0

    def add(self, other: DrainReport) -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class _Claim:
    id: uuid.UUID
    task_type: str
    payload: Any
    attempts: int  # after this claim's increment: the fencing token of this run


class _ClaimLost(Exception):
    """The task is no longer claimed by this run; its handler's effects must roll back."""


# --- enqueue ---------------------------------------------------------------------------------


def enqueue(task_type: str, payload: dict[str, Any], *, run_after: datetime | None = None) -> Model:
    """Write an outbox task in the caller's transaction and kick the drainer on commit.

    Call it inside the ``transaction.atomic()`` that makes the change the task belongs to:
    if that rolls back, so does the task. Under autocommit the task is its own
    transaction, which is fine for callers with nothing else to commit. ``run_after``
    delays the task (the database clock runs it, so far-future work is safe here).

    Raises ``ValueError`` for a task type no handler is registered for, or a payload that
    is not a JSON object (programming errors, caught at the call site, not in the drainer).
    """
    try:
        outbox_handlers[task_type]
    except KeyError:
        raise ValueError(f"no outbox handler registered for task type {task_type!r}") from None
    if not isinstance(payload, dict):
        raise ValueError(f"outbox payload must be a dict, not {type(payload).__name__}")
    try:
        json.dumps(payload, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"outbox payload must be JSON-serialisable: {exc}") from exc
    task = get_outbox_model().objects.create(
        task_type=task_type, payload=payload, run_after=run_after or Now()
    )
    if run_after is None:
        task.refresh_from_db(fields=["run_after"])
    if run_after is None or run_after <= timezone.now():  # later work waits for beat
        transaction.on_commit(kick)
    return task


def send_task_on_commit(task: str, **kwargs: Any) -> None:
    """Send Celery task ``task`` with ``kwargs`` once the caller's transaction commits
    (nothing if it rolls back).

    A broker that cannot take it then (Redis down or restarting) does not lose it: the send
    is kept as an outbox task (``celery.send``) and made when a worker drains the outbox
    after Redis is back, so the job runs late, never not at all. Tasks sent this way must be
    idempotent, as every Lucid task is.
    """
    transaction.on_commit(lambda: _send_or_keep(task, kwargs))


def _send_or_keep(task: str, kwargs: dict[str, Any]) -> None:
    from config.celery_app import app

    try:
        app.send_task(task, kwargs=kwargs)
    except BROKER_ERRORS as exc:
        logger.warning("could not send %s (%s); kept in the outbox to send later", task, exc)
        enqueue(CELERY_SEND, {"task": task, "kwargs": kwargs})


def send_kept_task(payload: dict[str, Any]) -> None:
    """The ``celery.send`` handler: make a send that failed when it was first due."""
    from config.celery_app import app

    app.send_task(payload["task"], kwargs=payload["kwargs"])


def kick() -> None:
    """Ask a worker to drain now; at most once per second, and never an error for the caller.

    Beat drains every few seconds anyway, so a kick lost to a Redis hiccup only delays.
    """
    try:
        if cache.add(KICK_KEY, 1, timeout=KICK_DEBOUNCE_SECONDS):
            _send_kick()
    except Exception:
        logger.warning("could not kick the outbox drainer; beat will drain", exc_info=True)


def _send_kick() -> None:
    from config.tasks import drain_outbox

    drain_outbox.apply_async(expires=KICK_EXPIRES_SECONDS)


# --- drain -----------------------------------------------------------------------------------


def drain(
    *, batch_size: int = 50, worker_id: str | None = None, lease_seconds: int = 300
) -> DrainReport:
    """Claim up to ``batch_size`` due tasks and run their handlers; return the counts.

    Call it outside a transaction, so that the claim and each handler commit on their own
    (inside one, everything commits or rolls back with the caller). ``lease_seconds``
    should exceed the longest handler's run: a task is reclaimable once it has passed,
    although a drainer still running its handler holds the row lock and is not disturbed.
    """
    worker_id = worker_id or default_worker_id()
    claims = _claim(batch_size=batch_size, worker_id=worker_id, lease_seconds=lease_seconds)
    report = DrainReport(claimed=len(claims))
    remaining = list(claims)
    try:
        while remaining:
            outcome = _run(remaining[0], worker_id=worker_id)
            remaining.pop(0)
            setattr(report, outcome, getattr(report, outcome) + 1)
    finally:
        if remaining:  # stopped early (time limit, shutdown): hand back what never ran
            _release(remaining, worker_id=worker_id)
    return report


def default_worker_id() -> str:
    """Who holds a claim: host and process, plus a nonce so two drains never share one."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def retry_delay(attempts: int) -> float:
    """Seconds before attempt ``attempts + 1``: ``2**attempts`` capped at an hour, jittered
    down by up to half so that tasks that failed together do not retry together."""
    ceiling = min(BACKOFF_CAP_SECONDS, 2 ** min(attempts, 32))
    return ceiling * random.uniform(0.5, 1.0)  # noqa: S311  (jitter, not cryptography)


def _claim(*, batch_size: int, worker_id: str, lease_seconds: int) -> list[_Claim]:
    # statement_timestamp(), not now(): correct inside a caller's long transaction too, and
    # stable, so the (status, run_after) index still serves the scan.
    sql = f"""
        UPDATE {_table()} AS task
           SET status = 'in_progress',
               attempts = task.attempts + 1,
               claimed_by = %s,
               lease_expires_at = statement_timestamp() + make_interval(secs => %s)
         WHERE task.id IN (
               SELECT id FROM {_table()}
                WHERE (status = 'pending' AND run_after <= statement_timestamp())
                   OR (status = 'in_progress' AND lease_expires_at < statement_timestamp())
                ORDER BY run_after
                LIMIT %s
                  FOR UPDATE SKIP LOCKED)
     RETURNING task.id, task.task_type, task.payload, task.attempts, task.run_after
    """  # noqa: S608  (our table name; values are parameters)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [worker_id, lease_seconds, batch_size])
        rows = sorted(cursor.fetchall(), key=lambda row: row[4])
    return [
        _Claim(id=row[0], task_type=row[1], payload=_json(row[2]), attempts=row[3]) for row in rows
    ]


def _json(value: Any) -> Any:
    # Raw cursors return jsonb already decoded with psycopg 3, as text with some setups.
    return json.loads(value) if isinstance(value, str) else value


def _run(claim: _Claim, *, worker_id: str) -> str:
    """Run one claimed task; return the ``DrainReport`` field its outcome counts under."""
    try:
        handler = outbox_handlers[claim.task_type]
    except KeyError:
        message = f"no outbox handler registered for task type {claim.task_type!r}"
        return _record_failure(claim, worker_id=worker_id, error=message, retry=False)
    try:
        with transaction.atomic():
            # Holding the row lock while the handler runs keeps any reclaimer away.
            if not _still_claimed(claim, worker_id=worker_id, lock=True):
                raise _ClaimLost
            handler.handle(claim.payload)
            if not _mark_done(claim, worker_id=worker_id):
                raise _ClaimLost
    except _ClaimLost:
        logger.warning("outbox task %s was taken over before it ran; skipped", claim.id)
        return "lost"
    except Exception as exc:
        logger.warning("outbox task %s (%s) failed", claim.id, claim.task_type, exc_info=True)
        error = f"{type(exc).__name__}: {exc}"
        retry = claim.attempts < handler.max_attempts
        outcome = _record_failure(claim, worker_id=worker_id, error=error, retry=retry)
        if _is_time_limit(exc):
            raise  # the worker is about to be killed: stop, and hand back the rest
        return outcome
    return "done"


def _still_claimed(claim: _Claim, *, worker_id: str, lock: bool) -> bool:
    sql = f"""
        SELECT 1 FROM {_table()}
         WHERE id = %s AND claimed_by = %s AND attempts = %s AND status = 'in_progress'
         {"FOR UPDATE" if lock else ""}
    """  # noqa: S608  (our table name; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [claim.id, worker_id, claim.attempts])
        return cursor.fetchone() is not None


def _mark_done(claim: _Claim, *, worker_id: str) -> bool:
    sql = f"""
        UPDATE {_table()}
           SET status = 'done', completed_at = clock_timestamp(), lease_expires_at = NULL
         WHERE id = %s AND claimed_by = %s AND attempts = %s AND status = 'in_progress'
    """  # noqa: S608  (our table name; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [claim.id, worker_id, claim.attempts])
        return cursor.rowcount == 1


def _record_failure(claim: _Claim, *, worker_id: str, error: str, retry: bool) -> str:
    """Schedule the retry (``pending`` after a backoff) or give up (``failed``)."""
    sql = f"""
        UPDATE {_table()}
           SET status = %s,
               run_after = CASE WHEN %s THEN clock_timestamp() + make_interval(secs => %s)
                                ELSE run_after END,
               last_error = %s,
               lease_expires_at = NULL
         WHERE id = %s AND claimed_by = %s AND attempts = %s AND status = 'in_progress'
    """  # noqa: S608  (our table name; values are parameters)
    params = [
        "pending" if retry else "failed",
        retry,
        retry_delay(claim.attempts),
        error[:LAST_ERROR_MAX_CHARS],
        claim.id,
        worker_id,
        claim.attempts,
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.rowcount == 0:
            return "lost"
    return "retried" if retry else "failed"


def _release(claims: Iterable[_Claim], *, worker_id: str) -> None:
    """Give never-run claims back as due, undoing their attempt (best effort: the lease is
    the fallback)."""
    claims = list(claims)
    sql = f"""
        UPDATE {_table()}
           SET status = 'pending', attempts = attempts - 1, lease_expires_at = NULL,
               run_after = LEAST(run_after, statement_timestamp())
         WHERE claimed_by = %s AND status = 'in_progress'
           AND (id, attempts) IN (SELECT * FROM unnest(%s::uuid[], %s::int[]))
    """  # noqa: S608  (our table name; values are parameters)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [worker_id, [c.id for c in claims], [c.attempts for c in claims]])
    except Exception:
        logger.warning("could not release %d outbox claims", len(claims), exc_info=True)


def _is_time_limit(exc: BaseException) -> bool:
    from celery.exceptions import SoftTimeLimitExceeded

    return isinstance(exc, SoftTimeLimitExceeded)


# --- staff services and the dashboard --------------------------------------------------------


def outbox_retry(task_ids: Iterable[uuid.UUID | str]) -> int:
    """Make failed or pending tasks due now, keeping their attempts; return how many.

    A failed task retried this way gets one more attempt before it fails again.
    """
    count = (
        get_outbox_model()
        .objects.filter(pk__in=list(task_ids), status__in=["failed", "pending"])
        .update(status="pending", run_after=Now(), lease_expires_at=None)
    )
    if count:
        transaction.on_commit(kick)
    return count


def outbox_discard(task_ids: Iterable[uuid.UUID | str]) -> int:
    """Give up on pending or in-progress tasks (→ ``failed``, "discarded by staff").

    A task whose handler is running holds its row lock, so this waits for it and then
    leaves it alone if it finished; a claimed task not yet started is skipped by its drainer.
    Already-failed tasks keep their real error. Returns how many were discarded.
    """
    return (
        get_outbox_model()
        .objects.filter(pk__in=list(task_ids), status__in=["pending", "in_progress"])
        .update(status="failed", last_error=DISCARDED_ERROR, lease_expires_at=None)
    )


def outbox_health() -> dict[str, Any]:
    """Counts for the dashboard card: pending (and how many of them are due), in progress,
    failed, and the age in seconds of the oldest due pending task (``None`` when none)."""
    sql = f"""
        SELECT count(*) FILTER (WHERE status = 'pending'),
               count(*) FILTER (WHERE status = 'pending' AND run_after <= statement_timestamp()),
               count(*) FILTER (WHERE status = 'in_progress'),
               count(*) FILTER (WHERE status = 'failed'),
               extract(epoch FROM statement_timestamp() - min(run_after) FILTER (
                   WHERE status = 'pending' AND run_after <= statement_timestamp()))
          FROM {_table()}
         WHERE status IN ('pending', 'in_progress', 'failed')
    """  # noqa: S608  (our table name; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        pending, due, in_progress, failed, oldest = cursor.fetchone()
    return {
        "pending": pending,
        "due": due,
        "in_progress": in_progress,
        "failed": failed,
        "oldest_due_age_seconds": float(oldest) if oldest is not None else None,
    }


__all__ = [
    "DrainReport",
    "drain",
    "enqueue",
    "kick",
    "outbox_discard",
    "outbox_health",
    "outbox_retry",
    "retry_delay",
]
