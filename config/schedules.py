"""Periodic tasks are declared by data migration, the way every app does it.

Beat reads its schedule from django-celery-beat's tables, so staff see and edit it in
the admin; a migration is what puts a task there in the first place::

    from django.db import migrations

    from config.schedules import Crontab, PeriodicTaskSpec, periodic_tasks_operation


    class Migration(migrations.Migration):
        dependencies = [
            ("aurum", "0007_stats_cache"),
            ("django_celery_beat", "0019_alter_periodictasks_options"),
        ]
        operations = [
            periodic_tasks_operation(
                PeriodicTaskSpec(
                    name="aurum: refresh stats",
                    task="aurum.refresh_stats",
                    every_seconds=15 * 60,
                    description="Refreshes the materialized stats views.",
                ),
                PeriodicTaskSpec(
                    name="aurum: weekly digest",
                    task="aurum.send_digests",
                    crontab=Crontab(minute="0", hour="7", day_of_week="mon"),
                ),
            )
        ]

Names are the identity of a periodic task: applying the operation again updates the row
of that name (``last_run_at`` and the run count are kept), and unapplying it deletes the
rows of those names. To change a schedule later, add a migration with the new spec.

Old migrations import this module, so its public names and arguments must stay
backwards compatible.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db import migrations
from django.utils import timezone

BEAT_APP = "django_celery_beat"


@dataclass(frozen=True)
class Crontab:
    """A crontab schedule; fields take crontab syntax (``"*/15"``, ``"1-5"``, ``"mon,thu"``)."""

    minute: str = "*"
    hour: str = "*"
    day_of_week: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"
    timezone: str = "UTC"


@dataclass(frozen=True)
class PeriodicTaskSpec:
    """One periodic task: ``every_seconds`` or ``crontab``, exactly one of them.

    ``task`` is the registered Celery task name (``"lucid.heartbeat"``); ``kwargs`` must be
    JSON-serialisable primitives (tasks take ids, not objects). ``expire_seconds`` drops a
    run no worker picked up in time, so a stopped fleet does not wake to a backlog.
    """

    name: str
    task: str
    every_seconds: int | None = None
    crontab: Crontab | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)
    queue: str | None = None
    description: str = ""
    expire_seconds: int | None = None
    enabled: bool = True

    def __post_init__(self) -> None:
        if (self.every_seconds is None) == (self.crontab is None):
            raise ValueError(f"{self.name!r}: give exactly one of every_seconds and crontab")
        if self.every_seconds is not None and self.every_seconds <= 0:
            raise ValueError(f"{self.name!r}: every_seconds must be positive")
        json.dumps(self.kwargs)  # fail at import time, not when beat sends it


def periodic_tasks_operation(*specs: PeriodicTaskSpec) -> migrations.RunPython:
    """A reversible ``RunPython`` that creates or updates these periodic tasks by name.

    The migration using it must depend on ``django_celery_beat``'s latest migration.
    """
    names = [spec.name for spec in specs]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate periodic task names in {names}")

    def forwards(apps, schema_editor):
        periodic_task = apps.get_model(BEAT_APP, "PeriodicTask")
        for spec in specs:
            periodic_task.objects.update_or_create(
                name=spec.name, defaults=_task_fields(apps, spec)
            )
        _tell_running_beat(apps)

    def backwards(apps, schema_editor):
        periodic_task = apps.get_model(BEAT_APP, "PeriodicTask")
        tasks = periodic_task.objects.filter(name__in=names)
        interval_ids = {pk for pk in tasks.values_list("interval_id", flat=True) if pk}
        crontab_ids = {pk for pk in tasks.values_list("crontab_id", flat=True) if pk}
        tasks.delete()
        # Schedule rows are shared: drop only those nothing else uses any more.
        for model_name, ids in (
            ("IntervalSchedule", interval_ids),
            ("CrontabSchedule", crontab_ids),
        ):
            apps.get_model(BEAT_APP, model_name).objects.filter(
                pk__in=ids, periodictask__isnull=True
            ).delete()
        _tell_running_beat(apps)

    return migrations.RunPython(forwards, backwards)


def _task_fields(apps, spec: PeriodicTaskSpec) -> dict[str, Any]:
    if spec.every_seconds is not None:
        schedule = {
            "interval": _schedule_row(
                apps.get_model(BEAT_APP, "IntervalSchedule"),
                every=spec.every_seconds,
                period="seconds",
            ),
            "crontab": None,
        }
    else:
        cron = spec.crontab
        schedule = {
            "interval": None,
            "crontab": _schedule_row(
                apps.get_model(BEAT_APP, "CrontabSchedule"),
                minute=cron.minute,
                hour=cron.hour,
                day_of_week=cron.day_of_week,
                day_of_month=cron.day_of_month,
                month_of_year=cron.month_of_year,
                timezone=cron.timezone,
            ),
        }
    return {
        **schedule,
        # A staff edit may have switched the task to another kind of schedule.
        "solar": None,
        "clocked": None,
        "task": spec.task,
        "args": "[]",
        "kwargs": json.dumps(spec.kwargs, sort_keys=True),
        "queue": spec.queue,
        "description": spec.description,
        "expire_seconds": spec.expire_seconds,
        "enabled": spec.enabled,
        "one_off": False,
    }


def _schedule_row(model, **fields):
    # No unique constraint on schedule tables, so get_or_create could meet duplicates.
    return model.objects.filter(**fields).order_by("pk").first() or model.objects.create(**fields)


def _tell_running_beat(apps) -> None:
    # Beat reloads when this timestamp moves; the signal that bumps it does not fire for
    # the historical models a migration uses.
    apps.get_model(BEAT_APP, "PeriodicTasks").objects.update_or_create(
        ident=1, defaults={"last_update": timezone.now()}
    )
