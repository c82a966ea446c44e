"""The caller's suggestions: active ones by default (the seed's query); dismiss or act."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.filters import FilterSet
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerReadOnlyViewSet
from dreamscape.models import DreamscapeSuggestion
from dreamscape.selectors.insights import suggestion_list
from dreamscape.services.suggestions import active_suggestions, suggestion_act, suggestion_dismiss


class SuggestionSerializer(ModelSerializer):
    class Meta:
        model = DreamscapeSuggestion
        exclude = ["user"]


class SuggestionFilter(FilterSet):
    state = filters.ChoiceFilter(
        choices=[("active", "active"), ("all", "all")],
        method="filter_state",
        help_text="active (default): not dismissed, not expired; all: every suggestion.",
    )

    class Meta:
        model = DreamscapeSuggestion
        fields = ["suggestion_type", "is_acted_upon", "state"]

    def filter_state(self, queryset, name, value):
        return queryset  # applied by the viewset, which must know when it is absent


class SuggestionViewSet(CallerReadOnlyViewSet):
    """Suggestions by priority; ``?state=all`` includes dismissed and expired ones."""

    queryset = DreamscapeSuggestion.objects.all()
    serializer_class = SuggestionSerializer
    filterset_class = SuggestionFilter
    ordering_fields = ["priority_score", "created_at", "expires_at"]
    selector = staticmethod(suggestion_list)

    def get_queryset(self):
        rows = super().get_queryset()
        if self.action == "list" and self.request.query_params.get("state") != "all":
            return rows.filter(pk__in=active_suggestions(user=self.request.user).values("pk"))
        return rows

    @extend_schema(request=None, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str) -> Response:
        """No longer show this suggestion."""
        return Response(
            self.serializer_class(suggestion_dismiss(suggestion=self.get_object())).data
        )

    @extend_schema(request=None, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def act(self, request: Request, pk: str) -> Response:
        """Record that the caller acted on this suggestion."""
        return Response(self.serializer_class(suggestion_act(suggestion=self.get_object())).data)
