"""Read-only models over the seed's materialized view (created by a migration)."""

from django.conf import settings
from django.db import models

from aurum.models.base import SCHEMA
from config.db import schema_table


class HierarchyView(models.Model):
    """Materialized view ``hierarchy_view``: each live task with its project, area and pillar,
    refreshed concurrently by beat and, debounced, after hierarchy writes."""

    task_id = models.UUIDField(primary_key=True)
    task_name = models.CharField(max_length=500)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    project_id = models.UUIDField()
    project_name = models.CharField(max_length=255)
    area_id = models.UUIDField()
    area_name = models.CharField(max_length=255)
    pillar_id = models.UUIDField(null=True)
    pillar_name = models.CharField(max_length=255, null=True)
    task_status = models.CharField(max_length=20)
    task_priority = models.CharField(max_length=10)
    due_date = models.DateTimeField(null=True)
    hrm_priority_score = models.DecimalField(max_digits=3, decimal_places=2, null=True)
    hrm_alignment_score = models.DecimalField(max_digits=3, decimal_places=2, null=True)

    class Meta:
        managed = False
        db_table = schema_table(SCHEMA, "hierarchy_view")
        verbose_name_plural = "hierarchy view"
        ordering = ["pillar_name", "area_name", "project_name", "task_name"]

    def __str__(self) -> str:
        return self.task_name
