"""The audit log: read-only, each entry's change shown as a side-by-side diff."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from unfold.contrib.filters.admin import RangeDateTimeFilter
from unfold.decorators import display

from aurum.models import AuditLog
from config.admin.base import ReadOnlyModelAdmin
from config.admin.display import json_text

ACTION_LABELS = {
    "create": "success",
    "update": "info",
    "archive": "warning",
    "restore": "info",
    "delete": "danger",
}
_CELL = "padding: .25rem .75rem; vertical-align: top; white-space: pre-wrap;"
_OLD = "background: rgba(239, 68, 68, .12);"
_NEW = "background: rgba(34, 197, 94, .12);"


def diff_rows(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """``(field, before, after)`` for every field either side names, in name order ("" where a
    side has no value: a create has no before, a delete no after)."""
    old, new = old or {}, new or {}
    return [
        (
            field,
            json_text(old[field]) if field in old else "",
            json_text(new[field]) if field in new else "",
        )
        for field in sorted(set(old) | set(new))
    ]


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyModelAdmin):
    """Written by database triggers on every change of the hierarchy and the journal; nobody,
    staff included, may change or delete an entry (the database refuses it too)."""

    icon = "history"
    list_display = ("created_at", "action_label", "entity_type", "entity_id", "user",
                    "changed_fields", "ip_address")  # fmt: skip
    list_filter = ("action", "entity_type", ("created_at", RangeDateTimeFilter))
    list_select_related = ("user",)
    search_fields = ("=entity_id", "=user__username", "=ip_address")
    search_help_text = "The exact entity id, owner's username or address"
    date_hierarchy = "created_at"
    fieldsets = (
        (None, {"fields": ("action", "entity_type", "entity_id", "user", "created_at")}),
        ("Change", {"fields": ("diff",)}),
        ("Request", {"fields": ("ip_address", "user_agent")}),
    )
    readonly_fields = ("diff",)

    @display(description="Action", label=ACTION_LABELS, ordering="action")
    def action_label(self, obj: AuditLog) -> str:
        return obj.action

    @display(description="Fields")
    def changed_fields(self, obj: AuditLog) -> str:
        fields = sorted(set(obj.old_values or {}) | set(obj.new_values or {}))
        return ", ".join(fields[:6]) + (" …" if len(fields) > 6 else "")

    @display(description="Before and after")
    def diff(self, obj: AuditLog) -> SafeString:
        rows = diff_rows(obj.old_values, obj.new_values)
        if not rows:
            return format_html("<span>{}</span>", "No values recorded.")
        body = format_html_join(
            "",
            '<tr><th style="{}">{}</th><td style="{}">{}</td><td style="{}">{}</td></tr>',
            (
                (
                    _CELL,
                    field,
                    _CELL + (_OLD if before else ""),
                    before,
                    _CELL + (_NEW if after else ""),
                    after,
                )
                for field, before, after in rows
            ),
        )
        return format_html(
            '<table class="aurum-audit-diff"><thead><tr><th style="{}">Field</th>'
            '<th style="{}">Before</th><th style="{}">After</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            _CELL,
            _CELL,
            _CELL,
            body,
        )
