"""What the analysers write: insights (versioned), conversation memory, the statistics
cache. Read-only, but for re-embedding messages."""

from __future__ import annotations

from django.contrib import admin
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from unfold.contrib.filters.admin import RangeDateTimeFilter
from unfold.decorators import display

from aurum.admin.common import ReembedMixin
from aurum.models import ConversationMemory, Insight, UserStatisticsCache
from config.admin.base import ReadOnlyModelAdmin
from config.admin.display import embedding_display, json_display
from config.admin.links import object_link


@admin.register(Insight)
class InsightAdmin(ReadOnlyModelAdmin):
    icon = "lightbulb"
    list_display = ("title", "insight_type", "entity_type", "user", "confidence_score",
                    "impact_score", "version", "is_active", "is_pinned", "user_feedback",
                    "created_at")  # fmt: skip
    list_filter = ("insight_type", "entity_type", "is_active", "is_pinned", "user_feedback",
                   ("created_at", RangeDateTimeFilter))  # fmt: skip
    list_select_related = ("user",)
    search_fields = ("title", "summary", "=entity_id", "=user__username")
    date_hierarchy = "created_at"
    exclude = ("detailed_reasoning", "reasoning_path", "supporting_data", "llm_context",
               "feedback_details")  # fmt: skip
    readonly_fields = ("reasoning_path_display", "detailed_reasoning_display", "previous_link")

    @display(description="Reasoning path")
    def reasoning_path_display(self, obj: Insight) -> SafeString:
        return json_display(obj.reasoning_path)

    @display(description="Detailed reasoning")
    def detailed_reasoning_display(self, obj: Insight) -> SafeString:
        return json_display(obj.detailed_reasoning)

    @display(description="Previous version")
    def previous_link(self, obj: Insight) -> SafeString:
        return object_link(obj.previous_version)


@admin.register(ConversationMemory)
class ConversationMemoryAdmin(ReembedMixin, ReadOnlyModelAdmin):
    icon = "forum"
    list_display = ("excerpt", "message_role", "user", "session_id", "tokens_used",
                    "model_used", "was_helpful", "created_at")  # fmt: skip
    list_filter = ("message_role", "was_helpful", ("created_at", RangeDateTimeFilter))
    list_select_related = ("user",)
    search_fields = ("message_content", "=session_id", "=user__username")
    date_hierarchy = "created_at"
    actions = ("re_embed",)
    exclude = ("context_entities",)
    readonly_fields = ("context_display", "message_vector")
    message_vector = embedding_display(
        "message_embedding", updated_field="embedding_updated_at", description="Embedding"
    )

    @display(description="Message")
    def excerpt(self, obj: ConversationMemory) -> str:
        return Truncator(obj.message_content).chars(80)

    @display(description="Context entities")
    def context_display(self, obj: ConversationMemory) -> SafeString:
        return json_display(obj.context_entities)


@admin.register(UserStatisticsCache)
class UserStatisticsCacheAdmin(ReadOnlyModelAdmin):
    icon = "query_stats"
    list_display = ("stat_date", "stat_type", "user", "updated_at")
    list_filter = ("stat_type",)
    list_select_related = ("user",)
    search_fields = ("=user__username",)
    date_hierarchy = "stat_date"
    exclude = ("pillar_stats", "area_stats", "project_stats", "task_stats", "time_allocation",
               "productivity_metrics")  # fmt: skip
    readonly_fields = ("task_stats_display", "time_allocation_display", "productivity_display")

    @display(description="Task stats")
    def task_stats_display(self, obj: UserStatisticsCache) -> SafeString:
        return json_display(obj.task_stats)

    @display(description="Time allocation")
    def time_allocation_display(self, obj: UserStatisticsCache) -> SafeString:
        return json_display(obj.time_allocation)

    @display(description="Productivity")
    def productivity_display(self, obj: UserStatisticsCache) -> SafeString:
        return json_display(obj.productivity_metrics)
