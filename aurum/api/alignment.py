"""``GET /alignment-points``: points from completed projects against the monthly goal."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aurum.selectors.scoring import alignment_points
from config.api.viewsets import RowLevelSecurityMixin


class AlignmentProjectSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    completed_at = serializers.DateTimeField()
    points = serializers.IntegerField()


class AlignmentPointsSerializer(serializers.Serializer):
    weekly_points = serializers.IntegerField()
    monthly_points = serializers.IntegerField()
    total_points = serializers.IntegerField()
    monthly_goal = serializers.IntegerField()
    monthly_goal_progress = serializers.FloatField(help_text="Monthly points over the goal, 0-1.")
    week_start = serializers.DateField()
    month_start = serializers.DateField()
    projects_this_month = AlignmentProjectSerializer(many=True)


@extend_schema(responses=AlignmentPointsSerializer)
class AlignmentPointsView(RowLevelSecurityMixin, APIView):
    """A completed project earns 50, +25 if its priority is high, +50 if its area's importance
    is 5; sums this week (from Monday), this month and ever, against the profile's goal."""

    row_level_security = True

    def get(self, request: Request) -> Response:
        return Response(AlignmentPointsSerializer(alignment_points(user=request.user)).data)
