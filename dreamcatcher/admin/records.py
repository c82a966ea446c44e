"""Read-only records (sync sessions, the views and the materialized view) and the shared
vocabularies (brands, tags)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.safestring import SafeString
from unfold.contrib.filters.admin import RangeDateTimeFilter
from unfold.decorators import display

from config.admin.base import LucidModelAdmin, ReadOnlyModelAdmin
from config.admin.display import json_display, text_display, time_ago
from dreamcatcher.admin.common import SYNC_STATUS_LABELS, report_refresh
from dreamcatcher.models import Brand, DreamStatistics, DreamSummary, SyncSession, Tag, UserActivity
from dreamcatcher.selectors.reports import dream_statistics_last_refresh


@admin.register(SyncSession)
class SyncSessionAdmin(ReadOnlyModelAdmin):
    icon = "sync"
    list_display = (
        "session_type",
        "user",
        "status_label",
        "total_dreams",
        "synced_dreams",
        "failed_dreams",
        "started_at",
        "completed_at",
    )
    list_filter = ("status", "session_type", ("started_at", RangeDateTimeFilter))
    list_select_related = ("user",)
    search_fields = ("id", "user__username", "error_message")
    date_hierarchy = "started_at"
    fieldsets = (
        (None, {"fields": ("id", "user", "session_type", "status_label")}),
        ("Run", {"fields": ("started_at", "completed_at", "total_dreams", "synced_dreams")}),
        ("Outcome", {"fields": ("failed_dreams", "error_display", "sync_data_display")}),
    )
    readonly_fields = ("status_label", "error_display", "sync_data_display")

    @display(description="Status", label=SYNC_STATUS_LABELS, ordering="status")
    def status_label(self, obj: SyncSession) -> str:
        return obj.status

    @display(description="Error")
    def error_display(self, obj: SyncSession) -> SafeString:
        return text_display(obj.error_message)

    @display(description="Sync data")
    def sync_data_display(self, obj: SyncSession) -> SafeString:
        return json_display(obj.sync_data)


@admin.register(DreamSummary)
class DreamSummaryAdmin(ReadOnlyModelAdmin):
    icon = "summarize"
    list_display = (
        "title",
        "status",
        "brand",
        "tag_names",
        "fragment_count",
        "todo_count",
        "completed_todos",
        "document_count",
        "updated",
    )
    list_filter = ("status", "brand", "synced_with_pipelineos")
    search_fields = ("title", "description")


@admin.register(UserActivity)
class UserActivityAdmin(ReadOnlyModelAdmin):
    icon = "monitoring"
    list_display = (
        "username",
        "email",
        "total_dreams",
        "total_fragments",
        "total_todos",
        "completed_todos",
        "last_dream_update",
        "last_login",
    )
    search_fields = ("username", "email")


@admin.register(DreamStatistics)
class DreamStatisticsAdmin(ReadOnlyModelAdmin):
    """The materialized view, with when it was last refreshed (and a button to refresh it)."""

    icon = "query_stats"
    list_display = (
        "title",
        "status",
        "brand",
        "fragment_count",
        "todo_count",
        "completed_todos",
        "document_count",
        "updated",
    )
    list_filter = ("status", "brand")
    search_fields = ("title",)
    list_before_template = "admin/dreamcatcher/dreamstatistics/refresh_status.html"
    readonly_fields = ("last_refreshed",)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.method == "POST" and "refresh_statistics" in request.POST:
            if not request.user.has_perm("dreamcatcher.change_dream"):
                raise PermissionDenied
            report_refresh(request)
            return HttpResponseRedirect(request.get_full_path())
        refresh = dream_statistics_last_refresh()
        extra_context = {
            **(extra_context or {}),
            "last_refresh": refresh,
            "last_refresh_ago": time_ago(refresh.refreshed_at) if refresh else None,
        }
        return super().changelist_view(request, extra_context)

    @display(description="View last refreshed")
    def last_refreshed(self, obj: DreamStatistics) -> str:
        refresh = dream_statistics_last_refresh()
        return time_ago(refresh.refreshed_at) if refresh else "never"


# --- vocabularies ---------------------------------------------------------------------------


class _VocabularyAdmin(LucidModelAdmin):
    """A text id is the row's name in every dream that uses it: set once, on the add page."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        return (*super().get_readonly_fields(request, obj), *(("id",) if obj else ()))


@admin.register(Brand)
class BrandAdmin(_VocabularyAdmin):
    icon = "storefront"
    list_display = ("display_name", "name", "id", "color", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "display_name")


@admin.register(Tag)
class TagAdmin(_VocabularyAdmin):
    icon = "sell"
    list_display = ("name", "id", "category", "color", "usage_count")
    list_filter = ("category",)
    search_fields = ("name", "category")
    readonly_fields = ("usage_count",)
