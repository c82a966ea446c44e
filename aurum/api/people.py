"""The caller's profile (read, and change preferences) and stats (read)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aurum.models import UserProfile, UserStats
from aurum.services.people import profile_of, profile_update, stats_of
from config.api.fields import JSONObjectField
from config.api.serializers import ModelSerializer
from config.api.viewsets import RowLevelSecurityMixin


class ProfileSerializer(ModelSerializer):
    preferred_working_hours = JSONObjectField(required=False)

    class Meta:
        model = UserProfile
        fields = ["id", "display_name", "user_tier", "timezone", "preferred_working_hours",
                  "monthly_alignment_goal", "ai_onboarding_completed", "ai_features_enabled",
                  "current_streak", "longest_streak", "last_reflection_date",
                  "total_focus_hours", "average_daily_completion_rate", "last_activity_at",
                  "created_at", "updated_at"]  # fmt: skip
        read_only_fields = ["id", "user_tier", "current_streak", "longest_streak",
                            "last_reflection_date", "total_focus_hours",
                            "average_daily_completion_rate", "last_activity_at", "created_at",
                            "updated_at"]  # fmt: skip
        extra_kwargs = {"monthly_alignment_goal": {"min_value": 1}}

    def validate_timezone(self, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise serializers.ValidationError(f"Unknown time zone {value!r}.") from None
        return value


class StatsSerializer(ModelSerializer):
    class Meta:
        model = UserStats
        exclude = ["user"]
        read_only_fields = [field.name for field in UserStats._meta.fields]


class ProfileView(RowLevelSecurityMixin, APIView):
    """The caller's Aurum profile: tier, time zone, working hours, streaks, alignment goal."""

    row_level_security = True

    @extend_schema(responses=ProfileSerializer)
    def get(self, request: Request) -> Response:
        return Response(ProfileSerializer(profile_of(user=request.user)).data)

    @extend_schema(request=ProfileSerializer, responses=ProfileSerializer)
    def patch(self, request: Request) -> Response:
        profile = profile_of(user=request.user)
        body = ProfileSerializer(profile, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        profile = profile_update(profile=profile, user=request.user, data=body.validated_data)
        return Response(ProfileSerializer(profile).data)


class StatsView(RowLevelSecurityMixin, APIView):
    """The caller's running counters (tasks, focus time, streak-free momentum, AI use)."""

    row_level_security = True

    @extend_schema(responses=StatsSerializer)
    def get(self, request: Request) -> Response:
        return Response(StatsSerializer(stats_of(user=request.user)).data)
