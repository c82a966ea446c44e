"""One retrying HTTP client for the remote services Lucid calls (embeddings, PipelineOS, AI APIs).

``RetryingClient(service=..., base_url=..., headers=..., timeout=..., attempts=...)`` sends
``request(method, path, json=...)`` and returns the ``httpx.Response`` of the first success, or
raises ``RemoteServiceError`` saying what failed, how often and whether trying later may help.

Timeouts, connection errors, 408, 409, 429 and 5xx are retried (the statuses the OpenAI and
Anthropic SDKs retry) with exponential backoff and jitter, honouring ``Retry-After`` up to
``RETRY_AFTER_MAX``; any other status fails at once, since sending it again cannot help.
Only a request that is safe to send twice is retried after it may have reached the service:
an idempotent method, one carrying an ``Idempotency-Key``, or one the caller declares
``idempotent`` (computing embeddings changes nothing). Any other request is retried only when
the service certainly did not process it: the connection failed, or it answered 429.
"""

from __future__ import annotations

import email.utils
import json as jsonlib
import logging
import random
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import httpx

logger = logging.getLogger(__name__)

BACKOFF_INITIAL = 0.5
BACKOFF_MAX = 20.0
# Waiting longer inside one call would stall a worker; the caller's own schedule (the next
# backfill run, a Celery retry) comes back later instead.
RETRY_AFTER_MAX = 60.0
RETRYABLE_STATUSES = frozenset({408, 409, 429}) | frozenset(range(500, 600))
# Transport failures worth another try; others (a bad URL scheme, a proxy refusing) are not.
RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
# Failures that prove the service never saw the request, so even a plain POST may be resent.
UNSENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})


class RemoteServiceError(Exception):
    """A request to a remote service failed; the message says where, how often and why.

    ``status`` is the last HTTP status (``None`` when no response came), ``description`` the
    service's own error text or the transport failure, ``transient`` whether trying again later
    may succeed (false when the service refused the request), ``retry_after`` the wait in
    seconds the service asked for, and ``attempts`` the number of requests sent.
    """

    def __init__(
        self,
        message: str,
        *,
        description: str,
        transient: bool,
        status: int | None = None,
        retry_after: float | None = None,
        attempts: int = 1,
    ) -> None:
        super().__init__(message)
        self.description, self.transient, self.status = description, transient, status
        self.retry_after, self.attempts = retry_after, attempts


class RetryingClient:
    """A pooled ``httpx.Client`` for one service that retries what is worth retrying.

    ``service`` names it in errors and logs; ``attempts`` counts the first request too;
    ``sleep`` waits between attempts (tests record the delays instead).
    """

    def __init__(
        self,
        *,
        service: str,
        base_url: str,
        headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout = 30.0,
        attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"{service} base URL must be an http(s) URL, got {base_url!r}")
        if attempts < 1:
            raise ValueError(f"{service} needs at least one attempt, got {attempts}")
        self.service = service
        self.base_url = base_url.rstrip("/")
        self.attempts = attempts
        self._sleep = sleep
        self._client = httpx.Client(headers=dict(headers or {}), timeout=timeout)

    @property
    def timeout(self) -> httpx.Timeout:
        return self._client.timeout

    @property
    def is_closed(self) -> bool:
        return self._client.is_closed

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` below the base URL."""
        return f"{self.base_url}/{path.lstrip('/')}"

    def close(self) -> None:
        """Close the pooled HTTP connections."""
        self._client.close()

    def __enter__(self) -> RetryingClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """Send the request until it succeeds (a 2xx) and return that response.

        ``idempotent`` says whether the request may be sent twice; by default it may when the
        method is idempotent or ``headers`` carry an ``Idempotency-Key``. Raises
        ``RemoteServiceError``.
        """
        url, method = self.url(path), method.upper()
        if idempotent is None:
            keyed = any(name.lower() == "idempotency-key" for name in headers or {})
            idempotent = keyed or method in IDEMPOTENT_METHODS
        for attempt in range(1, self.attempts + 1):
            try:
                return self._send(method, url, json=json, content=content, headers=headers)
            except _Retryable as retry:
                where = f"{self.service} ({url})"
                if not (idempotent or retry.unsent):
                    # The service may have acted on it already; a resend could act twice.
                    reason = f"not retried: a {method} without an Idempotency-Key"
                    raise retry.error(
                        f"{where} failed: {retry.problem} ({reason})", attempt
                    ) from retry.__cause__
                if attempt == self.attempts:
                    raise retry.error(
                        f"{where} failed after {attempt} attempt(s): {retry.problem}", attempt
                    ) from retry.__cause__
                delay = backoff(attempt - 1) if retry.retry_after is None else retry.retry_after
                logger.warning(
                    "%s request to %s failed (%s); retry %d of %d in %.2f s",
                    self.service,
                    url,
                    retry.problem,
                    attempt,
                    self.attempts - 1,
                    delay,
                )
                self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, method: str, url: str, **options: Any) -> httpx.Response:
        """One request: a successful response, ``_Retryable``, or ``RemoteServiceError``."""
        try:
            response = self._client.request(method, url, **options)
        except RETRYABLE_ERRORS as exc:
            description = describe_transport_error(exc, self._client.timeout)
            raise _Retryable(description, unsent=isinstance(exc, UNSENT_ERRORS)) from exc
        except httpx.HTTPError as exc:
            raise RemoteServiceError(
                f"{self.service} request to {url} failed: {exc}",
                description=f"{type(exc).__name__}: {exc}",
                transient=False,
            ) from exc
        if response.is_success:
            return response
        status, text = response.status_code, error_text(response)
        if status not in RETRYABLE_STATUSES:
            raise RemoteServiceError(
                f"{self.service} ({url}) refused the request (HTTP {status}: {text})",
                description=text,
                transient=False,
                status=status,
            )
        delay = retry_after(response)
        if delay is not None and delay > RETRY_AFTER_MAX:
            raise RemoteServiceError(
                f"{self.service} ({url}) asks to retry after {delay:.0f} s (HTTP {status}: "
                f"{text}); that is longer than the {RETRY_AFTER_MAX:.0f} s waited in-process, "
                "try later",
                description=text,
                transient=True,
                status=status,
                retry_after=delay,
            )
        # A rate limit is answered before the service does any work, so resending is safe.
        raise _Retryable(text, status=status, retry_after=delay, unsent=status == 429)


class _Retryable(Exception):
    """A failure worth another attempt, after ``retry_after`` seconds if the service named one."""

    def __init__(
        self,
        description: str,
        *,
        unsent: bool,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(description)
        self.description, self.unsent = description, unsent
        self.status, self.retry_after = status, retry_after

    @property
    def problem(self) -> str:
        """The failure in a phrase: ``HTTP 503: <the service's text>`` or the transport error."""
        return (
            self.description if self.status is None else f"HTTP {self.status}: {self.description}"
        )

    def error(self, message: str, attempts: int) -> RemoteServiceError:
        """The error to raise when no attempt follows this failure."""
        return RemoteServiceError(
            message,
            description=self.description,
            transient=True,
            status=self.status,
            retry_after=self.retry_after,
            attempts=attempts,
        )


def backoff(attempt: int) -> float:
    """Seconds before retry ``attempt + 1``: doubling from 0.5 s up to 20 s, less up to 25 %."""
    delay = min(BACKOFF_INITIAL * 2**attempt, BACKOFF_MAX)
    return delay * (1 - 0.25 * random.random())  # noqa: S311 - jitter, not cryptography


def retry_after(response: httpx.Response) -> float | None:
    """The wait the server asks for: ``retry-after-ms``, or ``Retry-After`` in seconds or a date."""
    milliseconds = response.headers.get("retry-after-ms")
    if milliseconds:
        try:
            return max(float(milliseconds) / 1000, 0.0)
        except ValueError:
            pass
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def shorten(text: str, limit: int = 300) -> str:
    """``text`` on one line, cut to ``limit`` characters: a remote service's message for a log."""
    text = " ".join(text.split())
    return (text[:limit] + "…") if len(text) > limit else text


def error_text(response: httpx.Response) -> str:
    """The service's own explanation, shortened: ``error.message`` (OpenAI, Anthropic),
    ``error``, ``message`` or ``detail`` of a JSON body, else the body or the reason phrase."""
    try:
        body = response.json()
    except ValueError:
        return shorten(response.text) or response.reason_phrase
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return shorten(str(error["message"]))
        for text in (error, body.get("message"), body.get("detail")):
            if isinstance(text, str) and text:
                return shorten(text)
    return shorten(jsonlib.dumps(body))


def describe_transport_error(exc: httpx.HTTPError, timeout: httpx.Timeout) -> str:
    """What went wrong below HTTP: which timeout ran out, or the connection error."""
    if isinstance(exc, httpx.TimeoutException):
        limits = {
            httpx.ConnectTimeout: timeout.connect,
            httpx.ReadTimeout: timeout.read,
            httpx.WriteTimeout: timeout.write,
            httpx.PoolTimeout: timeout.pool,
        }
        return f"timed out after {limits.get(type(exc))} s ({type(exc).__name__})"
    return f"{type(exc).__name__}: {exc}"
