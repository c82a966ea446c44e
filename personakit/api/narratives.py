"""PersonaKit API: narratives (create, list, read, edit the curated text, delete) and search.

Embeddings are filled in after commit by the outbox and are never returned.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.errors import single_error
from config.api.routers import ApiRouter
from personakit import narratives as service
from personakit.choices import NarrativeType
from personakit.mindscapes import VersionConflict
from personakit.models import Narrative
from personakit.persons import UnknownPerson, persons_of, require_person

router = ApiRouter()
urlpatterns: list = []  # routes outside the router (e.g. nested paths)

TAGS = ["personakit"]


class NarrativeSerializer(serializers.ModelSerializer):
    person_id = serializers.UUIDField()

    class Meta:
        model = Narrative
        fields = ["id", "person_id", "narrative_type", "raw_text", "curated_text", "tags",
                  "context", "trait_path", "curation_action", "source", "created_at",
                  "embedding_model", "embedded_at"]  # fmt: skip
        read_only_fields = ["id", "created_at", "embedding_model", "embedded_at"]

    def validate_person_id(self, value: Any) -> Any:
        try:
            return require_person(user=self.context["request"].user, person_id=value)
        except UnknownPerson as error:
            raise serializers.ValidationError(str(error), code="unknown_person") from None


class NarrativeUpdateSerializer(serializers.ModelSerializer):
    """What may change after writing: the curated text, tags and context."""

    class Meta:
        model = Narrative
        fields = list(service.EDITABLE_FIELDS)


class NarrativeSearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(trim_whitespace=True, max_length=2000)
    person_id = serializers.UUIDField()
    k = serializers.IntegerField(min_value=1, max_value=100, default=10)
    type = serializers.ChoiceField(choices=NarrativeType.choices, required=False)
    tags = serializers.CharField(required=False, help_text="Comma-separated; all must match.")


SEARCH_HITS = inline_serializer(
    "NarrativeSearchHit",
    many=True,
    fields={
        "id": serializers.UUIDField(),
        "raw_text": serializers.CharField(),
        "curated_text": serializers.CharField(allow_null=True),
        "narrative_type": serializers.CharField(),
        "tags": serializers.ListField(child=serializers.CharField(), allow_null=True),
        "distance": serializers.FloatField(),
        "similarity": serializers.FloatField(),
    },
)
SEARCH_RESPONSE = inline_serializer(
    "NarrativeSearchResponse",
    {
        "count": serializers.IntegerField(),
        "k": serializers.IntegerField(),
        "exhaustive": serializers.BooleanField(),
        "method": serializers.ChoiceField(choices=[service.METHOD_HNSW, service.METHOD_EXACT]),
        "embedding_model": serializers.CharField(),
        "note": serializers.CharField(required=False),
        "results": SEARCH_HITS,
    },
)


@extend_schema(tags=TAGS)
class NarrativeViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Narratives about the caller's persons. A curation changes the person's mindscape."""

    queryset = Narrative.objects.defer("embedding")
    serializer_class = NarrativeSerializer
    filterset_fields = ["narrative_type"]
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[Narrative]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        queryset = self.queryset.filter(person__in=persons_of(self.request.user))
        if self.action != "list":
            return queryset
        params = self.request.query_params
        if params.get("person_id"):
            person_id = serializers.UUIDField().run_validation(params["person_id"])
            queryset = queryset.filter(person_id=person_id)
        if params.get("tags"):
            queryset = queryset.filter(tags__contains=_tags(params["tags"]))
        return queryset

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action == "partial_update":
            return NarrativeUpdateSerializer
        return NarrativeSerializer

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        person = data.pop("person_id")
        try:
            narrative = service.narrative_create(user=request.user, person=person, data=data)
        except VersionConflict as error:
            body = single_error("version_conflict", str(error), "trait_path")
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(NarrativeSerializer(narrative).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NarrativeUpdateSerializer, responses=NarrativeSerializer)
    def partial_update(self, request: Request, *args: object, **kwargs: object) -> Response:
        narrative = self.get_object()
        serializer = NarrativeUpdateSerializer(narrative, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        narrative = service.narrative_update(
            narrative=narrative, data=dict(serializer.validated_data)
        )
        return Response(NarrativeSerializer(narrative).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("person_id", str, description="Only this person's narratives."),
            OpenApiParameter("tags", str, description="Comma-separated; all must match."),
        ]
    )
    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[NarrativeSearchQuerySerializer],
        responses=SEARCH_RESPONSE,
        operation_id="personakit_narratives_search",
    )
    @action(detail=False, methods=["get"], url_path="search", filter_backends=[])
    def search(self, request: Request) -> Response:
        """The ``k`` narratives of a person nearest in meaning to ``q`` (cosine distance)."""
        query = NarrativeSearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        try:
            person = require_person(user=request.user, person_id=params["person_id"])
        except UnknownPerson:
            raise exceptions.NotFound() from None
        result = service.narratives_search(
            person=person,
            query=params["q"],
            k=params["k"],
            narrative_type=params.get("type"),
            tags=_tags(params["tags"]) if params.get("tags") else None,
        )
        return Response(_search_body(result))


def _tags(value: str) -> list[str]:
    return [tag.strip() for tag in value.split(",") if tag.strip()]


def _search_body(result: service.SearchResult) -> dict[str, Any]:
    from config.embeddings import get_provider

    body: dict[str, Any] = {
        "count": len(result.items),
        "k": result.k,
        "exhaustive": result.exhaustive,
        "method": result.method,
        "embedding_model": get_provider().model_name,
        "results": [
            {
                "id": hit.narrative.pk,
                "raw_text": hit.narrative.raw_text,
                "curated_text": hit.narrative.curated_text,
                "narrative_type": hit.narrative.narrative_type,
                "tags": hit.narrative.tags,
                "distance": hit.distance,
                "similarity": hit.similarity,
            }
            for hit in result.items
        ],
    }
    if result.exhaustive:
        body["note"] = (
            f"Only {len(result.items)} narrative(s) of this person match (k={result.k}); "
            "narratives not yet embedded by the current model are not searchable."
        )
    return body


router.register("narratives", NarrativeViewSet, basename="narrative")
