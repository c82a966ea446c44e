"""The platform's own tables."""

from django.db import models


class MaterializedViewRefresh(models.Model):
    """When each materialized view was last refreshed (written by the views' refresh functions)."""

    view_name = models.CharField(max_length=255, primary_key=True, help_text="schema.view")
    refreshed_at = models.DateTimeField()
    duration_ms = models.IntegerField(null=True)

    class Meta:
        db_table = "materialized_view_refreshes"
        ordering = ["view_name"]

    def __str__(self) -> str:
        return self.view_name
