"""OpenAPI generation: every app's components carry the app's name.

Dreamshot has ``dreams`` as Dreamcatcher does, Dreamscape ``user_personas`` as PersonaKit has
personas: a ``DreamSerializer`` in two apps would otherwise be one ``Dream`` component that
silently describes only one of them. Serializers of an app are named ``<App><Name>``
(``DreamcatcherDream``); inline and proxy serializers take the app of the view that uses
them; the platform's own (``config``) keep their plain names.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import is_list_serializer
from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from config.api.fields import URL_PATTERN, SingleLineCharField, StrictCharField, URLField

_GENERATED = ("drf_spectacular", "rest_framework")  # inline_serializer, PolymorphicProxy …


def app_prefix(serializer: Any, view: Any) -> str:
    """``Dreamcatcher`` for a serializer of the dreamcatcher app, "" for the platform's."""
    if is_list_serializer(serializer):
        serializer = serializer.child
    package = type(serializer).__module__.split(".")[0]
    if package in _GENERATED:
        package = type(view).__module__.split(".")[0]
    return package.capitalize() if package in settings.LUCID_APPS else ""


class AutoSchema(SpectacularAutoSchema):
    def _get_serializer_name(
        self, serializer: Any, direction: str, bypass_extensions: bool = False
    ) -> str:
        name = super()._get_serializer_name(serializer, direction, bypass_extensions)
        prefix = app_prefix(serializer, self.view)
        return name if name.startswith(prefix) else prefix + name

    def _get_request_for_media_type(self, serializer: Any, direction: str = "request") -> Any:
        schema, required = super()._get_request_for_media_type(serializer, direction)
        if isinstance(serializer, PolymorphicProxySerializer) and schema is not None:
            # One of several shapes (an object or a list of them): no body is none of them.
            variants = serializer.serializers
            variants = variants.values() if isinstance(variants, dict) else variants
            required = all(
                super(AutoSchema, self)._get_request_for_media_type(variant, direction)[1]
                for variant in variants
            )
        return schema, required


_CONTROLS = r"\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069"
# What str.strip() strips (str.isspace), spelled out: regex engines disagree on \s (Python's
# takes U+001C..U+001F, ECMA's U+FEFF). DRF trims text of these before "may not be blank".
WHITESPACE = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Free of the characters config.api.limits refuses in single-line text (C0, DEL, C1, bidi
# controls). "+": drf-spectacular offers "" as a oneOf branch of its own where it is allowed.
SINGLE_LINE_PATTERN = rf"^[^{_CONTROLS}]+$"
# ... and more than whitespace, where blank text is refused.
SINGLE_LINE_NOT_BLANK_PATTERN = rf"^[^{_CONTROLS}]*[^{_CONTROLS}{WHITESPACE}][^{_CONTROLS}]*$"
NOT_BLANK_PATTERN = rf"[^{WHITESPACE}]"


def text_pattern(field: serializers.CharField) -> str | None:
    """The pattern text ``field`` takes matches, where ``maxLength`` and co. do not say it all."""
    if isinstance(field, URLField):
        return URL_PATTERN
    if type(field) is not serializers.CharField and not isinstance(field, StrictCharField):
        return None  # a field of its own format (email, slug, a date …)
    blank_refused = field.trim_whitespace and not field.allow_blank
    if isinstance(field, SingleLineCharField):
        return SINGLE_LINE_NOT_BLANK_PATTERN if blank_refused else SINGLE_LINE_PATTERN
    return NOT_BLANK_PATTERN if blank_refused else None


class TextExtension(OpenApiSerializerFieldExtension):
    """A text field's request schema states what it takes: no control characters in single
    line text, more than whitespace where blank is refused (DRF trims "  " to ""), a URL's
    pattern rather than ``format: uri`` (which admits "a:b"; see URL_PATTERN)."""

    target_class = "rest_framework.fields.CharField"
    match_subclasses = True
    priority = -1  # an extension for a field class of its own wins

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        pattern = text_pattern(self.target)
        if direction == "response" or pattern is None:
            return schema
        return {**{k: v for k, v in schema.items() if k != "format"}, "pattern": pattern}


ERROR_COMPONENT = "Error"
_ERROR_ITEM = {
    "type": "object",
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "field": {"type": "string", "nullable": True},
    },
    "required": ["code", "message", "field"],
}
_ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error: the first of ``errors`` repeated at the top level.",
    "properties": {**_ERROR_ITEM["properties"], "errors": {"type": "array", "items": _ERROR_ITEM}},
    "required": ["code", "message", "field", "errors"],
}
_WHY = {
    "400": "Bad input (an id in it the caller has no row for, a value that must be unique "
    "and is taken, …); nothing was written.",
    "401": "No API key, or a wrong, expired or revoked one.",
    "403": "Not allowed for this caller.",
    "404": "No such row among the caller's.",
    "409": "Conflicts with the current state (a stale version, a running sync, an active "
    "mapper, a status that forbids the move, a row that must stay).",
    "413": "The body is too large.",
    "415": "Unsupported content type.",
    "428": 'Say which version you read (If-Match: "<version>" or "version").',
    "429": "Too many requests; see Retry-After.",
    "503": "The database is unavailable for a moment; nothing was changed, retry after "
    "Retry-After seconds.",
}
_WRITES = {"post", "put", "patch"}
_PAGES = {"page", "cursor"}  # a page past the end, or a cursor not ours: 404


def _errors_of(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    """The error statuses ``operation`` can answer, by what it takes."""
    codes = ["401", "403", "429", "503"]
    if method in _WRITES or operation.get("parameters"):
        codes.append("400")
    names = {p.get("name") for p in operation.get("parameters", [])}
    if "{" in path or names & _PAGES:
        codes.append("404")
    if method in {*_WRITES, "delete"}:
        codes.append("409")
    if "requestBody" in operation:
        codes += ["413", "415"]
    if any(p.get("name") == "If-Match" for p in operation.get("parameters", [])):
        codes.append("428")
    return codes


def bound_bulk_lists(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: a bulk body's list holds 1 to ``MAX_BULK_ITEMS`` items."""
    from config.api.viewsets import BULK_COMPONENT_SUFFIX, MAX_BULK_ITEMS

    for name, component in result.get("components", {}).get("schemas", {}).items():
        if f"{BULK_COMPONENT_SUFFIX}Request" in name:
            for variant in component.get("oneOf", []):
                if variant.get("type") == "array":
                    variant.update(minItems=1, maxItems=MAX_BULK_ITEMS)
    return result


def document_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: every operation documents its error answers in the one shape."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = _ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in _errors_of(path, method, operation):
                responses.setdefault(code, {"description": _WHY[code]})
            for code, response in responses.items():
                if code.startswith(("4", "5")) and "content" not in response:
                    response["content"] = error
    return result


_JSON, _MULTIPART = "application/json", "multipart/form-data"
# NDJSON (config.api.parsers.NDJSONParser) is a body of its own where a view takes it.
_NDJSON = "application/x-ndjson"


def _has_file(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    properties = schema.get("properties", {}).values()
    return any(field.get("format") == "binary" for field in properties)


def document_body_types(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: a body is JSON, or multipart where it carries a file.

    Forms cannot say ``null``, a number or a nested object, so the schema of a JSON body
    would be untrue of them; and a file cannot travel in JSON.
    """
    components = result.get("components", {}).get("schemas", {})
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            if not content:
                continue
            schema = next(iter(content.values()))["schema"]
            keep = _MULTIPART if _has_file(schema, components) else _JSON
            if keep in content:
                for media_type in [name for name in content if name not in (keep, _NDJSON)]:
                    del content[media_type]
    return result
