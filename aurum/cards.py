"""Aurum Life's dashboard cards (registered in ``registrations.py``): an overview, and charts
of time per pillar, mood over time, the completion trend and embedding coverage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.cache import cache

from aurum.models import HierarchyView, JournalEntry, Task
from aurum.selectors import dashboard
from aurum.services.hierarchy import HIERARCHY_VIEW
from config.admin.display import time_ago
from config.admin.links import admin_url
from config.database.matviews import last_refresh

if TYPE_CHECKING:
    from django.http import HttpRequest

DAYS = 30
COVERAGE_TARGET = 95  # percent, the seed's success criterion
COVERAGE_TTL = 10 * 60  # whole-table counts: reused for this long


def overview(request: HttpRequest) -> dict[str, Any]:
    counts = dashboard.overview()
    refreshed = last_refresh(HIERARCHY_VIEW)
    return {
        "metrics": [
            ("People with tasks", counts["people"]),
            ("Live tasks", counts["tasks"], admin_url(Task, "changelist")),
            (
                "Open tasks",
                counts["open"],
                admin_url(Task, "changelist", query="completed__exact=0"),
            ),
            (
                "hierarchy_view refreshed",
                time_ago(refreshed.refreshed_at) if refreshed else "never",
                admin_url(HierarchyView, "changelist"),
            ),
        ],
        "link": {"href": admin_url(Task, "changelist"), "title": "Tasks"},
    }


def time_per_pillar(request: HttpRequest) -> dict[str, Any]:
    rows = dashboard.time_per_pillar(days=DAYS)
    return {
        "chart": {
            "type": "bar",
            "labels": [name for name, _ in rows],
            "datasets": [{"label": "Hours", "data": [hours for _, hours in rows]}],
        },
        "note": f"Closed time entries of the last {DAYS} days, by the pillar they serve.",
    }


def mood_over_time(request: HttpRequest) -> dict[str, Any]:
    days = dashboard.days_back(DAYS)
    series = dashboard.mood_over_time(days=DAYS)
    return {
        "chart": {
            "type": "line",
            "labels": [day.strftime("%d %b") for day in days],
            "datasets": [
                {"label": "Journal sentiment", "data": [series["sentiment"].get(d) for d in days]},
                {"label": "Reflection mood", "data": [series["mood"].get(d) for d in days]},
            ],
        },
        "note": "Both from -1 (very negative) to 1 (very positive), averaged per day.",
        "link": {"href": admin_url(JournalEntry, "changelist"), "title": "Journal"},
    }


def completion_trend(request: HttpRequest) -> dict[str, Any]:
    days = dashboard.days_back(DAYS)
    series = dashboard.completion_trend(days=DAYS)
    return {
        "chart": {
            "type": "line",
            "labels": [day.strftime("%d %b") for day in days],
            "datasets": [
                {"label": "Completed", "data": [series["completed"].get(d, 0) for d in days]},
                {"label": "Created", "data": [series["created"].get(d, 0) for d in days]},
            ],
        },
        "note": f"Tasks per day over the last {DAYS} days.",
    }


def embedding_coverage(request: HttpRequest) -> dict[str, Any]:
    rows = cache.get_or_set("aurum:dashboard:embedding_coverage", dashboard.embedding_coverage,
                            COVERAGE_TTL)  # fmt: skip
    percents = [round(100 * row["current"] / row["rows"]) if row["rows"] else 100 for row in rows]
    below = [row["column"] for row, percent in zip(rows, percents, strict=True)
             if percent < COVERAGE_TARGET]  # fmt: skip
    return {
        "chart": {
            "type": "bar",
            "labels": [row["column"].removeprefix("aurum.") for row in rows],
            "datasets": [
                {"label": "% embedded with the current model", "data": percents},
                {"label": f"Target ({COVERAGE_TARGET} %)", "data": [COVERAGE_TARGET] * len(rows)},
            ],
        },
        "note": (
            f"Below target: {', '.join(below)}. The backfill fills the gaps."
            if below
            else f"Every column at or above {COVERAGE_TARGET} %."
        )
        + f" Rows with text only; figures up to {COVERAGE_TTL // 60} minutes old.",
    }
