"""Serializer fields every app's API shares."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.utils import html

from config.api.limits import check_json, control_character_problem, too_deep


class JSONField(serializers.JSONField):
    """Any JSON value within ``config.api.limits`` (depth, string length, storable text).

    The parser checks JSON bodies already; this also covers JSON sent as a form field.
    """

    def to_internal_value(self, data: Any) -> Any:
        try:
            value = super().to_internal_value(data)
        except RecursionError:
            raise serializers.ValidationError([too_deep()]) from None
        check_json(value)
        return value


class StrictCharField(serializers.CharField):
    """Text that is text: DRF would take the number 0 as "0", and a form's empty field as
    left out (so ``name=`` changed nothing); the schema says string, minLength 1."""

    def get_value(self, dictionary: Any) -> Any:
        if html.is_html_input(dictionary) and dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class SingleLineCharField(StrictCharField):
    """Text shown on one line (a name, a title, a tag): no control or bidi characters."""

    def run_validation(self, data: Any = empty) -> Any:
        # Before trimming: "\tname" and "\t" are refused, as the schema's pattern says.
        if isinstance(data, str) and (problem := control_character_problem(data)) is not None:
            raise serializers.ValidationError([problem])
        return super().run_validation(data)


# An http(s) URL with a DNS name: a plain subset of what Django's URLValidator takes, so the
# schema can state it exactly (``format: uri`` admits "a:b", which Django refuses). At most
# three labels of 63 before the top-level domain keep the host under Django's 253.
URL_PATTERN = (
    r"^https?://(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,3}[A-Za-z]{2,24}"
    r"(?::[0-9]{1,5})?(?:[/?#][!-~]*)?$"
)
_URL = re.compile(URL_PATTERN)


class URLField(StrictCharField):
    """An http(s) URL matching ``URL_PATTERN``, which the schema states as its pattern."""

    default_error_messages = {
        "invalid": "Enter an http(s) URL with a domain name, e.g. https://example.com/page."
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)  # "https://a.example\n" fails the pattern
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if _URL.fullmatch(value) is None:
            self.fail("invalid")
        return value


@extend_schema_field(OpenApiTypes.OBJECT)
class JSONObjectField(JSONField):
    """A JSON object (``{}``), never a list or a scalar."""

    default_error_messages = {"not_an_object": "Must be a JSON object."}

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        if not isinstance(value, dict):
            self.fail("not_an_object")
        return value


@extend_schema_field({"type": "array", "items": {}})
class JSONArrayField(JSONField):
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
