"""Observations: validated facts about a person, each one scheduling a trait derivation.

Content shapes, one per ``observation_type`` (unknown fields are rejected, so a typo never
slips through as a silently ignored fact; free-form context belongs in ``metadata``):

``work_session``
    ``{"duration_minutes": int 1..1440, "focus_level"?: "deep"|"shallow"|"interrupted",
    "task_type"?: str ≤100, "tools_used"?: [str ≤100] ≤50, "started_at"?: ISO 8601 date-time
    with UTC offset}``
``user_input``
    ``{"text": non-blank str ≤10000, "category"?: "preference"|"reflection"|"goal"|
    "feedback"|"other", "mood"?: int 1..5, "tags"?: [str ≤50] ≤20}``
``calendar_event``
    ``{"title": non-blank str ≤500, "start": ISO date-time with offset, "end": ISO date-time
    with offset, after start, "attendees"?: int 1..10000 (people present, the person
    included)}``

Date-times are stored as sent: their offset is the person's wall clock, which the trait
derivation reads. Integers must be JSON integers (not strings, not booleans).

Content shapes are DRF serializers so that one declaration both validates (here, for every
caller) and documents (the OpenAPI schema of ``POST observations``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.settings import api_settings

from config.outbox import enqueue
from personakit.choices import ObservationType
from personakit.models import Observation, Person
from personakit.services.mindscapes import DERIVE_TRAITS_TASK

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

MAX_BATCH = 1000
UNKNOWN_TYPE_MESSAGE = "Unknown observation type {value!r}: use one of {types}."


# --- content shapes -------------------------------------------------------------------------


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer: ``"90"``, ``90.5`` and ``true`` are refused, not coerced."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.DATETIME)
class OffsetDateTimeField(serializers.CharField):
    """An ISO 8601 date-time with a UTC offset, kept as sent (the offset is local time)."""

    def to_internal_value(self, data: Any) -> str:
        text = super().to_internal_value(data)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise serializers.ValidationError(
                "Use an ISO 8601 date-time, e.g. 2025-03-03T09:15:00+01:00.", code="invalid"
            ) from None
        if moment.tzinfo is None:
            raise serializers.ValidationError(
                "Give the UTC offset, e.g. 2025-03-03T09:15:00+01:00.", code="no_offset"
            )
        return text


class _Content(serializers.Serializer):
    """A content object whose unknown fields are errors."""

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        errors: dict[str, Any] = {}
        value: dict[str, Any] = {}
        try:
            value = dict(super().to_internal_value(data))
        except serializers.ValidationError as error:
            errors = dict(error.detail) if isinstance(error.detail, dict) else {}
        if isinstance(data, dict):
            known = ", ".join(self.fields)
            for name in sorted(set(data) - set(self.fields)):
                errors[name] = [ErrorDetail(f"Unknown field; known: {known}.", "unknown_field")]
        if errors:
            raise serializers.ValidationError(errors)
        return value


class WorkSessionContent(_Content):
    duration_minutes = StrictIntegerField(min_value=1, max_value=1440)
    focus_level = serializers.ChoiceField(["deep", "shallow", "interrupted"], required=False)
    task_type = serializers.CharField(max_length=100, required=False)
    tools_used = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=50, required=False
    )
    started_at = OffsetDateTimeField(required=False)


class UserInputContent(_Content):
    text = serializers.CharField(max_length=10000)
    category = serializers.ChoiceField(
        ["preference", "reflection", "goal", "feedback", "other"], required=False
    )
    mood = StrictIntegerField(min_value=1, max_value=5, required=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50), max_length=20, required=False
    )


class CalendarEventContent(_Content):
    title = serializers.CharField(max_length=500)
    start = OffsetDateTimeField()
    end = OffsetDateTimeField()
    attendees = StrictIntegerField(min_value=1, max_value=10000, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if datetime.fromisoformat(attrs["end"]) <= datetime.fromisoformat(attrs["start"]):
            raise serializers.ValidationError(
                {"end": "Must be after start."}, code="end_before_start"
            )
        return attrs


CONTENT_SHAPES: dict[str, type[_Content]] = {
    ObservationType.WORK_SESSION: WorkSessionContent,
    ObservationType.USER_INPUT: UserInputContent,
    ObservationType.CALENDAR_EVENT: CalendarEventContent,
}


def _as_field_errors(detail: Any, field: str) -> dict[str, list[ValidationError]]:
    """DRF's nested errors as Django's, keyed by dotted path (``content.tools_used.2``)."""
    if isinstance(detail, dict):
        errors: dict[str, list[ValidationError]] = {}
        for key, value in detail.items():
            general = key == api_settings.NON_FIELD_ERRORS_KEY
            errors.update(_as_field_errors(value, field if general else f"{field}.{key}"))
        return errors
    if isinstance(detail, list) and not all(isinstance(item, str) for item in detail):
        errors = {}
        for index, item in enumerate(detail):
            errors.update(_as_field_errors(item, f"{field}.{index}"))
        return errors
    items = detail if isinstance(detail, list) else [detail]
    return {field: [ValidationError(str(item), getattr(item, "code", "invalid")) for item in items]}


def observation_content_clean(*, observation_type: object, content: object) -> dict[str, Any]:
    """``content`` validated against its type's shape, or ``ValidationError`` by field path."""
    shape = CONTENT_SHAPES.get(observation_type) if isinstance(observation_type, str) else None
    if shape is None:
        types = ", ".join(ObservationType.values)
        message = UNKNOWN_TYPE_MESSAGE.format(value=observation_type, types=types)
        raise ValidationError({"observation_type": ValidationError(message, "unknown_type")})
    serializer = shape(data=content)
    if not serializer.is_valid():
        raise ValidationError(_as_field_errors(serializer.errors, "content"))
    return dict(serializer.validated_data)


# --- services -------------------------------------------------------------------------------


def _observation_build(*, user: AbstractBaseUser, item: Mapping[str, Any]) -> Observation:
    person: Person = item["person"]
    errors: dict[str, Any] = {}
    if person.owner_id != user.pk:  # views resolve persons through the caller; this is the net
        errors["person_id"] = [ValidationError(f"You have no person with id {person.pk}.")]
    metadata = item.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        errors["metadata"] = [ValidationError("Must be a JSON object or null.", "invalid")]
    content: dict[str, Any] = {}
    try:
        content = observation_content_clean(
            observation_type=item.get("observation_type"), content=item.get("content")
        )
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    return Observation(
        person=person,
        observation_type=item["observation_type"],
        content=content,
        metadata=metadata,
        created_by=user,
    )


def _traits_derivation_enqueue(*, person_ids: Sequence[object]) -> None:
    """One derivation per person, in the caller's transaction: no fact without its follow-up."""
    for person_id in dict.fromkeys(str(pk) for pk in person_ids):
        enqueue(DERIVE_TRAITS_TASK, {"person_id": person_id})


@transaction.atomic
def observation_create(*, user: AbstractBaseUser, data: Mapping[str, Any]) -> Observation:
    """Record one observation and schedule its person's derivation.

    ``data`` has ``person`` (owned by ``user``), ``observation_type``, ``content`` and
    optionally ``metadata``.
    """
    observation = _observation_build(user=user, item=data)
    observation.save()
    _traits_derivation_enqueue(person_ids=[observation.person_id])
    return observation


@transaction.atomic
def observation_bulk_create(
    *, user: AbstractBaseUser, items: Sequence[Mapping[str, Any]]
) -> list[Observation]:
    """Record up to ``MAX_BATCH`` observations, all or none; errors are keyed ``<index>.<field>``.

    Each item is an ``observation_create`` ``data``.
    """
    if not items or len(items) > MAX_BATCH:
        raise ValidationError(f"Send between 1 and {MAX_BATCH} observations.", "bulk_size")
    rows: list[Observation] = []
    errors: dict[str, Any] = {}
    for index, item in enumerate(items):
        try:
            rows.append(_observation_build(user=user, item=item))
        except ValidationError as error:
            errors.update({f"{index}.{key}": value for key, value in error.error_dict.items()})
    if errors:
        raise ValidationError(errors)
    Observation.objects.bulk_create(rows)
    _traits_derivation_enqueue(person_ids=[row.person_id for row in rows])
    return rows


@transaction.atomic
def observation_delete(*, observation: Observation) -> None:
    """Forget an observation; the person's derived traits are recomputed without it."""
    person_id = observation.person_id
    observation.delete()
    _traits_derivation_enqueue(person_ids=[person_id])
