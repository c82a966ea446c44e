"""Persona analysis results: one row per user, rewritten by each analysis."""

import pgtrigger
from django.conf import settings
from django.db import models

from config.db import choices_check, created_at, schema_table, stamp_updated_at, updated_at
from dreamscape.choices import LifePhase
from dreamscape.models.base import SCHEMA, unit_interval


class UserPersona(models.Model):
    """What the five analysers concluded about a user, each part with its evidence."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="dreamscape_persona",
        editable=False,
    )
    technical_profile = models.JSONField(null=True, blank=True)
    lifestyle_profile = models.JSONField(null=True, blank=True)
    learning_style = models.JSONField(null=True, blank=True)
    life_phase = models.CharField(max_length=50, null=True, blank=True, choices=LifePhase)
    phase_confidence = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    interests_evolution = models.JSONField(null=True, blank=True)
    cross_domain_insights = models.JSONField(null=True, blank=True)
    last_analyzed_at = models.DateTimeField(null=True, blank=True)
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table(SCHEMA, "user_personas")
        ordering = ["-last_analyzed_at"]
        indexes = [
            models.Index("life_phase", name="idx_user_personas_life_phase"),
            models.Index("last_analyzed_at", name="idx_user_personas_last_analyzed"),
            models.Index("life_phase", "last_analyzed_at", name="idx_user_personas_compound"),
        ]
        constraints = [
            choices_check("life_phase", LifePhase, "user_personas_life_phase_valid"),
            unit_interval("phase_confidence", "user_personas_phase_confidence_range"),
        ]
        triggers: list[pgtrigger.Trigger] = [stamp_updated_at()]

    def __str__(self) -> str:
        return f"persona of {self.user_id}"
