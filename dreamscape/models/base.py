"""Pieces the Dreamscape tables share."""

from django.db import models

SCHEMA = "dreamscape"


def unit_interval(field: str, name: str) -> models.CheckConstraint:
    """A score between 0 and 1 (NULL passes: not scored yet)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": 0, f"{field}__lte": 1}), name=name
    )
