"""``GET /statistics``: a day's, week's or month's statistics of the caller, from the cache
(computed and stored on a miss)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aurum.choices import StatType
from aurum.models import UserStatisticsCache
from aurum.selectors.scoring import clock_of
from aurum.selectors.statistics import statistics_read
from config.api.fields import JSONObjectField
from config.api.serializers import ModelSerializer
from config.api.viewsets import RowLevelSecurityMixin


class StatisticsQuerySerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=StatType.choices, default=StatType.DAILY)
    date = serializers.DateField(
        required=False, help_text="A day in the period; today (the caller's) by default."
    )


class StatisticsSerializer(ModelSerializer):
    pillar_stats = JSONObjectField()
    area_stats = JSONObjectField()
    project_stats = JSONObjectField()
    task_stats = JSONObjectField()
    time_allocation = JSONObjectField()
    productivity_metrics = JSONObjectField()
    cached = serializers.BooleanField(help_text="Read from the cache, not computed now.")

    class Meta:
        model = UserStatisticsCache
        fields = ["stat_date", "stat_type", "pillar_stats", "area_stats", "project_stats",
                  "task_stats", "time_allocation", "productivity_metrics", "cached",
                  "updated_at"]  # fmt: skip
        read_only_fields = fields


@extend_schema(parameters=[StatisticsQuerySerializer], responses=StatisticsSerializer)
class StatisticsView(RowLevelSecurityMixin, APIView):
    """The statistics of the day, week (from Monday) or month holding ``date``, in the
    caller's time zone: tasks, time by pillar and activity, completion, focus, writing and
    alignment points. Future periods are refused."""

    row_level_security = True

    def get(self, request: Request) -> Response:
        query = StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("date")
        if day is not None and day > clock_of(user=request.user).today:
            raise serializers.ValidationError({"date": ["Statistics exist up to today."]})
        row, cached = statistics_read(
            user=request.user, stat_type=query.validated_data["type"], day=day
        )
        row.cached = cached
        return Response(StatisticsSerializer(row).data)
