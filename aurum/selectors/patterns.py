"""Behaviour patterns the caller may read, and the samples the detector learns from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from aurum.models import Task, TimeEntry, UserBehaviorPattern

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from django.contrib.auth.models import AbstractBaseUser


@dataclass(frozen=True)
class EntrySample:
    start: datetime  # in the user's time zone
    minutes: int
    activity_type: str | None = None
    energy_level: int | None = None
    productivity_rating: int | None = None


@dataclass(frozen=True)
class TaskSample:
    created_at: datetime
    completed_at: datetime | None
    due_date: date | None
    priority: str


def patterns_of(*, user: AbstractBaseUser) -> QuerySet[UserBehaviorPattern]:
    """The user's patterns, newest first (the replaced ones too, inactive)."""
    return UserBehaviorPattern.objects.filter(user=user).order_by("-detected_at", "pattern_type")


def peak_hours(*, user: AbstractBaseUser) -> list[int]:
    """The hours of the day of the user's active, still valid peak-productivity pattern, best
    first; empty when none is known."""
    pattern = (
        UserBehaviorPattern.objects.filter(
            user=user, pattern_type="peak_productivity_hours", is_active=True
        )
        .exclude(valid_until__lt=timezone.now())
        .order_by("-detected_at")
        .values_list("pattern_data", flat=True)
        .first()
    )
    hours = (pattern or {}).get("peak_hours") or []
    return [
        int(hour) for hour in hours if isinstance(hour, int | float | str) and str(hour).isdigit()
    ]


def entry_samples(*, user: AbstractBaseUser, since: datetime, zone: ZoneInfo) -> list[EntrySample]:
    """The user's closed time entries since ``since``, their starts in ``zone``."""
    rows = TimeEntry.objects.filter(
        user=user, start_time__gte=since, end_time__isnull=False
    ).values_list("start_time", "duration_minutes", "activity_type", "energy_level",
                  "productivity_rating")  # fmt: skip
    return [
        EntrySample(start.astimezone(zone), minutes or 0, activity, energy, rating)
        for start, minutes, activity, energy, rating in rows.order_by("start_time")
    ]


def task_samples(*, user: AbstractBaseUser, since: datetime, zone: ZoneInfo) -> list[TaskSample]:
    """The user's live tasks created or completed since ``since``."""
    rows = (
        Task.objects.filter(user=user, archived=False)
        .exclude(status="cancelled")
        .filter(created_at__gte=since)
        .values_list("created_at", "completed_at", "due_date", "priority")
    )
    return [
        TaskSample(
            created_at=created,
            completed_at=completed,
            due_date=due.astimezone(zone).date() if due else None,
            priority=priority,
        )
        for created, completed, due, priority in rows.order_by("created_at")
    ]
