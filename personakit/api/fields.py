"""What several PersonaKit resources take alike: one of the caller's persons, by id."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from personakit.models import Person
from personakit.services.persons import UnknownPerson, require_person


@extend_schema_field(OpenApiTypes.UUID)
class CallerPersonField(serializers.Field):
    """``person_id``: one of the caller's persons (their account's own is made on first use).

    Another owner's person is as unknown as a missing one (``unknown_person``). Declare it
    with ``source="person"``: the validated data carries the ``Person``, a read shows its id.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "One of the caller's persons.")
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        return instance.person_id  # the id only: no query per row

    def to_representation(self, value: Any) -> str:
        return str(value)

    def to_internal_value(self, data: Any) -> Person:
        person_id = serializers.UUIDField().to_internal_value(data)
        # One lookup per distinct person of a batch, not per item.
        persons = self.context.setdefault("caller_persons", {})
        if person_id not in persons:
            try:
                persons[person_id] = require_person(
                    user=self.context["request"].user, person_id=person_id
                )
            except UnknownPerson as error:
                raise serializers.ValidationError(str(error), code="unknown_person") from None
        return persons[person_id]
