"""Persons: an account's own person, registering, renaming and deleting others, and resolving
the caller's by id."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from personakit.models import Person
from personakit.selectors.persons import persons_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

EDITABLE_FIELDS = ("display_name",)


class UnknownPerson(LookupError):
    """No such person among the caller's: another owner's person is as unknown as a missing one."""

    def __init__(self, person_id: object) -> None:
        super().__init__(f"You have no person with id {person_id}.")
        self.person_id = person_id


def person_of_account(*, user: AbstractBaseUser) -> Person:
    """The account's own person (same id as the account), made on first use."""
    person, _ = Person.objects.get_or_create(
        id=user.pk, defaults={"owner": user, "display_name": user.get_username()}
    )
    return person


def persons_with_account(*, user: AbstractBaseUser) -> QuerySet[Person]:
    """``user``'s persons, their account's own among them from the first read on."""
    person_of_account(user=user)
    return persons_of(user=user)


def person_register(*, user: AbstractBaseUser, data: Mapping[str, Any]) -> Person:
    """Register another individual (``display_name``), owned by ``user``."""
    person = Person(owner=user, display_name=data.get("display_name", ""))
    person.full_clean()
    person.save()
    return person


def person_update(*, person: Person, user: AbstractBaseUser, data: Mapping[str, Any]) -> Person:
    """Rename a person (``display_name``); nothing else of a person changes."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed."))
    for field, value in data.items():
        setattr(person, field, value)
    person.full_clean()
    person.save(update_fields=list(EDITABLE_FIELDS))
    return person


def person_delete(*, person: Person) -> None:
    """Forget a registered person and everything about them; the account's own person stays."""
    if person.pk == person.owner_id:
        raise ValidationError("Your account's own person cannot be deleted.", code="account_person")
    person.delete()


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
    person = persons_of(user=user).filter(pk=person_uuid).first()
    if person is None:
        raise UnknownPerson(person_id)
    return person
