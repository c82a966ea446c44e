"""Dreamcatcher's Celery tasks (schedules in ``migrations/0007_periodic_tasks.py``).

Thin and idempotent: each takes ids, calls one service and returns what it did, as JSON.
The services queue them by name once their transaction commits
(``services.sync.SYNC_TASK``, ``services.documents.PARSE_TASK``).
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task

from config.tasks import RETRY_ON_DATABASE_HICCUPS
from dreamcatcher.services import maintenance
from dreamcatcher.services.documents import document_parse
from dreamcatcher.services.sync import dreams_sync

logger = logging.getLogger(__name__)

REFRESH_PERIOD = 5 * 60


# No retries: the next run, five minutes on, is the retry.
@shared_task(
    name="dreamcatcher.refresh_dream_statistics",
    time_limit=REFRESH_PERIOD,
    soft_time_limit=REFRESH_PERIOD - 30,
)
def refresh_dream_statistics() -> dict[str, Any]:
    """Refresh the ``dream_statistics`` materialized view, unless a refresh is running."""
    result = maintenance.dream_statistics_refresh()
    if not result.refreshed:
        logger.info("dream_statistics is being refreshed elsewhere; skipping this run")
    return result.as_dict()


@shared_task(
    name="dreamcatcher.cleanup_old_data",
    time_limit=15 * 60,
    soft_time_limit=14 * 60,
    **RETRY_ON_DATABASE_HICCUPS,
)
def cleanup_old_data() -> dict[str, int]:
    """Delete expired sync sessions and completed implementations (``cleanup_old_data()``)."""
    result = maintenance.old_data_cleanup()
    logger.info("dreamcatcher cleanup deleted %s", result.as_dict())
    return result.as_dict()


@shared_task(
    bind=True,
    name="dreamcatcher.sync_dreams",
    time_limit=15 * 60,
    soft_time_limit=14 * 60,
    **RETRY_ON_DATABASE_HICCUPS,
)
def sync_dreams(self: Task, session_id: str) -> dict[str, Any]:
    """Run the pending sync session ``session_id``; a redelivery after its worker died resumes
    it, any other finds it claimed and does nothing."""
    session = dreams_sync(session_id=session_id, run=self.request.id)
    return {
        "session_id": session.pk,
        "status": session.status,
        "total": session.total_dreams,
        "synced": session.synced_dreams,
        "failed": session.failed_dreams,
    }


@shared_task(
    name="dreamcatcher.parse_document",
    time_limit=10 * 60,
    soft_time_limit=9 * 60,
    **RETRY_ON_DATABASE_HICCUPS,
)
def parse_document(document_id: str) -> dict[str, Any]:
    """Parse the stored document ``document_id`` into todos and ``parsed_data``; a bad file
    is recorded on the document, never raised."""
    document = document_parse(document_id=document_id)
    return {
        "document_id": document.pk,
        "parsed": document.parsed,
        "todos_created": document.parsed_data.get("todos_created", 0),
    }
