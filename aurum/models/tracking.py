"""Behaviour: time entries (timers and manual entries) and the patterns detected in them."""

from typing import Any

from django.db import models
from django.db.models.expressions import Func

from aurum.choices import ActivityType, PatternType, TimeEntityType
from aurum.models.base import SCHEMA, after_write, before_write, between, one_of
from config.db import created_at, owner, schema_table, stamp_updated_at, updated_at, uuid_id


class DurationMinutes(Func):
    """The seed's generation expression for ``time_entries.duration_minutes``."""

    template = (
        "CASE WHEN %(end)s IS NOT NULL "
        "THEN EXTRACT(EPOCH FROM (%(end)s - %(start)s)) / 60 ELSE NULL END"
    )
    output_field = models.IntegerField()

    def __init__(self) -> None:
        super().__init__(models.F("start_time"), models.F("end_time"))

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list]:
        start, end = (compiler.compile(expression)[0] for expression in self.source_expressions)
        return self.template % {"start": start, "end": end}, []


class TimeEntry(models.Model):
    """Time spent on a task, project, area or pillar of the same person. An entry without
    ``end_time`` is a running timer (``is_active``): at most one per person. Closed entries
    roll up into the task's and project's time columns (``aurum/sql/``)."""

    id = uuid_id()
    user = owner("aurum_time_entries")
    entity_type = models.TextField(choices=TimeEntityType)
    entity_id = models.UUIDField()
    start_time = models.DateTimeField()
    end_time = models.DateTimeField(blank=True, null=True)
    duration_minutes = models.GeneratedField(
        expression=DurationMinutes(), output_field=models.IntegerField(), db_persist=True
    )
    is_active = models.BooleanField(default=True, db_default=True, null=True, editable=False)
    activity_type = models.TextField(choices=ActivityType, blank=True, null=True)
    energy_level = models.IntegerField(blank=True, null=True)
    productivity_rating = models.IntegerField(blank=True, null=True)
    notes = models.TextField(blank=True, null=True)
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table(SCHEMA, "time_entries")
        ordering = ["-start_time"]
        verbose_name_plural = "time entries"
        indexes = [
            models.Index(fields=["user", "-start_time"], name="idx_time_entries_user_date"),
            models.Index(
                fields=["user", "is_active"],
                name="idx_time_entries_active",
                condition=models.Q(is_active=True),
            ),
            models.Index(fields=["entity_type", "entity_id"], name="idx_time_entries_entity"),
        ]
        constraints = [
            one_of("time_entries", "entity_type", TimeEntityType),
            one_of("time_entries", "activity_type", ActivityType),
            between("time_entries", "energy_level", 1, 10),
            between("time_entries", "productivity_rating", 1, 10),
            models.CheckConstraint(
                condition=models.Q(end_time__isnull=True)
                | models.Q(end_time__gt=models.F("start_time")),
                name="chk_time_entry_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_active=True),
                name="uniq_time_entries_one_running",
            ),
        ]
        triggers = [
            stamp_updated_at(),
            before_write("time_entries"),
            after_write("time_entries"),
        ]

    def __str__(self) -> str:
        return f"{self.entity_type} {self.entity_id} from {self.start_time:%Y-%m-%d %H:%M}"


class UserBehaviorPattern(models.Model):
    """A detected habit (peak hours, focus duration …); a new detection of a type replaces
    the active one."""

    id = uuid_id()
    user = owner("aurum_behavior_patterns")
    pattern_type = models.TextField(choices=PatternType)
    pattern_data = models.JSONField()
    confidence_score = models.DecimalField(max_digits=3, decimal_places=2, blank=True, null=True)
    sample_size = models.IntegerField()
    detected_at = created_at()
    valid_until = models.DateTimeField(blank=True, null=True)
    is_active = models.BooleanField(default=True, db_default=True, null=True)
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table(SCHEMA, "user_behavior_patterns")
        ordering = ["-detected_at"]
        indexes = [
            models.Index(
                fields=["user", "pattern_type", "is_active"],
                name="idx_behavior_patterns_user_type",
            ),
        ]
        constraints = [
            one_of("user_behavior_patterns", "pattern_type", PatternType),
            between("user_behavior_patterns", "confidence_score", 0, 1),
        ]
        triggers = [stamp_updated_at()]

    def __str__(self) -> str:
        return f"{self.pattern_type} ({self.user_id})"
