"""PersonaKit API: personas of the caller's persons.

``POST {person_id, config_id}`` generates one with the config's active mapper. Reads show
unexpired personas only; ``?include_expired=true`` adds the expired ones (``is_expired``
true, whether already marked or only past ``expires_at``). Another owner's personas do not
exist for the caller (404); generating for another owner's person is a 400 on ``person_id``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.routers import ApiRouter
from personakit.models import Persona, PersonaNarrativeUsage
from personakit.personas import persona_generate, persona_is_expired, personas_visible_to
from personakit.persons import UnknownPerson, require_person

router = ApiRouter()
urlpatterns: list = []  # routes outside the router (e.g. nested paths)

TAGS = ["personakit"]
INCLUDE_EXPIRED = OpenApiParameter(
    "include_expired", OpenApiTypes.BOOL, description="Also show expired personas."
)


class NarrativeUsageSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonaNarrativeUsage
        fields = ["narrative_id", "usage_type", "relevance_score", "usage_context"]


class PersonaSerializer(serializers.ModelSerializer):
    is_expired = serializers.SerializerMethodField()
    narrative_usage = NarrativeUsageSerializer(many=True, read_only=True)

    class Meta:
        model = Persona
        fields = [
            "id",
            "person_id",
            "mapper_id",
            "mapper_config_id",
            "mapper_version",
            "core",
            "overlay",
            "metadata",
            "created_at",
            "expires_at",
            "is_expired",
            "narrative_usage",
        ]
        read_only_fields = fields

    def get_is_expired(self, persona: Persona) -> bool:
        return persona_is_expired(persona)


class PersonaGenerateSerializer(serializers.Serializer):
    person_id = serializers.UUIDField()
    config_id = serializers.CharField(max_length=255)

    def validate_person_id(self, person_id: Any) -> Any:
        try:
            return require_person(user=self.context["request"].user, person_id=person_id)
        except UnknownPerson as exc:
            raise serializers.ValidationError(str(exc)) from exc


def include_expired(request: Request) -> bool:
    return request.query_params.get("include_expired", "").lower() in ("1", "true", "yes")


@extend_schema_view(
    list=extend_schema(parameters=[INCLUDE_EXPIRED]),
    retrieve=extend_schema(parameters=[INCLUDE_EXPIRED]),
    create=extend_schema(request=PersonaGenerateSerializer, responses={201: PersonaSerializer}),
)
@extend_schema(tags=TAGS)
class PersonaViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Generated personas of the caller's persons; expired ones on request."""

    queryset = Persona.objects.all()
    serializer_class = PersonaSerializer
    filterset_fields = ["person", "mapper_config_id", "mapper_version"]
    ordering_fields = ["created_at", "expires_at"]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no caller
            return self.queryset.none()
        return personas_visible_to(
            user=self.request.user, include_expired=include_expired(self.request)
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = PersonaGenerateSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        persona = persona_generate(
            user=request.user,
            person=form.validated_data["person_id"],
            config_id=form.validated_data["config_id"],
        )
        persona = self.queryset.prefetch_related("narrative_usage").get(pk=persona.pk)
        return Response(self.get_serializer(persona).data, status=status.HTTP_201_CREATED)


router.register("personas", PersonaViewSet, basename="persona")
