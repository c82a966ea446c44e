"""Dreamcatcher's admin dashboard cards (registered in ``registrations.py``).

Each ``render(request)`` returns the context of ``admin/cards/chart.html`` or
``admin/cards/metrics.html``; every count is one aggregate query over an indexed column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator

from config.admin.display import time_ago
from config.admin.links import admin_url
from dreamcatcher.choices import DreamStatus, TodoStatus
from dreamcatcher.models import Brand, Dream, DreamStatistics, SyncSession, Todo
from dreamcatcher.selectors.reports import dream_statistics_last_refresh

if TYPE_CHECKING:
    from django.http import HttpRequest

OPEN_TODO_STATUSES = (TodoStatus.PENDING, TodoStatus.IN_PROGRESS)


def dreams_by_status(request: HttpRequest) -> dict[str, Any]:
    """How many dreams are at each stage, idea to archived."""
    counts = dict(Dream.objects.values_list("status").annotate(n=Count("pk")).order_by())
    synced = Dream.objects.filter(synced_with_pipelineos=True).count()
    return {
        "metrics": [
            ("Dreams", sum(counts.values()), admin_url(Dream, "changelist")),
            (
                "Synced to PipelineOS",
                synced,
                admin_url(Dream, "changelist", query="synced_with_pipelineos__exact=1"),
            ),
        ],
        "chart": {
            "type": "bar",
            "labels": [status.label for status in DreamStatus],
            "datasets": [
                {"label": "Dreams", "data": [counts.get(status, 0) for status in DreamStatus]}
            ],
            "height": 160,
        },
        "link": {"href": admin_url(Dream, "changelist"), "title": "All dreams"},
    }


def dreams_by_brand(request: HttpRequest) -> dict[str, Any]:
    """How many dreams each brand has (active brands, and any other that has dreams)."""
    counts = dict(Dream.objects.values_list("brand").annotate(n=Count("pk")).order_by())
    brands = [
        brand
        for brand in Brand.objects.order_by("display_name")
        if brand.is_active or counts.get(brand.pk)
    ]
    return {
        "chart": {
            "type": "bar",
            "labels": [brand.name for brand in brands],
            "datasets": [
                {
                    "label": "Dreams",
                    "data": [counts.get(brand.pk, 0) for brand in brands],
                    "backgroundColor": [
                        brand.color or "var(--color-primary-500)" for brand in brands
                    ],
                }
            ],
            "height": 160,
        },
        "note": "Dreams per brand, in each brand's colour.",
        "link": {"href": admin_url(Brand, "changelist"), "title": "Brands"},
    }


def todo_completion(request: HttpRequest) -> dict[str, Any]:
    """Todos done, open and overdue; completion as ``get_dream_statistics`` counts it."""
    todos = Todo.objects.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(status__in=OPEN_TODO_STATUSES, deadline__lt=timezone.now())),
        **{status.value: Count("pk", filter=Q(status=status)) for status in TodoStatus},
    )
    completed = todos[TodoStatus.COMPLETED.value]
    share = f"{completed / todos['total']:.0%}" if todos["total"] else "—"
    return {
        "metrics": [
            ("Todos", todos["total"], admin_url(Todo, "changelist")),
            (
                "Completed",
                completed,
                admin_url(Todo, "changelist", query="status__exact=completed"),
            ),
            ("Overdue", todos["overdue"], None),
            ("Completion", share, None),
        ],
        "chart": {
            "type": "bar",
            "labels": [status.label for status in TodoStatus],
            "datasets": [
                {"label": "Todos", "data": [todos[status.value] for status in TodoStatus]}
            ],
            "height": 120,
        },
        "note": "Overdue: pending or in progress past the deadline. Completion: completed of all.",
    }


def last_sync(request: HttpRequest) -> dict[str, Any]:
    """The latest sync session's outcome, and how fresh the dream statistics are."""
    session = SyncSession.objects.select_related("user").order_by("-started_at").first()
    refresh = dream_statistics_last_refresh()
    freshness = {
        "label": "Statistics refreshed",
        "value": time_ago(refresh.refreshed_at) if refresh else "never",
        "href": admin_url(DreamStatistics, "changelist"),
        "hint": f"took {refresh.duration_ms} ms" if refresh and refresh.duration_ms else None,
    }
    if session is None:
        return {
            "metrics": [("Last sync", "none yet"), freshness],
            "link": {"href": admin_url(SyncSession, "changelist"), "title": "Sync sessions"},
        }
    when = timezone.localtime(session.started_at)
    return {
        "metrics": [
            {
                "label": "Last sync",
                "value": session.get_status_display(),
                "href": admin_url(SyncSession, "change", session.pk),
                "hint": f"{session.get_session_type_display()} · {session.user}",
            },
            {
                "label": "Synced / failed / total",
                "value": f"{session.synced_dreams} / {session.failed_dreams} / "
                f"{session.total_dreams}",
            },
            {
                "label": "Started",
                "value": time_ago(session.started_at),
                "hint": date_format(when, "DATETIME_FORMAT"),
            },
            freshness,
        ],
        "note": Truncator(session.error_message).chars(200) if session.error_message else None,
        "link": {"href": admin_url(SyncSession, "changelist"), "title": "Sync sessions"},
    }
