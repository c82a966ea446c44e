"""Narratives (create, list, read, edit the curated text, delete) and semantic search.

Embeddings are filled in after commit by the outbox and are never returned.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.filters import FilterSet
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerViewSet, CreateMixin, DestroyMixin, UpdateMixin, Writes
from config.embeddings import get_provider
from personakit.api.fields import CallerPersonField
from personakit.choices import NarrativeType
from personakit.models import Narrative
from personakit.selectors.narratives import (
    METHOD_EXACT,
    METHOD_HNSW,
    SearchResult,
    narratives_of,
    narratives_search,
)
from personakit.services import narratives
from personakit.services.persons import UnknownPerson, require_person


class NarrativeSerializer(ModelSerializer):
    person_id = CallerPersonField(source="person")

    class Meta:
        model = Narrative
        fields = ["id", "person_id", "narrative_type", "raw_text", "curated_text", "tags",
                  "context", "trait_path", "curation_action", "source", "created_at",
                  "embedding_model", "embedded_at"]  # fmt: skip
        read_only_fields = ["id", "created_at", "embedding_model", "embedded_at"]


class NarrativeUpdateSerializer(ModelSerializer):
    """What may change after writing: the curated text, tags and context."""

    class Meta:
        model = Narrative
        fields = list(narratives.EDITABLE_FIELDS)


def _tags(value: str) -> list[str]:
    return [tag.strip() for tag in value.split(",") if tag.strip()]


class NarrativeFilter(FilterSet):
    person_id = filters.UUIDFilter(
        field_name="person_id", help_text="Only this person's narratives."
    )
    tags = filters.CharFilter(method="filter_tags", help_text="Comma-separated; all must match.")

    class Meta:
        model = Narrative
        fields = ["narrative_type", "person_id", "tags"]

    def filter_tags(self, queryset: QuerySet[Narrative], name: str, value: str) -> QuerySet:
        return queryset.filter(tags__contains=_tags(value))


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
        "method": serializers.ChoiceField(choices=[METHOD_HNSW, METHOD_EXACT]),
        "embedding_model": serializers.CharField(),
        "note": serializers.CharField(required=False),
        "results": SEARCH_HITS,
    },
)


class NarrativeViewSet(
    CreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    DestroyMixin,
    CallerViewSet,
):
    """Narratives about the caller's persons. A curation changes the person's mindscape."""

    queryset = Narrative.objects.all()
    serializer_class = NarrativeSerializer
    input_serializer_classes = {"partial_update": NarrativeUpdateSerializer}
    filterset_class = NarrativeFilter
    ordering_fields = ["created_at"]
    selector = staticmethod(narratives_of)
    writes = Writes.named(narratives, "narrative")

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Edit the curated text, tags or context; what was said stays as written."""
        return UpdateMixin.update(self, request, *args, partial=True, **kwargs)

    @extend_schema(
        parameters=[NarrativeSearchQuerySerializer],
        responses={
            200: SEARCH_RESPONSE,
            404: OpenApiResponse(description="The caller has no person with that id."),
        },
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
        result = narratives_search(
            person=person,
            query=params["q"],
            k=params["k"],
            narrative_type=params.get("type"),
            tags=_tags(params["tags"]) if params.get("tags") else None,
        )
        return Response(_search_body(result))


def _search_body(result: SearchResult) -> dict[str, Any]:
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
