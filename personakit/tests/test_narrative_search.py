"""Narrative search: nearest first, filters, model isolation, and HNSW recall at 1 % selectivity."""

from __future__ import annotations

import time
import uuid

import numpy as np
import pytest
from django.db import connection, transaction
from django.utils import timezone

from config.embeddings import EMBEDDING_DIMENSIONS, get_provider
from personakit.choices import NarrativeType
from personakit.models import Narrative, Person
from personakit.selectors.narratives import METHOD_EXACT, METHOD_HNSW, narratives_search
from personakit.services.narratives import narrative_embed
from personakit.tests.factories import NarrativeFactory, PersonFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def embedded(person, text, **kwargs):
    narrative = NarrativeFactory(person=person, raw_text=text, **kwargs)
    return narrative_embed(narrative_id=narrative.pk)


def test_closest_first_with_distance_and_exact_for_few_rows():
    person = PersonFactory()
    embedded(person, "I do my best deep work early in the morning with coffee.")
    embedded(person, "My favourite food is spicy ramen with extra noodles.")
    embedded(person, "Meetings after lunch drain my energy completely.")
    result = narratives_search(person=person, query="morning focus and concentration", k=2)
    assert result.method == METHOD_EXACT
    assert len(result.items) == 2
    assert "morning" in result.items[0].narrative.raw_text
    assert result.items[0].distance <= result.items[1].distance
    assert result.items[0].similarity == pytest.approx(1 - result.items[0].distance)
    assert not result.exhaustive


def test_filter_leaving_few_rows_says_fewer_than_k_exist():
    person = PersonFactory()
    for i in range(5):
        embedded(person, f"Work note number {i} about planning", tags=["work"])
    embedded(person, "A walk in the park clears my head", tags=["health", "work"])
    embedded(person, "I curate my chronotype", narrative_type=NarrativeType.CURATION)
    for method in (None, METHOD_HNSW):
        result = narratives_search(
            person=person, query="walking outdoors", k=10, tags=["health"], method=method
        )
        assert [hit.narrative.raw_text for hit in result.items] == [
            "A walk in the park clears my head"
        ]
        assert result.exhaustive
        assert result.available == 1
    by_type = narratives_search(
        person=person, query="chronotype", k=10, narrative_type=NarrativeType.CURATION
    )
    assert len(by_type.items) == 1
    assert by_type.available == 1
    assert by_type.exhaustive


def test_only_current_model_vectors_are_compared():
    person = PersonFactory()
    current = embedded(person, "Deep work in the morning")
    stale = NarrativeFactory(person=person, raw_text="Deep work in the morning")
    # Same vector, other model: not comparable, so never found.
    Narrative.objects.filter(pk=stale.pk).update(
        embedding=current.embedding, embedding_model="another-model-v1", embedded_at=timezone.now()
    )
    NarrativeFactory(person=person, raw_text="not embedded yet")
    result = narratives_search(person=person, query="deep work", k=10)
    assert [hit.narrative.pk for hit in result.items] == [current.pk]
    assert result.available == 1


def test_other_persons_narratives_are_not_found():
    mine, theirs = PersonFactory(), PersonFactory()
    embedded(theirs, "Deep work in the morning")
    assert narratives_search(person=mine, query="deep work", k=5).items == []


def test_blank_query_is_refused():
    from config.embeddings import EmbeddingInputError

    with pytest.raises(EmbeddingInputError):
        narratives_search(person=PersonFactory(), query="   ")


# --- recall of the HNSW path at 1 % selectivity ---------------------------------------------

TOTAL_ROWS, TARGET_ROWS, PERSONS = 30_000, 300, 100
NATIVE_DIMENSIONS, CLUSTERS, QUERIES, K = 64, 40, 20, 10
HNSW_INDEX = "idx_narratives_embedding"


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _vector_text(row: np.ndarray) -> str:
    # Like the providers: a few native dimensions, zero-padded to the column's 1536.
    padding = ",0" * (EMBEDDING_DIMENSIONS - len(row))
    return "[" + ",".join(f"{x:.6f}" for x in row) + padding + "]"


def _load_clustered_narratives(rng: np.random.Generator) -> tuple[Person, np.ndarray]:
    """30,000 embedded narratives of 100 persons, clustered; returns the target and centres."""
    owner = UserFactory()
    persons = Person.objects.bulk_create(
        [Person(owner=owner, display_name=f"p{i}") for i in range(PERSONS)]
    )
    centres = _unit(rng.standard_normal((CLUSTERS, NATIVE_DIMENSIONS)))
    labels = rng.integers(0, CLUSTERS, TOTAL_ROWS)
    vectors = _unit(centres[labels] + 0.35 * rng.standard_normal((TOTAL_ROWS, NATIVE_DIMENSIONS)))
    model, now = get_provider().model_name, timezone.now().isoformat()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [HNSW_INDEX])
        (index_definition,) = cursor.fetchone()
        # Building the graph once is several times faster than 30,000 inserts into it; the
        # test's transaction rolls the swap back.
        cursor.execute(f"DROP INDEX personakit.{HNSW_INDEX}")
    # Row i belongs to person i % 100: the target's 300 rows are spread over the whole graph.
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            "COPY personakit.narratives (id, person_id, narrative_type, raw_text, tags, "
            "embedding, embedding_model, embedded_at) FROM STDIN"
        ) as copy,
    ):
        for i, row in enumerate(vectors):
            person = persons[i % PERSONS]
            copy.write_row((str(uuid.uuid4()), str(person.pk), "self_observation",
                            f"n{i}", "{work}", _vector_text(row), model, now))  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the deferred FKs now
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute(index_definition)
        cursor.execute("ANALYZE personakit.narratives")
    return persons[0], centres


def _exact_top_k(person: Person, query: np.ndarray, k: int) -> list:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(
            "SELECT id FROM personakit.narratives WHERE person_id = %s "
            "ORDER BY embedding <=> %s::vector LIMIT %s",
            [person.pk, _vector_text(query), k],
        )
        return [row[0] for row in cursor.fetchall()]


def test_hnsw_iterative_scan_recall_at_one_percent_selectivity(monkeypatch):
    rng = np.random.default_rng(20240604)
    started = time.monotonic()
    target, centres = _load_clustered_narratives(rng)
    loaded = time.monotonic()

    queries = _unit(
        centres[rng.integers(0, CLUSTERS, QUERIES)]
        + 0.35 * rng.standard_normal((QUERIES, NATIVE_DIMENSIONS))
    )
    padded = np.zeros((QUERIES, EMBEDDING_DIMENSIONS), dtype=np.float32)
    padded[:, :NATIVE_DIMENSIONS] = queries
    # The query text's own embedding is replaced by the generated query vector.
    provider = get_provider()
    recalls, searched, scanned = [], 0.0, 0.0
    for vector in padded:
        monkeypatch.setattr(provider, "embed_one", lambda text, v=vector: v)
        expected = _exact_top_k(target, vector, K)
        began = time.monotonic()
        result = narratives_search(person=target, query="q", k=K, method=METHOD_HNSW)
        searched += time.monotonic() - began
        began = time.monotonic()
        exact = narratives_search(person=target, query="q", k=K, method=METHOD_EXACT)
        scanned += time.monotonic() - began
        assert [hit.narrative.pk for hit in exact.items] == expected
        assert result.method == METHOD_HNSW  # no fallback was needed
        assert len(result.items) == K
        distances = [hit.distance for hit in result.items]
        assert distances == sorted(distances)
        found = {hit.narrative.pk for hit in result.items}
        recalls.append(len(found & set(expected)) / K)

    mean_recall = float(np.mean(recalls))
    print(
        f"\nrecall@{K} mean={mean_recall:.3f} min={min(recalls):.2f}; load {loaded - started:.1f}s,"
        f" hnsw {searched / QUERIES * 1000:.1f} ms/search,"
        f" exact over {TARGET_ROWS} rows {scanned / QUERIES * 1000:.1f} ms/search"
    )
    assert mean_recall >= 0.95, recalls


def test_hnsw_path_uses_the_index(monkeypatch):
    """The forced HNSW path really walks idx_narratives_embedding (EXPLAIN of the same SQL)."""
    person = PersonFactory()
    embedded(person, "Deep work in the morning")
    plans = []
    original_raw = Narrative.objects.raw

    def explain(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}", params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
        return original_raw(sql, params)

    monkeypatch.setattr(Narrative.objects, "raw", explain)
    narratives_search(person=person, query="deep work", k=5, method=METHOD_HNSW)
    narratives_search(person=person, query="deep work", k=5, method=METHOD_EXACT)
    assert "idx_narratives_embedding" in plans[0], plans[0]
    assert "idx_narratives_embedding" not in plans[1], plans[1]
