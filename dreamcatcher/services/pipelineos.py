"""HTTP client for PipelineOS, the project-management service a dream is pushed to.

The contract: ``POST {PIPELINEOS_BASE_URL}/projects`` with ``Authorization: Bearer <token>``,
a JSON body the caller builds, and an ``Idempotency-Key`` header; PipelineOS answers 200 or
201 with a JSON object holding the new project's ``project_id`` (or ``id``).

Requests go through ``config.http.RetryingClient``: timeouts, connection errors, 408, 409 (a
request with the same key is still in flight, as the IETF Idempotency-Key draft has it), 429
(honouring ``Retry-After``) and 5xx are retried up to ``PIPELINEOS_MAX_RETRIES`` times with
exponential backoff and jitter; after that ``PipelineOSUnavailable``. Any other 4xx is
``PipelineOSRejected``: PipelineOS refuses this dream and sending it again cannot help (401/403
are ``PipelineOSAuthFailed``, a subclass: the token is wrong, not the dream). A success without
a project id is a plain ``PipelineOSError``.

Retrying a POST is safe only because of the idempotency key: it is the dream id plus a hash of
the payload, so a retry after a lost response (in this call, or a later Celery retry) replays
the first answer instead of creating a second project, while a changed dream gets a new key.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.http import RemoteServiceError, RetryingClient, shorten

AUTH_FAILED_STATUSES = frozenset({401, 403})
IDEMPOTENCY_KEY_MAX = 255


class PipelineOSError(Exception):
    """PipelineOS could not take the dream: the base of this module's errors."""


class PipelineOSRejected(PipelineOSError):
    """A 4xx: PipelineOS refuses this request for good; ``message`` is its own explanation."""

    refused = "the dream"

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"PipelineOS rejected {self.refused}: HTTP {status}: {message}")
        self.status, self.message = status, message


class PipelineOSAuthFailed(PipelineOSRejected):
    """A 401 or 403: the token is wrong or lacks rights; every dream would fail the same way."""

    refused = "the API token (PIPELINEOS_TOKEN)"


class PipelineOSUnavailable(PipelineOSError):
    """PipelineOS did not answer usefully, even after retries; try again later.

    ``retry_after`` is the wait in seconds PipelineOS asked for, when it named one.
    """

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class PushResult:
    """A dream pushed: the id PipelineOS gave its project."""

    project_id: str


def payload_digest(payload: Mapping[str, Any]) -> str:
    """SHA-256 hex digest of ``payload`` as canonical JSON (sorted keys, no spaces)."""
    return hashlib.sha256(_canonical_json(payload)).hexdigest()


def idempotency_key(dream_id: str, content_hash: str) -> str:
    """The ``Idempotency-Key`` for pushing this content of this dream: ``dream:<id>:<hash>``.

    Both parts are percent-encoded, so any id makes a valid header value; a key that would be
    longer than 255 characters is replaced by ``dream-sha256:<digest of both>``.
    """
    key = f"dream:{quote(dream_id, safe='')}:{quote(content_hash, safe='')}"
    if len(key) <= IDEMPOTENCY_KEY_MAX:
        return key
    digest = hashlib.sha256(f"{dream_id}\x00{content_hash}".encode()).hexdigest()
    return f"dream-sha256:{digest}"


class PipelineOSClient:
    """Pushes dreams to PipelineOS over one pooled HTTP client; use it as a context manager."""

    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        timeout: float = 10.0,
        max_retries: int = 3,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ImproperlyConfigured(
                f"PIPELINEOS_BASE_URL must be an http(s) URL, got {base_url!r}"
            )
        if not token:
            raise ImproperlyConfigured("PIPELINEOS_TOKEN is empty; PipelineOS needs it")
        if timeout <= 0 or max_retries < 0:
            raise ImproperlyConfigured(
                "PIPELINEOS_TIMEOUT must be positive and PIPELINEOS_MAX_RETRIES not negative"
            )
        self.max_retries = max_retries
        self.http = RetryingClient(
            service="PipelineOS",
            base_url=base_url,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
                "User-Agent": "lucid-dreamcatcher",
            },
            timeout=timeout,
            attempts=max_retries + 1,
            sleep=sleep,
        )
        self.url = self.http.url("/projects")

    @classmethod
    def from_settings(cls, **overrides: Any) -> PipelineOSClient:
        """Build the client from the ``PIPELINEOS_*`` settings (``overrides`` win, e.g. sleep)."""
        base_url = getattr(settings, "PIPELINEOS_BASE_URL", "") or ""
        token = getattr(settings, "PIPELINEOS_TOKEN", "") or ""
        missing = [
            name
            for name, value in [("PIPELINEOS_BASE_URL", base_url), ("PIPELINEOS_TOKEN", token)]
            if not value
        ]
        if missing:
            raise ImproperlyConfigured(
                f"PipelineOS sync is not configured: set {' and '.join(missing)} "
                "(the service's URL and its API token)"
            )
        options = {
            "base_url": base_url,
            "token": token,
            "timeout": float(getattr(settings, "PIPELINEOS_TIMEOUT", 10.0)),
            "max_retries": int(getattr(settings, "PIPELINEOS_MAX_RETRIES", 3)),
        }
        return cls(**(options | overrides))

    def close(self) -> None:
        """Close the pooled HTTP connections."""
        self.http.close()

    def __enter__(self) -> PipelineOSClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def push_dream(
        self, payload: Mapping[str, Any], *, dream_id: str, content_hash: str | None = None
    ) -> PushResult:
        """Create the PipelineOS project for a dream; ``payload`` is its JSON-ready body.

        ``content_hash`` identifies this version of the dream (say, the hash the caller stores
        to skip unchanged dreams); by default ``payload_digest(payload)``. With ``dream_id`` it
        makes the ``Idempotency-Key``, which stays the same on every retry of this content.
        Raises ``PipelineOSRejected``, ``PipelineOSUnavailable`` or ``PipelineOSError``.
        """
        body = _canonical_json(payload)  # the same bytes on every attempt
        key = idempotency_key(dream_id, content_hash or hashlib.sha256(body).hexdigest())
        answer = self._post(body, key)
        project_id = answer.get("project_id") or answer.get("id")
        if isinstance(project_id, bool) or not isinstance(project_id, str | int):
            raise PipelineOSError(
                f"{self.url} answered without a project id (expected 'project_id' or 'id'): "
                f"{shorten(json.dumps(answer))}"
            )
        return PushResult(project_id=str(project_id))

    def _post(self, body: bytes, key: str) -> dict[str, Any]:
        """POST ``body`` and return the JSON object answered.

        The idempotency key makes the POST safe to resend, so the client retries it.
        """
        try:
            response = self.http.request(
                "POST", "/projects", content=body, headers={"Idempotency-Key": key}
            )
        except RemoteServiceError as exc:
            raise _pipelineos_error(exc) from exc
        try:
            answer = response.json()
        except ValueError as exc:
            raise PipelineOSError(f"{self.url} answered with invalid JSON") from exc
        if not isinstance(answer, dict):
            raise PipelineOSError(f"{self.url} answered with JSON that is not an object")
        return answer


def _pipelineos_error(exc: RemoteServiceError) -> PipelineOSError:
    """The error of this module that says what the HTTP client's failure means for a dream."""
    if exc.transient:
        return PipelineOSUnavailable(str(exc), retry_after=exc.retry_after)
    if exc.status in AUTH_FAILED_STATUSES:
        return PipelineOSAuthFailed(exc.status, exc.description)
    if exc.status is not None:
        return PipelineOSRejected(exc.status, exc.description)
    return PipelineOSError(str(exc))


def _canonical_json(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
