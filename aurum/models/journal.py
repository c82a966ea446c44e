"""What a person writes: journal entries and daily reflections."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from pgvector.django import HnswIndex

from aurum.choices import Mood
from aurum.models.base import (
    SCHEMA,
    archived,
    archived_at,
    audited,
    before_write,
    between,
    decimal_score,
    embedding_model,
    embedding_updated_at,
    one_of,
    vector,
)
from aurum.models.hierarchy import HNSW
from config.db import created_at, owner, schema_table, stamp_updated_at, updated_at, uuid_id


class JournalEntry(models.Model):
    """A dated entry; ``sentiment_score`` in [-1, 1] is computed from its text."""

    id = uuid_id()
    user = owner("aurum_journal_entries")
    title = models.CharField(max_length=500, blank=True, default="", db_default="")
    content = models.TextField()
    mood = models.CharField(max_length=50, choices=Mood, blank=True, null=True)
    energy_level = models.IntegerField(blank=True, null=True)
    tags = ArrayField(models.CharField(max_length=100), default=list, db_default=[], blank=True)
    entry_date = models.DateField(default=timezone.localdate, db_default=Now())
    # The seed's ALTER TABLE journal_entries.
    content_embedding = vector()
    title_embedding = vector()
    embedding_model = embedding_model()
    embedding_updated_at = embedding_updated_at()
    ai_insights_generated = models.BooleanField(
        default=False, db_default=False, null=True, editable=False
    )
    sentiment_score = decimal_score(editable=False)
    archived = archived()
    archived_at = archived_at()
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table(SCHEMA, "journal_entries")
        ordering = ["-entry_date", "-created_at"]
        verbose_name_plural = "journal entries"
        indexes = [
            HnswIndex(
                fields=["content_embedding"],
                name="idx_journal_content_embedding",
                opclasses=["vector_cosine_ops"],
                **HNSW,
            ),
            HnswIndex(
                fields=["title_embedding"],
                name="idx_journal_title_embedding",
                opclasses=["vector_cosine_ops"],
                **HNSW,
            ),
            models.Index(fields=["user", "archived", "-entry_date"], name="idx_journal_user_date"),
        ]
        constraints = [
            between("journal_entries", "sentiment_score", -1, 1),
            one_of("journal_entries", "mood", Mood),
            between("journal_entries", "energy_level", 1, 10),
        ]
        triggers = [stamp_updated_at(), before_write("journal_entries"), audited()]

    def __str__(self) -> str:
        return self.title or self.content[:60]


class DailyReflection(models.Model):
    """The seed's ``daily_reflections``: one per user and day, its metrics taken from that
    day's tasks and time."""

    id = uuid_id()
    user = owner("aurum_daily_reflections")
    reflection_date = models.DateField(default=timezone.localdate, db_default=Now())
    reflection_text = models.TextField()
    completion_score = models.IntegerField(blank=True, null=True)
    mood = models.CharField(max_length=50, choices=Mood, blank=True, null=True)
    energy_level = models.IntegerField(blank=True, null=True)
    biggest_accomplishment = models.TextField(blank=True, null=True)
    challenges_faced = models.TextField(blank=True, null=True)
    tomorrow_focus = models.TextField(blank=True, null=True)
    gratitude_notes = models.TextField(blank=True, null=True)
    lessons_learned = models.TextField(blank=True, null=True)
    tasks_completed_count = models.IntegerField(default=0, db_default=0, null=True)
    focus_time_minutes = models.IntegerField(default=0, db_default=0, null=True)
    productivity_score = models.IntegerField(blank=True, null=True)
    alignment_score = decimal_score()
    reflection_embedding = vector()
    accomplishment_embedding = vector()
    challenges_embedding = vector()
    embedding_model = embedding_model()
    embedding_updated_at = embedding_updated_at()
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table(SCHEMA, "daily_reflections")
        ordering = ["-reflection_date"]
        indexes = [
            models.Index(
                fields=["user", "-reflection_date"], name="idx_daily_reflections_user_date"
            ),
            models.Index(
                fields=["user", "mood", "-reflection_date"], name="idx_daily_reflections_mood"
            ),
            HnswIndex(
                fields=["reflection_embedding"],
                name="idx_reflection_embedding",
                opclasses=["vector_cosine_ops"],
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "reflection_date"], name="unique_user_date"),
            between("daily_reflections", "completion_score", 1, 10),
            one_of("daily_reflections", "mood", Mood),
            between("daily_reflections", "energy_level", 1, 10),
            between("daily_reflections", "productivity_score", 1, 10),
            between("daily_reflections", "alignment_score", 0, 1),
        ]
        triggers = [stamp_updated_at(), before_write("daily_reflections")]

    def __str__(self) -> str:
        return f"{self.reflection_date}"
