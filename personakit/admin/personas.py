"""Personas (generated: read-only, expired ones kept), the narratives that shaped them, and
feedback, with its per-rule helpfulness."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from unfold.contrib.filters.admin import RangeDateTimeFilter
from unfold.decorators import action, display

from config.admin.base import ReadOnlyModelAdmin, ReadOnlyTabularInline
from config.admin.display import json_display, plural
from config.admin.links import admin_url, object_link
from personakit.models import Feedback, Persona, PersonaNarrativeUsage
from personakit.selectors.feedback import rule_helpfulness
from personakit.selectors.personas import persona_is_expired
from personakit.services.personas import personas_mark_expired


def _expired() -> Q:
    return Q(is_expired=True) | Q(expires_at__lte=timezone.now())


class ExpiredFilter(admin.SimpleListFilter):
    """By the clock as well as the mark: the periodic marking may not have caught up yet."""

    title = "expiry"
    parameter_name = "expiry"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [("active", "Active"), ("expired", "Expired")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "active":
            return queryset.exclude(_expired())
        if self.value() == "expired":
            return queryset.filter(_expired())
        return queryset


class NarrativeUsageInline(ReadOnlyTabularInline):
    model = PersonaNarrativeUsage
    fields = ("narrative", "usage_type", "relevance_score")
    readonly_fields = fields
    tab = True


class FeedbackInline(ReadOnlyTabularInline):
    model = Feedback
    fields = ("rating", "helpful", "rule_id", "mapper_version", "created_at")
    readonly_fields = fields
    tab = True


@admin.register(Persona)
class PersonaAdmin(ReadOnlyModelAdmin):
    icon = "face"
    list_display = (
        "person",
        "mapper_config_id",
        "mapper_version",
        "rules_fired",
        "state",
        "created_at",
        "expires_at",
    )
    list_filter = (ExpiredFilter, "mapper_config_id", ("created_at", RangeDateTimeFilter))
    list_select_related = ("person",)
    search_fields = ("=person__id", "person__display_name", "mapper_config_id")
    search_help_text = "Person's exact id or name, or the mapper's config id"
    date_hierarchy = "created_at"
    inlines = (NarrativeUsageInline, FeedbackInline)
    actions_list = ("mark_expired",)
    fieldsets = (
        (None, {"fields": ("person", "mapper_link", "mapper_version", "state", "created_by")}),
        ("Lifetime", {"fields": ("created_at", "expires_at", "is_expired")}),
        ("Core", {"fields": ("core_display",)}),
        ("Overlay", {"fields": ("overlay_display",)}),
        ("Metadata", {"fields": ("metadata_display",)}),
    )
    readonly_fields = (
        "mapper_link",
        "state",
        "core_display",
        "overlay_display",
        "metadata_display",
    )

    @display(description="State", label={"active": "success", "expired": "default"})
    def state(self, obj: Persona) -> str:
        return "expired" if persona_is_expired(obj) else "active"

    @display(description="Rules fired")
    def rules_fired(self, obj: Persona) -> int:
        return len((obj.metadata or {}).get("rules_fired") or [])

    @display(description="Mapper")
    def mapper_link(self, obj: Persona) -> SafeString:
        return object_link(obj.mapper)

    @display(description="Core (stable traits)")
    def core_display(self, obj: Persona) -> SafeString:
        return json_display(obj.core)

    @display(description="Overlay (suggestions and context)")
    def overlay_display(self, obj: Persona) -> SafeString:
        return json_display(obj.overlay)

    @display(description="Metadata")
    def metadata_display(self, obj: Persona) -> SafeString:
        return json_display(obj.metadata)

    def has_mark_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("personakit.change_persona")

    @action(description="Mark expired personas now", permissions=["mark"], icon="timer_off")
    def mark_expired(self, request: HttpRequest) -> HttpResponse:
        # What the periodic task does; harmless to run early or twice.
        marked = personas_mark_expired()
        messages.success(request, f"Marked {plural(marked, 'persona')} expired.")
        return HttpResponseRedirect(admin_url(Persona, "changelist"))


@admin.register(PersonaNarrativeUsage)
class PersonaNarrativeUsageAdmin(ReadOnlyModelAdmin):
    icon = "library_books"
    list_display = ("persona", "narrative_excerpt", "usage_type", "relevance_score", "created_at")
    list_filter = ("usage_type",)
    list_select_related = ("persona", "narrative")
    search_fields = ("=persona__id", "=narrative__id")
    search_help_text = "Exact persona or narrative id"
    fieldsets = (
        (None, {"fields": ("persona_link", "narrative_link", "usage_type", "relevance_score")}),
        ("Context", {"fields": ("usage_context_display", "created_at")}),
    )
    readonly_fields = ("persona_link", "narrative_link", "usage_context_display")

    @display(description="Narrative")
    def narrative_excerpt(self, obj: PersonaNarrativeUsage) -> str:
        return Truncator(obj.narrative.raw_text).chars(60)

    @display(description="Persona")
    def persona_link(self, obj: PersonaNarrativeUsage) -> SafeString:
        return object_link(obj.persona)

    @display(description="Narrative")
    def narrative_link(self, obj: PersonaNarrativeUsage) -> SafeString:
        return object_link(obj.narrative, Truncator(obj.narrative.raw_text).chars(60))

    @display(description="Usage context")
    def usage_context_display(self, obj: PersonaNarrativeUsage) -> SafeString:
        return json_display(obj.usage_context)


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyModelAdmin):
    """Feedback is the persons' owners' word: read here, and aggregated per rule."""

    icon = "thumbs_up_down"
    list_display = ("rating", "helpful", "rule_id", "mapper_version", "persona", "created_at")
    list_filter = ("rating", "helpful", "rule_id", ("created_at", RangeDateTimeFilter))
    list_select_related = ("persona",)
    search_fields = ("rule_id", "=persona__id")
    search_help_text = "Rule id, or the persona's exact id"
    date_hierarchy = "created_at"
    actions_list = ("helpfulness",)
    fieldsets = (
        (None, {"fields": ("persona_link", "rating", "helpful", "rule_id", "mapper_version")}),
        ("Context", {"fields": ("context_display", "created_by", "created_at")}),
    )
    readonly_fields = ("persona_link", "context_display")

    @display(description="Persona")
    def persona_link(self, obj: Feedback) -> SafeString:
        return object_link(obj.persona)

    @display(description="Context")
    def context_display(self, obj: Feedback) -> SafeString:
        return json_display(obj.context)

    @action(description="Helpfulness per rule", url_path="helpfulness", icon="leaderboard")
    def helpfulness(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        config_id = request.GET.get("config_id") or None
        rows = rule_helpfulness(config_id=config_id)
        return TemplateResponse(
            request,
            "admin/personakit/feedback/helpfulness.html",
            {
                **self.admin_site.each_context(request),
                "title": "Helpfulness per rule",
                "opts": self.opts,
                "config_id": config_id,
                "rows": [_helpfulness_row(row) for row in rows],
                "changelist_url": admin_url(Feedback, "changelist"),
            },
        )


def _helpfulness_row(row: dict[str, Any]) -> dict[str, Any]:
    ratio, rating = row["helpful_ratio"], row["avg_rating"]
    return {
        **row,
        "helpful_percent": None if ratio is None else round(100 * ratio),
        "avg_rating_text": "—" if rating is None else f"{rating:.2f}",
        "feedback_url": admin_url(
            Feedback, "changelist", query=urlencode({"rule_id__exact": row["rule_id"]})
        ),
    }
