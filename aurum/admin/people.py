"""Profiles (tier, time zone, goals; a "rebuild statistics" action) and the running stats."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from aurum.models import UserProfile, UserStats
from aurum.services.statistics import statistics_rebuild
from config.admin.base import CreatedElsewhereMixin, LucidModelAdmin, ReadOnlyModelAdmin
from config.admin.display import plural


@admin.register(UserProfile)
class UserProfileAdmin(CreatedElsewhereMixin, LucidModelAdmin):
    """Made on a person's first use of Aurum; staff set the tier and preferences."""

    icon = "badge"
    list_display = ("user", "user_tier", "timezone", "current_streak", "longest_streak",
                    "monthly_alignment_goal", "last_activity_at")  # fmt: skip
    list_filter = ("user_tier", "ai_features_enabled")
    list_select_related = ("user",)
    search_fields = ("=user__username", "display_name")
    actions = ("rebuild_statistics",)
    readonly_fields = ("user", "current_streak", "longest_streak", "last_reflection_date",
                       "total_focus_hours", "average_daily_completion_rate", "last_activity_at",
                       "created_at", "updated_at")  # fmt: skip

    @admin.action(description="Rebuild statistics", permissions=["change"])
    def rebuild_statistics(self, request: HttpRequest, queryset: QuerySet[UserProfile]) -> None:
        rows = sum(
            statistics_rebuild(user=profile.user) for profile in queryset.select_related("user")
        )
        self.message_user(request, f"Rebuilt {plural(rows, 'statistics row')}.", messages.SUCCESS)


@admin.register(UserStats)
class UserStatsAdmin(ReadOnlyModelAdmin):
    icon = "monitoring"
    list_display = ("user", "total_tasks", "completed_tasks", "completion_rate",
                    "total_focus_time_minutes", "current_momentum_score", "updated_at")  # fmt: skip
    list_select_related = ("user",)
    search_fields = ("=user__username",)
