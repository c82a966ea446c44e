"""Shapes shared by Dreamshot's resources."""

from __future__ import annotations

from rest_framework import serializers

from config.api.serializers import ModelSerializer
from dreamshot.models import AiModel, AiTest, BudgetAlert, ProgressLog


def money(**kwargs: object) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=12, decimal_places=6, coerce_to_string=False, **kwargs
    )


def score(**kwargs: object) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=False, **kwargs
    )


class AiTestSerializer(ModelSerializer):
    class Meta:
        model = AiTest
        exclude = ["user"]
        read_only_fields = [field.name for field in AiTest._meta.fields]


class ProgressLogSerializer(ModelSerializer):
    class Meta:
        model = ProgressLog
        exclude = ["user"]
        read_only_fields = [field.name for field in ProgressLog._meta.fields]


class AiModelSerializer(ModelSerializer):
    is_heuristic = serializers.BooleanField(
        read_only=True, help_text="The offline, deterministic heuristic, not an AI model."
    )

    class Meta:
        model = AiModel
        fields = ["id", "provider", "name", "display_name", "max_tokens",
                  "cost_per_1k_tokens", "output_cost_per_1k_tokens", "is_active",
                  "capabilities", "is_heuristic"]  # fmt: skip
        read_only_fields = fields


class BudgetAlertSerializer(ModelSerializer):
    class Meta:
        model = BudgetAlert
        exclude = ["user"]
        read_only_fields = [field.name for field in BudgetAlert._meta.fields]
