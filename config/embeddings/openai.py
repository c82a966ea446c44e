"""An OpenAI-compatible embeddings API over HTTP (OpenAI itself, or any server speaking its API).

``POST {EMBEDDING_API_BASE_URL}/embeddings`` with ``{"model", "input": [...]}`` in batches of
``EMBEDDING_API_BATCH_SIZE``, through ``config.http.RetryingClient``: timeouts, connection
errors, 408, 409, 429 and 5xx are retried up to ``EMBEDDING_API_MAX_RETRIES`` times with
exponential backoff and jitter, honouring ``Retry-After``; any other 4xx fails at once, since
sending it again cannot help. A 400, 413 or 422 means the input was refused (typically a text
longer than the model's context) and raises ``EmbeddingInputError``, so the backfill can skip
that row and go on.

Vectors with fewer than 1536 dimensions (a smaller model on a self-hosted server) are
zero-padded like the local model's, which keeps cosine similarity exact; more than 1536, or a
server whose dimension changes between responses for the same model, is an ``EmbeddingError``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.embeddings import (
    EMBEDDING_DIMENSIONS,
    EmbeddingError,
    EmbeddingInputError,
    EmbeddingProvider,
)
from config.http import RemoteServiceError, RetryingClient

INPUT_REFUSED_STATUSES = frozenset({400, 413, 422})


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
        self.batch_size = batch_size
        self.max_retries = max_retries
        self._native_dimensions: int | None = None
        self.http = RetryingClient(
            service="embedding API",
            base_url=base_url,
            headers={
                "Authorization": f"Bearer {api_key}",
                "Accept": "application/json",
                "User-Agent": "lucid-embeddings",
            },
            timeout=timeout,
            attempts=max_retries + 1,
            sleep=sleep,
        )
        self.url = self.http.url("/embeddings")

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
        self.http.close()

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
        """POST ``body`` and return the decoded JSON."""
        try:
            # Embedding a text changes nothing on the server, so a resend is always safe.
            response = self.http.request("POST", "/embeddings", json=body, idempotent=True)
        except RemoteServiceError as exc:
            refused = exc.status in INPUT_REFUSED_STATUSES
            raise (EmbeddingInputError if refused else EmbeddingError)(str(exc)) from exc
        try:
            return response.json()
        except ValueError as exc:
            raise EmbeddingError(f"{self.url} answered with invalid JSON") from exc


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
