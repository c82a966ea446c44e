"""PersonaKit API: observations (``observations``): facts are recorded and read, never edited.

``POST`` takes one observation or a JSON list of up to 1000 (all or none, errors at
``<index>.<field>``, e.g. ``3.content.duration_minutes``). ``content`` follows its type's
shape (``personakit.observations``).
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.pagination import CursorPagination
from config.api.routers import ApiRouter
from personakit import observations as service
from personakit.choices import ObservationType
from personakit.models import Observation, Person
from personakit.persons import UnknownPerson, require_person

_TYPES = ", ".join(ObservationType.values)


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="ObservationContent",
        serializers=list(service.CONTENT_SHAPES.values()),
        resource_type_field_name=None,
    )
)
class ContentField(serializers.JSONField):
    """The observation's content, shaped by its ``observation_type``."""


class ObservationSerializer(serializers.ModelSerializer):
    person_id = serializers.UUIDField(help_text="One of the caller's persons.")
    observation_type = serializers.CharField(help_text=f"One of: {_TYPES}.")
    content = ContentField(
        help_text=(
            "work_session {duration_minutes 1..1440, focus_level? deep|shallow|interrupted, "
            "task_type?, tools_used? [str], started_at? date-time with offset}; "
            "user_input {text, category? preference|reflection|goal|feedback|other, "
            "mood? 1..5, tags? [str]}; calendar_event {title, start, end (after start), "
            "attendees? ≥1}. Unknown fields are rejected."
        )
    )
    metadata = serializers.JSONField(required=False, allow_null=True)

    class Meta:
        model = Observation
        fields = [
            "id",
            "person_id",
            "observation_type",
            "content",
            "metadata",
            "created_at",
            "created_by",
        ]
        read_only_fields = ["id", "created_at", "created_by"]

    def validate_person_id(self, value: Any) -> Person:
        # One lookup per distinct person of a batch, not per item.
        persons: dict[Any, Person] = self.context.setdefault("persons", {})
        if value not in persons:
            try:
                persons[value] = require_person(user=self.context["request"].user, person_id=value)
            except UnknownPerson as error:
                raise serializers.ValidationError(str(error), code="unknown_person") from None
        return persons[value]

    def validate_metadata(self, value: Any) -> Any:
        if value is not None and not isinstance(value, dict):
            raise serializers.ValidationError("Must be a JSON object or null.", code="invalid")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            attrs["content"] = service.observation_content_clean(
                observation_type=attrs["observation_type"], content=attrs["content"]
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
        return attrs


def _as_item(validated: dict[str, Any]) -> dict[str, Any]:
    """Validated data as the service's item: ``person_id`` was resolved to a ``Person``."""
    item = dict(validated)
    item["person"] = item.pop("person_id")
    return item


class ObservationFilter(filters.FilterSet):
    person_id = filters.UUIDFilter(field_name="person_id")
    observation_type = filters.ChoiceFilter(choices=ObservationType.choices)
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Observation
        fields = ["person_id", "observation_type", "created_after", "created_before"]


_ONE_OR_MANY = PolymorphicProxySerializer(
    component_name="ObservationOneOrMany",
    serializers=[ObservationSerializer, ObservationSerializer(many=True)],
    resource_type_field_name=None,
    many=False,
)


@extend_schema(tags=["personakit"])
@extend_schema_view(
    create=extend_schema(
        description=(
            f"One observation, or a JSON list of up to {service.MAX_BATCH} recorded atomically: "
            "any bad item fails them all, with errors at `<index>.<field>`. Each accepted "
            "observation schedules a trait derivation of its person (outbox)."
        ),
        request=_ONE_OR_MANY,
        responses={201: _ONE_OR_MANY},
    ),
    list=extend_schema(description="Newest first, cursor-paginated."),
)
class ObservationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Observations about the caller's persons."""

    queryset = Observation.objects.all()
    serializer_class = ObservationSerializer
    filterset_class = ObservationFilter
    ordering_fields = ["created_at"]
    pagination_class = CursorPagination

    def get_queryset(self) -> QuerySet[Observation]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return service.observations_of(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        many = isinstance(request.data, list)
        options = {"many": True, "min_length": 1, "max_length": service.MAX_BATCH} if many else {}
        serializer = self.get_serializer(data=request.data, **options)
        serializer.is_valid(raise_exception=True)
        if many:
            items = [_as_item(item) for item in serializer.validated_data]
            rows = service.observation_bulk_create(user=request.user, items=items)
        else:
            item = _as_item(serializer.validated_data)
            rows = service.observation_create(user=request.user, **item)
        body = self.get_serializer(rows, many=many).data
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Observation) -> None:
        service.observation_delete(observation=instance)


router = ApiRouter()
router.register("observations", ObservationViewSet, basename="observation")
urlpatterns: list = []
