"""Observations: per-type content validation, atomic batches, derivation queued in the same
transaction, listing and deleting the caller's own."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from config.registries import OutboxHandler, outbox_handlers
from config.testing import assert_error_shape
from personakit.models import Observation, OutboxTask
from personakit.services.mindscapes import DERIVE_TRAITS_TASK
from personakit.services.observations import (
    MAX_BATCH,
    observation_bulk_create,
    observation_content_clean,
    observation_create,
)
from personakit.tasks import handle_derive_traits
from personakit.tests.factories import ObservationFactory, PersonFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/personakit/observations"
SESSION = {
    "duration_minutes": 90,
    "focus_level": "deep",
    "task_type": "coding",
    "tools_used": ["vscode", "github"],
    "started_at": "2025-03-03T09:15:00+01:00",
}
EVENT = {
    "title": "Standup",
    "start": "2025-03-03T10:00:00+01:00",
    "end": "2025-03-03T10:15:00+01:00",
    "attendees": 6,
}


@pytest.fixture(autouse=True)
def derive_handler():
    """The derivation handler, as ``personakit.registrations`` registers it in production."""
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


@pytest.fixture
def person(user):
    return PersonFactory(owner=user)


def derivation_tasks(person=None):
    tasks = OutboxTask.objects.filter(task_type=DERIVE_TRAITS_TASK)
    return tasks.filter(payload__person_id=str(person.pk)) if person else tasks


# --- content shapes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("observation_type", "content", "field", "code"),
    [
        ("work_session", {}, "content.duration_minutes", "required"),
        ("work_session", {"duration_minutes": 0}, "content.duration_minutes", "min_value"),
        ("work_session", {"duration_minutes": 1441}, "content.duration_minutes", "max_value"),
        ("work_session", {"duration_minutes": "90"}, "content.duration_minutes", "invalid"),
        ("work_session", {"duration_minutes": True}, "content.duration_minutes", "invalid"),
        (
            "work_session",
            {**SESSION, "focus_level": "sleepy"},
            "content.focus_level",
            "invalid_choice",
        ),
        (
            "work_session",
            {**SESSION, "tools_used": ["vscode", ""]},
            "content.tools_used.1",
            "blank",
        ),
        ("work_session", {**SESSION, "tools_used": "vscode"}, "content.tools_used", "not_a_list"),
        ("work_session", {**SESSION, "started_at": "yesterday"}, "content.started_at", "invalid"),
        (
            "work_session",
            {**SESSION, "started_at": "2025-03-03T09:15:00"},
            "content.started_at",
            "no_offset",
        ),
        ("work_session", {**SESSION, "mood": 3}, "content.mood", "unknown_field"),
        ("work_session", "ninety minutes", "content", "invalid"),
        ("user_input", {"text": "   "}, "content.text", "blank"),
        ("user_input", {"text": "Mornings are best", "mood": 6}, "content.mood", "max_value"),
        ("user_input", {"text": "x", "category": "rant"}, "content.category", "invalid_choice"),
        ("calendar_event", {**EVENT, "title": ""}, "content.title", "blank"),
        ("calendar_event", {**EVENT, "end": EVENT["start"]}, "content.end", "end_before_start"),
        ("calendar_event", {**EVENT, "attendees": 0}, "content.attendees", "min_value"),
        ("calendar_event", {"title": "t"}, "content.start", "required"),
    ],
)
def test_content_errors_name_their_field(observation_type, content, field, code):
    with pytest.raises(ValidationError) as error:
        observation_content_clean(observation_type=observation_type, content=content)
    assert field in error.value.error_dict, error.value.error_dict
    assert code in {item.code for item in error.value.error_dict[field]}


def test_valid_shapes_are_kept_as_sent():
    assert observation_content_clean(observation_type="work_session", content=SESSION) == SESSION
    assert observation_content_clean(observation_type="calendar_event", content=EVENT) == EVENT
    content = {"text": "I think best before lunch", "category": "reflection", "mood": 4}
    assert observation_content_clean(observation_type="user_input", content=content) == content


def test_unknown_type_lists_the_types(client_for, user, person):
    payload = {"person_id": str(person.pk), "observation_type": "dream", "content": {}}
    body = assert_error_shape(client_for(user).post(URL, payload), 400, "unknown_type")
    assert body["field"] == "observation_type"
    assert body["message"] == (
        "Unknown observation type 'dream': use one of work_session, user_input, calendar_event."
    )


def test_api_error_paths_are_dotted(client_for, user, person):
    content = {"duration_minutes": 0, "tools_used": ["ok", ""], "extra": 1}
    payload = {"person_id": str(person.pk), "observation_type": "work_session", "content": content}
    body = assert_error_shape(client_for(user).post(URL, payload), 400)
    assert {error["field"] for error in body["errors"]} == {
        "content.duration_minutes",
        "content.tools_used.1",
        "content.extra",
    }
    assert not Observation.objects.exists()


# --- create, single and batch ---------------------------------------------------------------


def test_create_one_queues_a_derivation(client_for, user, person):
    payload = {"person_id": str(person.pk), "observation_type": "work_session", "content": SESSION,
               "metadata": {"source": "tracker"}}  # fmt: skip
    response = client_for(user).post(URL, payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["person_id"], body["content"], body["created_by"]) == (
        str(person.pk),
        SESSION,
        str(user.pk),
    )
    assert derivation_tasks(person).count() == 1


def test_create_for_the_callers_own_account_person(client_for, user):
    payload = {
        "person_id": str(user.pk),
        "observation_type": "user_input",
        "content": {"text": "hi"},
    }
    assert client_for(user).post(URL, payload).status_code == 201
    assert Observation.objects.get().person.owner == user


def test_batch_creates_all_and_queues_one_derivation_per_person(client_for, user, person):
    second = PersonFactory(owner=user)
    items = [
        {"person_id": str(p.pk), "observation_type": "work_session", "content": SESSION}
        for p in (person, second, person)
    ] + [{"person_id": str(second.pk), "observation_type": "calendar_event", "content": EVENT}]
    response = client_for(user).post(URL, items)
    assert response.status_code == 201, response.content
    assert [row["person_id"] for row in response.json()] == [item["person_id"] for item in items]
    assert Observation.objects.count() == 4
    assert derivation_tasks(person).count() == derivation_tasks(second).count() == 1


def test_one_bad_item_fails_the_batch(client_for, user, person):
    items = [
        {"person_id": str(person.pk), "observation_type": "work_session", "content": SESSION}
    ] * 5
    items[3] = {**items[3], "content": {**SESSION, "duration_minutes": 0}}
    body = assert_error_shape(client_for(user).post(URL, items), 400, "min_value")
    assert body["field"] == "3.content.duration_minutes"
    assert not Observation.objects.exists()
    assert not derivation_tasks().exists()


def test_batch_of_another_owners_person_is_400_on_person_id(client_for, user, person, other_user):
    stranger = PersonFactory(owner=other_user)
    items = [
        {"person_id": str(p.pk), "observation_type": "work_session", "content": SESSION}
        for p in (person, stranger)
    ]
    body = assert_error_shape(client_for(user).post(URL, items), 400, "unknown_person")
    assert body["field"] == "1.person_id"
    assert not Observation.objects.exists()


def test_batch_size_is_bounded(client_for, user, person):
    item = {"person_id": str(person.pk), "observation_type": "work_session", "content": SESSION}
    assert_error_shape(client_for(user).post(URL, []), 400)
    assert_error_shape(client_for(user).post(URL, [item] * (MAX_BATCH + 1)), 400)
    with pytest.raises(ValidationError):
        observation_bulk_create(user=user, items=[])
    assert not Observation.objects.exists()


def test_service_batch_errors_are_indexed(user, person):
    good = {"person": person, "observation_type": "work_session", "content": SESSION}
    with pytest.raises(ValidationError) as error:
        observation_bulk_create(
            user=user, items=[good, {**good, "observation_type": "x"}, {**good, "metadata": [1]}]
        )
    assert set(error.value.error_dict) == {"1.observation_type", "2.metadata"}


def test_service_refuses_another_owners_person(user, other_user):
    with pytest.raises(ValidationError) as error:
        observation_create(
            user=user,
            data={
                "person": PersonFactory(owner=other_user),
                "observation_type": "work_session",
                "content": SESSION,
            },
        )
    assert set(error.value.error_dict) == {"person_id"}


# --- the derivation task shares the observation's transaction -------------------------------


def test_task_rolls_back_with_the_observation(user, person):
    inside = []

    def record_then_fail():
        with transaction.atomic():
            observation_create(
                user=user,
                data={"person": person, "observation_type": "work_session", "content": SESSION},
            )
            inside.append(derivation_tasks(person).count())  # written inside the transaction
            raise RuntimeError("the caller's transaction fails afterwards")

    with pytest.raises(RuntimeError):
        record_then_fail()
    assert inside == [1]
    assert not Observation.objects.exists()
    assert not derivation_tasks().exists()


def test_no_observation_without_its_task(user, person):
    outbox_handlers.unregister(DERIVE_TRAITS_TASK)
    try:
        with pytest.raises(ValueError, match="no outbox handler"):
            observation_create(
                user=user,
                data={"person": person, "observation_type": "work_session", "content": SESSION},
            )
    finally:
        outbox_handlers.register(
            OutboxHandler(name=DERIVE_TRAITS_TASK, handle=handle_derive_traits)
        )
    assert not Observation.objects.exists()


# --- reading and deleting -------------------------------------------------------------------


def test_list_filters_and_cursor_pages(client_for, user, person):
    second = PersonFactory(owner=user)
    for day in (1, 2, 3):
        ObservationFactory(person=person, created_at=datetime(2025, 3, day, 9, tzinfo=UTC))
    ObservationFactory(person=person, observation_type="user_input", content={"text": "hi"})
    ObservationFactory(person=second)
    client = client_for(user)

    def ids(query):
        response = client.get(URL, query)
        assert response.status_code == 200, response.content
        return response.json()["results"]

    assert len(ids({"person_id": person.pk})) == 4
    assert len(ids({"person_id": person.pk, "observation_type": "user_input"})) == 1
    in_range = ids({"created_after": "2025-03-02T00:00:00Z", "created_before": "2025-03-03T00:00Z"})
    assert [row["created_at"] for row in in_range] == ["2025-03-02T09:00:00Z"]
    first_page = client.get(URL, {"page_size": 2}).json()
    assert len(first_page["results"]) == 2
    assert "cursor=" in first_page["next"]
    assert_error_shape(client.get(URL, {"observation_type": "dream"}), 400)


def test_observations_are_not_edited(client_for, user, person):
    observation = ObservationFactory(person=person)
    response = client_for(user).patch(f"{URL}/{observation.pk}", {"content": {}})
    assert_error_shape(response, 405)


def test_delete_queues_a_rederivation(client_for, user, person):
    observation = ObservationFactory(person=person)
    assert client_for(user).delete(f"{URL}/{observation.pk}").status_code == 204
    assert not Observation.objects.exists()
    assert derivation_tasks(person).count() == 1
