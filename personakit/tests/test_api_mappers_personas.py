"""API of mapper configs, personas and feedback: the generic contract plus their behaviour."""

import copy
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from config.testing import ApiContract, assert_error_shape
from personakit.choices import MapperStatus
from personakit.mappers import mapper_activate, mapper_create_version
from personakit.models import Feedback, MapperConfig, Persona
from personakit.personas import persona_generate
from personakit.tests.factories import (
    FeedbackFactory,
    MindscapeFactory,
    PersonaFactory,
    PersonFactory,
)
from tests.factories import UserFactory

CONFIGURATION = {
    "metadata": {"name": "Focus"},
    "rules": [
        {
            "id": "deep-work",
            "conditions": {"all": [{"type": "trait_check", "trait": "work.chronotype",
                                    "operator": "equals", "value": "morning"}]},
            "actions": [{"type": "suggestion", "template": "Deep work first", "priority": "high"}],
        }
    ],
}  # fmt: skip
BAD_OPERATOR = copy.deepcopy(CONFIGURATION)
BAD_OPERATOR["rules"][0]["conditions"]["all"].append(
    {"type": "trait_check", "trait": "work.tools", "operator": "like", "value": "vim"}
)

MAPPERS = "api:personakit:mapper-config"
PERSONAS = "api:personakit:persona"
FEEDBACK = "api:personakit:feedback"


def url(route, row=None, suffix=""):
    if row is None:
        return reverse(f"{route}-list")
    return reverse(f"{route}-detail", args=[row.pk]) + suffix


def active_mapper(config_id="focus", owner=None):
    mapper = mapper_create_version(user=owner, config_id=config_id, configuration=CONFIGURATION)
    return mapper_activate(mapper=mapper)


def persona_of(owner, **kwargs):
    return PersonaFactory(person=PersonFactory(owner=owner), **kwargs)


# --- contracts ----------------------------------------------------------------------------


class TestMapperConfigApi(ApiContract):
    """Mappers are shared: everyone reads every version; a version's author edits its draft."""

    route = MAPPERS
    valid_payload = {"config_id": "focus", "configuration": CONFIGURATION, "metadata": {"a": 1}}
    update_payload = {"metadata": {"note": "renamed"}}
    invalid_payload = {"config_id": "focus", "configuration": BAD_OPERATOR}

    test_other_users_row_absent_from_list = None
    test_other_users_row_is_404 = None

    def make(self, owner):
        count = MapperConfig.objects.count()
        return mapper_create_version(
            user=owner, config_id=f"mapper-{count}", configuration=CONFIGURATION
        )

    def test_every_caller_reads_every_row(self, client_for, other_user):
        row = self.make(UserFactory())
        client = client_for(other_user)
        assert str(row.pk) in self.ids_in(client.get(f"{self.list_url()}?page_size=1000"))
        assert client.get(self.detail_url(row)).json()["id"] == str(row.pk)

    def test_only_the_author_or_staff_change_a_version(self, client_for, other_user):
        row = self.make(UserFactory())
        before = self.snapshot(row)
        client = client_for(other_user)
        assert_error_shape(client.patch(self.detail_url(row), self.update_payload), 403)
        assert_error_shape(client.post(self.detail_url(row) + "/activate"), 403)
        assert self.snapshot(row) == before
        staff = client_for(UserFactory(is_staff=True))
        assert staff.post(self.detail_url(row) + "/activate").json()["status"] == "active"


class TestPersonaApi(ApiContract):
    route = PERSONAS
    update_payload: dict = {}
    invalid_payload = {"person_id": "not-a-uuid", "config_id": ""}

    @pytest.fixture(autouse=True)
    def _active_mapper(self, user):
        self.caller = user
        active_mapper()

    @property
    def valid_payload(self):
        return {"person_id": str(self.caller.pk), "config_id": "focus"}

    def make(self, owner):
        return persona_of(owner)


class TestFeedbackApi(ApiContract):
    route = FEEDBACK
    update_payload: dict = {}
    invalid_payload = {"rating": 9}

    @pytest.fixture(autouse=True)
    def _persona(self, user):
        self.persona = persona_of(user)

    @property
    def valid_payload(self):
        return {"persona_id": str(self.persona.pk), "rating": 4, "helpful": True}

    def make(self, owner):
        return FeedbackFactory(persona=persona_of(owner))


# --- mapper configs -----------------------------------------------------------------------


@pytest.mark.django_db
def test_create_numbers_versions_as_drafts(client_for, user):
    client = client_for(user)
    bodies = [
        client.post(url(MAPPERS), {"config_id": "focus", "configuration": CONFIGURATION}).json()
        for _ in range(2)
    ]
    assert [(b["version"], b["status"]) for b in bodies] == [(1, "draft"), (2, "draft")]
    assert bodies[0]["created_by"] == str(user.pk)


@pytest.mark.django_db
def test_validation_error_names_the_rule_part(client_for, user):
    response = client_for(user).post(
        url(MAPPERS), {"config_id": "focus", "configuration": BAD_OPERATOR}
    )
    body = assert_error_shape(response, 400)
    assert body["field"] == "configuration.rules.0.conditions.all.1.operator"
    assert "Unknown operator 'like'" in body["message"]


@pytest.mark.django_db
def test_activate_deprecates_previous_and_freezes_configuration(client_for, user):
    client = client_for(user)
    v1, v2 = (
        mapper_create_version(user=user, config_id="focus", configuration=CONFIGURATION)
        for _ in range(2)
    )
    assert client.post(url(MAPPERS, v1, "/activate")).json()["status"] == "active"
    assert client.post(url(MAPPERS, v2, "/activate")).json()["status"] == "active"
    v1.refresh_from_db()
    assert v1.status == MapperStatus.DEPRECATED
    for row in (v1, v2):
        response = client.patch(url(MAPPERS, row), {"configuration": CONFIGURATION})
        assert_error_shape(response, 409, "conflict")
        assert_error_shape(client.put(url(MAPPERS, row), {"configuration": {}}), 409)
    listed = client.get(url(MAPPERS) + "?config_id=focus&status=active").json()["results"]
    assert [row["version"] for row in listed] == [2]


# --- personas -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_generate_through_the_api(client_for, user):
    mapper = active_mapper()
    person = PersonFactory(owner=user)
    MindscapeFactory(person=person, traits={"work": {"chronotype": "morning"}})
    response = client_for(user).post(
        url(PERSONAS), {"person_id": str(person.pk), "config_id": "focus"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person_id"] == str(person.pk)
    assert body["metadata"]["rules_fired"] == ["deep-work"]
    assert body["overlay"]["suggestions"][0]["priority"] == "high"
    assert (body["mapper_version"], body["is_expired"]) == (mapper.version, False)
    assert body["narrative_usage"] == []


@pytest.mark.django_db
def test_generate_needs_an_active_mapper(client_for, user):
    response = client_for(user).post(url(PERSONAS), {"person_id": str(user.pk), "config_id": "x"})
    assert assert_error_shape(response, 400)["field"] == "config_id"
    assert not Persona.objects.exists()


@pytest.mark.django_db
def test_generate_for_another_owners_person_is_400(client_for, user, other_user):
    active_mapper()
    theirs = PersonFactory(owner=other_user)
    for person_id in (theirs.pk, other_user.pk):
        response = client_for(user).post(
            url(PERSONAS), {"person_id": str(person_id), "config_id": "focus"}
        )
        assert assert_error_shape(response, 400)["field"] == "person_id"
    assert not Persona.objects.exists()


@pytest.mark.django_db
def test_expired_personas_only_on_request(client_for, user):
    client = client_for(user)
    fresh = persona_of(user)
    due = persona_of(user, expires_at=timezone.now() - timedelta(seconds=1))  # not yet marked
    marked = persona_of(user, expires_at=timezone.now() - timedelta(days=1), is_expired=True)

    assert ApiContract.ids_in(client.get(url(PERSONAS))) == {str(fresh.pk)}
    assert_error_shape(client.get(url(PERSONAS, due)), 404)
    listed = client.get(url(PERSONAS) + "?include_expired=true").json()["results"]
    assert {row["id"]: row["is_expired"] for row in listed} == {
        str(fresh.pk): False,
        str(due.pk): True,
        str(marked.pk): True,
    }
    assert client.get(url(PERSONAS, due) + "?include_expired=true").json()["is_expired"] is True


@pytest.mark.django_db
def test_another_owners_expired_persona_stays_invisible(client_for, user, other_user):
    theirs = persona_of(other_user, is_expired=True)
    client = client_for(user)
    assert_error_shape(client.get(url(PERSONAS, theirs) + "?include_expired=true"), 404)
    assert str(theirs.pk) not in ApiContract.ids_in(
        client.get(url(PERSONAS) + "?include_expired=true")
    )


# --- feedback -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_feedback_on_a_fired_rule_of_an_expired_persona(client_for, user):
    active_mapper()
    person = PersonFactory(owner=user)
    MindscapeFactory(person=person, traits={"work": {"chronotype": "morning"}})
    persona = persona_generate(user=user, person=person, config_id="focus")
    Persona.objects.filter(pk=persona.pk).update(is_expired=True)  # analytics outlive the TTL
    client = client_for(user)
    payload = {"persona_id": str(persona.pk), "rule_id": "deep-work", "helpful": True}
    response = client.post(url(FEEDBACK), payload)
    assert response.status_code == 201, response.content
    assert response.json()["mapper_version"] == persona.mapper_version
    bad = client.post(url(FEEDBACK), {**payload, "rule_id": "never-fired"})
    assert assert_error_shape(bad, 400)["field"] == "rule_id"


@pytest.mark.django_db
def test_feedback_on_another_owners_persona_is_400(client_for, user, other_user):
    theirs = persona_of(other_user)
    response = client_for(user).post(url(FEEDBACK), {"persona_id": str(theirs.pk), "rating": 5})
    assert assert_error_shape(response, 400)["field"] == "persona_id"
    assert not Feedback.objects.exists()
