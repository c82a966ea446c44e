"""Per-person rows (profile, stats) and erasure of everything Aurum holds about someone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import connection, transaction

from aurum.models import (
    Area,
    AuditLog,
    ConversationMemory,
    DailyReflection,
    Insight,
    JournalEntry,
    Pillar,
    Project,
    Task,
    TimeEntry,
    UserBehaviorPattern,
    UserProfile,
    UserStatisticsCache,
    UserStats,
)
from config.database import quote_qualified, table_name

# Lets a person's audit rows go with them (the append-only trigger reads it).
_ALLOW_AUDIT_ERASE = (
    "SELECT set_config('aurum.erasing_users', concat_ws(',', "
    "nullif(current_setting('aurum.erasing_users', true), ''), %s), true)"
)


def profile_of(*, user: Any) -> UserProfile:
    """The person's profile, made with the defaults on first use."""
    profile, _ = UserProfile.objects.get_or_create(user=user)
    return profile


def stats_of(*, user: Any) -> UserStats:
    """The person's counters, made on first use."""
    stats, _ = UserStats.objects.get_or_create(user=user)
    return stats


@transaction.atomic
def profile_update(*, profile: UserProfile, user: Any, data: Mapping[str, Any]) -> UserProfile:
    """Change the profile's preferences in ``data``."""
    for field, value in data.items():
        setattr(profile, field, value)
    profile.full_clean()
    profile.save()
    profile.refresh_from_db()
    return profile


def audit_erasure_allow(*, user: Any) -> None:
    """Let ``user``'s audit rows be deleted in this transaction (and no new ones be written)."""
    with connection.cursor() as cursor:
        cursor.execute(_ALLOW_AUDIT_ERASE, [str(user.pk)])


@transaction.atomic
def user_erase(*, user: Any) -> None:
    """Delete everything Aurum holds about ``user``: hierarchy, journal, reflections, time,
    insights, conversations, patterns, statistics, profile and the audit trail."""
    audit_erasure_allow(user=user)
    # Time first (its rollups would otherwise run per deleted task), then the hierarchy from
    # the leaves up: deleting a parent first would detach its children row by row, and a
    # child's checks would meet a parent already gone. Tasks take their dependencies along.
    erased = (TimeEntry, JournalEntry, DailyReflection, Task, Project, Area, Pillar, Insight,
              ConversationMemory, UserBehaviorPattern, UserStatisticsCache, UserStats,
              UserProfile, AuditLog)  # fmt: skip
    with connection.cursor() as cursor:
        for model in erased:
            table = quote_qualified(table_name(model._meta.db_table))
            cursor.execute(f"DELETE FROM {table} WHERE user_id = %s", [user.pk])  # noqa: S608
