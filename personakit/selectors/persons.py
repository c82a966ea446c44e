"""Who may see a person: its owner. Every PersonaKit read and write starts here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from personakit.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def persons_of(*, user: AbstractBaseUser) -> QuerySet[Person]:
    """The persons ``user`` may read and write: their own, and those they registered."""
    return Person.objects.filter(owner=user)
