"""Journal entries (archivable, embedded, with their sentiment) and daily reflections."""

from __future__ import annotations

from django.contrib import admin
from unfold.contrib.filters.admin import RangeDateFilter

from aurum.admin.common import ArchivableAdminMixin, ArchivedFilter, ReembedMixin
from aurum.models import DailyReflection, JournalEntry
from config.admin.base import CreatedElsewhereMixin, LucidModelAdmin
from config.admin.display import embedding_display


@admin.register(JournalEntry)
class JournalEntryAdmin(CreatedElsewhereMixin, ArchivableAdminMixin, ReembedMixin, LucidModelAdmin):
    """People write their journal through the API; staff archive, restore and re-embed."""

    icon = "edit_note"
    list_display = ("__str__", "user", "entry_date", "mood", "sentiment_score", "archived",
                    "content_vector")  # fmt: skip
    list_filter = (ArchivedFilter, "mood", ("entry_date", RangeDateFilter))
    list_select_related = ("user",)
    search_fields = ("title", "content", "=user__username")
    date_hierarchy = "entry_date"
    actions = ("archive", "restore_archived", "re_embed")
    readonly_fields = ("user", "sentiment_score", "ai_insights_generated", "content_vector",
                       "title_vector", "embedding_model", "embedding_updated_at", "archived",
                       "archived_at", "created_at", "updated_at")  # fmt: skip
    content_vector = embedding_display(
        "content_embedding", updated_field="embedding_updated_at", description="Content embedding"
    )
    title_vector = embedding_display(
        "title_embedding", updated_field="embedding_updated_at", description="Title embedding"
    )


@admin.register(DailyReflection)
class DailyReflectionAdmin(CreatedElsewhereMixin, ReembedMixin, LucidModelAdmin):
    """Reflections are put through the API, which computes the day's metrics and the streak."""

    icon = "self_improvement"
    list_display = ("reflection_date", "user", "mood", "energy_level", "productivity_score",
                    "tasks_completed_count", "focus_time_minutes", "reflection_vector")  # fmt: skip
    list_filter = ("mood", ("reflection_date", RangeDateFilter))
    list_select_related = ("user",)
    search_fields = ("reflection_text", "biggest_accomplishment", "=user__username")
    date_hierarchy = "reflection_date"
    actions = ("re_embed",)
    readonly_fields = ("user", "tasks_completed_count", "focus_time_minutes", "alignment_score",
                       "reflection_vector", "embedding_model", "embedding_updated_at",
                       "created_at", "updated_at")  # fmt: skip
    reflection_vector = embedding_display(
        "reflection_embedding", updated_field="embedding_updated_at", description="Embedding"
    )
