"""Dreamshot's Celery tasks (schedules in ``migrations/0005_periodic_tasks.py``).

Thin and idempotent: each takes ids, calls one service and returns what it did, as JSON.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from config.tasks import RETRY_ON_DATABASE_HICCUPS
from dreamshot.services import ai_tests, budgets, retention, retest


@shared_task(
    name=ai_tests.RUN_TASK,
    time_limit=int(ai_tests.RUN_TIME_LIMIT.total_seconds()),
    soft_time_limit=4 * 60,
    **RETRY_ON_DATABASE_HICCUPS,
)
def run_ai_test(test_id: str) -> dict[str, Any]:
    """Ask the pending test's model; a test no longer pending (a redelivery) is left alone."""
    test = ai_tests.ai_test_run(test_id=test_id)
    if test is None:
        return {"test_id": test_id, "status": "gone"}
    return {"test_id": test.pk, "status": test.status, "cost": str(test.cost)}


@shared_task(
    name="dreamshot.retest_dreams",
    time_limit=30 * 60,
    soft_time_limit=29 * 60,
    **RETRY_ON_DATABASE_HICCUPS,
)
def retest_dreams() -> dict[str, object]:
    return retest.dreams_retest().as_dict()


@shared_task(
    name="dreamshot.maintain_partitions",
    time_limit=10 * 60,
    soft_time_limit=9 * 60,
    **RETRY_ON_DATABASE_HICCUPS,
)
def maintain_partitions() -> list[str]:
    return retention.ai_test_partitions_create()


@shared_task(
    name="dreamshot.archive_tests",
    time_limit=60 * 60,
    soft_time_limit=59 * 60,
    **RETRY_ON_DATABASE_HICCUPS,
)
def archive_tests() -> dict[str, object]:
    return retention.ai_tests_archive().as_dict()


@shared_task(
    name="dreamshot.check_budgets",
    time_limit=10 * 60,
    soft_time_limit=9 * 60,
    **RETRY_ON_DATABASE_HICCUPS,
)
def check_budgets() -> int:
    return budgets.budget_alerts_check()
