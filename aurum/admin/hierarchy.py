"""Pillars, areas, projects, tasks and their dependencies; ``hierarchy_view`` with a refresh
button; a person's whole hierarchy as a tree."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from unfold.decorators import action

from aurum.admin.common import ArchivableAdminMixin, ArchivedFilter, ReembedMixin
from aurum.models import Area, HierarchyView, Pillar, Project, Task, TaskDependency
from aurum.selectors.hierarchy import Node, hierarchy_tree
from aurum.services.hierarchy import hierarchy_view_refresh, hierarchy_view_refresh_soon
from aurum.services.scoring import tasks_rescore
from config.admin.base import (
    CreatedElsewhereMixin,
    LucidModelAdmin,
    ReadOnlyModelAdmin,
    ReadOnlyTabularInline,
)
from config.admin.display import embedding_display, plural, time_ago
from config.admin.links import admin_url, object_link
from config.database.matviews import last_refresh

EMBEDDING_FIELDS = ("embedding_model", "embedding_updated_at")


class HierarchyAdmin(CreatedElsewhereMixin, ArchivableAdminMixin, ReembedMixin, LucidModelAdmin):
    """Archivable, embedded rows of the hierarchy. People add them through the API; staff
    correct, archive, restore and re-embed them here."""

    actions = ("archive", "restore_archived", "re_embed")
    list_select_related = ("user",)
    search_fields = ("name", "description", "=user__username", "=id")
    search_help_text = "Name or description, the owner's exact username, or the exact id"
    date_hierarchy = "created_at"

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        hierarchy_view_refresh_soon()


class AreaInline(ReadOnlyTabularInline):
    model = Area
    fields = ("name", "importance", "archived")
    readonly_fields = fields
    show_change_link = True


@admin.register(Pillar)
class PillarAdmin(HierarchyAdmin):
    icon = "foundation"
    list_display = ("name", "user", "weight", "time_allocation_percentage", "archived",
                    "embedding_summary", "updated_at")  # fmt: skip
    list_filter = (ArchivedFilter,)
    inlines = (AreaInline,)
    actions_list = ("tree",)
    readonly_fields = ("user", "embedding_summary", *EMBEDDING_FIELDS, "archived", "archived_at",
                       "created_at", "updated_at")  # fmt: skip
    embedding_summary = embedding_display(
        "combined_embedding", updated_field="embedding_updated_at"
    )

    @action(description="Hierarchy tree per person", url_path="tree", icon="account_tree")
    def tree(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        people = get_user_model().objects.filter(aurum_pillars__isnull=False).distinct()
        wanted = request.GET.get("user")
        chosen = people.filter(pk=wanted).first() if _is_uuid(wanted) else None
        return TemplateResponse(
            request,
            "admin/aurum/hierarchy_tree.html",
            {
                **self.admin_site.each_context(request),
                "title": "Hierarchy tree" + (f" of {chosen}" if chosen else ""),
                "opts": self.opts,
                "people": people.order_by("username")[:200],
                "chosen": chosen,
                "tree": _tree_rows(hierarchy_tree(user=chosen, include_archived=True))
                if chosen
                else [],
            },
        )


def _is_uuid(value: str | None) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _tree_rows(nodes: list[Node], depth: int = 0) -> list[dict[str, Any]]:
    """The tree flattened for the template: each row with its depth, link and facts."""
    rows = []
    for node in nodes:
        row = node.row
        if row is None:
            rows.append({"depth": depth, "link": "Areas without a pillar", "facts": ""})
        else:
            facts = {
                Pillar: lambda r: f"weight {r.weight}",
                Area: lambda r: f"importance {r.importance}",
                Project: lambda r: f"{r.status} · {r.priority} · {r.completion_percentage} %",
                Task: lambda r: (
                    f"{r.status} · {r.priority}"
                    + (f" · due {r.due_date:%Y-%m-%d}" if r.due_date else "")
                ),
            }[type(row)](row)
            kind = type(row)._meta.verbose_name
            rows.append({"depth": depth, "link": object_link(row), "facts": facts,
                         "kind": kind, "archived": row.archived})  # fmt: skip
        rows += _tree_rows(node.children, depth + 1)
    return rows


class ProjectInline(ReadOnlyTabularInline):
    model = Project
    fields = ("name", "status", "priority", "importance", "completion_percentage", "archived")
    readonly_fields = fields
    show_change_link = True


@admin.register(Area)
class AreaAdmin(HierarchyAdmin):
    icon = "category"
    list_display = ("name", "pillar", "user", "importance", "archived", "embedding_summary")
    list_filter = (ArchivedFilter, "importance")
    list_select_related = ("user", "pillar")
    autocomplete_fields = ("pillar",)
    inlines = (ProjectInline,)
    readonly_fields = ("user", "embedding_summary", *EMBEDDING_FIELDS, "archived", "archived_at",
                       "created_at", "updated_at")  # fmt: skip
    embedding_summary = embedding_display(
        "combined_embedding", updated_field="embedding_updated_at"
    )


class TaskInline(ReadOnlyTabularInline):
    model = Task
    fk_name = "project"
    fields = ("name", "status", "priority", "due_date", "hrm_priority_score", "archived")
    readonly_fields = fields
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(HierarchyAdmin):
    icon = "rocket_launch"
    list_display = ("name", "area", "user", "status", "priority", "completion_percentage",
                    "actual_hours_spent", "hrm_health_score", "archived")  # fmt: skip
    list_filter = (ArchivedFilter, "status", "priority", "importance")
    list_select_related = ("user", "area")
    autocomplete_fields = ("area",)
    inlines = (TaskInline,)
    readonly_fields = ("user", "pillar", "completion_percentage", "completed_at",
                       "actual_hours_spent", "last_activity_date", "hrm_coherence_score",
                       "hrm_health_score", "hrm_risk_assessment", "hrm_suggested_adjustments",
                       "embedding_summary", *EMBEDDING_FIELDS, "archived", "archived_at",
                       "created_at", "updated_at")  # fmt: skip
    embedding_summary = embedding_display(
        "combined_embedding", updated_field="embedding_updated_at"
    )


class DependencyInline(ReadOnlyTabularInline):
    model = TaskDependency
    fk_name = "task"
    fields = ("depends_on", "created_at")
    readonly_fields = fields
    verbose_name = "waits for"
    verbose_name_plural = "waits for"


@admin.register(Task)
class TaskAdmin(HierarchyAdmin):
    icon = "task_alt"
    list_display = ("name", "project", "user", "status", "priority", "due_date",
                    "hrm_priority_score", "hrm_alignment_score", "archived")  # fmt: skip
    list_filter = (ArchivedFilter, "status", "priority", "completed", "obstacle_risk")
    list_select_related = ("user", "project")
    autocomplete_fields = ("project",)
    inlines = (DependencyInline,)
    actions = (*HierarchyAdmin.actions, "rescore")
    readonly_fields = ("user", "area", "pillar", "completed_at", "hrm_priority_score",
                       "hrm_alignment_score", "hrm_reasoning_summary", "hrm_last_analyzed",
                       "ai_suggested_timeblock", "obstacle_risk", "actual_duration",
                       "actual_start_time", "actual_end_time", "focus_time_minutes",
                       "name_vector", "description_vector", *EMBEDDING_FIELDS, "archived",
                       "archived_at", "created_at", "updated_at")  # fmt: skip
    name_vector = embedding_display(
        "name_embedding", updated_field="embedding_updated_at", description="Name embedding"
    )
    description_vector = embedding_display(
        "description_embedding",
        updated_field="embedding_updated_at",
        description="Description embedding",
    )

    @admin.action(description="Re-score (HRM)", permissions=["change"])
    def rescore(self, request: HttpRequest, queryset: QuerySet[Task]) -> None:
        by_owner: dict[Any, list[Any]] = {}
        for owner_id, task_id in queryset.values_list("user_id", "id"):
            by_owner.setdefault(owner_id, []).append(task_id)
        scored = 0
        for owner in get_user_model().objects.filter(pk__in=by_owner):
            scored += tasks_rescore(user=owner, task_ids=by_owner[owner.pk])
        self.message_user(request, f"Re-scored {plural(scored, 'open task')}.", messages.SUCCESS)


@admin.register(TaskDependency)
class TaskDependencyAdmin(CreatedElsewhereMixin, LucidModelAdmin):
    """Links are added through the API (the database refuses one that would close a cycle or
    join two people's tasks); staff may remove them."""

    icon = "account_tree"
    list_display = ("task", "depends_on", "user", "created_at")
    list_select_related = ("task", "depends_on", "user")
    search_fields = ("task__name", "depends_on__name", "=user__username")
    readonly_fields = ("user", "task", "depends_on", "created_at")


@admin.register(HierarchyView)
class HierarchyViewAdmin(ReadOnlyModelAdmin):
    """The materialized view (the seed's hierarchy_view), refreshed by beat and after writes."""

    icon = "lan"
    list_display = ("task_name", "project_name", "area_name", "pillar_name", "task_status",
                    "task_priority", "due_date", "hrm_priority_score")  # fmt: skip
    list_filter = ("task_status", "task_priority")
    search_fields = ("task_name", "project_name", "area_name", "pillar_name", "=user__username")
    actions_list = ("refresh",)

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        refreshed = last_refresh("aurum.hierarchy_view")
        when = time_ago(refreshed.refreshed_at) if refreshed else "never"
        subtitle = f"Last refreshed {when}."
        return super().changelist_view(request, {**(extra_context or {}), "subtitle": subtitle})

    def has_refresh_permission(self, request: HttpRequest) -> bool:
        return request.user.is_staff

    @action(description="Refresh now", permissions=["refresh"], icon="refresh")
    def refresh(self, request: HttpRequest) -> HttpResponse:
        result = hierarchy_view_refresh()
        if result["refreshed"]:
            messages.success(request, f"Refreshed hierarchy_view in {result['duration_ms']} ms.")
        else:
            messages.warning(request, "Another refresh is running; it will bring the view up.")
        return HttpResponseRedirect(admin_url(HierarchyView, "changelist"))
