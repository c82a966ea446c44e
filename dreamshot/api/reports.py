"""The seed's queries as reports: the caller's dashboard, categories and spend; the model
comparison (aggregates over everyone, no owner data); staff-only token usage and budget
alerts."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.viewsets import RowLevelSecurityMixin
from dreamshot.api.serializers import BudgetAlertSerializer, money, score
from dreamshot.selectors import analytics


class DashboardDreamSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField()
    created_at = serializers.DateTimeField()
    average_impossibility = score(allow_null=True, help_text="The latest snapshot's.")
    improvement_trend = score(allow_null=True, help_text="% drop since the snapshot before.")
    test_count = serializers.IntegerField()


class ModelSpendSerializer(serializers.Serializer):
    provider = serializers.CharField()
    model = serializers.CharField()
    total_tokens = serializers.IntegerField(allow_null=True)
    total_cost = money(allow_null=True)
    test_count = serializers.IntegerField()


class SpendSerializer(serializers.Serializer):
    month = serializers.DateField()
    monthly_spend = money()
    alert_threshold = money()
    hard_cap = money(allow_null=True)
    models = ModelSpendSerializer(many=True)
    alerts = BudgetAlertSerializer(many=True)


class DashboardSerializer(serializers.Serializer):
    dreams = DashboardDreamSerializer(many=True)
    spend = SpendSerializer()


class ModelComparisonSerializer(serializers.Serializer):
    provider = serializers.CharField()
    model = serializers.CharField()
    avg_impossibility = score()
    avg_confidence = score(allow_null=True)
    avg_duration_ms = serializers.FloatField(allow_null=True)
    test_count = serializers.IntegerField()


class CategorySerializer(serializers.Serializer):
    category = serializers.CharField()
    dream_count = serializers.IntegerField()
    avg_impossibility = score()
    total_tests = serializers.IntegerField()


class TokenUsageSerializer(serializers.Serializer):
    email = serializers.CharField(source="user__email")
    provider = serializers.CharField()
    model = serializers.CharField()
    total_tokens = serializers.IntegerField(allow_null=True)
    total_cost = money(allow_null=True)


class OverBudgetSerializer(serializers.Serializer):
    user_id = serializers.UUIDField()
    email = serializers.CharField()
    monthly_spend = money()
    alert_threshold = money()
    hard_cap = money(allow_null=True)
    alerted_at = serializers.DateTimeField(allow_null=True)


class CallerReport(RowLevelSecurityMixin, APIView):
    row_level_security = True


@extend_schema(responses=DashboardSerializer)
class DashboardView(CallerReport):
    """Query 1: your 20 latest active dreams with their latest average and trend, and your
    spend this month with any budget alerts."""

    def get(self, request: Request) -> Response:
        answer = {"dreams": analytics.dashboard(user=request.user),
                  "spend": analytics.spend(user=request.user)}  # fmt: skip
        return Response(DashboardSerializer(answer).data)


@extend_schema(responses=ModelComparisonSerializer(many=True))
class ModelComparisonView(APIView):
    """Query 3: each model's average impossibility, confidence and duration over the last 7
    days of everyone's completed tests (aggregates only), most optimistic first."""

    def get(self, request: Request) -> Response:
        return Response(ModelComparisonSerializer(analytics.model_comparison(), many=True).data)


@extend_schema(responses=CategorySerializer(many=True))
class CategoryAnalysisView(CallerReport):
    """Query 4: per category of your active dreams, how impossible and how often tested."""

    def get(self, request: Request) -> Response:
        rows = analytics.category_analysis(user=request.user)
        return Response(CategorySerializer(rows, many=True).data)


@extend_schema(responses=SpendSerializer)
class SpendView(CallerReport):
    """Your spend this month per model, against your budget, with your alerts."""

    def get(self, request: Request) -> Response:
        return Response(SpendSerializer(analytics.spend(user=request.user)).data)


@extend_schema(responses=TokenUsageSerializer(many=True))
class TokenUsageView(APIView):
    """Staff: tokens and cost per user and model over the last 30 days."""

    permission_classes = [IsAdminUser]

    def get(self, request: Request) -> Response:
        return Response(TokenUsageSerializer(analytics.token_usage(), many=True).data)


@extend_schema(responses=OverBudgetSerializer(many=True))
class BudgetAlertsView(APIView):
    """Staff: users whose spend this month passed their alert threshold."""

    permission_classes = [IsAdminUser]

    def get(self, request: Request) -> Response:
        return Response(OverBudgetSerializer(analytics.users_over_budget(), many=True).data)
