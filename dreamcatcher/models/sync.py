"""Sync sessions: one run pushing a user's dreams to PipelineOS (or exporting them)."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

from config.db import choices_check, schema_table
from dreamcatcher.choices import SyncSessionStatus, SyncSessionType
from dreamcatcher.models.base import SCHEMA, text_id


class SyncSession(models.Model):
    id = text_id()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="dream_sync_sessions",
    )
    session_type = models.CharField(max_length=50, choices=SyncSessionType)
    status = models.CharField(
        max_length=50,
        choices=SyncSessionStatus,
        default=SyncSessionStatus.PENDING,
        db_default=SyncSessionStatus.PENDING,
    )
    started_at = models.DateTimeField(default=timezone.now, db_default=Now())
    completed_at = models.DateTimeField(blank=True, null=True)
    total_dreams = models.IntegerField(default=0, db_default=0)
    synced_dreams = models.IntegerField(default=0, db_default=0)
    failed_dreams = models.IntegerField(default=0, db_default=0)
    error_message = models.TextField(blank=True, null=True)
    sync_data = models.JSONField(default=dict, db_default={}, blank=True)

    class Meta:
        db_table = schema_table(SCHEMA, "sync_sessions")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["user"], name="idx_sync_sessions_user_id"),
            models.Index(fields=["status"], name="idx_sync_sessions_status"),
            models.Index(fields=["started_at"], name="idx_sync_sessions_started_at"),
            models.Index(fields=["session_type"], name="idx_sync_sessions_session_type"),
            GinIndex(fields=["sync_data"], name="idx_sync_sessions_data"),
        ]
        constraints = [
            choices_check("session_type", SyncSessionType, "sync_sessions_type_valid"),
            choices_check("status", SyncSessionStatus, "sync_sessions_status_valid"),
            models.CheckConstraint(
                condition=models.Q(synced_dreams__gte=0, failed_dreams__gte=0)
                & models.Q(total_dreams__gte=models.F("synced_dreams") + models.F("failed_dreams")),
                name="sync_sessions_counts_add_up",
            ),
            # One run at a time per user: two would push the same dreams twice.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(
                    status__in=[SyncSessionStatus.PENDING, SyncSessionStatus.RUNNING]
                ),
                name="sync_sessions_one_active_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_type} sync of {self.user_id} ({self.status})"
