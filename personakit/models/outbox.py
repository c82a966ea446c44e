"""The outbox: work written in the same transaction as the change that caused it."""

from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

from config.db import choices_check, created_at, schema_table, stamp_updated_at, uuid_id
from personakit.choices import OutboxStatus
from personakit.models.base import SCHEMA


class OutboxTask(models.Model):
    """A durable task: claimed with SKIP LOCKED under a lease, retried with backoff."""

    id = uuid_id()
    task_type = models.CharField(max_length=100)
    payload = models.JSONField()
    status = models.CharField(
        max_length=20, choices=OutboxStatus, default=OutboxStatus.PENDING, db_default="pending"
    )
    attempts = models.IntegerField(default=0, db_default=0)
    last_error = models.TextField(blank=True, null=True)
    run_after = models.DateTimeField(default=timezone.now, db_default=Now())
    completed_at = models.DateTimeField(blank=True, null=True)
    created_at = created_at()
    updated_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    lease_expires_at = models.DateTimeField(
        blank=True, null=True, help_text="An in-progress task whose lease ran out is reclaimed."
    )
    claimed_by = models.CharField(max_length=255, blank=True, null=True)

    class Meta:
        db_table = schema_table(SCHEMA, "outbox_tasks")
        ordering = ["run_after"]
        indexes = [
            models.Index(fields=["status", "run_after"], name="idx_outbox_status_runafter"),
        ]
        constraints = [
            choices_check("status", OutboxStatus, "outbox_tasks_status_check"),
            models.CheckConstraint(
                condition=models.Q(attempts__gte=0), name="outbox_tasks_attempts_not_negative"
            ),
        ]
        triggers = [stamp_updated_at()]

    def __str__(self) -> str:
        return f"{self.task_type} ({self.status})"
