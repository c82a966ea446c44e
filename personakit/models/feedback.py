"""Feedback: ratings of a persona, or of one rule's suggestion in it."""

from django.db import models

from config.db import created_at, schema_table, uuid_id
from personakit.models.base import SCHEMA, created_by
from personakit.models.personas import Persona


class Feedback(models.Model):
    """A rating of a persona, or of one rule's suggestion in it."""

    id = uuid_id()
    persona = models.ForeignKey(
        Persona,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_index=False,
        related_name="feedback",
    )
    rating = models.IntegerField(blank=True, null=True)
    helpful = models.BooleanField(blank=True, null=True)
    context = models.JSONField(blank=True, null=True)
    rule_id = models.CharField(max_length=255, blank=True, null=True)
    mapper_version = models.IntegerField(blank=True, null=True)
    created_at = created_at()
    created_by = created_by("personakit_feedback")

    class Meta:
        db_table = schema_table(SCHEMA, "feedback")
        ordering = ["-created_at"]
        verbose_name_plural = "feedback"
        indexes = [
            models.Index(fields=["persona"], name="idx_feedback_persona"),
            models.Index(models.F("created_at").desc(), name="idx_feedback_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5) | models.Q(rating__isnull=True),
                name="feedback_rating_check",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ on {self.persona_id}"
