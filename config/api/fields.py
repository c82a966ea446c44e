"""Serializer fields every app's API shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.OBJECT)
class JSONObjectField(serializers.JSONField):
    """A JSON object (``{}``), never a list or a scalar."""

    default_error_messages = {"not_an_object": "Must be a JSON object."}

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        if not isinstance(value, dict):
            self.fail("not_an_object")
        return value


@extend_schema_field({"type": "array", "items": {}})
class JSONArrayField(serializers.JSONField):
    """A JSON array (``[]``), never an object or a scalar."""

    default_error_messages = {"not_an_array": "Must be a JSON array."}

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        if not isinstance(value, list):
            self.fail("not_an_array")
        return value


class CallerRowField(serializers.PrimaryKeyRelatedField):
    """A row of the caller's, by id: another user's row is as unknown as a missing one.

    ``rows(user=caller)`` is a selector of ``model``'s rows; a bulk request that names the
    same few rows many times looks each up once (cached in the serializer's context).
    """

    def __init__(self, model: type[Model], rows: Callable[..., QuerySet], **kwargs: Any) -> None:
        noun = model._meta.verbose_name
        self.rows = rows
        messages = {
            "does_not_exist": f'You have no {noun} with id "{{pk_value}}".',
            "incorrect_type": f"Expected a {noun} id, got {{data_type}}.",
        }
        kwargs["error_messages"] = {**messages, **kwargs.get("error_messages", {})}
        super().__init__(queryset=model._default_manager.all(), **kwargs)

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return self.queryset.none()
        return self.rows(user=request.user)

    def to_internal_value(self, data: Any) -> Model:
        if not isinstance(data, str | int) or isinstance(data, bool):
            return super().to_internal_value(data)
        known = self.context.setdefault(f"caller_rows:{self.field_name}", {})
        if str(data) not in known:
            known[str(data)] = super().to_internal_value(data)
        return known[str(data)]
