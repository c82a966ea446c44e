"""Progress logs: snapshots of a dream's impossibility after each batch of tests."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models

from config.db import created_at, owner, schema_table
from dreamshot.models.base import SCHEMA, cuid_id, dream_link, score_field


class ProgressLog(models.Model):
    """The average of each active model's latest score, the best score, and
    ``improvement_trend``: the % drop of the average since the previous snapshot (null for
    the first). ``snapshot_data`` holds the per-model detail and the score bands."""

    id = cuid_id()
    dream = dream_link("progress_logs")
    user = owner("dreamshot_progress_logs")
    average_impossibility = score_field()
    best_score = score_field()
    test_count = models.PositiveIntegerField()
    active_models = ArrayField(models.CharField(max_length=150), default=list, blank=True)
    improvement_trend = score_field(null=True, blank=True)
    snapshot_data = models.JSONField(default=dict, db_default={}, blank=True)
    milestone_reached = models.CharField(max_length=50, blank=True, default="", db_default="")
    notes = models.TextField(blank=True, default="", db_default="")
    created_at = created_at()

    class Meta:
        db_table = schema_table(SCHEMA, "progress_logs")
        ordering = ["-created_at"]
        indexes = [
            models.Index("dream", models.F("created_at").desc(), name="idx_progress_time_series"),
            GinIndex(fields=["snapshot_data"], name="idx_progress_snapshot_gin"),
            models.Index(fields=["average_impossibility"], name="idx_progress_avg_impossibility"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(average_impossibility__range=(0, 100))
                & models.Q(best_score__range=(0, 100)),
                name="progress_logs_scores_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dream_id} at {self.created_at:%Y-%m-%d %H:%M}"
