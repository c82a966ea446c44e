"""Insights the caller may read: by default the current ones (active, and pinned or not yet
expired), newest first; every version on request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from aurum.models import Insight

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def insights_of(*, user: AbstractBaseUser) -> QuerySet[Insight]:
    """Every insight of the user, every version."""
    return Insight.objects.filter(user=user)


def insights_current(*, user: AbstractBaseUser) -> QuerySet[Insight]:
    """The user's live insights: active, and pinned or unexpired; pinned first."""
    unexpired = Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()) | Q(is_pinned=True)
    return insights_of(user=user).filter(unexpired, is_active=True)
