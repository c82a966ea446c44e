"""Learning profiles: progression per skill area."""

import pgtrigger
from django.db import models

from config.db import (
    choices_check,
    created_at,
    owner,
    schema_table,
    stamp_updated_at,
    updated_at,
    uuid_id,
)
from dreamscape.choices import SkillLevel
from dreamscape.models.base import SCHEMA, unit_interval


class LearningProfile(models.Model):
    """A user's progress in one skill area (one row per area)."""

    id = uuid_id()
    user = owner("dreamscape_learning_profiles")
    skill_area = models.CharField(max_length=100)
    current_level = models.CharField(max_length=50, null=True, blank=True, choices=SkillLevel)
    progression_data = models.JSONField(null=True, blank=True)
    learning_velocity = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    last_activity = models.DateTimeField(null=True, blank=True)
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table(SCHEMA, "learning_profiles")
        ordering = ["-learning_velocity", "skill_area"]
        indexes = [
            models.Index("user", name="idx_learning_profiles_user_id"),
            models.Index("skill_area", name="idx_learning_profiles_skill_area"),
            models.Index("learning_velocity", name="idx_learning_profiles_learning_velocity"),
        ]
        constraints = [
            models.UniqueConstraint("user", "skill_area", name="learning_profiles_user_skill_area"),
            choices_check("current_level", SkillLevel, "learning_profiles_level_valid"),
            unit_interval("learning_velocity", "learning_profiles_velocity_range"),
        ]
        triggers: list[pgtrigger.Trigger] = [stamp_updated_at()]

    def __str__(self) -> str:
        return f"{self.skill_area} ({self.current_level or 'unrated'})"
