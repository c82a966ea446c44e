"""Pieces the Dreamshot tables share beyond config.db's: CUID ids, the dream link, scores."""

from cuid2 import create_id
from django.db import models

SCHEMA = "dreamshot"
CUID_LENGTH = 24


def new_cuid() -> str:
    """A CUID2 id, as the source product's Prisma ``@default(cuid())`` made them."""
    return create_id()


def cuid_id() -> models.CharField:
    return models.CharField(primary_key=True, max_length=32, default=new_cuid, editable=False)


def dream_link(related_name: str) -> models.ForeignKey:
    """``dream_id`` cascading: a dream's tests and snapshots go with it."""
    return models.ForeignKey(
        "dreamshot.Dream", on_delete=models.CASCADE, related_name=related_name, db_index=False
    )


def score_field(**kwargs: object) -> models.DecimalField:
    """``DECIMAL(5,2)``: a 0-100 score or a percentage."""
    return models.DecimalField(max_digits=5, decimal_places=2, **kwargs)
