"""Text embeddings behind one interface, chosen by ``settings.EMBEDDING_PROVIDER``.

Every provider returns float32 rows of ``EMBEDDING_DIMENSIONS`` (the seeds' ``vector(1536)``
columns), each of unit length. A model with fewer native dimensions is zero-padded: padding
changes neither dot products nor norms, so cosine similarity is exactly that of the native
vectors. Vectors of different models are never comparable, which is why every embedding
column stores ``embedding_model`` (the provider's ``model_name``) beside it.

Empty or whitespace-only text has no meaning to embed (and a zero vector would make cosine
distance undefined), so every provider raises ``EmbeddingInputError`` for it; callers such as
the backfill skip such rows instead.
"""

from __future__ import annotations

import abc
import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

EMBEDDING_DIMENSIONS = 1536

__all__ = [
    "EMBEDDING_DIMENSIONS",
    "EmbeddingError",
    "EmbeddingInputError",
    "EmbeddingProvider",
    "fit_to_dimensions",
    "get_provider",
]


class EmbeddingError(Exception):
    """A provider could not turn texts into vectors (service down, refused key, bad response)."""


class EmbeddingInputError(EmbeddingError):
    """The texts themselves were refused (empty, too long for the model); retrying cannot help."""


class EmbeddingProvider(abc.ABC):
    """Turns texts into unit-length float32 vectors of ``EMBEDDING_DIMENSIONS``.

    Subclasses set ``model_name`` and implement ``_embed_texts``; ``embed`` validates the input
    and enforces the output contract for all of them.
    """

    model_name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``; returns an array of shape ``(len(texts), 1536)``, rows L2-normalised.

        Raises ``EmbeddingInputError`` if any text is empty or whitespace-only (or the model
        refuses one), ``EmbeddingError`` if the model fails.
        """
        batch = _validated_texts(texts)
        if not batch:
            return np.zeros((0, EMBEDDING_DIMENSIONS), dtype=np.float32)
        return fit_to_dimensions(self._embed_texts(batch), rows=len(batch), source=self.model_name)

    def embed_one(self, text: str) -> np.ndarray:
        """Embed a single text (a search query, say); returns a 1-D vector of 1536 floats."""
        return self.embed([text])[0]

    @abc.abstractmethod
    def _embed_texts(self, texts: list[str]) -> np.ndarray:
        """Return the model's native vectors for non-empty ``texts``, one row each, in order."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.model_name}>"


def fit_to_dimensions(vectors: Any, *, rows: int, source: str = "model") -> np.ndarray:
    """Zero-pad ``vectors`` to ``EMBEDDING_DIMENSIONS`` columns and scale each row to length 1.

    Raises ``EmbeddingError`` if the shape is not ``(rows, d)`` with ``0 < d <= 1536``, or a row
    is zero or not finite (neither can be normalised into something cosine distance accepts).
    """
    try:
        native = np.asarray(vectors, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise EmbeddingError(f"{source} returned vectors that are not numeric arrays") from exc
    if native.ndim != 2 or native.shape[0] != rows:
        raise EmbeddingError(
            f"{source} returned an array of shape {native.shape}, expected {rows} vectors"
        )
    dimensions = native.shape[1]
    if not 0 < dimensions <= EMBEDDING_DIMENSIONS:
        raise EmbeddingError(
            f"{source} returned {dimensions}-dimensional vectors; Lucid stores at most "
            f"{EMBEDDING_DIMENSIONS} dimensions"
        )
    if not np.isfinite(native).all():
        raise EmbeddingError(f"{source} returned vectors containing NaN or infinity")
    norms = np.linalg.norm(native, axis=1, keepdims=True)
    if (norms == 0).any():
        zero_rows = np.flatnonzero(norms[:, 0] == 0).tolist()
        raise EmbeddingError(f"{source} returned all-zero vectors for texts at {zero_rows}")
    padded = np.zeros((rows, EMBEDDING_DIMENSIONS), dtype=np.float64)
    padded[:, :dimensions] = native / norms
    return padded.astype(np.float32)


def _validated_texts(texts: Sequence[str]) -> list[str]:
    # A bare string is a Sequence[str] too; embedding it character by character is never meant.
    if isinstance(texts, str | bytes):
        raise TypeError("embed() takes a sequence of texts; wrap a single text in a list")
    batch = list(texts)
    not_text = [i for i, text in enumerate(batch) if not isinstance(text, str)]
    if not_text:
        raise TypeError(f"embed() takes strings only; items {not_text[:10]} are not strings")
    blank = [i for i, text in enumerate(batch) if not text.strip()]
    if blank:
        raise EmbeddingInputError(
            f"cannot embed empty or whitespace-only text (items {blank[:10]}"
            f"{' …' if len(blank) > 10 else ''}); skip such rows instead"
        )
    return batch


@functools.cache
def get_provider() -> EmbeddingProvider:
    """The provider named by ``settings.EMBEDDING_PROVIDER`` ("local" or "openai"), one per process.

    Raises ``ImproperlyConfigured`` for an unknown name or incomplete settings.
    """
    name = settings.EMBEDDING_PROVIDER
    if name == "local":
        from config.embeddings.local import WordLlamaProvider

        return WordLlamaProvider()
    if name == "openai":
        from config.embeddings.openai import OpenAICompatibleProvider

        return OpenAICompatibleProvider.from_settings()
    raise ImproperlyConfigured(
        f"EMBEDDING_PROVIDER is {name!r}; set it to 'local' (WordLlama, offline) or "
        "'openai' (an OpenAI-compatible HTTP API, see EMBEDDING_API_*)"
    )


@receiver(setting_changed)
def _forget_provider_on_settings_change(*, setting: str, **kwargs: Any) -> None:
    # override_settings(EMBEDDING_...) must not keep serving the provider built from old values.
    if setting.startswith("EMBEDDING_"):
        get_provider.cache_clear()
