"""Dreams: what a person wants, written down to be tested against AI models over time."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

from config.db import choices_check, created_at, owner, schema_table, stamp_updated_at
from dreamshot.choices import DreamCategory, DreamStatus
from dreamshot.models.base import SCHEMA, cuid_id


class Dream(models.Model):
    """A dream ("a house on Mars by 2040") whose impossibility the models rate again and
    again; ``original_prompt`` is the text they are asked about."""

    id = cuid_id()
    user = owner("dreamshot_dreams")
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True, default="", db_default="")
    original_prompt = models.TextField()
    category = models.CharField(
        max_length=20,
        choices=DreamCategory,
        default=DreamCategory.OTHER,
        db_default=DreamCategory.OTHER,
    )
    tags = ArrayField(
        models.CharField(max_length=100), default=list, db_default=[], blank=True, size=50
    )
    is_public = models.BooleanField(default=False, db_default=False)
    status = models.CharField(
        max_length=20,
        choices=DreamStatus,
        default=DreamStatus.ACTIVE,
        db_default=DreamStatus.ACTIVE,
    )
    metadata = models.JSONField(default=dict, db_default={}, blank=True)
    created_at = created_at()
    updated_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)

    class Meta:
        db_table = schema_table(SCHEMA, "dreams")
        ordering = ["-created_at"]
        indexes = [
            models.Index("user", models.F("created_at").desc(), name="idx_dreams_user_recent"),
            models.Index(
                models.F("created_at").desc(),
                name="idx_dreams_active",
                condition=models.Q(status="ACTIVE"),
            ),
            GinIndex(fields=["tags"], name="idx_dreams_tags_gin"),
            # The seed's "key optimizations": category, public feed and status filters.
            models.Index(fields=["category"], name="idx_dreams_category"),
            models.Index(
                models.F("created_at").desc(),
                name="idx_dreams_public",
                condition=models.Q(is_public=True),
            ),
            models.Index(fields=["status"], name="idx_dreams_status_filter"),
        ]
        constraints = [
            choices_check("category", DreamCategory, "dreams_category_check"),
            choices_check("status", DreamStatus, "dreams_status_check"),
        ]
        triggers = [stamp_updated_at()]

    def __str__(self) -> str:
        return self.title
