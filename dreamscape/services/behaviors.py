"""Behaviour events: validated in bulk, written with one ``COPY``, kept in monthly partitions.

Validation is plain Python rather than a DRF serializer per event: a batch of a thousand
events must cost little more than the ``COPY`` that writes it (``bench/dreamscape.py``).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.exceptions import ErrorDetail, ValidationError

from config.api.limits import control_character_problem
from config.database import quote_qualified
from config.database.partitions import (
    add_months,
    create_monthly_partitions,
    drain_default_partition,
    drop_partitions_before,
    month_start,
)
from dreamscape.models.behaviors import BEHAVIORS_TABLE

FIELDS = (
    "action_type",
    "item_id",
    "item_type",
    "duration_seconds",
    "context",
    "metadata",
    "created_at",
)
_COPY_COLUMNS = ("id", "user_id", *FIELDS)
_COPY_SQL = f"COPY {quote_qualified(BEHAVIORS_TABLE)} ({', '.join(_COPY_COLUMNS)}) FROM STDIN"
_MAX_INTEGER = 2**31 - 1
TEXT_MAX_LENGTH = 50  # action_type and item_type are VARCHAR(50)
_KNOWN = frozenset(FIELDS)
MAX_ERRORS = 100  # per request: enough to fix a batch, never a megabyte of errors


def _error(code: str, message: str) -> ErrorDetail:
    return ErrorDetail(message, code=code)


def retention_cutoff(today: date | None = None) -> date:
    """The first day of the oldest month kept (``DREAMSCAPE_BEHAVIOR_RETENTION_MONTHS``)."""
    this_month = month_start(today or timezone.now().date())
    return add_months(this_month, -settings.DREAMSCAPE_BEHAVIOR_RETENTION_MONTHS)


@dataclass(frozen=True)
class _Bounds:
    """What one batch is checked against, read from settings once per batch."""

    now: datetime
    latest: datetime
    oldest: datetime
    skew: int
    max_bytes: int
    retention_months: int

    @classmethod
    def current(cls) -> _Bounds:
        now = timezone.now()
        cutoff = retention_cutoff(now.date())
        skew = settings.DREAMSCAPE_CLOCK_SKEW_SECONDS
        return cls(
            now=now,
            latest=now + timedelta(seconds=skew),
            oldest=datetime(cutoff.year, cutoff.month, 1, tzinfo=now.tzinfo),
            skew=skew,
            max_bytes=settings.DREAMSCAPE_EVENT_MAX_BYTES,
            retention_months=settings.DREAMSCAPE_BEHAVIOR_RETENTION_MONTHS,
        )


def _text(value: Any, *, required: bool) -> tuple[Any, ErrorDetail | None]:
    # NUL and lone surrogates were refused by the parser (config.api.limits) for API input;
    # NUL is a control character, refused here too.
    if value is None:
        return None, _error("required", "This field is required.") if required else None
    if not isinstance(value, str):
        return None, _error("invalid", "Send a string.")
    if required and not value.strip():
        return None, _error("blank", "This field may not be blank.")
    if len(value) > TEXT_MAX_LENGTH:
        return None, _error("max_length", f"At most {TEXT_MAX_LENGTH} characters.")
    return value, control_character_problem(value)


def _item_id(value: Any) -> tuple[Any, ErrorDetail | None]:
    if value is None:
        return None, None
    try:
        return uuid.UUID(value), None
    except (TypeError, ValueError, AttributeError):
        return None, _error("invalid", "Send a UUID.")


def _duration(value: Any) -> ErrorDetail | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return _error("invalid", "Send a whole number of seconds ≥ 0.")
    return _error("max_value", f"At most {_MAX_INTEGER}.") if value > _MAX_INTEGER else None


def _event(raw: Any, bounds: _Bounds) -> tuple[dict[str, Any] | None, dict[str, ErrorDetail]]:
    """One event made ready for ``COPY``, or its errors by field."""
    if not isinstance(raw, dict):
        return None, {"non_field_errors": _error("invalid", "Send a JSON object per event.")}
    errors: dict[str, ErrorDetail | None] = {
        unknown: _error("unknown_field", f"Unknown field; events take {', '.join(FIELDS)}.")
        for unknown in sorted(set(raw) - _KNOWN)
    }
    event: dict[str, Any] = {"duration_seconds": raw.get("duration_seconds")}
    event["action_type"], errors["action_type"] = _text(raw.get("action_type"), required=True)
    event["item_type"], errors["item_type"] = _text(raw.get("item_type"), required=False)
    event["item_id"], errors["item_id"] = _item_id(raw.get("item_id"))
    errors["duration_seconds"] = _duration(event["duration_seconds"])
    size, texts = 0, {}
    event["json"] = texts  # the JSON columns as COPY writes them
    for name in ("context", "metadata"):
        value = raw.get(name)
        if value is not None and not isinstance(value, dict):
            errors[name] = _error("not_an_object", "Send a JSON object (or null).")
            value = None
        event[name] = value
        texts[name] = None if value is None else json.dumps(value, separators=(",", ":"))
        size += len(texts[name] or "")
    if size > bounds.max_bytes:
        errors["metadata" if errors.get("metadata") is None else "context"] = _error(
            "too_large",
            f"context and metadata together take at most {bounds.max_bytes} bytes of JSON.",
        )
    event["created_at"], errors["created_at"] = _moment(raw.get("created_at"), bounds)
    found = {field: error for field, error in errors.items() if error is not None}
    return (None if found else event), found


def _moment(value: Any, bounds: _Bounds) -> tuple[Any, ErrorDetail | None]:
    if value is None:
        return bounds.now, None
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None, _error("invalid", "Send an ISO 8601 timestamp with a time zone.")
    if moment.tzinfo is None:
        return None, _error("naive_timestamp", "Include a time zone (e.g. Z or +02:00).")
    if moment > bounds.latest:
        return None, _error("in_the_future", f"More than {bounds.skew} s in the future.")
    if moment < bounds.oldest:
        return None, _error(
            "beyond_retention",
            f"Older than the {bounds.retention_months} months kept "
            f"(before {bounds.oldest.date().isoformat()}).",
        )
    return moment, None


def behavior_events_validate(items: list[Any]) -> list[dict[str, Any]]:
    """``items`` ready to write, or a ValidationError with every item's errors at
    ``<index>.<field>`` (at most ``MAX_ERRORS``)."""
    bounds = _Bounds.current()
    events, errors = [], {}
    for index, raw in enumerate(items):
        event, problems = _event(raw, bounds)
        if problems:
            errors[str(index)] = {field: [error] for field, error in problems.items()}
            if len(errors) >= MAX_ERRORS:
                break
        else:
            events.append(event)
    if errors:
        raise ValidationError(errors)
    return events


def behavior_bulk_create(*, user: Any, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Write ``items`` (from ``behavior_events_validate``) as ``user``'s events with one
    ``COPY``, in the caller's transaction; returns them with their new ids. The owner is
    always ``user``: an event names no user of its own."""
    for event in items:
        event["id"] = uuid.uuid4()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy(_COPY_SQL) as copy,
    ):
        for event in items:
            texts = event["json"]
            copy.write_row(
                (event["id"], user.pk, *(texts.get(field, event[field]) for field in FIELDS))
            )
    return items


def behavior_create(*, user: Any, data: dict[str, Any]) -> dict[str, Any]:
    """One event (validated) for ``user``; see ``behavior_bulk_create``."""
    return behavior_bulk_create(user=user, items=[data])[0]


@dataclass(frozen=True)
class PartitionUpkeep:
    drained: dict[str, int]
    created: list[str]
    dropped: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"drained": self.drained, "created": self.created, "dropped": self.dropped}


def behavior_partitions_upkeep(*, today: date | None = None) -> PartitionUpkeep:
    """Move rows out of the DEFAULT partition into their months' new partitions, then make
    every month from the retention cutoff through ``DREAMSCAPE_PARTITION_MONTHS_AHEAD``."""
    cutoff = retention_cutoff(today)
    drained = drain_default_partition(BEHAVIORS_TABLE, column="created_at")
    this_month = month_start(today or timezone.now().date())
    span = (this_month.year - cutoff.year) * 12 + this_month.month - cutoff.month
    created = create_monthly_partitions(
        BEHAVIORS_TABLE,
        start=cutoff,
        months_ahead=span + settings.DREAMSCAPE_PARTITION_MONTHS_AHEAD,
    )
    return PartitionUpkeep(drained=drained, created=created, dropped=[])


def behavior_retention_apply(*, today: date | None = None) -> PartitionUpkeep:
    """Drop every whole month before the retention cutoff (a ``DELETE`` of them would scan and
    bloat the table); rows of those months in the DEFAULT partition are deleted."""
    cutoff = retention_cutoff(today)
    dropped = drop_partitions_before(BEHAVIORS_TABLE, cutoff)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote_qualified(BEHAVIORS_TABLE + '_default')} "  # noqa: S608
            "WHERE created_at < %s",
            [cutoff],
        )
        stray = cursor.rowcount
    return PartitionUpkeep(drained={"deleted_from_default": stray}, created=[], dropped=dropped)
