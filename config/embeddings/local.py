"""The default provider: WordLlama ``l2_supercat`` (256 dimensions), shipped inside its wheel.

It needs numpy only and never touches the network. Its vectors are zero-padded to 1536
dimensions by ``EmbeddingProvider.embed``, which keeps their cosine similarities exact.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from django.core.exceptions import ImproperlyConfigured

from config.embeddings import EmbeddingProvider

if TYPE_CHECKING:
    from wordllama.inference import WordLlamaInference

WORDLLAMA_CONFIG = "l2_supercat"
WORDLLAMA_DIMENSIONS = 256
# WordLlama pads every text of a call to the longest one, so a call holds about
# len(texts) * longest_text * 256 floats; grouping texts of similar length under this many
# characters per call keeps one long document from costing gigabytes.
CHARACTERS_PER_CALL = 256 * 1024


class WordLlamaProvider(EmbeddingProvider):
    """WordLlama ``l2_supercat`` at 256 dimensions, loaded from the installed wheel on first use."""

    model_name = f"wordllama-{WORDLLAMA_CONFIG}-{WORDLLAMA_DIMENSIONS}"

    def __init__(self) -> None:
        self._model: WordLlamaInference | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> WordLlamaInference:
        """The loaded WordLlama model (its ``embed`` gives the raw 256-d vectors)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = _load_wordllama()
        return self._model

    def _embed_texts(self, texts: list[str]) -> np.ndarray:
        model = self.model
        vectors = np.empty((len(texts), WORDLLAMA_DIMENSIONS), dtype=np.float32)
        for indices in _length_grouped_batches(texts):
            batch = [texts[i] for i in indices]
            vectors[indices] = model.embed(batch, norm=False, batch_size=len(batch))
        return vectors


def _load_wordllama() -> WordLlamaInference:
    import wordllama
    from wordllama import WordLlama

    # The library looks for the packaged tokenizer under a misspelt folder; pointing cache_dir at
    # the package itself finds both files, and disable_download keeps it from trying the network.
    package_dir = Path(wordllama.__file__).parent
    try:
        return WordLlama.load(
            config=WORDLLAMA_CONFIG,
            dim=WORDLLAMA_DIMENSIONS,
            cache_dir=package_dir,
            disable_download=True,
        )
    except (FileNotFoundError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"WordLlama {WORDLLAMA_CONFIG} ({WORDLLAMA_DIMENSIONS}-d) is not in the installed "
            f"wordllama package at {package_dir}: {exc}. Reinstall wordllama, or set "
            "EMBEDDING_PROVIDER=openai."
        ) from exc


def _length_grouped_batches(texts: list[str]) -> list[list[int]]:
    """Indices of ``texts`` grouped so each group's count times its longest text stays bounded."""
    batches: list[list[int]] = []
    current: list[int] = []
    for index in sorted(range(len(texts)), key=lambda i: len(texts[i])):
        # Sorted by length, so this text is the longest of the group it would join.
        if current and (len(current) + 1) * len(texts[index]) > CHARACTERS_PER_CALL:
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches
