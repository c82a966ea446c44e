"""Who may see a person: their owner only."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from personakit.selectors.persons import persons_of
from personakit.services.persons import (
    UnknownPerson,
    person_delete,
    person_of_account,
    person_register,
    person_update,
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
    assert list(persons_of(user=user)) == [person]


def test_registered_persons_belong_to_their_registrant():
    user = UserFactory()
    partner = person_register(user=user, data={"display_name": "Partner"})
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
    assert not persons_of(user=me).exists()


def test_rename_and_delete_a_registered_person():
    user = UserFactory()
    partner = person_register(user=user, data={"display_name": "Partner"})
    assert (
        person_update(person=partner, user=user, data={"display_name": "Ada"}).display_name == "Ada"
    )
    assert persons_of(user=user).get().display_name == "Ada"
    with pytest.raises(ValidationError):
        person_update(person=partner, user=user, data={"owner": UserFactory()})
    person_delete(person=partner)
    assert not persons_of(user=user).exists()


def test_the_accounts_own_person_cannot_be_deleted():
    user = UserFactory()
    own = person_of_account(user=user)
    with pytest.raises(ValidationError) as error:
        person_delete(person=own)
    assert error.value.code == "account_person"
    assert persons_of(user=user).get() == own
