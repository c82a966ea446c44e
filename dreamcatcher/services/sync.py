"""Syncing a user's unsynced dreams to PipelineOS (or exporting them), one session per run.

Session types: ``pipelineos`` (scheduled or system-started) and ``manual`` (started by the
user or staff) both push to PipelineOS; ``standalone`` writes a JSON export to storage
instead of calling out. A dream that failed stays unsynced, so the next session retries
exactly the failed dreams.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.outbox import send_task_on_commit
from dreamcatcher.choices import SyncSessionStatus, SyncSessionType
from dreamcatcher.models import Dream, SyncSession
from dreamcatcher.selectors import cache
from dreamcatcher.services.pipelineos import (
    PipelineOSAuthFailed,
    PipelineOSClient,
    PipelineOSError,
    PipelineOSRejected,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)
SYNC_TASK = "dreamcatcher.sync_dreams"
MAX_ERRORS_IN_MESSAGE = 5
# Starts that collide with a session finishing at that moment try again this often.
START_ATTEMPTS = 3


class SyncInProgress(Exception):
    """The user already has a session pending or running."""

    def __init__(self, session: SyncSession) -> None:
        super().__init__(f"Sync session {session.pk} is already {session.status}.")
        self.session = session


def _lease() -> timedelta:
    """How long a run may take before its session counts as abandoned (its worker died)."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def sync_session_start(*, user: AbstractBaseUser, session_type: str) -> SyncSession:
    """Open a pending session for ``user`` and queue its run once committed.

    Raises ``SyncInProgress`` while another session of the user is pending or running
    (a partial unique index guarantees it under concurrent requests too).
    """
    SyncSession.objects.filter(
        user=user, status=SyncSessionStatus.RUNNING, started_at__lt=timezone.now() - _lease()
    ).update(
        status=SyncSessionStatus.FAILED,
        completed_at=timezone.now(),
        error_message="Abandoned: the run did not finish in time.",
    )
    session = SyncSession(user=user, session_type=session_type)
    session.full_clean(validate_constraints=False)
    for attempt in range(START_ATTEMPTS):
        session.started_at = timezone.now()  # not when a collided attempt began
        try:
            with transaction.atomic():
                session.save()
            break
        except IntegrityError:
            active = SyncSession.objects.filter(
                user=user, status__in=[SyncSessionStatus.PENDING, SyncSessionStatus.RUNNING]
            ).first()
            if active is not None:
                raise SyncInProgress(active) from None
            # The session this one collided with has finished since: the way is free now.
            if attempt == START_ATTEMPTS - 1:
                raise
    send_task_on_commit(SYNC_TASK, session_id=session.pk)
    return session


def dream_payload(dream: Dream) -> dict[str, Any]:
    """What PipelineOS receives for a dream."""
    return {
        "dream_id": dream.pk,
        "title": dream.title,
        "description": dream.description or "",
        "summary": dream.summary or "",
        "status": dream.status,
        "brand": dream.brand_id,
        "tags": dream.tags,
        "todos": [
            {"title": todo.title, "status": todo.status, "priority": todo.priority}
            for todo in dream.todo_set.all()
        ],
        "created": dream.created.isoformat(),
    }


def dreams_sync(*, session_id: str, run: str | None = None) -> SyncSession:
    """Run a pending session; resume one whose worker died.

    ``run`` names this delivery of the task (Celery's task id). A worker that dies mid-run
    has the same task delivered again (``acks_late`` with ``reject_on_worker_lost``), and a
    run may resume its own claim at once; anyone else resumes a running session only once
    its lease has run out. A redelivered task for a finished or live session does nothing.
    Resuming is safe: only dreams still unsynced are pushed, under the same idempotency keys.
    """
    with transaction.atomic():
        session = SyncSession.objects.select_for_update().get(pk=session_id)
        if not _claimable(session, run):
            return session
        session.status = SyncSessionStatus.RUNNING
        session.started_at = timezone.now()
        session.sync_data = {**session.sync_data, "run": run}
        session.save(update_fields=["status", "started_at", "sync_data"])
    dreams = list(
        Dream.objects.filter(user_id=session.user_id, synced_with_pipelineos=False)
        .select_related("brand")
        .prefetch_related("todo_set")
        .order_by("created")
    )
    session.total_dreams = len(dreams)
    try:
        if session.session_type == SyncSessionType.STANDALONE:
            results = _export(session, dreams)
        else:
            results = _push(dreams)
    except ImproperlyConfigured as exc:
        results = {dream.pk: {"status": "failed", "error": str(exc)} for dream in dreams}
    _close(session, results)
    return session


def _claimable(session: SyncSession, run: str | None) -> bool:
    if session.status == SyncSessionStatus.PENDING:
        return True
    if session.status != SyncSessionStatus.RUNNING:
        return False
    own_claim = run is not None and session.sync_data.get("run") == run
    return own_claim or session.started_at < timezone.now() - _lease()


def _push(dreams: list[Dream]) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    with PipelineOSClient.from_settings() as client:
        for dream in dreams:
            try:
                pushed = client.push_dream(dream_payload(dream), dream_id=dream.pk)
            except PipelineOSAuthFailed as exc:
                # The token is wrong for every dream: stop instead of hammering PipelineOS.
                for rest in dreams[len(results) :]:
                    results[rest.pk] = {"status": "failed", "error": str(exc)}
                break
            except PipelineOSRejected as exc:
                results[dream.pk] = {"status": "rejected", "error": str(exc)}
            except PipelineOSError as exc:
                results[dream.pk] = {"status": "failed", "error": str(exc)}
            else:
                Dream.objects.filter(pk=dream.pk).update(
                    synced_with_pipelineos=True,
                    synced_at=timezone.now(),
                    pipelineos_project_id=pushed.project_id,
                )
                results[dream.pk] = {"status": "synced", "project_id": pushed.project_id}
    return results


def _export(session: SyncSession, dreams: list[Dream]) -> dict[str, dict[str, Any]]:
    body = json.dumps({"exported_at": timezone.now().isoformat(),
                       "dreams": [dream_payload(dream) for dream in dreams]}, indent=2)  # fmt: skip
    path = default_storage.save(
        f"dreamcatcher/exports/{session.user_id}/{session.pk}.json", ContentFile(body.encode())
    )
    session.sync_data = {"export_path": path}
    now = timezone.now()
    Dream.objects.filter(pk__in=[dream.pk for dream in dreams]).update(synced_at=now)
    return {dream.pk: {"status": "exported"} for dream in dreams}


def _close(session: SyncSession, results: dict[str, dict[str, Any]]) -> None:
    failed = {pk: result for pk, result in results.items() if "error" in result}
    session.synced_dreams = len(results) - len(failed)
    session.failed_dreams = len(failed)
    if not failed:
        session.status = SyncSessionStatus.COMPLETED
    elif session.synced_dreams:
        session.status = SyncSessionStatus.PARTIAL
    else:
        session.status = SyncSessionStatus.FAILED
    session.error_message = _error_summary(failed)
    session.sync_data = {**session.sync_data, "results": results}
    session.completed_at = timezone.now()
    session.save()
    cache.forget(user_ids=[session.user_id])  # the rows changed by update(): no signals
    logger.info(
        "sync session %s: %s/%s synced, %s failed",
        session.pk,
        session.synced_dreams,
        session.total_dreams,
        session.failed_dreams,
    )


def _error_summary(failed: dict[str, dict[str, Any]]) -> str | None:
    if not failed:
        return None
    shown = [
        f"{pk}: {result['error']}" for pk, result in list(failed.items())[:MAX_ERRORS_IN_MESSAGE]
    ]
    more = len(failed) - len(shown)
    return "; ".join(shown) + (f" (and {more} more)" if more else "")
