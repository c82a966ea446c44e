"""Fragments: research and inspiration attached to the caller's dreams (one or a list)."""

from django_filters import rest_framework as filters

from config.api.fields import JSONArrayField
from config.api.filters import FilterSet
from config.api.pagination import CursorPagination
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerModelViewSet, Writes
from dreamcatcher.api.fields import STAMPS, caller_dream_field
from dreamcatcher.models import Fragment
from dreamcatcher.selectors.dreams import fragment_list
from dreamcatcher.services import dreams


class FragmentSerializer(ModelSerializer):
    dream = caller_dream_field()
    features = JSONArrayField(required=False)
    code_snippets = JSONArrayField(required=False)

    class Meta:
        model = Fragment
        fields = ["id", "dream", "title", "content", "source", "url", "date", "features",
                  "code_snippets", *STAMPS]  # fmt: skip
        read_only_fields = ["id", *STAMPS]


class FragmentFilter(FilterSet):
    date_after = filters.IsoDateTimeFilter(field_name="date", lookup_expr="gte")
    date_before = filters.IsoDateTimeFilter(field_name="date", lookup_expr="lt")

    class Meta:
        model = Fragment
        fields = ["dream", "source", "date_after", "date_before"]


class FragmentViewSet(CallerModelViewSet):
    """Research and inspiration attached to the caller's dreams."""

    queryset = Fragment.objects.all()
    serializer_class = FragmentSerializer
    filterset_class = FragmentFilter
    search_fields = ["title", "content"]
    ordering_fields = ["date", "title"]
    pagination_class = CursorPagination
    cursor_ordering = "-date"
    selector = staticmethod(fragment_list)
    writes = Writes.named(dreams, "fragment")
