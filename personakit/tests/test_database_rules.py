"""Rules PersonaKit's database keeps for every writer."""

import pytest
from django.db import IntegrityError, connection, transaction

from personakit.models import Mindscape, Narrative, Observation, Person, TraitNarrativeLink
from personakit.tests.factories import (
    FeedbackFactory,
    MapperConfigFactory,
    MindscapeFactory,
    NarrativeFactory,
    ObservationFactory,
    PersonaFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def test_mindscape_version_moves_on_every_traits_change_and_only_then():
    mindscape = MindscapeFactory()
    assert Mindscape.objects.get(pk=mindscape.pk).version == 1
    Mindscape.objects.filter(pk=mindscape.pk).update(traits={"work": {"chronotype": "evening"}})
    assert Mindscape.objects.get(pk=mindscape.pk).version == 2
    Mindscape.objects.filter(pk=mindscape.pk).update(traits={"work": {"chronotype": "evening"}})
    assert Mindscape.objects.get(pk=mindscape.pk).version == 2  # same traits: no change
    sql('UPDATE "personakit"."mindscapes" SET version = 99 WHERE id = %s', [mindscape.pk])
    assert Mindscape.objects.get(pk=mindscape.pk).version == 2  # nobody sets it by hand


def test_one_mindscape_per_person():
    mindscape = MindscapeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MindscapeFactory(person=mindscape.person)


@pytest.mark.parametrize(
    ("make", "field", "value"),
    [
        (lambda **kw: NarrativeFactory(**kw), "narrative_type", "rumour"),
        (lambda **kw: ObservationFactory(**kw), "observation_type", "dream"),
        (lambda **kw: FeedbackFactory(**kw), "rating", 6),
        (lambda **kw: FeedbackFactory(**kw), "rating", 0),
        (lambda **kw: MapperConfigFactory(**kw), "status", "retired"),
    ],
)
def test_seed_checks_refuse_bad_values(make, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        make(**{field: value})


@pytest.mark.parametrize("confidence", [-0.1, 1.5])
def test_link_confidence_is_between_0_and_1(confidence):
    narrative = NarrativeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        TraitNarrativeLink.objects.create(
            narrative=narrative, trait_path="work.chronotype", link_type="supports",
            confidence=confidence,
        )  # fmt: skip


def test_versions_of_a_mapper_are_unique_and_only_one_is_active():
    first = MapperConfigFactory(config_id="focus", version=1, status="active")
    with pytest.raises(IntegrityError), transaction.atomic():
        MapperConfigFactory(config_id="focus", version=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        MapperConfigFactory(config_id="focus", version=2, status="active")
    MapperConfigFactory(config_id="focus", version=2, status="draft")
    MapperConfigFactory(config_id="other", version=1, status="active")
    assert first.status == "active"


def test_deleting_raw_cascades_as_the_seed_says():
    persona = PersonaFactory()
    FeedbackFactory(persona=persona)
    narrative = NarrativeFactory(person=persona.person)
    TraitNarrativeLink.objects.create(narrative=narrative, trait_path="a", link_type="supports")
    ObservationFactory(person=persona.person)
    sql('DELETE FROM "personakit"."narratives" WHERE id = %s', [narrative.pk])
    assert not TraitNarrativeLink.objects.filter(narrative_id=narrative.pk).exists()
    owner = persona.person.owner
    sql("DELETE FROM users WHERE id = %s", [owner.pk])
    sql("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred checks pass: nothing left dangling
    assert not Person.objects.filter(owner_id=owner.pk).exists()
    assert not Observation.objects.filter(person_id=persona.person_id).exists()


def test_deleting_an_author_keeps_their_writings():
    author = UserFactory()
    narrative = NarrativeFactory(created_by=author)
    sql("DELETE FROM users WHERE id = %s", [author.pk])
    sql("SET CONSTRAINTS ALL IMMEDIATE")
    assert Narrative.objects.get(pk=narrative.pk).created_by_id is None


def test_raw_inserts_get_uuid_ids_and_seed_defaults():
    person = Person.objects.create(owner=UserFactory())
    row = sql(
        'INSERT INTO "personakit"."outbox_tasks" (task_type, payload) VALUES (%s, %s) '
        "RETURNING id, status, attempts, run_after IS NOT NULL",
        ["x", "{}"],
    )[0]
    assert row[1:] == ("pending", 0, True)
    mindscape = sql(
        'INSERT INTO "personakit"."mindscapes" (person_id) VALUES (%s) '
        "RETURNING traits::text, version",
        [person.pk],
    )[0]
    assert mindscape == ("{}", 1)
