"""Answers a database outage with 503 and ``Retry-After``, never a 500.

With ``ATOMIC_REQUESTS`` a dead connection fails as the request's transaction opens, before
the view (and DRF's exception handler) runs; this catches it there. Django then finds the
connection unusable at the end of the request and opens a new one on the next, so the
service recovers by itself once the database is back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from config.api.errors import DATABASE_OUTAGE_ERRORS, json_service_unavailable, service_unavailable

logger = logging.getLogger(__name__)


class DatabaseOutageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_OUTAGE_ERRORS):
            return None
        logger.warning(
            "database unavailable for %s %s: %s", request.method, request.path, exception
        )
        if request.path.startswith("/api/"):
            return json_service_unavailable(request)
        body, headers = service_unavailable()
        return HttpResponse(body["message"], status=503, content_type="text/plain", headers=headers)
