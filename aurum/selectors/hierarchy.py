"""Reads of the life hierarchy: the caller's live (or archived) rows, and the tree."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from aurum.models import Area, HierarchyView, Pillar, Project, Task, TaskDependency


def pillar_list(*, user: Any, archived: bool = False) -> QuerySet[Pillar]:
    """The caller's pillars with how many live areas each holds."""
    return (
        Pillar.objects.filter(user=user, archived=archived)
        .annotate(area_count=Count("areas", filter=Q(areas__archived=False), distinct=True))
        .order_by("sort_order", "name", "id")
    )  # Meta.ordering does not survive a GROUP BY


def area_list(*, user: Any, archived: bool = False) -> QuerySet[Area]:
    """The caller's areas with their pillar and how many live projects each holds."""
    return (
        Area.objects.filter(user=user, archived=archived)
        .select_related("pillar")
        .annotate(
            project_count=Count("projects", filter=Q(projects__archived=False), distinct=True)
        )
        .order_by("sort_order", "name", "id")
    )


def project_list(*, user: Any, archived: bool = False) -> QuerySet[Project]:
    """The caller's projects with their area and pillar and task counts."""
    return (
        Project.objects.filter(user=user, archived=archived)
        .select_related("area", "pillar")
        .annotate(
            task_count=Count("tasks", filter=Q(tasks__archived=False), distinct=True),
            completed_task_count=Count(
                "tasks", filter=Q(tasks__archived=False, tasks__completed=True), distinct=True
            ),
        )
        .order_by("sort_order", "-created_at", "id")
    )


def task_list(*, user: Any, archived: bool = False) -> QuerySet[Task]:
    """The caller's tasks with their project, area, pillar and the ids they depend on."""
    return (
        Task.objects.filter(user=user, archived=archived)
        .select_related("project", "area", "pillar")
        .prefetch_related(
            Prefetch(
                "dependency_links",
                queryset=TaskDependency.objects.only("id", "task_id", "depends_on_id"),
            )
        )
    )


def task_dependency_list(*, user: Any) -> QuerySet[TaskDependency]:
    """The caller's dependency links between live tasks."""
    return TaskDependency.objects.filter(
        user=user, task__archived=False, depends_on__archived=False
    )


def hierarchy_rows(*, user: Any) -> QuerySet[HierarchyView]:
    """The caller's rows of ``hierarchy_view`` (as fresh as its last refresh)."""
    return HierarchyView.objects.filter(user=user)


@dataclass
class Node:
    """One row of the hierarchy tree and what hangs under it."""

    row: Any
    children: list[Node] = field(default_factory=list)


def hierarchy_tree(*, user: Any, include_archived: bool = False) -> list[Node]:
    """The caller's pillars, their areas, projects and tasks as a tree; areas without a pillar
    hang under a root ``Node(row=None)`` at the end. Four queries, whatever the size."""
    live = {} if include_archived else {"archived": False}
    pillars = {p.id: Node(p) for p in Pillar.objects.filter(user=user, **live)}
    areas = {a.id: Node(a) for a in Area.objects.filter(user=user, **live)}
    projects = {p.id: Node(p) for p in Project.objects.filter(user=user, **live)}
    loose = Node(None)
    for node in areas.values():
        parent = pillars.get(node.row.pillar_id, loose)
        parent.children.append(node)
    for node in projects.values():
        if node.row.area_id in areas:
            areas[node.row.area_id].children.append(node)
    tasks = Task.objects.filter(user=user, project_id__in=list(projects), **live).only(
        "id", "name", "status", "priority", "due_date", "project_id", "archived"
    )
    for task in tasks:
        projects[task.project_id].children.append(Node(task))
    return [*pillars.values(), *([loose] if loose.children else [])]
