"""Daily reflections: ``PUT /reflections/{date}`` creates or replaces the day's reflection,
its metrics taken from that day's tasks and time, and keeps the reflection streak."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Q, Sum

from aurum.models import DailyReflection, Task, TimeEntry, UserProfile
from aurum.services.people import profile_of


def _day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, start + timedelta(days=1)


def reflection_day_metrics(*, user: Any, day: date) -> dict[str, Any]:
    """That day's tasks completed and focused minutes (in the person's time zone), and an
    alignment score: the share of completed tasks whose area matters (importance ≥ 4)."""
    zone = _zone(profile_of(user=user))
    start, end = _day_bounds(day, zone)
    done = Task.objects.filter(user=user, completed_at__gte=start, completed_at__lt=end).aggregate(
        count=Count("id"), important=Count("id", filter=Q(area__importance__gte=4))
    )
    focus = TimeEntry.objects.filter(
        user=user,
        end_time__isnull=False,
        start_time__gte=start,
        start_time__lt=end,
    ).filter(Q(activity_type__isnull=True) | Q(activity_type="focused"))
    minutes = focus.aggregate(total=Sum("duration_minutes"))["total"] or 0
    count = done["count"]
    return {
        "tasks_completed_count": count,
        "focus_time_minutes": minutes,
        "alignment_score": (Decimal(done["important"]) / count).quantize(Decimal("0.01"))
        if count
        else None,
    }


def _zone(profile: UserProfile) -> ZoneInfo:
    try:
        return ZoneInfo(profile.timezone or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _streak_after(profile: UserProfile, day: date) -> None:
    """The issue's rule: a reflection the day after the last one extends the streak, otherwise
    it restarts at 1. Rewriting a day already counted, or an older day, changes nothing."""
    last = profile.last_reflection_date
    if last is not None and day <= last:
        return
    profile.current_streak = (
        profile.current_streak + 1 if last is not None and day == last + timedelta(days=1) else 1
    )
    profile.longest_streak = max(profile.longest_streak or 0, profile.current_streak)
    profile.last_reflection_date = day
    profile.save(
        update_fields=["current_streak", "longest_streak", "last_reflection_date", "updated_at"]
    )


@transaction.atomic
def reflection_put(
    *, user: Any, day: date, data: Mapping[str, Any]
) -> tuple[DailyReflection, bool]:
    """Create or replace ``user``'s reflection of ``day`` with ``data``; fields not sent are
    cleared (a PUT), and the day's metrics are computed. Returns the row and whether it was
    created. Concurrent PUTs of one day serialise on the profile row."""
    profile = UserProfile.objects.select_for_update().get(pk=profile_of(user=user).pk)
    reflection = DailyReflection.objects.filter(user=user, reflection_date=day).first()
    created = reflection is None
    if created:
        reflection = DailyReflection(user=user, reflection_date=day)
    editable = [
        f.name
        for f in DailyReflection._meta.concrete_fields
        if f.editable and f.name not in {"id", "reflection_date"}
    ]
    for name in editable:
        setattr(
            reflection, name, data.get(name, DailyReflection._meta.get_field(name).get_default())
        )
    for name, value in reflection_day_metrics(user=user, day=day).items():
        setattr(reflection, name, value)
    reflection.full_clean(validate_unique=False)
    reflection.save()
    reflection.refresh_from_db()
    _streak_after(profile, day)
    return reflection, created


@transaction.atomic
def reflection_delete(*, reflection: DailyReflection) -> None:
    """Delete the reflection (the streak stays as it was counted)."""
    reflection.delete()


def reflection_update(
    *, reflection: DailyReflection, user: Any, data: Mapping[str, Any]
) -> DailyReflection:
    """Replace ``reflection`` (by id) as ``reflection_put`` replaces its day."""
    return reflection_put(user=user, day=reflection.reflection_date, data=data)[0]
