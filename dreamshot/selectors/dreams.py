"""Reads of dreams, tests, snapshots and the catalogue."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet

from dreamshot.choices import DreamStatus
from dreamshot.models import AiModel, AiTest, Dream, ProgressLog


def dream_list(*, user: AbstractBaseUser) -> QuerySet[Dream]:
    """The caller's dreams, newest first."""
    return Dream.objects.filter(user=user)


def public_dream_list(*, user: AbstractBaseUser | None = None) -> QuerySet[Dream]:
    """Everyone's public, active dreams (the community feed; owners are never shown)."""
    return Dream.objects.filter(is_public=True, status=DreamStatus.ACTIVE)


def ai_test_list(*, user: AbstractBaseUser) -> QuerySet[AiTest]:
    return AiTest.objects.filter(user=user)


def progress_log_list(*, user: AbstractBaseUser) -> QuerySet[ProgressLog]:
    return ProgressLog.objects.filter(user=user)


def ai_model_list(*, user: AbstractBaseUser | None = None) -> QuerySet[AiModel]:
    """The catalogue, which every caller shares."""
    return AiModel.objects.all()
