"""Who may see a person: their owner only."""

import uuid

import pytest

from personakit.persons import (
    UnknownPerson,
    person_of_account,
    person_register,
    persons_of,
    require_person,
)
from personakit.tests.factories import PersonFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_account_is_its_own_person_made_on_first_use():
    user = UserFactory()
    person = require_person(user=user, person_id=str(user.pk))
    assert person.pk == user.pk
    assert person.owner == user
    assert person_of_account(user=user) == person
    assert list(persons_of(user)) == [person]


def test_registered_persons_belong_to_their_registrant():
    user = UserFactory()
    partner = person_register(user=user, display_name="Partner")
    assert require_person(user=user, person_id=partner.pk) == partner


@pytest.mark.parametrize(
    "person_id",
    ["not-a-uuid", str(uuid.uuid4()), None, 42],
)
def test_unknown_ids_are_refused(person_id):
    with pytest.raises(UnknownPerson):
        require_person(user=UserFactory(), person_id=person_id)


def test_another_owners_person_is_as_unknown_as_a_missing_one():
    theirs, me = PersonFactory(), UserFactory()
    with pytest.raises(UnknownPerson, match=str(theirs.pk)):
        require_person(user=me, person_id=theirs.pk)
    with pytest.raises(UnknownPerson):
        require_person(user=me, person_id=theirs.owner.pk)  # their account's person too
    assert not persons_of(me).exists()
