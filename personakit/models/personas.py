"""Personas generated from a mindscape by a mapper, and the narratives that shaped them."""

from django.db import models

from config.db import created_at, schema_table, uuid_id
from personakit.models.base import SCHEMA, created_by, person_link
from personakit.models.mappers import MapperConfig


class Persona(models.Model):
    """A generated persona of a person; expired ones stay for analytics, marked expired."""

    id = uuid_id()
    person = person_link("personas")
    mapper = models.ForeignKey(
        MapperConfig,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_column="mapper_id",
        related_name="personas",
    )
    mapper_config_id = models.CharField(max_length=255, blank=True, null=True)
    mapper_version = models.IntegerField(blank=True, null=True)
    core = models.JSONField()
    overlay = models.JSONField(blank=True, null=True)
    metadata = models.JSONField(blank=True, null=True)
    created_at = created_at()
    expires_at = models.DateTimeField(blank=True, null=True)
    is_expired = models.BooleanField(default=False, db_default=False)
    created_by = created_by("personakit_personas")

    class Meta:
        db_table = schema_table(SCHEMA, "personas")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["person"], name="idx_personas_person"),
            models.Index(fields=["expires_at"], name="idx_personas_expires"),
        ]

    def __str__(self) -> str:
        return f"persona of {self.person_id} ({self.mapper_config_id} v{self.mapper_version})"


class PersonaNarrativeUsage(models.Model):
    """A narrative that shaped a persona, and how relevant it was."""

    id = uuid_id()
    persona = models.ForeignKey(Persona, on_delete=models.CASCADE, related_name="narrative_usage")
    narrative = models.ForeignKey(
        "personakit.Narrative", on_delete=models.CASCADE, related_name="persona_usage"
    )
    usage_type = models.CharField(max_length=50)
    relevance_score = models.FloatField(blank=True, null=True)
    usage_context = models.JSONField(blank=True, null=True)
    created_at = created_at()

    class Meta:
        db_table = schema_table(SCHEMA, "persona_narrative_usage")
        ordering = ["-relevance_score"]

    def __str__(self) -> str:
        return f"{self.usage_type} {self.narrative_id} → {self.persona_id}"
