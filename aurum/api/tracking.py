"""Time entries (manual ones, and a timer: ``POST …/start``, ``POST …/stop``, ``GET …/running``)
and the caller's audit trail (read-only)."""

from __future__ import annotations

from typing import Any

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from aurum.choices import ActivityType, AuditAction, TimeEntityType
from aurum.models import AuditLog, TimeEntry
from aurum.selectors.tracking import audit_trail, running_timer, time_entry_list
from aurum.services import tracking
from config.api.filters import FilterSet
from config.api.pagination import CursorPagination
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerModelViewSet, CallerReadOnlyViewSet, Writes

RATING = {"min_value": 1, "max_value": 10}


class TimeEntrySerializer(ModelSerializer):
    class Meta:
        model = TimeEntry
        fields = ["id", "entity_type", "entity_id", "start_time", "end_time", "duration_minutes",
                  "is_active", "activity_type", "energy_level", "productivity_rating", "notes",
                  "created_at", "updated_at"]  # fmt: skip
        read_only_fields = ["id", "duration_minutes", "is_active", "created_at", "updated_at"]
        extra_kwargs = {"energy_level": RATING, "productivity_rating": RATING}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("start_time", getattr(self.instance, "start_time", None))
        end = attrs.get("end_time", getattr(self.instance, "end_time", None))
        if start is not None and end is not None and end <= start:
            raise serializers.ValidationError(
                {"end_time": "The end must come after the start."}, code="end_before_start"
            )
        return attrs


class RunningTimerSerializer(serializers.Serializer):
    running = serializers.BooleanField()
    entry = TimeEntrySerializer(allow_null=True)


class TimerStartSerializer(serializers.Serializer):
    entity_type = serializers.ChoiceField(choices=TimeEntityType.choices)
    entity_id = serializers.UUIDField()
    activity_type = serializers.ChoiceField(choices=ActivityType.choices, required=False)
    energy_level = serializers.IntegerField(required=False, **RATING)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class TimerStopSerializer(serializers.Serializer):
    productivity_rating = serializers.IntegerField(required=False, **RATING)
    energy_level = serializers.IntegerField(required=False, **RATING)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class TimeEntryFilter(FilterSet):
    entity_type = filters.ChoiceFilter(choices=TimeEntityType.choices)
    activity_type = filters.MultipleChoiceFilter(choices=ActivityType.choices)
    started_after = filters.IsoDateTimeFilter(field_name="start_time", lookup_expr="gte")
    started_before = filters.IsoDateTimeFilter(field_name="start_time", lookup_expr="lt")

    class Meta:
        model = TimeEntry
        fields = ["entity_type", "entity_id", "activity_type", "is_active", "started_after",
                  "started_before"]  # fmt: skip


class TimeEntryViewSet(CallerModelViewSet):
    """The caller's time. An entry without ``end_time`` is the running timer (one at most);
    closed entries roll up into their task's and project's time."""

    queryset = TimeEntry.objects.all()
    serializer_class = TimeEntrySerializer
    filterset_class = TimeEntryFilter
    ordering_fields = ["start_time", "created_at"]
    pagination_class = CursorPagination
    cursor_ordering = "-start_time"
    selector = staticmethod(time_entry_list)
    writes = Writes.named(tracking, "time_entry")

    @extend_schema(request=TimerStartSerializer, responses={201: TimeEntrySerializer})
    @action(detail=False, methods=["post"])
    def start(self, request: Request) -> Response:
        """Start a timer on one of the caller's tasks, projects, areas or pillars (400 on
        ``end_time`` while another runs)."""
        body = TimerStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = tracking.timer_start(user=request.user, **body.validated_data)
        return self.answer(entry, status=status.HTTP_201_CREATED)

    @extend_schema(request=TimerStopSerializer, responses={200: TimeEntrySerializer})
    @action(detail=False, methods=["post"])
    def stop(self, request: Request) -> Response:
        """Stop the running timer (400 ``no_timer`` on ``end_time`` when none runs)."""
        body = TimerStopSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.answer(tracking.timer_stop(user=request.user, **body.validated_data))

    @extend_schema(responses={200: RunningTimerSerializer})
    @action(detail=False, methods=["get"])
    def running(self, request: Request) -> Response:
        """Whether a timer runs, and its entry (null when none)."""
        entry = running_timer(user=request.user)
        body = {"running": entry is not None, "entry": entry}
        return Response(RunningTimerSerializer(body, context=self.get_serializer_context()).data)


class AuditLogSerializer(ModelSerializer):
    class Meta:
        model = AuditLog
        fields = ["id", "action", "entity_type", "entity_id", "old_values", "new_values",
                  "ip_address", "user_agent", "created_at"]  # fmt: skip
        read_only_fields = fields


class AuditLogFilter(FilterSet):
    action = filters.MultipleChoiceFilter(choices=AuditAction.choices)
    after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    before = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = AuditLog
        fields = ["action", "entity_type", "entity_id", "after", "before"]


class AuditLogViewSet(CallerReadOnlyViewSet):
    """The caller's audit trail: every create, update, archive, restore and delete of their
    hierarchy and journal, with the changed values and the request's address (read-only)."""

    queryset = AuditLog.objects.all()
    serializer_class = AuditLogSerializer
    filterset_class = AuditLogFilter
    pagination_class = CursorPagination
    cursor_ordering = "-created_at"
    selector = staticmethod(audit_trail)
