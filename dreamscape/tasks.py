"""Dreamscape's Celery tasks (schedules in ``migrations/0004_periodic_tasks.py``).

Thin and idempotent: each calls one service and returns what it did, as JSON.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.contrib.auth import get_user_model

from config.tasks import RETRY_ON_DATABASE_HICCUPS
from dreamscape.services import behaviors, maintenance, suggestions
from dreamscape.services.personas import persona_analyze

LONG = {"time_limit": 30 * 60, "soft_time_limit": 28 * 60, **RETRY_ON_DATABASE_HICCUPS}


@shared_task(name="dreamscape.partition_upkeep", **LONG)
def partition_upkeep() -> dict[str, Any]:
    """Drain the DEFAULT partition and make the months ahead."""
    return behaviors.behavior_partitions_upkeep().as_dict()


@shared_task(name="dreamscape.behavior_retention", **LONG)
def behavior_retention() -> dict[str, Any]:
    """Drop the months of behaviour older than the retention window."""
    return behaviors.behavior_retention_apply().as_dict()


@shared_task(name="dreamscape.refresh_engagement_summary", time_limit=600, soft_time_limit=570)
def refresh_engagement_summary() -> dict[str, Any]:
    result = maintenance.engagement_summary_refresh()
    return {"refreshed": result.refreshed, "duration_ms": result.duration_ms}


@shared_task(name="dreamscape.analyze_personas", **LONG)
def analyze_personas() -> int:
    """Analyse every user with new behaviour since their last analysis."""
    return maintenance.personas_analyze_due()


@shared_task(name="dreamscape.analyze_persona", time_limit=300, **RETRY_ON_DATABASE_HICCUPS)
def analyze_persona(user_id: str) -> str | None:
    """Analyse one user (``POST /persona/analyze``); a user gone since has nothing to do."""
    user = get_user_model().objects.filter(pk=user_id).first()
    return None if user is None else str(persona_analyze(user=user).last_analyzed_at)


@shared_task(name="dreamscape.cluster_tags", **LONG)
def cluster_tags() -> int:
    return maintenance.tag_clusters_run()


@shared_task(name="dreamscape.expire_suggestions", time_limit=600, **RETRY_ON_DATABASE_HICCUPS)
def expire_suggestions() -> dict[str, int]:
    return suggestions.suggestions_expire()
