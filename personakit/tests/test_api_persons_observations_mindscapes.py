"""The persons, observations and mindscapes API: generic contracts, trait writes with
versions (If-Match, 409, 428), and another owner's person invisible everywhere."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from config.registries import OutboxHandler, outbox_handlers
from config.testing import ApiContract, ApiViewContract, assert_error_shape, openapi_paths
from personakit.models import Mindscape, Person
from personakit.services.mindscapes import DERIVE_TRAITS_TASK, mindscape_set_trait
from personakit.tasks import handle_derive_traits
from personakit.tests.factories import ObservationFactory, PersonFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/personakit"


@pytest.fixture(autouse=True)
def derive_handler():
    try:
        outbox_handlers[DERIVE_TRAITS_TASK]
    except KeyError:
        outbox_handlers.register(
            OutboxHandler(name=DERIVE_TRAITS_TASK, handle=handle_derive_traits)
        )
        yield
        outbox_handlers.unregister(DERIVE_TRAITS_TASK)
    else:
        yield


class TestPersonApi(ApiContract):
    route = "api:personakit:person"
    owner_lookup = "owner"
    valid_payload = {"display_name": "Ada"}
    update_payload = {"display_name": "Grace"}
    invalid_payload = {"display_name": "x" * 300}

    def make(self, owner):
        return PersonFactory(owner=owner)


class TestObservationApi(ApiContract):
    route = "api:personakit:observation"
    owner_lookup = "person__owner"
    update_payload = {}

    @pytest.fixture(autouse=True)
    def _caller(self, user):
        self.caller = user

    @property
    def valid_payload(self):
        return {"person_id": str(self.caller.pk), "observation_type": "user_input",
                "content": {"text": "I plan best on Mondays"}}  # fmt: skip

    @property
    def invalid_payload(self):
        return {"person_id": str(self.caller.pk), "observation_type": "work_session",
                "content": {"duration_minutes": 0}}  # fmt: skip

    def make(self, owner):
        return ObservationFactory(person=PersonFactory(owner=owner))


class TestMindscapeApi(ApiViewContract):
    route = "api:personakit:mindscape"

    def url_kwargs(self, owner):
        return {"person_id": PersonFactory(owner=owner).pk}


class TestTraitApi(ApiViewContract):
    route = "api:personakit:mindscape-trait"

    def url_kwargs(self, owner):
        person = PersonFactory(owner=owner)
        mindscape_set_trait(person=person, path="work.chronotype", value="morning")
        return {"person_id": person.pk, "trait_path": "work.chronotype"}


# --- persons --------------------------------------------------------------------------------


def test_account_person_is_listed_and_kept(client_for, user):
    """Deleting it conflicts with the account it belongs to: 409 (was an undocumented 400)."""
    client = client_for(user)
    rows = client.get(f"{API}/persons").json()["results"]
    assert [(row["id"], row["is_account"]) for row in rows] == [(str(user.pk), True)]
    assert_error_shape(client.delete(f"{API}/persons/{user.pk}"), 409, "account_person")
    assert Person.objects.filter(pk=user.pk).exists()


def test_registered_person_is_owned_by_the_caller(client_for, user):
    response = client_for(user).post(f"{API}/persons", {"display_name": "Ada"})
    assert response.json()["is_account"] is False
    assert Person.objects.get(pk=response.json()["id"]).owner == user


# --- mindscapes -----------------------------------------------------------------------------


@pytest.fixture
def person(user):
    return PersonFactory(owner=user)


def trait_url(person, path="work.chronotype"):
    return f"{API}/mindscapes/{person.pk}/traits/{path}"


def test_mindscape_read_with_etag(client_for, user, person):
    mindscape_set_trait(person=person, path="work.chronotype", value="morning")
    response = client_for(user).get(f"{API}/mindscapes/{person.pk}")
    assert response.status_code == 200
    assert response.json()["traits"] == {"work": {"chronotype": "morning"}}
    assert response.json()["version"] == 2
    assert response["ETag"] == '"2"'
    trait = client_for(user).get(trait_url(person)).json()
    assert trait == {"path": "work.chronotype", "value": "morning", "version": 2}
    assert_error_shape(
        client_for(user).get(trait_url(person, "work.sleep")), 404, "trait_not_found"
    )


def test_put_with_body_version_then_if_match(client_for, user, person):
    client = client_for(user)
    response = client.put(trait_url(person), {"value": "morning", "version": 1})
    assert response.status_code == 200, response.content
    assert response.json() == {"path": "work.chronotype", "value": "morning", "version": 2}
    assert response["ETag"] == '"2"'
    response = client.put(
        trait_url(person, "work.tools"), {"value": {"vscode": 0.5}}, HTTP_IF_MATCH='W/"2"'
    )
    assert response.json()["version"] == 3
    response = client.delete(trait_url(person), HTTP_IF_MATCH='"3"')
    assert response.status_code == 200
    assert response["ETag"] == '"4"'
    assert Mindscape.objects.get(person=person).traits == {"work": {"tools": {"vscode": 0.5}}}


def test_stale_version_is_409_with_current_version(client_for, user, person):
    mindscape_set_trait(person=person, path="work.chronotype", value="evening")
    client = client_for(user)
    body = assert_error_shape(
        client.put(trait_url(person), {"value": "morning", "version": 1}), 409, "version_conflict"
    )
    assert body["current_version"] == 2
    assert_error_shape(client.delete(trait_url(person), HTTP_IF_MATCH='"1"'), 409)
    assert Mindscape.objects.get(person=person).traits == {"work": {"chronotype": "evening"}}


def test_write_without_version_is_428(client_for, user, person):
    client = client_for(user)
    assert_error_shape(client.put(trait_url(person), {"value": "x"}), 428, "precondition_required")
    assert_error_shape(client.delete(trait_url(person)), 428, "precondition_required")
    assert not Mindscape.objects.filter(person=person, traits__has_key="work").exists()


@pytest.mark.parametrize(
    ("path", "payload", "headers", "field"),
    [
        ("work..x", {"value": 1, "version": 1}, {}, "path"),
        ("work.chronotype", {"version": 1}, {}, "value"),
        ("work.chronotype", {"value": None, "version": 1}, {}, "value"),
        ("work.chronotype", {"value": 1}, {"HTTP_IF_MATCH": "*"}, "If-Match"),
        ("work.chronotype", {"value": 1, "version": 2}, {"HTTP_IF_MATCH": '"1"'}, "version"),
    ],
)
def test_bad_trait_writes_are_400(client_for, user, person, path, payload, headers, field):
    response = client_for(user).put(trait_url(person, path), payload, **headers)
    assert assert_error_shape(response, 400)["field"] == field


def test_another_owners_mindscape_is_404_everywhere(client_for, user, other_user):
    stranger = PersonFactory(owner=other_user)
    mindscape_set_trait(person=stranger, path="work.chronotype", value="morning")
    client = client_for(user)
    for response in (
        client.get(f"{API}/mindscapes/{stranger.pk}"),
        client.get(trait_url(stranger)),
        client.put(trait_url(stranger), {"value": "evening", "version": 2}),
        client.delete(trait_url(stranger), HTTP_IF_MATCH='"2"'),
        client.get(f"{API}/mindscapes/not-a-uuid"),
    ):
        assert_error_shape(response, 404, "not_found")
    assert Mindscape.objects.get(person=stranger).version == 2


def test_another_owners_person_is_invisible(client_for, user, other_user):
    stranger = PersonFactory(owner=other_user)
    ObservationFactory(person=stranger)
    client = client_for(user)
    assert_error_shape(client.get(f"{API}/persons/{stranger.pk}"), 404)
    assert client.get(f"{API}/observations", {"person_id": stranger.pk}).json()["results"] == []
    payload = {"person_id": str(stranger.pk), "observation_type": "user_input",
               "content": {"text": "hi"}}  # fmt: skip
    body = assert_error_shape(client.post(f"{API}/observations", payload), 400, "unknown_person")
    assert body["field"] == "person_id"


def test_mindscape_routes_need_a_key(api_client, person):
    assert_error_shape(api_client.get(f"{API}/mindscapes/{person.pk}"), 401)
    assert_error_shape(api_client.put(trait_url(person), {"value": 1, "version": 1}), 401)


def test_mindscape_routes_are_documented():
    paths = openapi_paths()
    assert set(paths[f"{API}/mindscapes/{{person_id}}"]) == {"get"}
    assert set(paths[f"{API}/mindscapes/{{person_id}}/traits/{{trait_path}}"]) == {
        "get",
        "put",
        "delete",
    }


@pytest.mark.django_db(transaction=True)
def test_concurrent_puts_through_the_api_apply_one(api_key_for, user):
    person = PersonFactory(owner=user)
    key = api_key_for(user)
    writers = 6
    barrier = threading.Barrier(writers)
    statuses = {}

    def put(index):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        barrier.wait()
        try:
            response = client.put(trait_url(person, f"w.k{index}"), {"value": index, "version": 1})
            statuses[index] = (response.status_code, response.json().get("current_version"))
        finally:
            connection.close()

    client_for_first_read = APIClient()
    client_for_first_read.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert client_for_first_read.get(f"{API}/mindscapes/{person.pk}").json()["version"] == 1
    threads = [threading.Thread(target=put, args=(index,)) for index in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    outcomes = sorted(statuses.values(), key=str)
    assert outcomes == sorted([(200, None)] + [(409, 2)] * (writers - 1), key=str)
    assert Mindscape.objects.get(person=person).version == 2
