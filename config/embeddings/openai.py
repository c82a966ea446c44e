"""An OpenAI-compatible embeddings API over HTTP (OpenAI itself, or any server speaking its API).

``POST {EMBEDDING_API_BASE_URL}/embeddings`` with ``{"model", "input": [...]}`` in batches of
``EMBEDDING_API_BATCH_SIZE``. Timeouts, connection errors, 408, 409, 429 and 5xx are retried up
to ``EMBEDDING_API_MAX_RETRIES`` times with exponential backoff and jitter, honouring
``Retry-After``; any other 4xx fails at once, since sending it again cannot help. A 400, 413
or 422 means the input was refused (typically a text longer than the model's context) and
raises ``EmbeddingInputError``, so the backfill can skip that row and go on.

Vectors with fewer than 1536 dimensions (a smaller model on a self-hosted server) are
zero-padded like the local model's, which keeps cosine similarity exact; more than 1536, or a
server whose dimension changes between responses for the same model, is an ``EmbeddingError``.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

import httpx
import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.embeddings import (
    EMBEDDING_DIMENSIONS,
    EmbeddingError,
    EmbeddingInputError,
    EmbeddingProvider,
)
from config.http import (
    RETRY_AFTER_MAX,
    backoff,
    describe_transport_error,
    retry_after,
    shorten,
)

logger = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({408, 409, 429}) | frozenset(range(500, 600))
INPUT_REFUSED_STATUSES = frozenset({400, 413, 422})
# Transport failures worth another try; others (a bad URL scheme, a proxy refusing) are not.
RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
# Waiting longer than this inside one call would stall a worker; give up and let the caller's
# own schedule (the next backfill run, a Celery retry) come back later.


class OpenAICompatibleProvider(EmbeddingProvider):
    """Embeddings from an OpenAI-compatible ``/embeddings`` endpoint; ``model_name`` = its model."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        model: str,
        batch_size: int = 128,
        timeout: float = 30.0,
        max_retries: int = 4,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not api_key:
            raise ImproperlyConfigured(
                "EMBEDDING_API_KEY is empty; the OpenAI-compatible embedding provider needs it "
                "(or set EMBEDDING_PROVIDER=local for the offline model)"
            )
        if not base_url.startswith(("http://", "https://")):
            raise ImproperlyConfigured(
                f"EMBEDDING_API_BASE_URL must be an http(s) URL, got {base_url!r}"
            )
        if not model:
            raise ImproperlyConfigured("EMBEDDING_API_MODEL is empty")
        if batch_size < 1 or timeout <= 0 or max_retries < 0:
            raise ImproperlyConfigured(
                "EMBEDDING_API_BATCH_SIZE must be at least 1, EMBEDDING_API_TIMEOUT positive and "
                "EMBEDDING_API_MAX_RETRIES not negative"
            )
        self.model_name = model
        self.url = base_url.rstrip("/") + "/embeddings"
        self.batch_size = batch_size
        self.max_retries = max_retries
        self._sleep = sleep
        self._native_dimensions: int | None = None
        self._client = httpx.Client(
            headers={
                "Authorization": f"Bearer {api_key}",
                "Content-Type": "application/json",
                "Accept": "application/json",
                "User-Agent": "lucid-embeddings",
            },
            timeout=timeout,
        )

    @classmethod
    def from_settings(cls) -> OpenAICompatibleProvider:
        """Build the provider from the ``EMBEDDING_API_*`` settings."""
        return cls(
            base_url=settings.EMBEDDING_API_BASE_URL,
            api_key=settings.EMBEDDING_API_KEY,
            model=settings.EMBEDDING_API_MODEL,
            batch_size=settings.EMBEDDING_API_BATCH_SIZE,
            timeout=settings.EMBEDDING_API_TIMEOUT,
            max_retries=settings.EMBEDDING_API_MAX_RETRIES,
        )

    def close(self) -> None:
        """Close the pooled HTTP connections."""
        self._client.close()

    def _embed_texts(self, texts: list[str]) -> np.ndarray:
        batches = [
            self._embed_batch(texts[start : start + self.batch_size])
            for start in range(0, len(texts), self.batch_size)
        ]
        return np.concatenate(batches)

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        payload = self._post({"model": self.model_name, "input": texts, "encoding_format": "float"})
        vectors = _vectors_in_input_order(payload, expected=len(texts), url=self.url)
        dimensions = vectors.shape[1]
        if dimensions > EMBEDDING_DIMENSIONS:
            raise EmbeddingError(
                f"{self.url} returned {dimensions}-dimensional vectors for {self.model_name}; "
                f"Lucid stores {EMBEDDING_DIMENSIONS} (choose a model with at most that many)"
            )
        if self._native_dimensions is None:
            self._native_dimensions = dimensions
        elif dimensions != self._native_dimensions:
            # Same model name, different vectors: storing them would mix incomparable spaces.
            raise EmbeddingError(
                f"{self.url} returned {dimensions}-dimensional vectors for {self.model_name}, "
                f"earlier {self._native_dimensions}-dimensional ones"
            )
        return vectors

    def _post(self, body: dict[str, Any]) -> Any:
        """POST ``body`` and return the decoded JSON, retrying what is worth retrying."""
        attempts = self.max_retries + 1
        for attempt in range(attempts):
            try:
                return self._post_once(body)
            except _Retryable as retry:
                if attempt == attempts - 1:
                    raise EmbeddingError(
                        f"embedding request to {self.url} failed after {attempts} attempt(s): "
                        f"{retry.problem}"
                    ) from retry.__cause__
                delay = backoff(attempt) if retry.delay is None else retry.delay
                logger.warning(
                    "Embedding request to %s failed (%s); retry %d of %d in %.2f s",
                    self.url,
                    retry.problem,
                    attempt + 1,
                    self.max_retries,
                    delay,
                )
                self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _post_once(self, body: dict[str, Any]) -> Any:
        """One request: the decoded JSON, ``_Retryable``, or ``EmbeddingError`` for good."""
        try:
            response = self._client.post(self.url, json=body)
        except RETRYABLE_ERRORS as exc:
            raise _Retryable(describe_transport_error(exc, self._client.timeout)) from exc
        except httpx.HTTPError as exc:
            raise EmbeddingError(f"embedding request to {self.url} failed: {exc}") from exc
        if response.is_success:
            try:
                return response.json()
            except ValueError as exc:
                raise EmbeddingError(f"{self.url} answered with invalid JSON") from exc
        problem = f"HTTP {response.status_code}: {_error_message(response)}"
        if response.status_code in INPUT_REFUSED_STATUSES:
            raise EmbeddingInputError(f"{self.url} refused the embedding request ({problem})")
        if response.status_code not in RETRYABLE_STATUSES:
            raise EmbeddingError(f"{self.url} refused the embedding request ({problem})")
        delay = retry_after(response)
        if delay is not None and delay > RETRY_AFTER_MAX:
            raise EmbeddingError(
                f"{self.url} asks to retry after {delay:.0f} s ({problem}); that is longer "
                f"than the {RETRY_AFTER_MAX:.0f} s waited in-process, try later"
            )
        raise _Retryable(problem, delay)


class _Retryable(Exception):
    """A failure worth another attempt, after ``delay`` seconds if the server named one."""

    def __init__(self, problem: str, delay: float | None = None) -> None:
        super().__init__(problem)
        self.problem, self.delay = problem, delay


def _vectors_in_input_order(payload: Any, *, expected: int, url: str) -> np.ndarray:
    """The ``data[].embedding`` lists of an embeddings response, sorted by their ``index``."""
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, list):
        raise EmbeddingError(f"{url} answered without a 'data' list")
    try:
        indexed = {int(item["index"]): item["embedding"] for item in data}
    except (KeyError, TypeError, ValueError) as exc:
        raise EmbeddingError(f"{url} answered with items lacking 'index' or 'embedding'") from exc
    if len(data) != expected or sorted(indexed) != list(range(expected)):
        raise EmbeddingError(
            f"{url} returned {len(data)} embeddings with indices {sorted(indexed)[:10]}, "
            f"expected indices 0..{expected - 1}"
        )
    rows = [indexed[i] for i in range(expected)]
    if not all(isinstance(row, list) and row for row in rows) or len({len(r) for r in rows}) != 1:
        raise EmbeddingError(f"{url} returned embeddings that are not equal-length float lists")
    try:
        return np.asarray(rows, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise EmbeddingError(f"{url} returned embeddings with non-numeric values") from exc


def _error_message(response: httpx.Response) -> str:
    """The server's own error text (OpenAI's ``{"error": {"message"}}``), shortened."""
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
    else:
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict) and error.get("message"):
            text = str(error["message"])
        elif isinstance(error, str):
            text = error
        else:
            text = json.dumps(body)
    return shorten(text) or response.reason_phrase
