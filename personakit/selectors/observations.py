"""Observations the caller may read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from personakit.models import Observation

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def observations_of(*, user: AbstractBaseUser) -> QuerySet[Observation]:
    """Observations about the persons ``user`` owns."""
    return Observation.objects.filter(person__owner=user)
