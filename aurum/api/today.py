"""``GET /today``: the caller's open tasks in today's order, each with its breakdown."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aurum.selectors.scoring import today_priorities
from config.api.viewsets import RowLevelSecurityMixin


class TodayQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)


class TodayComponentSerializer(serializers.Serializer):
    name = serializers.CharField()
    points = serializers.FloatField()
    reason = serializers.CharField()


class TodayTaskSerializer(serializers.Serializer):
    task_id = serializers.UUIDField(source="task.pk")
    name = serializers.CharField(source="task.name")
    status = serializers.CharField(source="task.status")
    priority = serializers.CharField(source="task.priority")
    due_date = serializers.DateTimeField(source="task.due_date", allow_null=True)
    project_id = serializers.UUIDField(source="task.project_id")
    hrm_priority_score = serializers.DecimalField(
        source="task.hrm_priority_score", max_digits=3, decimal_places=2, allow_null=True
    )
    total = serializers.FloatField(source="priority.total")
    breakdown = TodayComponentSerializer(source="priority.components", many=True)
    reasons = serializers.ListField(source="priority.reasons", child=serializers.CharField())


class TodaySerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = TodayTaskSerializer(many=True)


@extend_schema(parameters=[TodayQuerySerializer], responses=TodaySerializer)
class TodayView(RowLevelSecurityMixin, APIView):
    """Today's priorities: for each open task, overdue 100 or due today 80, + high priority
    30, + project importance ≥ 4: 50, + area importance ≥ 4: 25, + ready (nothing it depends
    on is open) 60; highest first, each with its components and reasons."""

    row_level_security = True

    def get(self, request: Request) -> Response:
        query = TodayQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        ranked = today_priorities(user=request.user, limit=query.validated_data["limit"])
        return Response(TodaySerializer({"count": len(ranked), "results": ranked}).data)
