"""Figures for Aurum's dashboard cards: one aggregate query each, over everyone."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from aurum.models import DailyReflection, JournalEntry, Task
from aurum.services.embeddings import EMBEDDING_COLUMNS
from config.embeddings import get_provider

# A reflection's mood on the journal's sentiment scale, so both lines share one axis.
MOOD_SCORES = {
    "excited": 1.0,
    "happy": 0.75,
    "content": 0.5,
    "neutral": 0.0,
    "anxious": -0.5,
    "frustrated": -0.5,
    "sad": -0.75,
    "overwhelmed": -0.75,
}

_TIME_PER_PILLAR_SQL = """
SELECT coalesce(pi.name, '(no pillar)') AS pillar,
       round(sum(te.duration_minutes) / 60.0, 1) AS hours
FROM aurum.time_entries te
LEFT JOIN aurum.tasks t ON te.entity_type = 'task' AND t.id = te.entity_id
LEFT JOIN aurum.projects p ON te.entity_type = 'project' AND p.id = te.entity_id
LEFT JOIN aurum.areas a ON te.entity_type = 'area' AND a.id = te.entity_id
LEFT JOIN aurum.pillars pi ON pi.id = coalesce(
    t.pillar_id, p.pillar_id, a.pillar_id,
    CASE WHEN te.entity_type = 'pillar' THEN te.entity_id END)
WHERE te.end_time IS NOT NULL AND te.start_time >= %s
GROUP BY 1
ORDER BY 2 DESC
LIMIT %s
"""


def days_back(days: int) -> list[date]:
    today = timezone.localdate()
    return [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]


def time_per_pillar(*, days: int = 30, limit: int = 10) -> list[tuple[str, float]]:
    """Hours of closed time entries per pillar name over the last ``days``, most first."""
    with connection.cursor() as cursor:
        cursor.execute(_TIME_PER_PILLAR_SQL, [timezone.now() - timedelta(days=days), limit])
        return [(name, float(hours)) for name, hours in cursor.fetchall()]


def mood_over_time(*, days: int = 30) -> dict[str, dict[date, float]]:
    """Per day: the average journal sentiment and the average reflection mood, in [-1, 1]."""
    since = timezone.localdate() - timedelta(days=days - 1)
    sentiment = dict(
        JournalEntry.objects.filter(entry_date__gte=since, archived=False)
        .values_list("entry_date")
        .annotate(average=Avg("sentiment_score"))
        .order_by()
    )
    moods: dict[date, list[float]] = {}
    rows = DailyReflection.objects.filter(reflection_date__gte=since, mood__isnull=False)
    for day, mood, count in (
        rows.values_list("reflection_date", "mood").annotate(n=Count("pk")).order_by()
    ):
        moods.setdefault(day, []).extend([MOOD_SCORES.get(mood, 0.0)] * count)
    return {
        "sentiment": {day: float(value) for day, value in sentiment.items() if value is not None},
        "mood": {day: sum(values) / len(values) for day, values in moods.items()},
    }


def completion_trend(*, days: int = 30) -> dict[str, dict[date, int]]:
    """Tasks created and completed per day over the last ``days``."""
    since = timezone.now() - timedelta(days=days)

    def per_day(field: str) -> dict[date, int]:
        return dict(
            Task.objects.filter(**{f"{field}__gte": since})
            .annotate(day=TruncDate(field))
            .values_list("day")
            .annotate(n=Count("pk"))
            .order_by()
        )

    return {"created": per_day("created_at"), "completed": per_day("completed_at")}


def embedding_coverage() -> list[dict[str, Any]]:
    """Per Aurum vector column: rows with text to embed, and how many hold a vector of the
    current model (the seed's target is 95 %)."""
    current = get_provider().model_name
    rows = []
    for column in EMBEDDING_COLUMNS:
        model = apps.get_model(column.model)
        text = column.text_field if isinstance(column.text_field, str) else None
        has_text = ~Q(**{f"{text}__isnull": True}) & ~Q(**{text: ""}) if text else Q()
        has_vector = Q(**{f"{column.vector_field}__isnull": False}, **{column.model_field: current})
        counts = model._default_manager.filter(has_text).aggregate(
            rows=Count("pk"), current=Count("pk", filter=has_vector)
        )
        rows.append({"column": column.name, **counts})
    return rows


def overview() -> dict[str, int]:
    """How many people use Aurum, their live tasks and the open ones."""
    return Task.objects.filter(archived=False).aggregate(
        people=Count("user", distinct=True),
        tasks=Count("pk"),
        open=Count("pk", filter=Q(completed=False)),
    )
