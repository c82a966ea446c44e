"""Feedback on personas: validated against what the persona was made of."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from personakit.models import Feedback, Persona

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

FEEDBACK_FIELDS = ("rating", "helpful", "context", "rule_id", "mapper_version")


def feedback_create(*, user: AbstractBaseUser, data: Mapping[str, Any]) -> Feedback:
    """Record feedback on ``data["persona"]``, of one of ``user``'s persons (expired included).

    ``rule_id``, when given, must be a rule that fired for this persona; ``mapper_version``
    defaults to the persona's and may not contradict it.
    """
    persona: Persona = data["persona"]
    if persona.person.owner_id != user.pk:
        raise ValidationError({"persona_id": ["You have no persona with this id."]})
    unknown = set(data) - {"persona", *FEEDBACK_FIELDS}
    if unknown:
        raise ValidationError({key: ["Unknown field."] for key in sorted(unknown)})
    rule_id = data.get("rule_id")
    fired = (persona.metadata or {}).get("rules_fired", [])
    if rule_id is not None and rule_id not in fired:
        raise ValidationError(
            {"rule_id": [f"Rule '{rule_id}' did not fire for this persona; fired: {fired}."]}
        )
    rating = data.get("rating")
    if rating is not None and (isinstance(rating, bool) or rating not in range(1, 6)):
        raise ValidationError({"rating": ["Must be an integer from 1 to 5."]})
    mapper_version = data.get("mapper_version", persona.mapper_version)
    if mapper_version != persona.mapper_version:
        raise ValidationError(
            {"mapper_version": [f"This persona was made by version {persona.mapper_version}."]}
        )
    feedback = Feedback(
        persona=persona,
        rating=rating,
        helpful=data.get("helpful"),
        context=data.get("context"),
        rule_id=rule_id,
        mapper_version=mapper_version,
        created_by=user,
    )
    feedback.full_clean()
    feedback.save()
    return feedback
