"""Persons, the individuals the caller may observe.

The caller's own account is a person too (same id as the account), listed from the first
request on; the others are registered with ``POST persons``. Deleting the account's own
person is a 409 ``account_person``: it is there as long as the account is.
"""

from django.core.exceptions import ValidationError
from rest_framework import exceptions, serializers, status

from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerModelViewSet, Writes
from personakit.models import Person
from personakit.services import persons


class AccountPersonKept(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "account_person"
    default_detail = "Your account's own person cannot be deleted."


def _person_delete(*, person: Person) -> None:
    try:
        persons.person_delete(person=person)
    except ValidationError as error:
        if error.code == "account_person":
            raise AccountPersonKept() from error
        raise


class PersonSerializer(ModelSerializer):
    is_account = serializers.SerializerMethodField(
        help_text="True for the caller's own account person (it cannot be deleted)."
    )

    class Meta:
        model = Person
        fields = ["id", "display_name", "is_account", "created_at"]
        read_only_fields = ["id", "created_at"]

    def get_is_account(self, person: Person) -> bool:
        return person.pk == person.owner_id


class PersonViewSet(CallerModelViewSet):
    """The caller's persons: their own account's, and those they registered."""

    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    filterset_fields = ["display_name"]
    ordering_fields = ["display_name", "created_at"]
    selector = staticmethod(persons.persons_with_account)
    reread_written_rows = False  # a person reads as written
    writes = Writes(row="person", create=persons.person_register, update=persons.person_update,
                    delete=_person_delete)  # fmt: skip
