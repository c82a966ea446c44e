"""Pieces the PersonaKit tables share."""

from django.conf import settings
from django.db import models

SCHEMA = "personakit"


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
