"""Retrieval over a person's life: a planted item on a generated corpus, recall@10 of the HNSW
path against an exact scan, archived rows and other people's rows never found, and the
``GET /search`` endpoint."""

from __future__ import annotations

import numpy as np
import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from aurum.models import ConversationMemory, JournalEntry, Task
from aurum.selectors.search import (
    EXACT_SCAN_BELOW,
    METHOD_EXACT,
    METHOD_HNSW,
    life_search,
)
from aurum.tests.factories import DailyReflectionFactory, JournalEntryFactory, TaskFactory
from config.embeddings import get_provider
from config.testing import ApiViewContract, assert_error_shape

pytestmark = pytest.mark.django_db
CORPUS = EXACT_SCAN_BELOW + 500  # past the exact-scan threshold: the HNSW path answers
NATIVE = 64  # the corpus lives in a 64-d subspace, zero-padded like the local model's vectors


def unit_vectors(rng, count):
    vectors = np.zeros((count, 1536), dtype=np.float32)
    vectors[:, :NATIVE] = rng.normal(size=(count, NATIVE))
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def corpus(user, vectors, model_name):
    JournalEntry.objects.bulk_create(
        [
            JournalEntry(user=user, title=f"Day {index}", content=f"generated entry {index}",
                         content_embedding=vector, embedding_model=model_name)
            for index, vector in enumerate(vectors)
        ],
        batch_size=500,
    )  # fmt: skip


def embedded(row, field, text):
    provider = get_provider()
    setattr(row, field, provider.embed_one(text))
    row.embedding_model = provider.model_name
    row.save(update_fields=[field, "embedding_model"])
    return row


def test_recall_at_10_of_the_index_against_an_exact_scan(user, other_user):
    rng = np.random.default_rng(11)
    model_name = get_provider().model_name
    corpus(user, unit_vectors(rng, CORPUS), model_name)
    planted_vector = unit_vectors(rng, 1)[0]
    planted = JournalEntry.objects.create(
        user=user, title="Planted", content="the planted entry",
        content_embedding=planted_vector, embedding_model=model_name,
    )  # fmt: skip
    # Someone else's rows sit right on the query: the filter must skip them.
    corpus(other_user, np.repeat(planted_vector[None, :], 50, axis=0), model_name)
    queries = unit_vectors(rng, 20)
    recalls = []
    for query in queries:
        approximate = life_search(user=user, query="x", vector=query, method=METHOD_HNSW)
        exact = life_search(user=user, query="x", vector=query, method=METHOD_EXACT)
        assert len(exact.items) == len(approximate.items) == 10
        found = {hit.entity_id for hit in approximate.items}
        recalls.append(len(found & {hit.entity_id for hit in exact.items}) / 10)
    assert sum(recalls) / len(recalls) >= 0.95, recalls
    near_planted = planted_vector + 0.05 * unit_vectors(rng, 1)[0]
    result = life_search(user=user, query="x", vector=near_planted)  # the automatic choice
    assert result.items[0].entity_id == planted.pk
    assert all(hit.row.pk != planted.pk or hit.entity_type == "journal_entry"
               for hit in result.items)  # fmt: skip
    assert not JournalEntry.objects.filter(
        pk__in=[hit.entity_id for hit in result.items], user=other_user
    ).exists()


def test_every_kind_is_found_by_meaning_and_archived_rows_are_not(user):
    run = embedded(TaskFactory(user=user, name="Interval run on the track"), "name_embedding",
                   "interval running session on the athletics track")  # fmt: skip
    entry = embedded(JournalEntryFactory(user=user, content="Baked sourdough bread today."),
                     "content_embedding", "baked sourdough bread in the oven today")  # fmt: skip
    reflection = embedded(DailyReflectionFactory(user=user, reflection_text="Grateful for my "
                          "sister's visit."), "reflection_embedding",
                          "grateful for my sister visiting")  # fmt: skip
    message = embedded(ConversationMemory.objects.create(
        user=user, message_role="user", message_content="How do I sleep better at night?"),
        "message_embedding", "how to sleep better at night")  # fmt: skip
    for query, expected in (("running training on a track", run),
                            ("bread baking", entry),
                            ("family visit gratitude", reflection),
                            ("trouble sleeping", message)):  # fmt: skip
        top = life_search(user=user, query=query, k=1).items[0]
        assert top.entity_id == expected.pk, (query, top.title)
    Task.objects.filter(pk=run.pk).update(archived=True)
    ConversationMemory.objects.filter(pk=message.pk).update(archived_at=timezone.now())
    ids = {hit.entity_id for hit in life_search(user=user, query="running sleep", k=10).items}
    assert run.pk not in ids
    assert message.pk not in ids
    assert entry.pk in ids


def test_a_task_matched_by_name_and_description_counts_once(user):
    task = TaskFactory(user=user, name="Stretch", description="Stretch after the run")
    embedded(task, "name_embedding", "stretch")
    embedded(task, "description_embedding", "stretch after the run")
    hits = life_search(user=user, query="stretching", k=10).items
    assert [hit.entity_id for hit in hits].count(task.pk) == 1


def test_vectors_of_another_model_are_not_compared(user):
    task = embedded(TaskFactory(user=user, name="Swim"), "name_embedding", "swim")
    Task.objects.filter(pk=task.pk).update(embedding_model="text-embedding-3-small")
    assert life_search(user=user, query="swim", k=5).items == []


class TestSearchApi(ApiViewContract):
    route = "api:aurum:search"

    def test_owner_reads(self, client_for, user):  # the route needs ?q=
        response = client_for(user).get(reverse(self.route), {"q": "anything"})
        assert response.status_code == 200, response.content

    def test_finds_by_meaning_and_says_when_fewer(self, client_for, user, other_user):
        run = embedded(TaskFactory(user=user, name="Morning run"), "name_embedding",
                       "an easy morning run in the park")  # fmt: skip
        embedded(TaskFactory(user=other_user, name="Run"), "name_embedding", "morning run")
        response = client_for(user).get(reverse(self.route), {"q": "jogging", "k": 5})
        assert response.status_code == 200, response.content
        body = response.json()
        assert [hit["id"] for hit in body["results"]] == [str(run.pk)]
        assert body["results"][0]["entity_type"] == "task"
        assert body["results"][0]["title"] == "Morning run"
        assert body["exhaustive"] is True
        assert "fewer than the 5" in body["note"]
        assert body["embedding_model"] == get_provider().model_name

    def test_types_filter(self, client_for, user):
        embedded(TaskFactory(user=user, name="Run"), "name_embedding", "run")
        response = client_for(user).get(reverse(self.route), {"q": "run", "types": "journal_entry"})
        assert response.status_code == 200
        assert response.json()["results"] == []

    @pytest.mark.parametrize(
        "params",
        [{}, {"q": ""}, {"q": "   "}, {"q": "run", "k": 0}, {"q": "run", "k": 101},
         {"q": "run", "types": "diary"}, {"q": "x" * 2001}],
    )  # fmt: skip
    def test_bad_queries_are_400(self, client_for, user, params):
        assert_error_shape(client_for(user).get(reverse(self.route), params), 400)


def test_planner_settings_do_not_leak_into_the_callers_transaction(user):
    embedded(TaskFactory(user=user, name="Run"), "name_embedding", "run")
    with transaction.atomic(), connection.cursor() as cursor:
        life_search(user=user, query="run", method=METHOD_EXACT)
        life_search(user=user, query="run", method=METHOD_HNSW)
        cursor.execute("SELECT current_setting('enable_indexscan'), current_setting('enable_sort')")
        assert cursor.fetchone() == ("on", "on")
