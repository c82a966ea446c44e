"""Personas and tag clusters as readable JSON; learning profiles; suggestions with state."""

from __future__ import annotations

from django.contrib import admin
from django.utils.safestring import SafeString

from config.admin.base import LucidModelAdmin, ReadOnlyModelAdmin
from config.admin.display import json_display
from dreamscape.models import DreamscapeSuggestion, LearningProfile, TagCluster, UserPersona

PERSONA_JSON = ("technical_profile", "lifestyle_profile", "learning_style",
                "interests_evolution", "cross_domain_insights")  # fmt: skip


def _json_field(name: str):
    @admin.display(description=name.replace("_", " "))
    def show(self, row) -> SafeString:
        return json_display(getattr(row, name))

    return show


@admin.register(UserPersona)
class UserPersonaAdmin(ReadOnlyModelAdmin):
    icon = "face"
    list_display = ("user", "life_phase", "phase_confidence", "last_analyzed_at")
    list_filter = ("life_phase",)
    list_select_related = ("user",)
    search_fields = ("=user__username",)
    ordering = ("-last_analyzed_at",)
    exclude = PERSONA_JSON
    readonly_fields = tuple(f"{name}_display" for name in PERSONA_JSON)
    locals().update({f"{name}_display": _json_field(name) for name in PERSONA_JSON})


@admin.register(TagCluster)
class TagClusterAdmin(ReadOnlyModelAdmin):
    icon = "bubble_chart"
    list_display = ("cluster_name", "user", "cluster_size", "cohesion_score", "updated_at")
    list_select_related = ("user",)
    search_fields = ("cluster_name", "=user__username")
    ordering = ("-updated_at",)
    exclude = ("tags", "evolution_data", "cluster_center")
    readonly_fields = ("tags_display", "evolution_data_display")
    tags_display = _json_field("tags")
    evolution_data_display = _json_field("evolution_data")


@admin.register(LearningProfile)
class LearningProfileAdmin(LucidModelAdmin):
    icon = "school"
    list_display = ("skill_area", "user", "current_level", "learning_velocity", "last_activity")
    list_filter = ("current_level",)
    list_select_related = ("user",)
    search_fields = ("skill_area", "=user__username")
    ordering = ("-learning_velocity",)


@admin.register(DreamscapeSuggestion)
class DreamscapeSuggestionAdmin(ReadOnlyModelAdmin):
    icon = "lightbulb"
    list_display = ("title", "user", "suggestion_type", "priority_score", "state", "expires_at")
    list_filter = ("suggestion_type", "is_dismissed", "is_acted_upon")
    list_select_related = ("user",)
    search_fields = ("title", "=user__username")
    ordering = ("-created_at",)

    @admin.display(description="state")
    def state(self, suggestion: DreamscapeSuggestion) -> str:
        if suggestion.is_acted_upon:
            return "acted on"
        if suggestion.is_dismissed:
            return "dismissed"
        return "active"
