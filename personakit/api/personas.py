"""Personas of the caller's persons.

``POST {person_id, config_id}`` generates one with the config's active mapper. Reads show
unexpired personas only; ``?include_expired=true`` adds the expired ones (``is_expired``
true, whether already marked or only past ``expires_at``). Another owner's personas do not
exist for the caller (404); generating for another owner's person is a 400 on ``person_id``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.exceptions import ValidationError

from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerViewSet, CreateMixin, Writes
from personakit.api.fields import CallerPersonField
from personakit.models import Persona, PersonaNarrativeUsage
from personakit.selectors.personas import persona_is_expired, personas_visible_to
from personakit.services.personas import persona_generate

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

INCLUDE_EXPIRED = OpenApiParameter(
    "include_expired", OpenApiTypes.BOOL, description="Also show expired personas."
)


class NarrativeUsageSerializer(ModelSerializer):
    class Meta:
        model = PersonaNarrativeUsage
        fields = ["narrative_id", "usage_type", "relevance_score", "usage_context"]


class PersonaSerializer(ModelSerializer):
    is_expired = serializers.SerializerMethodField()
    narrative_usage = NarrativeUsageSerializer(many=True, read_only=True)

    class Meta:
        model = Persona
        fields = ["id", "person_id", "mapper_id", "mapper_config_id", "mapper_version", "core",
                  "overlay", "metadata", "created_at", "expires_at", "is_expired",
                  "narrative_usage"]  # fmt: skip
        read_only_fields = fields

    def get_is_expired(self, persona: Persona) -> bool:
        return persona_is_expired(persona)


class PersonaGenerateSerializer(serializers.Serializer):
    person_id = CallerPersonField(source="person")
    config_id = serializers.CharField(max_length=255)


@extend_schema_view(
    list=extend_schema(parameters=[INCLUDE_EXPIRED]),
    retrieve=extend_schema(parameters=[INCLUDE_EXPIRED]),
)
class PersonaViewSet(CreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, CallerViewSet):
    """Generated personas of the caller's persons; expired ones on request."""

    queryset = Persona.objects.all()
    serializer_class = PersonaSerializer
    input_serializer_classes = {"create": PersonaGenerateSerializer}
    filterset_fields = ["person", "mapper_config_id", "mapper_version"]
    ordering_fields = ["created_at", "expires_at"]
    writes = Writes(row="persona", create=persona_generate)

    def selector(self, *, user: AbstractBaseUser) -> QuerySet[Persona]:
        """The caller's personas; ``?include_expired=true`` widens them to the expired ones."""
        expired = self.request.query_params.get("include_expired", "false")
        if expired not in ("true", "false"):  # a boolean, as the schema says
            raise ValidationError({"include_expired": ['Must be "true" or "false".']})
        return personas_visible_to(user=user, include_expired=expired == "true")
