"""The seed's summaries for the caller: behaviour of the last 30 days, engagement."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.serializers import ModelSerializer
from config.api.viewsets import RowLevelSecurityMixin
from dreamscape.models import UserEngagementSummary
from dreamscape.selectors.behaviors import behavior_summary, engagement_for

SummaryRow = inline_serializer(
    "DreamscapeBehaviorSummaryRow",
    {
        "action_type": serializers.CharField(),
        "action_count": serializers.IntegerField(),
        "avg_duration": serializers.FloatField(allow_null=True),
        "unique_items": serializers.IntegerField(),
    },
    many=True,
)


class EngagementSerializer(ModelSerializer):
    class Meta:
        model = UserEngagementSummary
        exclude = ["user"]


@extend_schema(responses=SummaryRow)
class BehaviorSummaryView(RowLevelSecurityMixin, APIView):
    """Per action type over the last 30 days: count, mean duration, distinct items."""

    row_level_security = True

    def get(self, request: Request) -> Response:
        return Response(behavior_summary(user=request.user))


@extend_schema(responses=EngagementSerializer)
class EngagementView(APIView):
    """The caller's row of ``user_engagement_summary`` (90 days, as of its last refresh);
    zeros before the caller's first event is summarised."""

    def get(self, request: Request) -> Response:
        row = engagement_for(user=request.user) or UserEngagementSummary(
            user=request.user, total_actions=0, unique_items=0, active_days=0
        )
        return Response(EngagementSerializer(row).data)
