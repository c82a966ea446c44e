"""Who may see a person: its owner. Every PersonaKit read and write starts here."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from personakit.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class UnknownPerson(LookupError):
    """No such person among the caller's: another owner's person is as unknown as a missing one."""

    def __init__(self, person_id: object) -> None:
        super().__init__(f"You have no person with id {person_id}.")
        self.person_id = person_id


def persons_of(user: AbstractBaseUser) -> QuerySet[Person]:
    """The persons ``user`` may read and write: their own, and those they registered."""
    return Person.objects.filter(owner=user)


def person_of_account(*, user: AbstractBaseUser) -> Person:
    """The account's own person (same id as the account), made on first use."""
    person, _ = Person.objects.get_or_create(
        id=user.pk, defaults={"owner": user, "display_name": user.get_username()}
    )
    return person


def person_register(*, user: AbstractBaseUser, display_name: str = "") -> Person:
    """Register another individual, owned by ``user``."""
    person = Person(owner=user, display_name=display_name)
    person.full_clean()
    person.save()
    return person


def require_person(*, user: AbstractBaseUser, person_id: object) -> Person:
    """The caller's person ``person_id`` (their own account's is made on demand), or raise.

    Raises ``UnknownPerson`` for a malformed id, a missing person, or someone else's.
    """
    try:
        person_uuid = uuid.UUID(str(person_id))
    except ValueError:
        raise UnknownPerson(person_id) from None
    if person_uuid == user.pk:
        return person_of_account(user=user)
    person = persons_of(user).filter(pk=person_uuid).first()
    if person is None:
        raise UnknownPerson(person_id)
    return person
