"""The caller's tests and snapshots (read-only: the engine writes them)."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from config.api.filters import FilterSet
from config.api.pagination import CursorPagination
from config.api.viewsets import CallerReadOnlyViewSet
from dreamshot.api.serializers import AiTestSerializer, ProgressLogSerializer
from dreamshot.choices import AiProvider, TestStatus
from dreamshot.models import AiTest, ProgressLog
from dreamshot.selectors.dreams import ai_test_list, progress_log_list


class AiTestFilter(FilterSet):
    dream = filters.CharFilter(field_name="dream_id", help_text="A dream's id.")
    batch = filters.CharFilter(method="filter_batch", help_text="A batch id from POST tests.")
    status = filters.MultipleChoiceFilter(choices=TestStatus.choices)
    provider = filters.MultipleChoiceFilter(choices=AiProvider.choices)
    model = filters.CharFilter()

    class Meta:
        model = AiTest
        fields = ["dream", "batch", "status", "provider", "model"]

    def filter_batch(self, queryset: QuerySet[AiTest], name: str, value: str) -> QuerySet[AiTest]:
        return queryset.filter(metadata__batch=value)


class AiTestViewSet(CallerReadOnlyViewSet):
    """The caller's tests, newest first."""

    queryset = AiTest.objects.all()
    serializer_class = AiTestSerializer
    filterset_class = AiTestFilter
    pagination_class = CursorPagination
    cursor_ordering = "-created_at"
    ordering_fields = ["created_at"]
    selector = staticmethod(ai_test_list)


class ProgressLogFilter(FilterSet):
    dream = filters.CharFilter(field_name="dream_id", help_text="A dream's id.")

    class Meta:
        model = ProgressLog
        fields = ["dream"]


class ProgressLogViewSet(CallerReadOnlyViewSet):
    """The caller's progress snapshots, newest first."""

    queryset = ProgressLog.objects.all()
    serializer_class = ProgressLogSerializer
    filterset_class = ProgressLogFilter
    pagination_class = CursorPagination
    cursor_ordering = "-created_at"
    ordering_fields = ["created_at"]
    selector = staticmethod(progress_log_list)
