"""Pieces the PersonaKit tables share."""

import uuid

from django.conf import settings
from django.contrib.postgres.functions import RandomUUID
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

SCHEMA = "personakit"


def uuid_id() -> models.UUIDField:
    """``id UUID PRIMARY KEY DEFAULT gen_random_uuid()``."""
    return models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())


def created_at() -> models.DateTimeField:
    return models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)


def created_by(related_name: str) -> models.ForeignKey:
    """``created_by UUID REFERENCES users(id)``: the account that wrote the row."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_column="created_by",
        related_name=related_name,
        editable=False,
    )


def person_link(related_name: str, **kwargs: object) -> models.ForeignKey:
    """``person_id``: the individual the row is about (see ``Person``)."""
    return models.ForeignKey(
        "personakit.Person",
        on_delete=models.CASCADE,
        db_index=False,
        related_name=related_name,
        **kwargs,
    )
