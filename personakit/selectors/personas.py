"""Personas the caller may read, and whether one is still served."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from personakit.models import Persona

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def persona_is_expired(persona: Persona) -> bool:
    """Expired by its mark, or by the clock before the periodic marking caught up."""
    return persona.is_expired or (
        persona.expires_at is not None and persona.expires_at <= timezone.now()
    )


def personas_visible_to(*, user: AbstractBaseUser, include_expired: bool = False) -> QuerySet:
    """Personas of the caller's persons, newest first; unexpired only unless asked."""
    personas = Persona.objects.filter(person__owner=user).prefetch_related("narrative_usage")
    if not include_expired:
        personas = personas.filter(is_expired=False).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )
    return personas


def personas_for_feedback(*, user: AbstractBaseUser) -> QuerySet[Persona]:
    """Personas ``user`` may rate: their persons', expired ones included (analytics outlive
    the time to live)."""
    return Persona.objects.filter(person__owner=user).select_related("person")
