"""The outbox: every app's durable tasks, by status and type, with retry and discard."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from unfold.contrib.filters.admin import RangeDateTimeFilter
from unfold.decorators import display

from config.admin.base import ReadOnlyModelAdmin
from config.admin.display import json_display, plural, text_display, time_ago
from config.outbox import outbox_discard, outbox_retry
from personakit.choices import OutboxStatus
from personakit.models import OutboxTask

STATUS_LABELS = {
    OutboxStatus.PENDING: "info",
    OutboxStatus.IN_PROGRESS: "warning",
    OutboxStatus.DONE: "success",
    OutboxStatus.FAILED: "danger",
}


@admin.register(OutboxTask)
class OutboxTaskAdmin(ReadOnlyModelAdmin):
    """Written and run by ``config.outbox``: staff only retry or discard, never edit."""

    icon = "outbox"
    list_display = (
        "task_type",
        "status_label",
        "attempts",
        "due",
        "error_excerpt",
        "claimed_by",
        "updated_at",
    )
    list_filter = (
        "status",
        "task_type",
        ("run_after", RangeDateTimeFilter),
        ("created_at", RangeDateTimeFilter),
    )
    search_fields = ("=id", "task_type", "last_error")
    search_help_text = "Exact id, task type or error text"
    ordering = ("run_after",)
    actions = ("retry", "discard")
    fieldsets = (
        (None, {"fields": ("id", "task_type", "status_label", "attempts")}),
        ("Payload", {"fields": ("payload_display",)}),
        ("Last error", {"fields": ("last_error_display",)}),
        (
            "Schedule",
            {
                "fields": (
                    "run_after",
                    "lease_expires_at",
                    "claimed_by",
                    "created_at",
                    "updated_at",
                    "completed_at",
                )
            },
        ),
    )
    readonly_fields = ("status_label", "payload_display", "last_error_display")

    @display(description="Status", label=STATUS_LABELS, ordering="status")
    def status_label(self, obj: OutboxTask) -> str:
        return obj.status

    @display(description="Due", ordering="run_after")
    def due(self, obj: OutboxTask) -> str:
        if obj.status not in (OutboxStatus.PENDING, OutboxStatus.IN_PROGRESS):
            return "—"
        return time_ago(obj.run_after).replace("in the future", "later")

    @display(description="Last error")
    def error_excerpt(self, obj: OutboxTask) -> str:
        return Truncator(obj.last_error or "").chars(80) or "—"

    @display(description="Payload")
    def payload_display(self, obj: OutboxTask) -> SafeString:
        return json_display(obj.payload)

    @display(description="Last error")
    def last_error_display(self, obj: OutboxTask) -> SafeString:
        return text_display(obj.last_error)

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("personakit.change_outboxtask")

    @admin.action(description="Retry now (failed or pending)", permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxTask]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        count = outbox_retry(ids)
        skipped = len(ids) - count
        note = f"; {plural(skipped, 'task')} done or running left alone" if skipped else ""
        messages.success(request, f"Made {plural(count, 'task')} due now{note}.")

    @admin.action(description="Discard (mark failed)", permissions=["retry"])
    def discard(self, request: HttpRequest, queryset: QuerySet[OutboxTask]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        count = outbox_discard(ids)
        skipped = len(ids) - count
        note = f"; {plural(skipped, 'task')} already done or failed left alone" if skipped else ""
        messages.success(request, f"Discarded {plural(count, 'task')}{note}.")
