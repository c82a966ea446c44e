"""The life hierarchy: pillars, areas, projects and tasks (DELETE archives; restore brings
back), task dependencies, and ``GET /hierarchy``, the caller's rows of ``hierarchy_view``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers

from aurum.api.base import ArchivableFilter, ArchivableViewSet
from aurum.choices import ProjectPriority, ProjectStatus, TaskPriority, TaskStatus
from aurum.models import Area, HierarchyView, Pillar, Project, Task, TaskDependency
from aurum.selectors.hierarchy import (
    area_list,
    hierarchy_rows,
    pillar_list,
    project_list,
    task_dependency_list,
    task_list,
)
from aurum.services import hierarchy
from config.api.fields import CallerRowField
from config.api.filters import FilterSet
from config.api.serializers import ModelSerializer
from config.api.viewsets import (
    CallerReadOnlyViewSet,
    CallerViewSet,
    CreateMixin,
    DestroyMixin,
    Writes,
)

STAMPS = ["archived", "archived_at", "created_at", "updated_at"]
EMBEDDED = ["embedding_model", "embedding_updated_at"]


class ParentSerializer(serializers.Serializer):
    """A parent row as its children show it."""

    id = serializers.UUIDField()
    name = serializers.CharField()


def _parent(row: Any) -> dict[str, Any] | None:
    return None if row is None else {"id": row.id, "name": row.name}


class PillarSerializer(ModelSerializer):
    area_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Pillar
        fields = ["id", "name", "description", "icon", "color", "weight",
                  "time_allocation_percentage", "sort_order", "area_count", *EMBEDDED,
                  *STAMPS]  # fmt: skip
        read_only_fields = ["id", *EMBEDDED, *STAMPS]
        extra_kwargs = {
            "weight": {"min_value": Decimal("0.1"), "max_value": Decimal(2)},
            "time_allocation_percentage": {"min_value": 0, "max_value": 100},
        }


class AreaSerializer(ModelSerializer):
    pillar = CallerRowField(Pillar, rows=pillar_list, required=False, allow_null=True)
    pillar_detail = serializers.SerializerMethodField()
    project_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Area
        fields = ["id", "pillar", "pillar_detail", "name", "description", "icon", "color",
                  "importance", "sort_order", "project_count", *EMBEDDED, *STAMPS]  # fmt: skip
        read_only_fields = ["id", *EMBEDDED, *STAMPS]
        extra_kwargs = {"importance": {"min_value": 1, "max_value": 5}}

    @extend_schema_field(ParentSerializer(allow_null=True))
    def get_pillar_detail(self, area: Area) -> dict[str, Any] | None:
        return _parent(area.pillar)


class ProjectSerializer(ModelSerializer):
    area = CallerRowField(Area, rows=area_list)
    area_detail = serializers.SerializerMethodField()
    pillar_detail = serializers.SerializerMethodField()
    task_count = serializers.IntegerField(read_only=True, default=0)
    completed_task_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Project
        fields = ["id", "area", "area_detail", "pillar", "pillar_detail", "name", "description",
                  "status", "priority", "importance", "completion_percentage", "start_date",
                  "due_date", "completed_at", "estimated_hours", "actual_hours_spent",
                  "last_activity_date", "task_count", "completed_task_count",
                  "hrm_coherence_score", "hrm_health_score", "hrm_risk_assessment",
                  "hrm_suggested_adjustments", "sort_order", *EMBEDDED, *STAMPS]  # fmt: skip
        read_only_fields = ["id", "pillar", "completion_percentage", "completed_at",
                            "actual_hours_spent", "last_activity_date", "hrm_coherence_score",
                            "hrm_health_score", "hrm_risk_assessment",
                            "hrm_suggested_adjustments", *EMBEDDED, *STAMPS]  # fmt: skip
        extra_kwargs = {
            "importance": {"min_value": 1, "max_value": 5},
            "estimated_hours": {"min_value": 0},
        }

    @extend_schema_field(ParentSerializer())
    def get_area_detail(self, project: Project) -> dict[str, Any] | None:
        return _parent(project.area)

    @extend_schema_field(ParentSerializer(allow_null=True))
    def get_pillar_detail(self, project: Project) -> dict[str, Any] | None:
        return _parent(project.pillar)


class TaskSerializer(ModelSerializer):
    project = CallerRowField(Project, rows=project_list)
    project_detail = serializers.SerializerMethodField()
    area_detail = serializers.SerializerMethodField()
    pillar_detail = serializers.SerializerMethodField()
    depends_on = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "project", "project_detail", "area", "area_detail", "pillar",
                  "pillar_detail", "name", "description", "status", "priority", "completed",
                  "completed_at", "due_date", "progress", "estimated_duration", "depends_on",
                  "hrm_priority_score", "hrm_alignment_score", "hrm_reasoning_summary",
                  "hrm_last_analyzed", "ai_suggested_timeblock", "obstacle_risk",
                  "actual_duration", "actual_start_time", "actual_end_time",
                  "focus_time_minutes", "interruption_count", "context_switches",
                  "energy_level_at_start", "energy_level_at_completion", "sort_order",
                  *EMBEDDED, *STAMPS]  # fmt: skip
        read_only_fields = ["id", "area", "pillar", "completed_at", "hrm_priority_score",
                            "hrm_alignment_score", "hrm_reasoning_summary", "hrm_last_analyzed",
                            "ai_suggested_timeblock", "obstacle_risk", "actual_duration",
                            "actual_start_time", "actual_end_time", "focus_time_minutes",
                            *EMBEDDED, *STAMPS]  # fmt: skip
        extra_kwargs = {
            "progress": {"min_value": 0, "max_value": 100},
            "estimated_duration": {"min_value": 0},
            "interruption_count": {"min_value": 0},
            "context_switches": {"min_value": 0},
        }

    @extend_schema_field(ParentSerializer())
    def get_project_detail(self, task: Task) -> dict[str, Any] | None:
        return _parent(task.project)

    @extend_schema_field(ParentSerializer(allow_null=True))
    def get_area_detail(self, task: Task) -> dict[str, Any] | None:
        return _parent(task.area)

    @extend_schema_field(ParentSerializer(allow_null=True))
    def get_pillar_detail(self, task: Task) -> dict[str, Any] | None:
        return _parent(task.pillar)

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_depends_on(self, task: Task) -> list[str]:
        return [str(link.depends_on_id) for link in task.dependency_links.all()]


class TaskDependencySerializer(ModelSerializer):
    task = CallerRowField(Task, rows=task_list)
    depends_on = CallerRowField(Task, rows=task_list)

    class Meta:
        model = TaskDependency
        fields = ["id", "task", "depends_on", "created_at"]
        read_only_fields = ["id", "created_at"]


class HierarchyRowSerializer(ModelSerializer):
    id = serializers.UUIDField(source="task_id", read_only=True, help_text="The task's id.")

    class Meta:
        model = HierarchyView
        fields = ["id", "task_id", "task_name", "project_id", "project_name", "area_id",
                  "area_name", "pillar_id", "pillar_name", "task_status", "task_priority",
                  "due_date", "hrm_priority_score", "hrm_alignment_score"]  # fmt: skip


# --- filters ----------------------------------------------------------------------------------


class AreaFilter(ArchivableFilter):
    class Meta:
        model = Area
        fields = ["pillar", "importance", "archived"]


class ProjectFilter(ArchivableFilter):
    status = filters.MultipleChoiceFilter(choices=ProjectStatus.choices)
    priority = filters.MultipleChoiceFilter(choices=ProjectPriority.choices)
    due_after = filters.IsoDateTimeFilter(field_name="due_date", lookup_expr="gte")
    due_before = filters.IsoDateTimeFilter(field_name="due_date", lookup_expr="lt")

    class Meta:
        model = Project
        fields = ["area", "pillar", "status", "priority", "importance", "due_after",
                  "due_before", "archived"]  # fmt: skip


class TaskFilter(ArchivableFilter):
    status = filters.MultipleChoiceFilter(choices=TaskStatus.choices)
    priority = filters.MultipleChoiceFilter(choices=TaskPriority.choices)
    due_after = filters.IsoDateTimeFilter(field_name="due_date", lookup_expr="gte")
    due_before = filters.IsoDateTimeFilter(field_name="due_date", lookup_expr="lt")

    class Meta:
        model = Task
        fields = ["project", "area", "pillar", "status", "priority", "completed", "due_after",
                  "due_before", "archived"]  # fmt: skip


class TaskDependencyFilter(FilterSet):
    class Meta:
        model = TaskDependency
        fields = ["task", "depends_on"]


class HierarchyFilter(FilterSet):
    class Meta:
        model = HierarchyView
        fields = ["pillar_id", "area_id", "project_id", "task_status", "task_priority"]


# --- viewsets ---------------------------------------------------------------------------------


class PillarViewSet(ArchivableViewSet):
    """The caller's pillars; DELETE archives, ``POST …/restore`` brings back."""

    queryset = Pillar.objects.all()
    serializer_class = PillarSerializer
    filterset_class = ArchivableFilter
    search_fields = ["name", "description"]
    ordering_fields = ["sort_order", "name", "weight", "created_at", "updated_at"]
    selector = staticmethod(pillar_list)
    writes = Writes.named(hierarchy, "pillar")


class AreaViewSet(ArchivableViewSet):
    """The caller's areas, each with its pillar; DELETE archives."""

    queryset = Area.objects.all()
    serializer_class = AreaSerializer
    filterset_class = AreaFilter
    search_fields = ["name", "description"]
    ordering_fields = ["sort_order", "name", "importance", "created_at", "updated_at"]
    selector = staticmethod(area_list)
    writes = Writes.named(hierarchy, "area")


class ProjectViewSet(ArchivableViewSet):
    """The caller's projects with their area and pillar; DELETE archives."""

    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    search_fields = ["name", "description"]
    ordering_fields = ["sort_order", "name", "status", "priority", "importance", "due_date",
                       "completion_percentage", "created_at", "updated_at"]  # fmt: skip
    selector = staticmethod(project_list)
    writes = Writes.named(hierarchy, "project")


class TaskViewSet(ArchivableViewSet):
    """The caller's tasks with their project, area, pillar and dependencies; DELETE archives."""

    queryset = Task.objects.all()
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    search_fields = ["name", "description"]
    ordering_fields = ["sort_order", "name", "status", "priority", "due_date",
                       "hrm_priority_score", "hrm_alignment_score", "created_at",
                       "updated_at", "completed_at"]  # fmt: skip
    selector = staticmethod(task_list)
    writes = Writes.named(hierarchy, "task")


class TaskDependencyViewSet(
    CreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, DestroyMixin, CallerViewSet
):
    """Links between the caller's tasks: ``task`` waits for ``depends_on``; no cycles."""

    queryset = TaskDependency.objects.all()
    serializer_class = TaskDependencySerializer
    filterset_class = TaskDependencyFilter
    ordering_fields = ["created_at"]
    selector = staticmethod(task_dependency_list)
    writes = Writes.named(hierarchy, "task_dependency")


class HierarchyViewSet(CallerReadOnlyViewSet):
    """The caller's rows of ``hierarchy_view``: each live task with its project, area and
    pillar (refreshed concurrently, shortly after hierarchy writes)."""

    queryset = HierarchyView.objects.all()
    serializer_class = HierarchyRowSerializer
    filterset_class = HierarchyFilter
    search_fields = ["task_name", "project_name", "area_name", "pillar_name"]
    ordering_fields = ["task_name", "project_name", "area_name", "pillar_name", "due_date",
                       "hrm_priority_score", "hrm_alignment_score"]  # fmt: skip
    selector = staticmethod(hierarchy_rows)
