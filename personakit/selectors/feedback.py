"""Feedback the caller may read, and how helpful each mapper rule is found."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Case, Count, F, FloatField, QuerySet, Value, When
from django.db.models.functions import Coalesce

from personakit.models import Feedback

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def feedback_visible_to(*, user: AbstractBaseUser) -> QuerySet:
    """Feedback on personas of the caller's persons."""
    return Feedback.objects.filter(persona__person__owner=user)


def rule_helpfulness(*, config_id: str | None = None) -> list[dict[str, Any]]:
    """Per (mapper config_id, rule_id, mapper_version): feedback count, helpful ratio, avg rating.

    Rows are dicts with ``config_id``, ``rule_id``, ``mapper_version``, ``count``,
    ``helpful_ratio`` (among feedback that said yes or no; None if none did) and
    ``avg_rating`` (None if unrated), ordered by those keys. Feedback without a rule is left
    out; feedback without a version counts under its persona's.
    """
    feedback = Feedback.objects.filter(rule_id__isnull=False, persona__isnull=False)
    if config_id is not None:
        feedback = feedback.filter(persona__mapper_config_id=config_id)
    helpful_as_number = Case(
        When(helpful=True, then=Value(1.0)),
        When(helpful=False, then=Value(0.0)),
        output_field=FloatField(),
    )
    rows = (
        feedback.values(
            config=F("persona__mapper_config_id"),
            rule=F("rule_id"),
            version=Coalesce("mapper_version", "persona__mapper_version"),
        )
        .annotate(
            count=Count("id"),
            helpful_ratio=Avg(helpful_as_number),
            avg_rating=Avg("rating", output_field=FloatField()),
        )
        .order_by("config", "rule", "version")
    )
    return [
        {
            "config_id": row["config"],
            "rule_id": row["rule"],
            "mapper_version": row["version"],
            "count": row["count"],
            "helpful_ratio": row["helpful_ratio"],
            "avg_rating": row["avg_rating"],
        }
        for row in rows
    ]
