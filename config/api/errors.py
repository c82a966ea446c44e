"""One JSON error shape for every 4xx/5xx of the API.

``{"code": ..., "message": ..., "field": ..., "errors": [{"code", "message", "field"}, ...]}``:
the top level repeats the first error, ``errors`` lists them all; ``field`` is a dotted
path (``items.3.title``) or null.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, JsonResponse, UnreadablePostError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from config.api.limits import text_problem
from config.api.preconditions import etag
from config.concurrency import VersionConflict

logger = logging.getLogger(__name__)

# The database is down, restarting or unreachable: the request changed nothing (it ran in a
# transaction), so the client may send it again once the database is back.
DATABASE_OUTAGE_ERRORS = (OperationalError, InterfaceError)


def error_body(errors: list[dict[str, Any]]) -> dict[str, Any]:
    return {**errors[0], "errors": errors}


def single_error(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return error_body([{"code": code, "message": message, "field": field}])


def _is_leaf(details: Any) -> bool:
    return isinstance(details, dict) and set(details) == {"message", "code"}


def _join(field: str | None, key: object) -> str:
    return f"{field}.{key}" if field else str(key)


def flatten_details(details: Any, field: str | None = None) -> list[dict[str, Any]]:
    """Turn DRF's nested ``get_full_details()`` into a flat list of field errors."""
    if _is_leaf(details):
        return [{"code": str(details["code"]), "message": str(details["message"]), "field": field}]
    errors: list[dict[str, Any]] = []
    if isinstance(details, dict):
        for key, value in details.items():
            general = key in (api_settings.NON_FIELD_ERRORS_KEY, "detail")
            errors.extend(flatten_details(value, field if general else _join(field, key)))
    elif isinstance(details, list):
        # Several errors of one field keep its name; a list of items (bulk) gets indices.
        for index, value in enumerate(details):
            errors.extend(flatten_details(value, field if _is_leaf(value) else _join(field, index)))
    else:
        errors.append({"code": "invalid", "message": str(details), "field": field})
    return errors


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = "The request body is larger than this server accepts."


def _unstorable_in_request(context: dict[str, Any]) -> Exception | None:
    """A path id or query parameter PostgreSQL cannot even compare (it holds NUL)."""
    if any(isinstance(v, str) and text_problem(v) for v in context.get("kwargs", {}).values()):
        return exceptions.NotFound()  # no row can have that id
    request = context.get("request")
    if request is None:
        return None
    for name, values in request.query_params.lists():
        for value in values:
            if (problem := text_problem(value)) is not None:
                return exceptions.ValidationError({name: [problem]})
    return None


def _as_api_exception(exc: Exception, context: dict[str, Any]) -> Exception:
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    if isinstance(exc, UnreadablePostError):  # the client stopped sending (WEB_CLIENT_TIMEOUT)
        return exceptions.ParseError("The request body did not arrive in time.", code="timeout")
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return exceptions.ParseError(str(exc), code="too_many_fields")
    if isinstance(exc, DataError) and (unstorable := _unstorable_in_request(context)):
        return unstorable
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, IntegrityError | DataError):
        # The database's constraints are the last line of validation: bad input, not a crash.
        logger.info("constraint rejected a request: %s", exc)
        return exceptions.ValidationError(
            {api_settings.NON_FIELD_ERRORS_KEY: [str(exc).splitlines()[0]]}, code="constraint"
        )
    return exc


def _version_conflict(error: VersionConflict) -> Response:
    body = {
        **single_error("version_conflict", str(error), error.field),
        "current_version": error.current_version,
    }
    return Response(body, status=status.HTTP_409_CONFLICT, headers=etag(error.current_version))


def service_unavailable() -> tuple[dict[str, Any], dict[str, str]]:
    """The body and headers of a 503 while the database is unavailable."""
    body = single_error(
        "service_unavailable", "The database is unavailable; nothing was changed, try again."
    )
    return body, {"Retry-After": str(settings.OUTAGE_RETRY_AFTER_SECONDS)}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    if isinstance(exc, DATABASE_OUTAGE_ERRORS):
        logger.warning("database unavailable in %s: %s", context.get("view"), exc)
        set_rollback()
        body, headers = service_unavailable()
        return Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE, headers=headers)
    if isinstance(exc, VersionConflict):
        set_rollback()
        return _version_conflict(exc)
    exc = _as_api_exception(exc, context)
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("unhandled error in %s", context.get("view"), exc_info=exc)
        set_rollback()
        return Response(
            single_error("server_error", "Internal server error."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    assert isinstance(exc, exceptions.APIException)
    errors = flatten_details(exc.get_full_details()) or [
        {"code": exc.default_code, "message": str(exc.default_detail), "field": None}
    ]
    response.data = error_body(errors)
    return response


def json_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(single_error("not_found", "Not found."), status=404)


def json_service_unavailable(request: HttpRequest) -> JsonResponse:
    body, headers = service_unavailable()
    return JsonResponse(body, status=503, headers=headers)


def json_server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse(single_error("server_error", "Internal server error."), status=500)
