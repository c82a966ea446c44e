"""Aurum Life's Celery tasks (schedules in the ``aurum`` periodic-tasks migration).

Thin and idempotent: the nightly, weekly, daily and monthly jobs fan out one task per person
(ids, not objects), and each calls one service and returns what it did, as JSON.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.contrib.auth import get_user_model

from aurum.selectors.scoring import users_of_aurum, users_with_open_tasks
from aurum.services.conversations import conversations_archive
from aurum.services.hierarchy import hierarchy_view_refresh
from aurum.services.insights import insights_expire
from aurum.services.patterns import patterns_detect
from aurum.services.scoring import projects_analyze, tasks_rescore
from aurum.services.statistics import statistics_rebuild
from config.tasks import RETRY_ON_DATABASE_HICCUPS

logger = logging.getLogger(__name__)
PER_USER = {"time_limit": 10 * 60, "soft_time_limit": 9 * 60, **RETRY_ON_DATABASE_HICCUPS}
FAN_OUT = {"time_limit": 5 * 60, "soft_time_limit": 4 * 60, **RETRY_ON_DATABASE_HICCUPS}


def _person(user_id: str) -> Any:
    return get_user_model().objects.filter(pk=user_id).first()


@shared_task(name="aurum.rescore_user", **PER_USER)
def rescore_user(user_id: str) -> dict[str, Any]:
    """Re-score one person's open tasks and projects (a person erased since: nothing)."""
    user = _person(user_id)
    if user is None:
        return {"user_id": user_id, "tasks": 0, "projects": 0}
    return {"user_id": user_id, "tasks": tasks_rescore(user=user),
            "projects": projects_analyze(user=user)}  # fmt: skip


@shared_task(name="aurum.rescore_open_tasks", **FAN_OUT)
def rescore_open_tasks() -> dict[str, int]:
    """Nightly: expire old insights, then queue a re-score for everyone with open tasks."""
    expired = insights_expire()
    users = users_with_open_tasks()
    for user_id in users:
        rescore_user.delay(str(user_id))
    return {"insights_expired": expired, "users_queued": len(users)}


@shared_task(name="aurum.detect_patterns_for_user", **PER_USER)
def detect_patterns_for_user(user_id: str) -> dict[str, Any]:
    user = _person(user_id)
    return {"user_id": user_id, "patterns": patterns_detect(user=user) if user else 0}


@shared_task(name="aurum.detect_patterns", **FAN_OUT)
def detect_patterns() -> dict[str, int]:
    """Weekly: queue the behaviour-pattern detector for everyone in Aurum."""
    users = users_of_aurum()
    for user_id in users:
        detect_patterns_for_user.delay(str(user_id))
    return {"users_queued": len(users)}


@shared_task(name="aurum.rebuild_statistics_for_user", **PER_USER)
def rebuild_statistics_for_user(user_id: str) -> dict[str, Any]:
    user = _person(user_id)
    return {"user_id": user_id, "rows": statistics_rebuild(user=user) if user else 0}


@shared_task(name="aurum.rebuild_statistics", **FAN_OUT)
def rebuild_statistics() -> dict[str, int]:
    """Daily: queue the statistics cache and counters of everyone in Aurum."""
    users = users_of_aurum()
    for user_id in users:
        rebuild_statistics_for_user.delay(str(user_id))
    return {"users_queued": len(users)}


@shared_task(name="aurum.archive_conversations", **FAN_OUT)
def archive_conversations() -> dict[str, int]:
    """Monthly: archive conversation memory older than AURUM_CONVERSATION_ARCHIVE_DAYS."""
    archived = conversations_archive()
    logger.info("aurum archived %s conversation message(s)", archived)
    return {"archived": archived}


@shared_task(name="aurum.refresh_hierarchy_view", time_limit=10 * 60, soft_time_limit=9 * 60)
def refresh_hierarchy_view() -> dict[str, Any]:
    """Refresh hierarchy_view concurrently (beat, and debounced after hierarchy writes)."""
    return hierarchy_view_refresh()
