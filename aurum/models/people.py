"""Per-person rows: the profile (preferences, streaks, tier) and the running stats."""

from django.conf import settings
from django.db import models

from aurum.choices import UserTier
from aurum.models.base import SCHEMA, between, decimal_score
from config.db import choices_check, created_at, schema_table, stamp_updated_at, updated_at, uuid_id


def _account(related_name: str) -> models.OneToOneField:
    """One row per account (``user_id UNIQUE REFERENCES users(id) ON DELETE CASCADE``)."""
    return models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name=related_name,
        editable=False,
    )


def _count() -> models.IntegerField:
    return models.IntegerField(default=0, db_default=0, null=True, editable=False)


def default_working_hours() -> dict[str, str]:
    return {"start": "09:00", "end": "17:00"}


class UserProfile(models.Model):
    """How a person uses Aurum: tier (AI quota), working hours, time zone, streaks and the
    monthly alignment-points goal."""

    id = uuid_id()
    user = _account("aurum_profile")
    display_name = models.CharField(max_length=255, blank=True, default="", db_default="")
    monthly_alignment_goal = models.IntegerField(default=1000, db_default=1000)
    current_streak = models.IntegerField(default=0, db_default=0, editable=False)
    last_reflection_date = models.DateField(blank=True, null=True, editable=False)
    # The seed's ALTER TABLE user_profiles.
    user_tier = models.TextField(
        choices=UserTier, default=UserTier.STANDARD, db_default=UserTier.STANDARD, null=True
    )
    longest_streak = _count()
    total_focus_hours = decimal_score(digits=8, places=2, default=0, editable=False)
    average_daily_completion_rate = decimal_score(default=0, editable=False)
    preferred_working_hours = models.JSONField(
        default=default_working_hours, db_default=default_working_hours(), null=True
    )
    timezone = models.TextField(default="UTC", db_default="UTC", null=True)
    ai_onboarding_completed = models.BooleanField(default=False, db_default=False, null=True)
    ai_features_enabled = models.BooleanField(default=True, db_default=True, null=True)
    last_activity_at = models.DateTimeField(blank=True, null=True, editable=False)
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table(SCHEMA, "user_profiles")
        ordering = ["-last_activity_at"]
        indexes = [
            models.Index(fields=["-last_activity_at"], name="idx_user_profiles_activity"),
        ]
        constraints = [
            choices_check("user_tier", UserTier, "user_profiles_user_tier_check"),
            models.CheckConstraint(
                condition=models.Q(monthly_alignment_goal__gt=0),
                name="chk_profile_alignment_goal",
            ),
        ]
        triggers = [stamp_updated_at()]

    def __str__(self) -> str:
        return self.display_name or str(self.user_id)


class UserStats(models.Model):
    """Counters of a person's activity, kept current by the statistics service."""

    id = uuid_id()
    user = _account("aurum_stats")
    total_pillars = _count()
    total_areas = _count()
    total_projects = _count()
    completed_projects = _count()
    total_tasks = _count()
    completed_tasks = _count()
    journal_entries_count = _count()
    reflections_count = _count()
    alignment_points_total = _count()
    completion_rate = decimal_score(default=0, editable=False)
    # The seed's ALTER TABLE user_stats.
    total_ai_interactions = _count()
    insights_generated = _count()
    insights_applied = _count()
    ai_satisfaction_score = decimal_score(editable=False)
    total_focus_time_minutes = _count()
    average_task_completion_time = models.IntegerField(blank=True, null=True, editable=False)
    task_estimation_accuracy = decimal_score(editable=False)
    weekly_active_days = _count()
    current_momentum_score = decimal_score(default=0.5, editable=False)
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table(SCHEMA, "user_stats")
        ordering = ["-updated_at"]
        verbose_name_plural = "user stats"
        constraints = [
            between("user_stats", "ai_satisfaction_score", 0, 5),
            between("user_stats", "completion_rate", 0, 1),
            between("user_stats", "current_momentum_score", 0, 1),
        ]
        triggers = [stamp_updated_at()]

    def __str__(self) -> str:
        return str(self.user_id)
