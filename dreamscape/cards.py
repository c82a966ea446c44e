"""Dreamscape's dashboard cards: events per day, and what the analysis holds."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from dreamscape.models import DreamscapeSuggestion, TagCluster, UserBehavior, UserPersona

if TYPE_CHECKING:
    from django.http import HttpRequest

CHART_DAYS = 30


def events_per_day(request: HttpRequest) -> dict[str, Any]:
    """Events of the last 30 days per day: reads only those days' partitions."""
    midnight = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    start = midnight - timedelta(days=CHART_DAYS - 1)
    since = start.date()
    counts = dict(
        UserBehavior.objects.filter(created_at__gte=start)  # a range: the planner prunes months
        .annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(n=Count("*"))
        .values_list("day", "n")
    )
    days = [since + timedelta(days=offset) for offset in range(CHART_DAYS)]
    return {
        "chart": {
            "type": "bar",
            "labels": [day.strftime("%d %b") for day in days],
            "datasets": [{"label": "events", "data": [counts.get(day, 0) for day in days]}],
        }
    }


def analysis(request: HttpRequest) -> dict[str, Any]:
    return {
        "metrics": [
            ("Personas", UserPersona.objects.count()),
            ("Tag clusters", TagCluster.objects.count()),
            ("Suggestions", DreamscapeSuggestion.objects.count()),
            (
                "Unanswered suggestions",
                DreamscapeSuggestion.objects.filter(
                    is_dismissed=False, is_acted_upon=False
                ).count(),
            ),
        ]
    }
