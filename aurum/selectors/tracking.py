"""Reads of time entries and the audit trail."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from aurum.models import AuditLog, TimeEntry


def time_entry_list(*, user: Any) -> QuerySet[TimeEntry]:
    """The caller's time entries, latest start first."""
    return TimeEntry.objects.filter(user=user)


def running_timer(*, user: Any) -> TimeEntry | None:
    """The caller's running timer, if any."""
    return TimeEntry.objects.filter(user=user, is_active=True).first()


def audit_trail(*, user: Any) -> QuerySet[AuditLog]:
    """The caller's audit rows, newest first."""
    return AuditLog.objects.filter(user=user)
