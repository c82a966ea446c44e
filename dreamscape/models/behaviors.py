"""Behaviour events (monthly partitions) and the engagement summary over them."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

from config.db import owner, schema_table, uuid_id
from dreamscape.models.base import SCHEMA

BEHAVIORS_TABLE = f"{SCHEMA}.user_behaviors"
ENGAGEMENT_VIEW = f"{SCHEMA}.user_engagement_summary"


class UserBehavior(models.Model):
    """One thing a user did: viewed an article, edited code, searched.

    The table is ``PARTITION BY RANGE (created_at)``, one partition a month
    (``user_behaviors_y2025m01``) and a DEFAULT one for months nobody made yet; its primary key
    is ``(id, created_at)`` (a partitioned table's keys must hold the partition column), so
    ``created_at`` is never NULL. Created by ``sql/0002_user_behaviors.sql``.
    """

    id = uuid_id()
    user = owner("dreamscape_behaviors")
    action_type = models.CharField(max_length=50)
    item_id = models.UUIDField(null=True, blank=True)
    item_type = models.CharField(max_length=50, null=True, blank=True)
    duration_seconds = models.IntegerField(null=True, blank=True)
    context = models.JSONField(null=True, blank=True)
    metadata = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_default=Now())

    class Meta:
        db_table = schema_table(SCHEMA, "user_behaviors")
        ordering = ["-created_at"]
        indexes = [
            models.Index("user", name="idx_user_behaviors_user_id"),
            models.Index("created_at", name="idx_user_behaviors_created_at"),
            models.Index("action_type", name="idx_user_behaviors_action_type"),
            models.Index("item_type", name="idx_user_behaviors_item_type"),
            models.Index("user", "action_type", "created_at", name="idx_user_behaviors_composite"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_seconds__gte=0),
                name="user_behaviors_duration_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_type} {self.item_type or ''} by {self.user_id}".replace("  ", " ")


class UserEngagementSummary(models.Model):
    """The seed's materialized view: each user's last 90 days (refreshed by beat)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    total_actions = models.BigIntegerField()
    unique_items = models.BigIntegerField()
    avg_session_duration = models.DecimalField(
        max_digits=20, decimal_places=4, null=True, blank=True
    )
    active_days = models.BigIntegerField()
    last_activity = models.DateTimeField(null=True, blank=True)

    class Meta:
        managed = False
        db_table = schema_table(SCHEMA, "user_engagement_summary")
        ordering = ["-last_activity"]
        verbose_name_plural = "user engagement summary"

    def __str__(self) -> str:
        return f"engagement of {self.user_id}"
