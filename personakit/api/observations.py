"""Observations: facts are recorded and read, never edited.

``POST`` takes one observation or a JSON list of up to 1000 (all or none, errors at
``<index>.<field>``, e.g. ``3.content.duration_minutes``); each accepted observation schedules
a trait derivation of its person (outbox). ``content`` follows its type's shape
(``personakit.services.observations``).
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import (
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers

from config.api.fields import JSONField, JSONObjectField
from config.api.filters import FilterSet
from config.api.pagination import CursorPagination
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerViewSet, CreateMixin, DestroyMixin, Writes
from personakit.api.fields import CallerPersonField
from personakit.choices import ObservationType
from personakit.models import Observation
from personakit.selectors.observations import observations_of
from personakit.services import observations

_TYPES = ", ".join(ObservationType.values)


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="ObservationContent",
        serializers=list(observations.CONTENT_SHAPES.values()),
        resource_type_field_name=None,
    )
)
class ContentField(JSONField):
    """The observation's content, shaped by its ``observation_type``."""


class ObservationSerializer(ModelSerializer):
    person_id = CallerPersonField(source="person")
    # Checked with its content (``unknown_type``); the request schema pairs each type with
    # its content's shape (ObservationRequestExtension).
    observation_type = serializers.CharField(help_text=f"One of: {_TYPES}.", trim_whitespace=False)
    content = ContentField(
        help_text=(
            "work_session {duration_minutes 1..1440, focus_level? deep|shallow|interrupted, "
            "task_type?, tools_used? [str], started_at? date-time with offset}; "
            "user_input {text, category? preference|reflection|goal|feedback|other, "
            "mood? 1..5, tags? [str]}; calendar_event {title, start, end (after start), "
            "attendees? ≥1}. Unknown fields are rejected."
        )
    )
    metadata = JSONObjectField(required=False, allow_null=True)

    class Meta:
        model = Observation
        fields = ["id", "person_id", "observation_type", "content", "metadata", "created_at",
                  "created_by"]  # fmt: skip
        read_only_fields = ["id", "created_at", "created_by"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            attrs["content"] = observations.observation_content_clean(
                observation_type=attrs["observation_type"], content=attrs["content"]
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
        return attrs


def _typed_request(observation_type: str, shape: type[serializers.Serializer]) -> type:
    """The request schema of an observation of ``observation_type`` (documentation only)."""
    name = shape.__name__.removesuffix("Content")
    fields = {
        "person_id": CallerPersonField(),
        "observation_type": serializers.ChoiceField([observation_type]),
        "content": shape(),
        "metadata": JSONObjectField(required=False, allow_null=True),
    }
    return type(f"{name}Observation", (serializers.Serializer,), {**fields, "__module__": __name__})


_TYPED_REQUESTS = [
    _typed_request(kind, shape) for kind, shape in observations.CONTENT_SHAPES.items()
]


class ObservationRequestExtension(OpenApiSerializerExtension):
    """An observation to record is one of its types, each with its content's shape."""

    target_class = ObservationSerializer

    def map_serializer(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        if direction == "response":
            return auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        return {"oneOf": [auto_schema.resolve_serializer(typed, direction).ref
                          for typed in _TYPED_REQUESTS]}  # fmt: skip


class ContentShapeExtension(OpenApiSerializerExtension):
    """A content shape refuses unknown fields (``unknown_field``), and its schema says so."""

    target_class = "personakit.services.observations._Content"
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        return {**schema, "additionalProperties": False}


class ObservationFilter(FilterSet):
    person_id = filters.UUIDFilter(field_name="person_id")
    observation_type = filters.ChoiceFilter(choices=ObservationType.choices)
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Observation
        fields = ["person_id", "observation_type", "created_after", "created_before"]


@extend_schema_view(list=extend_schema(description="Newest first, cursor-paginated."))
class ObservationViewSet(
    CreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    DestroyMixin,
    CallerViewSet,
):
    """Observations about the caller's persons; each one recorded or deleted schedules a trait
    derivation of its person (outbox)."""

    queryset = Observation.objects.all()
    serializer_class = ObservationSerializer
    filterset_class = ObservationFilter
    ordering_fields = ["created_at"]
    pagination_class = CursorPagination
    selector = staticmethod(observations_of)
    writes = Writes.named(observations, "observation")
