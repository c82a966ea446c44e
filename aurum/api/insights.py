"""Insights: list and read the caller's HRM insights (each with its reasoning path), give
feedback, pin; every version of an entity's analysis stays readable."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from aurum.choices import InsightEntityType, InsightFeedback, InsightType
from aurum.models import Insight
from aurum.selectors.insights import insights_current, insights_of
from aurum.services.insights import insight_feedback, insight_pin
from config.api.fields import JSONObjectField
from config.api.filters import FilterSet
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerReadOnlyViewSet


class InsightSerializer(ModelSerializer):
    previous_version_id = serializers.UUIDField(read_only=True, allow_null=True)

    class Meta:
        model = Insight
        fields = ["id", "entity_type", "entity_id", "insight_type", "title", "summary",
                  "detailed_reasoning", "confidence_score", "impact_score", "reasoning_path",
                  "supporting_data", "llm_model_used", "user_feedback", "feedback_details",
                  "application_count", "is_active", "is_pinned", "expires_at", "tags",
                  "version", "previous_version_id", "created_at", "updated_at",
                  "last_accessed_at"]  # fmt: skip
        read_only_fields = fields


class InsightFeedbackSerializer(serializers.Serializer):
    feedback = serializers.ChoiceField(choices=InsightFeedback.choices)
    details = JSONObjectField(required=False, allow_null=True)


class InsightPinSerializer(serializers.Serializer):
    pinned = serializers.BooleanField()


class InsightFilter(FilterSet):
    current = filters.BooleanFilter(
        method="filter_current",
        help_text="true (the default): only live insights; false: every version.",
    )
    entity_type = filters.ChoiceFilter(choices=InsightEntityType.choices)
    insight_type = filters.ChoiceFilter(choices=InsightType.choices)
    entity_id = filters.UUIDFilter()

    class Meta:
        model = Insight
        fields = ["current", "entity_type", "insight_type", "entity_id", "is_pinned"]

    def filter_current(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        # Declared for validation and the schema; get_queryset applies it (and its default).
        return queryset


class InsightViewSet(CallerReadOnlyViewSet):
    """The caller's insights: live ones by default (``?current=false`` for every version)."""

    queryset = Insight.objects.all()
    serializer_class = InsightSerializer
    filterset_class = InsightFilter
    ordering_fields = ["created_at", "confidence_score", "impact_score"]
    ordering = ["-is_pinned", "-created_at"]

    def get_queryset(self) -> QuerySet[Insight]:
        if getattr(self, "swagger_fake_view", False):
            return Insight.objects.none()
        every = self.action != "list" or self.request.query_params.get("current") == "false"
        select = insights_of if every else insights_current
        return select(user=self.request.user).order_by(*self.ordering)

    @extend_schema(request=InsightFeedbackSerializer, responses=InsightSerializer)
    @action(detail=True, methods=["post"])
    def feedback(self, request: Request, pk: Any = None) -> Response:
        """Accept, reject, modify or ignore the insight; accepted and modified count as
        applied (``application_count``)."""
        body = InsightFeedbackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        insight = insight_feedback(
            insight=self.get_object(),
            feedback=body.validated_data["feedback"],
            details=body.validated_data.get("details"),
        )
        return self.answer(insight)

    @extend_schema(request=InsightPinSerializer, responses=InsightSerializer)
    @action(detail=True, methods=["post"])
    def pin(self, request: Request, pk: Any = None) -> Response:
        """Pin (kept past its expiry, listed first) or unpin the insight."""
        body = InsightPinSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.answer(
            insight_pin(insight=self.get_object(), pinned=body.validated_data["pinned"])
        )
