"""The seed's ``user_statistics_cache``: per person, day/week/month summaries."""

from django.db import models

from aurum.choices import StatType
from aurum.models.base import SCHEMA, one_of
from config.db import created_at, owner, schema_table, stamp_updated_at, updated_at, uuid_id


def _stats() -> models.JSONField:
    return models.JSONField(default=dict, db_default={}, null=True, blank=True)


class UserStatisticsCache(models.Model):
    id = uuid_id()
    user = owner("aurum_statistics")
    stat_date = models.DateField()
    stat_type = models.TextField(choices=StatType)
    pillar_stats = _stats()
    area_stats = _stats()
    project_stats = _stats()
    task_stats = _stats()
    time_allocation = _stats()
    productivity_metrics = _stats()
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table(SCHEMA, "user_statistics_cache")
        ordering = ["-stat_date", "stat_type"]
        verbose_name = "statistics cache row"
        indexes = [
            models.Index(
                fields=["user", "-stat_date", "stat_type"], name="idx_stats_cache_user_date"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "stat_date", "stat_type"], name="unique_user_stat_date"
            ),
            one_of("user_statistics_cache", "stat_type", StatType),
        ]
        triggers = [stamp_updated_at()]

    def __str__(self) -> str:
        return f"{self.stat_type} {self.stat_date}"
