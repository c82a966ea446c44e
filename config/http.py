"""Retry timing shared by the HTTP clients of remote services (embeddings API, PipelineOS)."""

from __future__ import annotations

import email.utils
import random
from datetime import UTC, datetime

import httpx

BACKOFF_INITIAL = 0.5
BACKOFF_MAX = 20.0
RETRY_AFTER_MAX = 60.0  # longer waits are not slept in-process: the caller retries later


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
