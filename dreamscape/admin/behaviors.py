"""Behaviour events and the engagement summary: read-only, written by the API and beat."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString

from config.admin.base import ReadOnlyModelAdmin
from config.admin.display import json_display
from config.admin.paginator import EstimatedCountPaginator
from config.database.partitions import list_partitions
from dreamscape.models import UserBehavior, UserEngagementSummary
from dreamscape.models.behaviors import BEHAVIORS_TABLE
from dreamscape.selectors.monitoring import events_waiting_in_default
from dreamscape.services.behaviors import behavior_partitions_upkeep

COUNT_CAP = 10_000


class BehaviorPaginator(EstimatedCountPaginator):
    """Never a full count: the partitions' summed estimate when the list is unfiltered, else
    rows counted up to ``COUNT_CAP`` (the total then shows as an estimate)."""

    @cached_property
    def count(self) -> int:
        estimate = self._estimate()
        if estimate is not None:
            self.count_is_estimate = True
            return estimate
        capped = self.object_list.order_by()[: COUNT_CAP + 1].count()
        self.count_is_estimate = capped > COUNT_CAP
        return capped


class RecentFilter(admin.SimpleListFilter):
    """A bounded date filter: each choice reads only the partitions of its range (a date
    hierarchy would first read every month of every partition to list the years)."""

    title = "created"
    parameter_name = "recent"
    spans = {"1d": timedelta(days=1), "7d": timedelta(days=7), "30d": timedelta(days=30),
             "90d": timedelta(days=90)}  # fmt: skip

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("1d", "Last 24 hours"), ("7d", "Last 7 days"), ("30d", "Last 30 days"),
                ("90d", "Last 90 days")]  # fmt: skip

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        span = self.spans.get(self.value() or "")
        return queryset if span is None else queryset.filter(created_at__gte=timezone.now() - span)


@admin.register(UserBehavior)
class UserBehaviorAdmin(ReadOnlyModelAdmin):
    icon = "touch_app"
    list_display = ("created_at", "user", "action_type", "item_type", "duration_seconds")
    # Only bounded filters: a field filter would read every partition to list its values.
    list_filter = (RecentFilter,)
    list_select_related = ("user",)
    search_fields = ("=user__username", "=action_type", "=item_type")
    search_help_text = "Exact username, action type or item type"
    paginator = BehaviorPaginator
    show_full_result_count = False
    ordering = ("-created_at",)
    readonly_fields = ("context_display", "metadata_display")
    exclude = ("context", "metadata")
    list_before_template = "admin/dreamscape/userbehavior/partitions.html"

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.method == "POST" and "partition_upkeep" in request.POST:
            if not request.user.is_superuser:
                raise PermissionDenied
            upkeep = behavior_partitions_upkeep()
            moved = sum(upkeep.drained.values())
            self.message_user(
                request,
                f"Moved {moved} row(s) out of the DEFAULT partition; made "
                f"{len(upkeep.created)} partition(s).",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.get_full_path())
        partitions = list_partitions(BEHAVIORS_TABLE)
        extra_context = {
            **(extra_context or {}),
            "partitions": partitions,
            "waiting_in_default": events_waiting_in_default(),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description="context")
    def context_display(self, event: UserBehavior) -> SafeString:
        return json_display(event.context)

    @admin.display(description="metadata")
    def metadata_display(self, event: UserBehavior) -> SafeString:
        return json_display(event.metadata)


@admin.register(UserEngagementSummary)
class UserEngagementSummaryAdmin(ReadOnlyModelAdmin):
    icon = "monitoring"
    list_display = ("user", "total_actions", "unique_items", "avg_session_duration",
                    "active_days", "last_activity")  # fmt: skip
    list_select_related = ("user",)
    ordering = ("-last_activity",)
