"""Time entries (the database derives duration, the running flag and the rollups) and the
behaviour patterns detected in them (written by the detector: read-only)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.safestring import SafeString
from unfold.contrib.filters.admin import RangeDateTimeFilter
from unfold.decorators import display

from aurum.models import TimeEntry, UserBehaviorPattern
from config.admin.base import CreatedElsewhereMixin, LucidModelAdmin, ReadOnlyModelAdmin
from config.admin.display import json_display


@admin.register(TimeEntry)
class TimeEntryAdmin(CreatedElsewhereMixin, LucidModelAdmin):
    """Entries come from timers and the API; staff may correct their times and notes."""

    icon = "timer"
    list_display = ("start_time", "end_time", "duration_minutes", "is_active", "entity_type",
                    "entity_id", "activity_type", "user")  # fmt: skip
    list_filter = ("is_active", "entity_type", "activity_type", ("start_time", RangeDateTimeFilter))
    list_select_related = ("user",)
    search_fields = ("=entity_id", "=user__username", "notes")
    date_hierarchy = "start_time"
    readonly_fields = ("user", "entity_type", "entity_id", "duration_minutes", "is_active",
                       "created_at", "updated_at")  # fmt: skip


@admin.register(UserBehaviorPattern)
class UserBehaviorPatternAdmin(ReadOnlyModelAdmin):
    icon = "insights"
    list_display = ("pattern_type", "user", "confidence_score", "sample_size", "is_active",
                    "detected_at", "valid_until")  # fmt: skip
    list_filter = ("pattern_type", "is_active")
    list_select_related = ("user",)
    search_fields = ("=user__username",)
    readonly_fields = ("pattern_display",)
    exclude = ("pattern_data",)

    @display(description="Pattern")
    def pattern_display(self, obj: UserBehaviorPattern) -> SafeString:
        return json_display(obj.pattern_data)
