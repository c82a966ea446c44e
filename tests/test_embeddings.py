"""Embedding providers and the backfill, against the real local model, a real HTTP server on
loopback standing in for an OpenAI-compatible service, and a real pgvector table."""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Iterator
from io import StringIO
from typing import Any

import numpy as np
import pytest
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection, models
from pgvector.django import VectorField

from config.embeddings import (
    EMBEDDING_DIMENSIONS,
    EmbeddingError,
    EmbeddingInputError,
    EmbeddingProvider,
    get_provider,
)
from config.embeddings.backfill import backfill_all, embed_queryset, pending_counts
from config.embeddings.local import WORDLLAMA_DIMENSIONS, WordLlamaProvider
from config.embeddings.openai import OpenAICompatibleProvider
from config.registries import EmbeddingColumn, embedding_columns
from tests.loopback import FakeEmbeddingService, Reply, fake_vector


@pytest.fixture(autouse=True)
def _fresh_provider():
    """A provider cached by one test (say, for a fake server now gone) must not serve the next."""
    get_provider.cache_clear()
    yield
    get_provider.cache_clear()


@pytest.fixture(scope="module")
def local_provider() -> WordLlamaProvider:
    return WordLlamaProvider()


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


# --- The interface ------------------------------------------------------------------------------


def test_get_provider_builds_the_local_model_once_per_process(settings):
    settings.EMBEDDING_PROVIDER = "local"
    provider = get_provider()
    assert isinstance(provider, WordLlamaProvider)
    assert provider.model_name == "wordllama-l2_supercat-256"
    assert get_provider() is provider


def test_get_provider_rejects_an_unknown_name(settings):
    settings.EMBEDDING_PROVIDER = "word2vec"
    with pytest.raises(ImproperlyConfigured, match=r"EMBEDDING_PROVIDER is 'word2vec'.*'local'"):
        get_provider()


# --- Local WordLlama model ----------------------------------------------------------------------


def test_related_texts_score_higher_than_unrelated_ones(local_provider):
    cases = [
        ("The dog chased the ball across the park", "A puppy played fetch on the grass"),
        ("I dreamt I was flying over the ocean", "In my dream I soared above the sea"),
        ("Pay the electricity bill before Friday", "The power invoice is due at the week's end"),
    ]
    unrelated = "Quarterly revenue figures were revised after the audit"
    for text, related in cases:
        vectors = local_provider.embed([text, related, unrelated])
        assert cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2]) + 0.1, text


def test_output_is_unit_float32_rows_of_1536(local_provider):
    texts = ["a lucid dream", "the morning journal", "x"]
    vectors = local_provider.embed(texts)
    assert vectors.shape == (3, EMBEDDING_DIMENSIONS)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    assert local_provider.embed([]).shape == (0, EMBEDDING_DIMENSIONS)
    np.testing.assert_array_equal(local_provider.embed_one("x"), vectors[2])


def test_zero_padding_keeps_cosine_similarity_exact(local_provider):
    texts = ["walking through a forest at night", "a dark wood", "tax return", "forest"]
    native = local_provider.model.embed(texts)
    assert native.shape == (4, WORDLLAMA_DIMENSIONS)
    padded = local_provider.embed(texts)
    assert not padded[:, WORDLLAMA_DIMENSIONS:].any()
    for i in range(len(texts)):
        for j in range(len(texts)):
            assert float(padded[i] @ padded[j]) == pytest.approx(
                cosine(native[i], native[j]), abs=1e-6
            )


@pytest.mark.parametrize("blank", ["", "   ", "\n\t "])
def test_empty_text_is_an_error_not_a_zero_vector(local_provider, blank):
    with pytest.raises(EmbeddingError, match=r"empty or whitespace-only text \(items \[1\]\)"):
        local_provider.embed(["fine", blank])


def test_a_bare_string_is_refused_rather_than_embedded_letter_by_letter(local_provider):
    with pytest.raises(TypeError, match="sequence of texts"):
        local_provider.embed("hello")


def test_texts_of_very_different_lengths_come_back_in_order(local_provider):
    # Long enough that the provider splits the call by length; the order must survive.
    long_text = "dreams of falling and of flying " * 10_000
    texts = ["short", long_text, "a medium sized sentence about the sea", "tiny"]
    together = local_provider.embed(texts)
    one_by_one = np.vstack([local_provider.embed([text]) for text in texts])
    np.testing.assert_allclose(together, one_by_one, atol=1e-6)


# --- OpenAI-compatible HTTP provider against a fake service on loopback ---------------------------


def unit(vector: np.ndarray) -> np.ndarray:
    return vector / np.linalg.norm(vector)


@pytest.fixture
def service() -> Iterator[FakeEmbeddingService]:
    fake = FakeEmbeddingService()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def sleeps() -> list[float]:
    """Backoff delays the provider asked for; recorded instead of slept, so tests stay fast."""
    return []


@pytest.fixture
def make_provider(service, sleeps):
    providers = []

    def build(**overrides: Any) -> OpenAICompatibleProvider:
        options = {
            "base_url": service.url,
            "api_key": "sk-test",
            "model": "fake-embed-1",
            "batch_size": 128,
            "timeout": 5.0,
            "max_retries": 3,
            "sleep": sleeps.append,
        } | overrides
        providers.append(OpenAICompatibleProvider(**options))
        return providers[-1]

    yield build
    for provider in providers:
        provider.close()


def test_batches_requests_and_sends_model_and_key(service, make_provider):
    texts = [f"text {i}" for i in range(5)]
    vectors = make_provider(batch_size=2).embed(texts)

    assert service.inputs == [["text 0", "text 1"], ["text 2", "text 3"], ["text 4"]]
    for request in service.requests:
        assert request["path"] == "/v1/embeddings"
        assert request["headers"]["authorization"] == "Bearer sk-test"
        assert request["body"]["model"] == "fake-embed-1"
    assert vectors.shape == (5, EMBEDDING_DIMENSIONS)
    assert vectors.dtype == np.float32


def test_vectors_are_ordered_by_index_and_normalised(service, make_provider):
    texts = ["alpha", "beta", "gamma", "delta"]
    vectors = make_provider().embed(texts)
    expected = np.vstack([unit(fake_vector(text, EMBEDDING_DIMENSIONS)) for text in texts])
    np.testing.assert_allclose(vectors, expected, atol=1e-6)
    assert len(service.requests) == 1


def test_a_server_error_is_retried_then_succeeds(service, make_provider, sleeps):
    service.script = [Reply(500, body={"error": {"message": "upstream hiccup"}})]
    vectors = make_provider().embed(["retry me"])
    assert len(service.requests) == 2
    assert len(sleeps) == 1
    assert 0.375 <= sleeps[0] <= 0.5  # first backoff: 0.5 s less up to 25 % jitter
    np.testing.assert_allclose(vectors[0], unit(fake_vector("retry me", 1536)), atol=1e-6)


def test_backoff_grows_and_the_provider_gives_up_after_max_retries(service, make_provider, sleeps):
    service.script = [Reply(503, body={"error": {"message": "overloaded"}})] * 5
    with pytest.raises(EmbeddingError, match=r"after 3 attempt\(s\): HTTP 503: overloaded"):
        make_provider(max_retries=2).embed(["never"])
    assert len(service.requests) == 3
    assert len(sleeps) == 2
    assert 0.375 <= sleeps[0] <= 0.5 < 0.75 <= sleeps[1] <= 1.0


@pytest.mark.parametrize(
    ("headers", "waited"),
    [({"Retry-After": "7"}, 7.0), ({"retry-after-ms": "1500", "Retry-After": "2"}, 1.5)],
)
def test_429_waits_as_long_as_the_server_asks(service, make_provider, sleeps, headers, waited):
    service.script = [Reply(429, headers=headers, body={"error": {"message": "slow down"}})]
    make_provider().embed(["patience"])
    assert sleeps == [waited]
    assert len(service.requests) == 2


def test_429_asking_for_a_long_wait_fails_now_instead_of_stalling(service, make_provider, sleeps):
    service.script = [Reply(429, headers={"Retry-After": "3600"}, body={})]
    with pytest.raises(EmbeddingError, match="retry after 3600 s"):
        make_provider().embed(["later"])
    assert sleeps == []
    assert len(service.requests) == 1


@pytest.mark.parametrize(
    ("status", "input_refused"), [(400, True), (413, True), (422, True), (401, False), (404, False)]
)
def test_other_client_errors_are_not_retried(service, make_provider, sleeps, status, input_refused):
    service.script = [Reply(status, body={"error": {"message": "computer says no"}})]
    with pytest.raises(EmbeddingError, match=rf"refused .*HTTP {status}: computer says no") as err:
        make_provider().embed(["x" * 10])
    # Only a refusal of the input lets the backfill skip a row; a bad key or model must stop it.
    assert isinstance(err.value, EmbeddingInputError) is input_refused
    assert len(service.requests) == 1
    assert sleeps == []


def test_a_hanging_server_times_out_and_is_retried(service, make_provider, sleeps):
    service.script = [Reply(hang=30), Reply(hang=30)]
    with pytest.raises(EmbeddingError, match=r"after 2 attempt\(s\): timed out after 0.2 s"):
        make_provider(timeout=0.2, max_retries=1).embed(["slow"])
    assert len(service.requests) == 2
    assert len(sleeps) == 1


def test_a_refused_connection_is_retried_then_reported(make_provider, sleeps):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider = make_provider(base_url=f"http://127.0.0.1:{port}/v1", max_retries=2)
    with pytest.raises(EmbeddingError, match=r"after 3 attempt.*ConnectError"):
        provider.embed(["anyone?"])
    assert len(sleeps) == 2


def test_vectors_wider_than_1536_are_refused(service, make_provider):
    service.dimensions = 3072
    with pytest.raises(EmbeddingError, match="3072-dimensional vectors for fake-embed-1"):
        make_provider().embed(["too wide"])


def test_narrower_vectors_are_zero_padded_keeping_cosine(service, make_provider):
    service.dimensions = 768
    provider = make_provider()
    vectors = provider.embed(["one", "two"])
    assert vectors.shape == (2, EMBEDDING_DIMENSIONS)
    assert not vectors[:, 768:].any()
    native = [fake_vector(text, 768) for text in ("one", "two")]
    assert float(vectors[0] @ vectors[1]) == pytest.approx(cosine(*native), abs=1e-6)

    service.dimensions = 1024  # same model name, other vector space: refuse to mix them
    with pytest.raises(EmbeddingError, match=r"1024-dimensional .* earlier 768-dimensional"):
        provider.embed(["three"])


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(raw=b"<html>gateway</html>"), "invalid JSON"),
        (Reply(body={"object": "list"}), "without a 'data' list"),
        (Reply(body={"data": [{"index": 0, "embedding": [1.0, 0.0]}]}), "expected indices 0..1"),
        (Reply(body={"data": [{"index": 0}, {"index": 1}]}), "lacking 'index' or 'embedding'"),
        (
            Reply(
                body={
                    "data": [{"index": 0, "embedding": [0, 0]}, {"index": 1, "embedding": [1, 0]}]
                }
            ),
            "all-zero vectors",
        ),
    ],
)
def test_malformed_responses_are_embedding_errors(service, make_provider, reply, message):
    service.script = [reply]
    with pytest.raises(EmbeddingError, match=message):
        make_provider().embed(["a", "b"])


def test_get_provider_builds_the_http_provider_from_settings(service, settings):
    settings.EMBEDDING_PROVIDER = "openai"
    settings.EMBEDDING_API_BASE_URL = service.url + "/"
    settings.EMBEDDING_API_KEY = "sk-from-settings"
    settings.EMBEDDING_API_MODEL = "fake-embed-2"
    settings.EMBEDDING_API_BATCH_SIZE = 3
    provider = get_provider()
    assert isinstance(provider, OpenAICompatibleProvider)
    assert provider.model_name == "fake-embed-2"

    provider.embed(["a", "b", "c", "d"])
    assert service.inputs == [["a", "b", "c"], ["d"]]
    assert service.requests[0]["headers"]["authorization"] == "Bearer sk-from-settings"

    settings.EMBEDDING_API_MODEL = "fake-embed-3"  # a settings change replaces the cached one
    assert get_provider().model_name == "fake-embed-3"


def test_the_http_provider_requires_an_api_key(settings):
    settings.EMBEDDING_PROVIDER = "openai"
    settings.EMBEDDING_API_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="EMBEDDING_API_KEY is empty"):
        get_provider()


# --- Backfill over a real pgvector table --------------------------------------------------------

# Its own registry keeps this test-only model out of the project's (admin, migrations checks).
_test_apps = Apps()


class _DreamNoteColumns(models.Model):
    body = models.TextField(null=True)
    embedding = VectorField(dimensions=EMBEDDING_DIMENSIONS, null=True)
    embedding_model = models.CharField(max_length=100, null=True)

    class Meta:
        abstract = True
        app_label = "lucid"
        apps = _test_apps
        managed = False

    def __str__(self) -> str:
        return self.body or ""


class DreamNote(_DreamNoteColumns):
    class Meta(_DreamNoteColumns.Meta):
        db_table = "test_embedding_dream_notes"


class UuidDreamNote(_DreamNoteColumns):
    """The seeds' tables mostly have uuid keys, which order randomly and have no MAX()."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)

    class Meta(_DreamNoteColumns.Meta):
        db_table = "test_embedding_uuid_dream_notes"


@pytest.fixture(params=[DreamNote, UuidDreamNote], ids=["bigint-key", "uuid-key"])
def notes(request, db) -> Iterator[type[_DreamNoteColumns]]:
    with connection.schema_editor() as editor:
        editor.create_model(request.param)
    yield request.param
    with connection.schema_editor() as editor:
        editor.delete_model(request.param)


@pytest.fixture
def registered_notes(notes) -> Iterator[str]:
    """Registers the notes table as an embedding column, as an app's ``ready()`` would."""
    global_apps.register_model("lucid", notes)
    embedding_columns.register(
        EmbeddingColumn(name="test_dream_notes", model=notes._meta.label, text_field="body")
    )
    yield "test_dream_notes"
    embedding_columns.unregister("test_dream_notes")
    del global_apps.all_models["lucid"][notes._meta.model_name]
    global_apps.clear_cache()


def vector_of(note: _DreamNoteColumns) -> np.ndarray:
    note.refresh_from_db()
    return np.asarray(note.embedding, dtype=np.float32)


def test_backfill_embeds_only_missing_and_stale_rows(notes, local_provider):
    old = np.zeros(EMBEDDING_DIMENSIONS, dtype=np.float32)
    old[0] = 1.0
    missing = notes.objects.create(body="I was flying over a city of glass")
    stale = notes.objects.create(body="A tidal wave", embedding=old, embedding_model="old-model")
    unlabelled = notes.objects.create(body="Lost teeth", embedding=old)
    current = notes.objects.create(
        body="Already done", embedding=old, embedding_model=local_provider.model_name
    )
    blank = notes.objects.create(body="   ")
    no_text = notes.objects.create(body=None)
    calls = []

    embedded = embed_queryset(
        notes.objects.all(),
        text_field="body",
        provider=local_provider,
        batch_size=2,
        progress=lambda done, total: calls.append((done, total)),
    )

    assert embedded == 3
    assert calls == [(2, 3), (3, 3)]
    for note in (missing, stale, unlabelled):
        np.testing.assert_array_equal(vector_of(note), local_provider.embed_one(note.body))
        assert note.embedding_model == local_provider.model_name
    np.testing.assert_array_equal(vector_of(current), old)  # the current model's rows: untouched
    for note in (blank, no_text):
        note.refresh_from_db()
        assert note.embedding is None
        assert note.embedding_model is None

    calls.clear()
    assert embed_queryset(notes.objects.all(), text_field="body", provider=local_provider) == 0
    assert calls == []


def test_a_new_model_makes_every_vector_stale(notes, local_provider, service, make_provider):
    for body in ("one", "two", "three"):
        notes.objects.create(body=body)
    assert embed_queryset(notes.objects.all(), text_field="body", provider=local_provider) == 3

    remote = make_provider(batch_size=2)
    assert embed_queryset(notes.objects.all(), text_field="body", provider=remote) == 3
    assert set(notes.objects.values_list("embedding_model", flat=True)) == {"fake-embed-1"}
    in_key_order = list(notes.objects.order_by("pk").values_list("body", flat=True))
    assert service.inputs == [in_key_order[:2], in_key_order[2:]]


def test_a_row_the_service_refuses_is_skipped_without_wedging_the_column(
    notes, service, make_provider, caplog
):
    notes.objects.create(body="short dream")
    too_long = notes.objects.create(body="an endless dream")
    notes.objects.create(body="another short dream")
    service.too_long = "endless"

    with caplog.at_level(logging.WARNING, logger="config.embeddings.backfill"):
        embedded = embed_queryset(notes.objects.all(), text_field="body", provider=make_provider())

    assert embedded == 2
    in_key_order = list(notes.objects.order_by("pk").values_list("body", flat=True))
    assert service.inputs == [in_key_order] + [[body] for body in in_key_order]
    too_long.refresh_from_db()
    assert too_long.embedding is None
    assert notes.objects.filter(embedding__isnull=False).count() == 2
    assert f"Not embedding {notes._meta.label} {too_long.pk}" in caplog.text
    assert "maximum context length" in caplog.text

    # The next run tries the refused row again, on its own, and still leaves it be.
    assert embed_queryset(notes.objects.all(), text_field="body", provider=make_provider()) == 0
    assert service.inputs[4:] == [["an endless dream"]]


def test_when_every_text_is_refused_the_request_is_at_fault(notes, service, make_provider):
    notes.objects.create(body="one")
    notes.objects.create(body="two")
    service.script = [Reply(400, body={"error": {"message": "no such model"}})] * 3
    with pytest.raises(EmbeddingInputError, match="no such model"):
        embed_queryset(notes.objects.all(), text_field="body", provider=make_provider())
    assert len(service.requests) == 3
    assert not notes.objects.filter(embedding__isnull=False).exists()


def test_a_rejected_key_stops_the_backfill_at_once(notes, service, make_provider):
    notes.objects.create(body="one")
    notes.objects.create(body="two")
    service.script = [Reply(401, body={"error": {"message": "Incorrect API key"}})]
    with pytest.raises(EmbeddingError, match="Incorrect API key"):
        embed_queryset(notes.objects.all(), text_field="body", provider=make_provider())
    assert len(service.requests) == 1


def test_the_queryset_limits_what_is_embedded(notes, local_provider):
    keep = notes.objects.create(body="keep me")
    skip = notes.objects.create(body="not this one")
    embedded = embed_queryset(
        notes.objects.filter(pk=keep.pk), text_field="body", provider=local_provider
    )
    assert embedded == 1
    skip.refresh_from_db()
    assert skip.embedding is None


class FailingOnSecondBatch(EmbeddingProvider):
    """The real local model, but the service 'goes down' on the second call."""

    def __init__(self, inner: EmbeddingProvider) -> None:
        self.inner, self.model_name, self.calls = inner, inner.model_name, 0

    def _embed_texts(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        if self.calls == 2:
            raise EmbeddingError("service unavailable")
        return self.inner.embed(texts)


def test_an_interrupted_backfill_keeps_its_batches_and_resumes(notes, local_provider):
    for i in range(5):
        notes.objects.create(body=f"dream number {i}")
    with pytest.raises(EmbeddingError, match="service unavailable"):
        embed_queryset(
            notes.objects.all(),
            text_field="body",
            provider=FailingOnSecondBatch(local_provider),
            batch_size=2,
        )
    assert notes.objects.filter(embedding__isnull=False).count() == 2

    assert embed_queryset(notes.objects.all(), text_field="body", provider=local_provider) == 3
    assert not notes.objects.filter(embedding__isnull=True).exists()


class EditingWhileEmbedding(EmbeddingProvider):
    """The real local model, while a user edits one row's text mid-batch."""

    def __init__(self, inner: EmbeddingProvider, note: _DreamNoteColumns) -> None:
        self.inner, self.model_name, self.note = inner, inner.model_name, note

    def _embed_texts(self, texts: list[str]) -> np.ndarray:
        type(self.note).objects.filter(pk=self.note.pk).update(body="rewritten meanwhile")
        return self.inner.embed(texts)


def test_a_row_edited_during_its_batch_is_not_given_the_old_texts_vector(notes, local_provider):
    edited = notes.objects.create(body="original text")
    other = notes.objects.create(body="untouched text")
    provider = EditingWhileEmbedding(local_provider, edited)
    assert embed_queryset(notes.objects.all(), text_field="body", provider=provider) == 1
    edited.refresh_from_db()
    assert edited.embedding is None
    assert vector_of(other).any()


def test_backfill_all_walks_the_registry(registered_notes, notes, settings):
    settings.EMBEDDING_PROVIDER = "local"
    notes.objects.create(body="a registered column")
    notes.objects.create(body="gets embedded")
    calls = []

    results = backfill_all(lambda name, done, total: calls.append((name, done, total)))

    assert results[registered_notes] == 2
    assert set(results) == {column.name for column in embedding_columns}
    assert (registered_notes, 2, 2) in calls
    assert backfill_all(names=[registered_notes]) == {registered_notes: 0}
    with pytest.raises(ValueError, match=r"unknown embedding column.*no_such_column"):
        backfill_all(names=["no_such_column"])
    assert backfill_all(names=[]) == {}


def test_command_prints_progress_and_a_summary(registered_notes, notes, settings):
    settings.EMBEDDING_PROVIDER = "local"
    for i in range(3):
        notes.objects.create(body=f"note {i}")

    out = StringIO()
    call_command("backfill_embeddings", "--dry-run", "--column", registered_notes, stdout=out)
    assert f"{registered_notes}: 3 row(s) to embed with wordllama-l2_supercat-256" in out.getvalue()
    assert pending_counts(names=[registered_notes]) == {registered_notes: 3}

    out = StringIO()
    call_command(
        "backfill_embeddings", "--column", registered_notes, "--batch-size", "2", stdout=out
    )
    printed = out.getvalue()
    assert f"{registered_notes}: 2/3 rows" in printed
    assert f"{registered_notes}: 3/3 rows" in printed
    assert f"{registered_notes}: 3 row(s) embedded" in printed
    assert "Embedded 3 row(s) in 1 column(s)" in printed
    assert pending_counts(names=[registered_notes]) == {registered_notes: 0}


def test_command_rejects_an_unknown_column(db):
    with pytest.raises(CommandError, match=r"unknown embedding column.*nope"):
        call_command("backfill_embeddings", "--column", "nope", stdout=StringIO())
