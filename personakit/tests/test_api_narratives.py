"""The narratives API: the generic contract, curations, filters and semantic search."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from config.testing import ApiContract, assert_error_shape
from personakit.models import Mindscape, Narrative, OutboxTask
from personakit.selectors.mindscapes import trait_get
from personakit.services.mindscapes import mindscape_for, mindscape_set_trait
from personakit.services.narratives import EMBED_TASK, narrative_embed
from personakit.tests.factories import NarrativeFactory, PersonFactory

LIST = "api:personakit:narrative-list"
SEARCH = "api:personakit:narrative-search"


class TestNarrativeApi(ApiContract):
    route = "api:personakit:narrative"
    owner_lookup = "person__owner"
    update_payload = {"curated_text": "Refined: I focus best before nine."}
    invalid_payload = {"narrative_type": "diary", "raw_text": "", "tags": "not-a-list"}

    @pytest.fixture(autouse=True)
    def _caller(self, user):
        self.caller = user

    @property
    def valid_payload(self):  # the caller's own account is a person they may write about
        return {"person_id": str(self.caller.pk), "narrative_type": "self_observation",
                "raw_text": "I focus best before nine.", "tags": ["work"]}  # fmt: skip

    def make(self, owner):
        return NarrativeFactory(person=PersonFactory(owner=owner))


@pytest.fixture
def person(user):
    person = PersonFactory(owner=user)
    mindscape_set_trait(person=person, path="work.chronotype", value="morning")
    mindscape_set_trait(person=person, path="work.deep_work_minutes", value=90)
    return person


@pytest.fixture
def client(client_for, user):
    return client_for(user)


def embedded(person, text, **kwargs):
    return narrative_embed(narrative_id=NarrativeFactory(person=person, raw_text=text, **kwargs).pk)


def post_curation(client, person, action, path="work.deep_work_minutes"):
    payload = {
        "person_id": str(person.pk),
        "narrative_type": "curation",
        "raw_text": "I have grown my focus",
        "trait_path": path,
        "curation_action": action,
    }
    return client.post(reverse(LIST), payload, format="json")


@pytest.mark.django_db
class TestCurationsOverHttp:
    def test_adjust_is_201_changes_the_trait_and_queues_the_embedding(self, client, person):
        response = post_curation(client, person, {"action": "adjust", "delta": 15})
        assert response.status_code == 201, response.content
        body = response.json()
        assert "embedding" not in body
        assert body["embedding_model"] is None
        assert trait_get(mindscape_for(person=person).traits, "work.deep_work_minutes") == 105
        assert OutboxTask.objects.get(task_type=EMBED_TASK).payload == {"narrative_id": body["id"]}

    def test_non_numeric_adjust_is_400_and_writes_nothing(self, client, person):
        before = mindscape_for(person=person).version
        response = post_curation(
            client, person, {"action": "adjust", "delta": 1}, path="work.chronotype"
        )
        assert_error_shape(response, 400)
        assert response.json()["field"] == "trait_path"
        assert mindscape_for(person=person).version == before
        assert not Narrative.objects.exists()
        assert not OutboxTask.objects.exists()

    def test_another_owners_person_is_400_unknown_person(self, client, other_user):
        stranger = PersonFactory(owner=other_user)
        response = post_curation(client, stranger, {"action": "set", "value": 1})
        assert assert_error_shape(response, 400, "unknown_person")["field"] == "person_id"

    def test_raw_text_cannot_be_edited(self, client, person):
        narrative = NarrativeFactory(person=person, raw_text="as said")
        url = reverse("api:personakit:narrative-detail", args=[narrative.pk])
        response = client.patch(url, {"raw_text": "rewritten"}, format="json")
        assert response.status_code == 200  # unknown fields are ignored, as everywhere in DRF
        assert Narrative.objects.get(pk=narrative.pk).raw_text == "as said"
        assert client.put(url, {"raw_text": "x"}, format="json").status_code == 405

    def test_list_filters(self, client, person, user):
        mine = NarrativeFactory(person=person, tags=["sleep", "health"])
        NarrativeFactory(person=person, tags=["work"], narrative_type="curation")
        NarrativeFactory(person=PersonFactory(owner=user), tags=["sleep"])

        def ids(**params):
            return {row["id"] for row in client.get(reverse(LIST), params).json()["results"]}

        assert ids(person_id=person.pk, tags="sleep") == {str(mine.pk)}
        assert len(ids(person_id=person.pk)) == 2
        assert len(ids(narrative_type="curation")) == 1
        assert_error_shape(client.get(reverse(LIST), {"person_id": "nope"}), 400)


@pytest.mark.django_db
class TestSearchOverHttp:
    def test_nearest_first_without_vectors(self, client, person):
        embedded(person, "I do my best deep work early in the morning.", tags=["work"])
        embedded(person, "Spicy ramen is my favourite dinner.", tags=["food"])
        embedded(person, "Long meetings after lunch exhaust me.", tags=["work"])
        response = client.get(
            reverse(SEARCH), {"q": "morning focus", "person_id": str(person.pk), "k": 2}
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["count"] == 2
        assert body["k"] == 2
        assert body["exhaustive"] is False
        assert body["method"] == "exact"
        assert "note" not in body
        first = body["results"][0]
        assert "morning" in first["raw_text"]
        assert set(first) == {"id", "raw_text", "curated_text", "narrative_type", "tags",
                              "distance", "similarity"}  # fmt: skip
        assert first["similarity"] == pytest.approx(1 - first["distance"])
        assert body["results"][0]["distance"] <= body["results"][1]["distance"]

    def test_fewer_than_k_says_so(self, client, person):
        embedded(person, "Walking clears my head", tags=["health"])
        embedded(person, "Code review at four", tags=["work"])
        params = {"q": "walk", "person_id": str(person.pk), "k": 10, "tags": "health"}
        body = client.get(reverse(SEARCH), params).json()
        assert body["count"] == 1
        assert body["exhaustive"] is True
        assert "Only 1" in body["note"]
        by_type = client.get(reverse(SEARCH), {**params, "tags": "", "type": "curation"}).json()
        assert by_type["count"] == 0
        assert by_type["exhaustive"] is True

    def test_another_owners_person_is_404(self, client, other_user):
        stranger = PersonFactory(owner=other_user)
        embedded(stranger, "secret")
        response = client.get(reverse(SEARCH), {"q": "secret", "person_id": str(stranger.pk)})
        assert_error_shape(response, 404, "not_found")

    @pytest.mark.parametrize(
        "params",
        [{"q": ""}, {"q": "   "}, {"k": 0}, {"k": 101}, {"k": "x"}, {"type": "diary"},
         {"person_id": None}, {"person_id": "not-a-uuid"}],
    )  # fmt: skip
    def test_bad_query_is_400(self, client, person, params):
        query = {"q": "focus", "person_id": str(person.pk), "k": 5, **params}
        query = {key: value for key, value in query.items() if value is not None}
        assert_error_shape(client.get(reverse(SEARCH), query), 400)

    def test_requires_authentication(self, api_client, person):
        response = api_client.get(reverse(SEARCH), {"q": "x", "person_id": str(person.pk)})
        assert_error_shape(response, 401)


def _wait_until_a_query_waits_for_a_lock(timeout=20.0):
    with connection.cursor() as cursor:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("no query came to wait for the mindscape's row lock")


@pytest.mark.django_db(transaction=True)
def test_a_curation_that_loses_a_race_is_409_on_trait_path(api_key_for, user):
    """The trait moved on between the curation's read and its write: a conflict, not a lost
    update, and nothing of the narrative is kept."""
    person = PersonFactory(owner=user)
    mindscape_set_trait(person=person, path="work.deep_work_minutes", value=90)  # version 2
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key_for(user)}")
    locked = threading.Event()

    def write_meanwhile():
        try:
            with transaction.atomic():
                Mindscape.objects.select_for_update().get(person=person)
                locked.set()
                _wait_until_a_query_waits_for_a_lock()  # the curation, waiting to write
                Mindscape.objects.filter(person=person).update(
                    traits={"work": {"deep_work_minutes": 60}}
                )
        finally:
            connection.close()

    writer = threading.Thread(target=write_meanwhile)
    writer.start()
    assert locked.wait(timeout=20)
    response = post_curation(client, person, {"action": "adjust", "delta": 15})
    writer.join(timeout=30)

    body = assert_error_shape(response, 409, "version_conflict")
    assert (body["field"], body["current_version"]) == ("trait_path", 3)
    assert response["ETag"] == '"3"'
    assert trait_get(mindscape_for(person=person).traits, "work.deep_work_minutes") == 60
    assert not Narrative.objects.exists()
    assert not OutboxTask.objects.exists()
