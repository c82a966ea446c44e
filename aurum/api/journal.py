"""Journal entries (DELETE archives; restore brings back) and daily reflections
(``PUT /reflections/{date}`` creates or replaces the day's reflection)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from aurum.api.base import ArchivableFilter, ArchivableViewSet
from aurum.choices import Mood
from aurum.models import DailyReflection, JournalEntry
from aurum.selectors.journal import journal_entry_list, reflection_list
from aurum.services import journal, reflections
from config.api.filters import FilterSet
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerViewSet, DestroyMixin, Writes

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ID_OR_DATE = (
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\d{4}-\d{2}-\d{2}"
)


class JournalEntrySerializer(ModelSerializer):
    class Meta:
        model = JournalEntry
        fields = ["id", "title", "content", "mood", "energy_level", "tags", "entry_date",
                  "sentiment_score", "ai_insights_generated", "embedding_model",
                  "embedding_updated_at", "archived", "archived_at", "created_at",
                  "updated_at"]  # fmt: skip
        read_only_fields = ["id", "sentiment_score", "ai_insights_generated", "embedding_model",
                            "embedding_updated_at", "archived", "archived_at", "created_at",
                            "updated_at"]  # fmt: skip
        extra_kwargs = {"energy_level": {"min_value": 1, "max_value": 10}}


class JournalEntryFilter(ArchivableFilter):
    mood = filters.MultipleChoiceFilter(choices=Mood.choices)
    after = filters.DateFilter(field_name="entry_date", lookup_expr="gte")
    before = filters.DateFilter(field_name="entry_date", lookup_expr="lt")
    tag = filters.CharFilter(field_name="tags", lookup_expr="contains", method="filter_tag")

    class Meta:
        model = JournalEntry
        fields = ["mood", "after", "before", "tag", "archived"]

    def filter_tag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(tags__contains=[value])


class JournalEntryViewSet(ArchivableViewSet):
    """The caller's journal; each entry's sentiment in [-1, 1] is scored from its text."""

    queryset = JournalEntry.objects.all()
    serializer_class = JournalEntrySerializer
    filterset_class = JournalEntryFilter
    search_fields = ["title", "content"]
    ordering_fields = ["entry_date", "created_at", "updated_at", "sentiment_score"]
    selector = staticmethod(journal_entry_list)
    writes = Writes.named(journal, "journal_entry")


class ReflectionSerializer(ModelSerializer):
    class Meta:
        model = DailyReflection
        fields = ["id", "reflection_date", "reflection_text", "completion_score", "mood",
                  "energy_level", "biggest_accomplishment", "challenges_faced", "tomorrow_focus",
                  "gratitude_notes", "lessons_learned", "tasks_completed_count",
                  "focus_time_minutes", "productivity_score", "alignment_score",
                  "embedding_model", "embedding_updated_at", "created_at",
                  "updated_at"]  # fmt: skip
        read_only_fields = ["id", "reflection_date", "tasks_completed_count",
                            "focus_time_minutes", "alignment_score", "embedding_model",
                            "embedding_updated_at", "created_at", "updated_at"]  # fmt: skip
        extra_kwargs = {
            "completion_score": {"min_value": 1, "max_value": 10},
            "energy_level": {"min_value": 1, "max_value": 10},
            "productivity_score": {"min_value": 1, "max_value": 10},
        }


class ReflectionFilter(FilterSet):
    mood = filters.MultipleChoiceFilter(choices=Mood.choices)
    after = filters.DateFilter(field_name="reflection_date", lookup_expr="gte")
    before = filters.DateFilter(field_name="reflection_date", lookup_expr="lt")

    class Meta:
        model = DailyReflection
        fields = ["mood", "after", "before"]


_ID_OR_DATE = OpenApiParameter(
    "pk",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The reflection's id, or its day (YYYY-MM-DD).",
)


@extend_schema_view(
    retrieve=extend_schema(parameters=[_ID_OR_DATE]),
    destroy=extend_schema(parameters=[_ID_OR_DATE]),
    update=extend_schema(
        parameters=[_ID_OR_DATE],
        responses={200: ReflectionSerializer, 201: ReflectionSerializer},
        description="Create (201) or replace (200) the day's reflection; fields not sent are "
        "cleared. tasks_completed_count, focus_time_minutes and alignment_score come from "
        "that day's tasks and time. A reflection the day after the last one extends the "
        "streak; otherwise it restarts at 1.",
    ),
)
class ReflectionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, DestroyMixin, CallerViewSet
):
    """The caller's daily reflections, one per day, addressed by id or by day."""

    queryset = DailyReflection.objects.all()
    serializer_class = ReflectionSerializer
    filterset_class = ReflectionFilter
    search_fields = ["reflection_text", "biggest_accomplishment", "challenges_faced"]
    ordering_fields = ["reflection_date", "created_at", "productivity_score", "energy_level"]
    lookup_value_regex = ID_OR_DATE
    selector = staticmethod(reflection_list)
    writes = Writes(
        row="reflection",
        update=reflections.reflection_update,
        delete=reflections.reflection_delete,
    )

    def get_object(self) -> DailyReflection:
        key = self.kwargs[self.lookup_field]
        if DATE.fullmatch(key):
            self.kwargs = {**self.kwargs, "reflection_date": _day(key)}
            self.lookup_field = "reflection_date"
        return super().get_object()

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = self.kwargs[self.lookup_field]
        day = _day(key) if DATE.fullmatch(key) else self.get_object().reflection_date
        body = ReflectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row, created = reflections.reflection_put(
            user=request.user, day=day, data=body.validated_data
        )
        return self.answer(row, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise exceptions.NotFound(f"{value} is not a day.") from None
