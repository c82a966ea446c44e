"""Versioned mapper configs: rules turning a mindscape into a persona."""

from django.db import models

from config.db import choices_check, created_at, schema_table, uuid_id
from personakit.choices import MapperStatus
from personakit.models.base import SCHEMA, created_by


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
