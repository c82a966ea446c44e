"""Pieces the Dreamscape tables share."""

import uuid

from django.conf import settings
from django.contrib.postgres.functions import RandomUUID
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

SCHEMA = "dreamscape"


def uuid_id() -> models.UUIDField:
    """``id UUID PRIMARY KEY DEFAULT gen_random_uuid()``."""
    return models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())


def owner(related_name: str) -> models.ForeignKey:
    """``user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE`` (indexed by the model,
    under the seed's index name)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name=related_name,
        db_index=False,
        editable=False,
    )


def created_at() -> models.DateTimeField:
    return models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)


def updated_at() -> models.DateTimeField:
    """Stamped by the ``stamp_updated_at`` trigger on every UPDATE."""
    return models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)


def unit_interval(field: str, name: str) -> models.CheckConstraint:
    """A score between 0 and 1 (NULL passes: not scored yet)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": 0, f"{field}__lte": 1}), name=name
    )
