"""Behaviour patterns of the caller (read-only): the six detected habits, each replaced by
the next detection of its type."""

from __future__ import annotations

from aurum.models import UserBehaviorPattern
from aurum.selectors.patterns import patterns_of
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerReadOnlyViewSet


class BehaviorPatternSerializer(ModelSerializer):
    class Meta:
        model = UserBehaviorPattern
        fields = ["id", "pattern_type", "pattern_data", "confidence_score", "sample_size",
                  "detected_at", "valid_until", "is_active", "created_at"]  # fmt: skip
        read_only_fields = fields


class BehaviorPatternViewSet(CallerReadOnlyViewSet):
    """The caller's detected patterns, newest first; ``?is_active=true`` for the current."""

    queryset = UserBehaviorPattern.objects.all()
    serializer_class = BehaviorPatternSerializer
    filterset_fields = ["pattern_type", "is_active"]
    ordering_fields = ["detected_at", "confidence_score"]
    selector = staticmethod(patterns_of)
