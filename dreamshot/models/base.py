"""Pieces the Dreamshot tables share: CUID ids, the owner column, timestamps."""

from cuid2 import create_id
from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

SCHEMA = "dreamshot"
CUID_LENGTH = 24


def new_cuid() -> str:
    """A CUID2 id, as the source product's Prisma ``@default(cuid())`` made them."""
    return create_id()


def cuid_id() -> models.CharField:
    return models.CharField(primary_key=True, max_length=32, default=new_cuid, editable=False)


def owner(related_name: str) -> models.ForeignKey:
    """``user_id``: the account owning the row (indexed under the seed's names by the model)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name=related_name,
        db_index=False,
        editable=False,
    )


def dream_link(related_name: str) -> models.ForeignKey:
    """``dream_id`` cascading: a dream's tests and snapshots go with it."""
    return models.ForeignKey(
        "dreamshot.Dream", on_delete=models.CASCADE, related_name=related_name, db_index=False
    )


def created_at() -> models.DateTimeField:
    return models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)


def score_field(**kwargs: object) -> models.DecimalField:
    """``DECIMAL(5,2)``: a 0-100 score or a percentage."""
    return models.DecimalField(max_digits=5, decimal_places=2, **kwargs)
