"""Brands and tags: shared vocabularies, readable by everyone, curated by staff."""

import pgtrigger
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

from config.db import schema_table, stamp_updated_at
from dreamcatcher.models.base import SCHEMA, refresh_dream_arrays, text_id

HEX_COLOR = r"^#[0-9A-Fa-f]{6}$"


def _color() -> models.CharField:
    return models.CharField(max_length=7, blank=True, null=True, help_text="e.g. #3B82F6")


def _color_check(table: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(color__regex=HEX_COLOR) | models.Q(color__isnull=True),
        name=f"{table}_color_hex",
    )


class Brand(models.Model):
    """A brand a dream is built under (Personal, BC Studio …)."""

    id = text_id()
    name = models.CharField(max_length=100, unique=True)
    display_name = models.CharField(max_length=255)
    description = models.TextField(blank=True, null=True)
    color = _color()
    icon = models.CharField(max_length=100, blank=True, null=True)
    is_active = models.BooleanField(default=True, db_default=True)
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    updated_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)

    class Meta:
        db_table = schema_table(SCHEMA, "brands")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"], name="idx_brands_name"),
            models.Index(fields=["is_active"], name="idx_brands_is_active"),
        ]
        constraints = [_color_check("brands")]
        triggers = [stamp_updated_at()]

    def __str__(self) -> str:
        return self.display_name


class Tag(models.Model):
    """A label for dreams; ``usage_count`` is kept exact by triggers on ``dream_tags``."""

    id = text_id()
    name = models.CharField(max_length=100, unique=True)
    category = models.CharField(max_length=100, blank=True, null=True)
    color = _color()
    description = models.TextField(blank=True, null=True)
    usage_count = models.IntegerField(default=0, db_default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    updated_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)

    class Meta:
        db_table = schema_table(SCHEMA, "tags")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"], name="idx_tags_name"),
            models.Index(fields=["category"], name="idx_tags_category"),
            models.Index(fields=["usage_count"], name="idx_tags_usage_count"),
        ]
        constraints = [
            _color_check("tags"),
            models.CheckConstraint(
                condition=models.Q(usage_count__gte=0), name="tags_usage_count_not_negative"
            ),
        ]
        triggers = [stamp_updated_at()]

    def __str__(self) -> str:
        return self.name


class DreamTag(models.Model):
    """A dream carrying a tag (``PRIMARY KEY (dream_id, tag_id)`` as in the seed)."""

    pk = models.CompositePrimaryKey("dream_id", "tag_id")
    dream = models.ForeignKey(
        "dreamcatcher.Dream", on_delete=models.CASCADE, db_index=False, related_name="dream_tags"
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, db_index=False, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)

    class Meta:
        db_table = schema_table(SCHEMA, "dream_tags")
        indexes = [
            models.Index(fields=["dream"], name="idx_dream_tags_dream_id"),
            models.Index(fields=["tag"], name="idx_dream_tags_tag_id"),
        ]
        triggers = [
            # A link is added or removed, never re-pointed: that keeps the counts simple.
            pgtrigger.Protect(name="no_update", operation=pgtrigger.Update),
            pgtrigger.Trigger(
                name="count_tag_usage",
                when=pgtrigger.After,
                operation=pgtrigger.Insert | pgtrigger.Delete,
                func=(
                    'UPDATE "dreamcatcher"."tags" SET usage_count = usage_count + '
                    "CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END "
                    "WHERE id = COALESCE(NEW.tag_id, OLD.tag_id); RETURN NULL;"
                ),
            ),
            refresh_dream_arrays(),
        ]

    def __str__(self) -> str:
        return f"{self.dream_id} → {self.tag_id}"
