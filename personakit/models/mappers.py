"""Versioned mapper configs, the personas they generate, and feedback on them."""

from django.db import models

from config.db import choices_check, schema_table
from personakit.choices import MapperStatus
from personakit.models.base import SCHEMA, created_at, created_by, person_link, uuid_id


class MapperConfig(models.Model):
    """One version of a mapper: rules turning a mindscape into a persona."""

    id = uuid_id()
    config_id = models.CharField(max_length=255)
    version = models.IntegerField()
    configuration = models.JSONField()
    status = models.CharField(
        max_length=20, choices=MapperStatus, default=MapperStatus.DRAFT, db_default="draft"
    )
    created_at = created_at()
    created_by = created_by("personakit_mapper_configs")
    usage_count = models.IntegerField(default=0, db_default=0, editable=False)
    metadata = models.JSONField(blank=True, null=True)

    class Meta:
        db_table = schema_table(SCHEMA, "mapper_configs")
        ordering = ["config_id", "-version"]
        indexes = [models.Index(fields=["status"], name="idx_mapper_configs_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["config_id", "version"], name="mapper_configs_config_id_version_key"
            ),
            models.UniqueConstraint(
                fields=["config_id"],
                condition=models.Q(status="active"),
                name="idx_mapper_configs_active",
            ),
            choices_check("status", MapperStatus, "mapper_configs_status_check"),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="mapper_configs_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.config_id} v{self.version} ({self.status})"


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
