"""``ETag`` / ``If-Match`` for optimistic locking over a row's integer ``version``.

A read answers ``ETag: "<version>"``; a write must say which version it read, as
``If-Match: "<version>"`` or ``"version"`` in the body. Without one the answer is 428 (a
blind write could silently undo a concurrent one); a stale one is 409 ``version_conflict``
(``config.concurrency.VersionConflict``, mapped by ``config.api.errors``).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request

IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, description='The "<version>" read.'
)


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = 'Say which version you read: If-Match: "<version>" or "version" in the body.'


class ConflictSerializer(serializers.Serializer):
    """The 409 body: the error shape plus the version to re-read."""

    code = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField(allow_null=True)
    errors = serializers.ListField(child=serializers.DictField())
    current_version = serializers.IntegerField()


def etag(version: int) -> dict[str, str]:
    """The response headers that carry ``version``."""
    return {"ETag": f'"{version}"'}


def _if_match(request: Request) -> int | None:
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tag = header.strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise exceptions.ValidationError(
            {"If-Match": ['Use the ETag you read, e.g. If-Match: "3".']}, code="invalid"
        )
    return int(tag)


def _body_version(request: Request) -> int | None:
    version: Any = request.data.get("version") if isinstance(request.data, dict) else None
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise exceptions.ValidationError({"version": ["Must be an integer."]}, code="invalid")
    return version


def expected_version(request: Request) -> int:
    """The version the caller read (``If-Match`` or body ``version``); 428 without one."""
    header, body = _if_match(request), _body_version(request)
    if header is not None and body is not None and header != body:
        raise exceptions.ValidationError(
            {"version": ["Differs from If-Match; send one version."]}, code="ambiguous_version"
        )
    expected = header if header is not None else body
    if expected is None:
        raise PreconditionRequired()
    return expected
