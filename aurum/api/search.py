"""``GET /search?q=``: the caller's journal entries, tasks, projects, reflections and
conversation memory, ranked together by meaning."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aurum.selectors.search import ENTITY_TYPES, life_search
from config.api.fields import StrictCharField
from config.api.viewsets import RowLevelSecurityMixin
from config.embeddings import get_provider


class SearchQuerySerializer(serializers.Serializer):
    q = StrictCharField(max_length=2000, help_text="What to look for, in any words.")
    k = serializers.IntegerField(min_value=1, max_value=100, default=10)
    types = serializers.MultipleChoiceField(
        choices=ENTITY_TYPES, required=False, help_text="Only these entity types (repeatable)."
    )


class SearchHitSerializer(serializers.Serializer):
    entity_type = serializers.ChoiceField(choices=ENTITY_TYPES)
    id = serializers.UUIDField(source="entity_id")
    title = serializers.CharField()
    snippet = serializers.CharField()
    score = serializers.FloatField(help_text="Cosine similarity to the query, 1 at most.")


class SearchSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    k = serializers.IntegerField()
    exhaustive = serializers.BooleanField(help_text="Fewer than k matched: these are all.")
    embedding_model = serializers.CharField()
    note = serializers.CharField(required=False)
    results = SearchHitSerializer(many=True)


@extend_schema(parameters=[SearchQuerySerializer], responses=SearchSerializer)
class SearchView(RowLevelSecurityMixin, APIView):
    """The ``k`` items of the caller's life nearest in meaning to ``q``; archived rows and
    archived conversation memory never match. Rows not yet embedded by the current model are
    not searchable (the backfill embeds them)."""

    row_level_security = True

    def get(self, request: Request) -> Response:
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        result = life_search(
            user=request.user,
            query=params["q"],
            k=params["k"],
            entity_types=tuple(params.get("types") or ()),
        )
        body = {
            "count": len(result.items),
            "k": result.k,
            "exhaustive": result.exhaustive,
            "embedding_model": get_provider().model_name,
            "results": result.items,
        }
        if result.exhaustive:
            body["note"] = (
                f"Only {len(result.items)} item(s) match, fewer than the {result.k} asked for."
            )
        return Response(SearchSerializer(body).data)
