"""The AI model catalogue: which models dreams are tested against, and what they cost."""

from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

from config.db import choices_check, created_at, schema_table, stamp_updated_at
from dreamshot.choices import AiProvider
from dreamshot.models.base import SCHEMA, cuid_id

HEURISTIC_PROVIDER = AiProvider.LOCAL


class AiModel(models.Model):
    """One model of one provider. Tokens are priced per thousand: input tokens at
    ``cost_per_1k_tokens``, output tokens at ``output_cost_per_1k_tokens`` where the provider
    prices them differently (empty: the same price)."""

    id = cuid_id()
    provider = models.CharField(max_length=20, choices=AiProvider)
    name = models.CharField(max_length=100, help_text="The model name sent to the provider.")
    display_name = models.CharField(max_length=255)
    max_tokens = models.PositiveIntegerField(default=1024, db_default=1024)
    cost_per_1k_tokens = models.DecimalField(
        max_digits=10, decimal_places=6, default=Decimal(0), db_default=Decimal(0)
    )
    output_cost_per_1k_tokens = models.DecimalField(
        max_digits=10,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="Price of 1k output tokens where it differs from the input price.",
    )
    is_active = models.BooleanField(default=True, db_default=True)
    capabilities = ArrayField(
        models.CharField(max_length=50), default=list, db_default=[], blank=True, size=20
    )
    chat_provider = models.CharField(
        max_length=50,
        blank=True,
        default="",
        db_default="",
        help_text="The CHAT_PROVIDERS entry that serves this model (an OpenAI-compatible or "
        "Anthropic API); empty: the provider's name in lower case. A LOCAL model without one "
        "is the offline heuristic.",
    )
    created_at = created_at()
    updated_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)

    class Meta:
        db_table = schema_table(SCHEMA, "ai_models")
        ordering = ["provider", "name"]
        indexes = [
            models.Index(
                fields=["provider", "name"],
                name="idx_models_active",
                condition=models.Q(is_active=True),
            ),
            GinIndex(fields=["capabilities"], name="idx_models_capabilities_gin"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "name"], name="ai_models_provider_name_key"
            ),
            choices_check("provider", AiProvider, "ai_models_provider_valid"),
            models.CheckConstraint(
                condition=models.Q(cost_per_1k_tokens__gte=0)
                & (
                    models.Q(output_cost_per_1k_tokens__isnull=True)
                    | models.Q(output_cost_per_1k_tokens__gte=0)
                ),
                name="ai_models_prices_not_negative",
            ),
        ]
        triggers = [stamp_updated_at()]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_heuristic(self) -> bool:
        """The offline, deterministic heuristic rather than a remote model."""
        return self.provider == HEURISTIC_PROVIDER and not self.chat_provider

    @property
    def output_price(self) -> Decimal:
        if self.output_cost_per_1k_tokens is None:
            return self.cost_per_1k_tokens
        return self.output_cost_per_1k_tokens
