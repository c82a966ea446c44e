"""The statistics cache (``user_statistics_cache``: a day, week or month per row) and the
running counters of ``user_stats`` and ``user_profiles``.

Periods are the user's own: days, weeks (from Monday) and months in their time zone. A row
is written by an upsert on ``unique_user_stat_date``, so beat and an on-demand computation
may race without a duplicate. Time entries count for the period they start in, and for the
pillar, area and project above what they were spent on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest

from aurum.models import UserProfile, UserStatisticsCache, UserStats
from aurum.selectors.scoring import Clock, clock_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

STAT_TYPES = ("daily", "weekly", "monthly")
CACHE_FIELDS = ["pillar_stats", "area_stats", "project_stats", "task_stats", "time_allocation",
                "productivity_metrics"]  # fmt: skip


@dataclass(frozen=True)
class Period:
    stat_type: str
    first_day: date  # the row's stat_date
    start: datetime  # inclusive, in the user's zone
    end: datetime  # exclusive


def period_of(stat_type: str, day: date, clock: Clock) -> Period:
    """The day, week (Monday first) or month holding ``day``, in the user's zone."""
    if stat_type == "daily":
        first, following = day, day + timedelta(days=1)
    elif stat_type == "weekly":
        first = day - timedelta(days=day.weekday())
        following = first + timedelta(days=7)
    elif stat_type == "monthly":
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
    else:
        raise ValueError(f"unknown stat_type {stat_type!r}")
    midnight = datetime.min.time().replace(tzinfo=clock.zone)
    return Period(stat_type, first, datetime.combine(first, midnight),
                  datetime.combine(following, midnight))  # fmt: skip


def _rows(sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


TASKS_SQL = """
SELECT count(*) FILTER (WHERE created_at >= %(start)s AND created_at < %(end)s) AS created,
       count(*) FILTER (WHERE completed AND completed_at >= %(start)s
                        AND completed_at < %(end)s) AS completed,
       count(*) FILTER (WHERE NOT completed AND status <> 'cancelled'
                        AND due_date >= %(start)s AND due_date < %(end)s) AS due_open,
       count(*) FILTER (WHERE NOT completed AND status <> 'cancelled'
                        AND due_date < %(end)s) AS overdue_open,
       count(*) FILTER (WHERE NOT completed AND status <> 'cancelled') AS open
  FROM aurum.tasks WHERE user_id = %(user)s AND NOT archived
"""
DONE_BY_PLACE_SQL = """
SELECT t.pillar_id, t.area_id, t.project_id, count(*) AS done
  FROM aurum.tasks t
 WHERE t.user_id = %(user)s AND NOT t.archived AND t.completed
   AND t.completed_at >= %(start)s AND t.completed_at < %(end)s
 GROUP BY 1, 2, 3
"""
TIME_SQL = """
SELECT coalesce(t.pillar_id, p.pillar_id, a.pillar_id,
                CASE WHEN e.entity_type = 'pillar' THEN e.entity_id END) AS pillar_id,
       coalesce(t.area_id, p.area_id, CASE WHEN e.entity_type = 'area' THEN e.entity_id END)
         AS area_id,
       coalesce(t.project_id, CASE WHEN e.entity_type = 'project' THEN e.entity_id END)
         AS project_id,
       coalesce(e.activity_type, 'unspecified') AS activity_type,
       sum(e.duration_minutes) AS minutes, count(*) AS entries,
       sum(e.energy_level) AS energy_sum, count(e.energy_level) AS energy_n,
       sum(e.productivity_rating) AS rating_sum, count(e.productivity_rating) AS rating_n
  FROM aurum.time_entries e
  LEFT JOIN aurum.tasks t ON e.entity_type = 'task' AND t.id = e.entity_id
  LEFT JOIN aurum.projects p ON e.entity_type = 'project' AND p.id = e.entity_id
  LEFT JOIN aurum.areas a ON e.entity_type = 'area' AND a.id = e.entity_id
 WHERE e.user_id = %(user)s AND e.end_time IS NOT NULL
   AND e.start_time >= %(start)s AND e.start_time < %(end)s
 GROUP BY 1, 2, 3, 4
"""
WRITING_SQL = """
SELECT (SELECT count(*) FROM aurum.journal_entries WHERE user_id = %(user)s AND NOT archived
           AND entry_date >= %(first)s AND entry_date < %(following)s) AS journal_entries,
       (SELECT avg(sentiment_score) FROM aurum.journal_entries WHERE user_id = %(user)s
           AND NOT archived AND entry_date >= %(first)s AND entry_date < %(following)s)
         AS average_sentiment,
       (SELECT count(*) FROM aurum.daily_reflections WHERE user_id = %(user)s
           AND reflection_date >= %(first)s AND reflection_date < %(following)s) AS reflections,
       (SELECT avg(productivity_score) FROM aurum.daily_reflections WHERE user_id = %(user)s
           AND reflection_date >= %(first)s AND reflection_date < %(following)s)
         AS average_productivity_score,
       (SELECT coalesce(sum(50 + CASE WHEN p.priority = 'high' THEN 25 ELSE 0 END
                               + CASE WHEN a.importance = 5 THEN 50 ELSE 0 END), 0)
          FROM aurum.projects p JOIN aurum.areas a ON a.id = p.area_id
         WHERE p.user_id = %(user)s AND p.status = 'completed'
           AND p.completed_at >= %(start)s AND p.completed_at < %(end)s) AS alignment_points
"""
NAMES_SQL = """
SELECT 'pillar' AS kind, id, name FROM aurum.pillars WHERE id = ANY(%(pillars)s)
UNION ALL SELECT 'area', id, name FROM aurum.areas WHERE id = ANY(%(areas)s)
UNION ALL SELECT 'project', id, name FROM aurum.projects WHERE id = ANY(%(projects)s)
"""


def _avg(total: Any, count: int) -> float | None:
    return round(float(total) / count, 2) if count else None


def _round(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def statistics_compute(*, user: AbstractBaseUser, stat_type: str, day: date) -> dict[str, Any]:
    """The statistics of the period of ``stat_type`` holding ``day``, as the cache row's
    JSON columns (plus ``stat_date``)."""
    clock = clock_of(user=user)
    period = period_of(stat_type, day, clock)
    params = {"user": user.pk, "start": period.start, "end": period.end}
    tasks = _rows(TASKS_SQL, params)[0]
    places: dict[str, dict[str, dict[str, Any]]] = {"pillar": {}, "area": {}, "project": {}}

    def place(kind: str, key: Any) -> dict[str, Any] | None:
        if key is None:
            return None
        return places[kind].setdefault(str(key), {"tasks_completed": 0, "minutes": 0})

    for row in _rows(DONE_BY_PLACE_SQL, params):
        for kind in places:
            if (entry := place(kind, row[f"{kind}_id"])) is not None:
                entry["tasks_completed"] += row["done"]
    by_activity: dict[str, int] = defaultdict(int)
    energy = [0, 0]
    rating = [0, 0]
    for row in _rows(TIME_SQL, params):
        minutes = int(row["minutes"] or 0)
        by_activity[row["activity_type"]] += minutes
        energy[0] += row["energy_sum"] or 0
        energy[1] += row["energy_n"]
        rating[0] += row["rating_sum"] or 0
        rating[1] += row["rating_n"]
        for kind in places:
            if (entry := place(kind, row[f"{kind}_id"])) is not None:
                entry["minutes"] += minutes
    _name_places(places)
    writing = _rows(WRITING_SQL, {**params, "first": period.first_day,
                                  "following": period.end.date()})[0]  # fmt: skip
    total_minutes = sum(by_activity.values())
    decided = tasks["completed"] + tasks["due_open"]
    return {
        "stat_date": period.first_day,
        "pillar_stats": places["pillar"],
        "area_stats": places["area"],
        "project_stats": places["project"],
        "task_stats": {
            **tasks,
            "completion_rate": round(tasks["completed"] / decided, 3) if decided else None,
        },
        "time_allocation": {
            "total_minutes": total_minutes,
            "by_activity_type": dict(sorted(by_activity.items())),
            "by_pillar": {key: value["minutes"] for key, value in places["pillar"].items()},
        },
        "productivity_metrics": {
            "focus_minutes": by_activity.get("focused", 0),
            "average_energy": _avg(*energy),
            "average_productivity_rating": _avg(*rating),
            "journal_entries": writing["journal_entries"],
            "average_sentiment": _round(writing["average_sentiment"]),
            "reflections": writing["reflections"],
            "average_productivity_score": _round(writing["average_productivity_score"]),
            "alignment_points": writing["alignment_points"],
        },
    }


def _name_places(places: dict[str, dict[str, dict[str, Any]]]) -> None:
    ids = {f"{kind}s": list(places[kind]) for kind in places}
    for row in _rows(NAMES_SQL, ids):
        places[row["kind"]][str(row["id"])]["name"] = row["name"]


def statistics_store(*, user: AbstractBaseUser, stat_type: str, day: date) -> UserStatisticsCache:
    """Compute the period's statistics and upsert its cache row; returns the row."""
    computed = statistics_compute(user=user, stat_type=stat_type, day=day)
    row = UserStatisticsCache(user=user, stat_type=stat_type, **computed)
    UserStatisticsCache.objects.bulk_create(
        [row],
        update_conflicts=True,
        unique_fields=["user", "stat_date", "stat_type"],
        update_fields=[*CACHE_FIELDS, "updated_at"],
    )
    return UserStatisticsCache.objects.get(
        user=user, stat_type=stat_type, stat_date=computed["stat_date"]
    )


def statistics_rebuild(*, user: AbstractBaseUser) -> int:
    """Recompute the user's periods holding today and yesterday (whose rows were written
    while it still ran) in the cache, and their counters in ``user_stats`` and
    ``user_profiles``. Returns how many cache rows were written."""
    clock = clock_of(user=user)
    periods = {
        (stat_type, period_of(stat_type, day, clock).first_day)
        for day in (clock.today - timedelta(days=1), clock.today)
        for stat_type in STAT_TYPES
    }
    with transaction.atomic():
        for stat_type, first_day in sorted(periods):
            statistics_store(user=user, stat_type=stat_type, day=first_day)
        counters_refresh(user=user)
    return len(periods)


COUNTERS_SQL = """
WITH t AS (SELECT * FROM aurum.tasks WHERE user_id = %(user)s AND NOT archived)
SELECT (SELECT count(*) FROM aurum.pillars WHERE user_id = %(user)s AND NOT archived)
         AS total_pillars,
       (SELECT count(*) FROM aurum.areas WHERE user_id = %(user)s AND NOT archived) AS total_areas,
       (SELECT count(*) FROM aurum.projects WHERE user_id = %(user)s AND NOT archived)
         AS total_projects,
       (SELECT count(*) FROM aurum.projects WHERE user_id = %(user)s AND NOT archived
           AND status = 'completed') AS completed_projects,
       (SELECT count(*) FROM t) AS total_tasks,
       (SELECT count(*) FROM t WHERE completed) AS completed_tasks,
       (SELECT count(*) FROM aurum.journal_entries WHERE user_id = %(user)s AND NOT archived)
         AS journal_entries_count,
       (SELECT count(*) FROM aurum.daily_reflections WHERE user_id = %(user)s)
         AS reflections_count,
       (SELECT coalesce(sum(50 + CASE WHEN p.priority = 'high' THEN 25 ELSE 0 END
                               + CASE WHEN a.importance = 5 THEN 50 ELSE 0 END), 0)
          FROM aurum.projects p JOIN aurum.areas a ON a.id = p.area_id
         WHERE p.user_id = %(user)s AND p.status = 'completed') AS alignment_points_total,
       (SELECT count(*) FROM aurum.ai_conversation_memory WHERE user_id = %(user)s
           AND message_role = 'user') AS total_ai_interactions,
       (SELECT count(*) FROM aurum.insights WHERE user_id = %(user)s) AS insights_generated,
       (SELECT count(*) FROM aurum.insights WHERE user_id = %(user)s
           AND application_count > 0) AS insights_applied,
       (SELECT 5 * avg(CASE WHEN was_helpful THEN 1.0 ELSE 0.0 END)
          FROM aurum.ai_conversation_memory WHERE user_id = %(user)s
           AND was_helpful IS NOT NULL) AS ai_satisfaction_score,
       (SELECT coalesce(sum(duration_minutes), 0) FROM aurum.time_entries
         WHERE user_id = %(user)s AND end_time IS NOT NULL AND activity_type = 'focused')
         AS total_focus_time_minutes,
       (SELECT round(avg(EXTRACT(EPOCH FROM completed_at - created_at) / 60))::int FROM t
         WHERE completed AND completed_at >= created_at) AS average_task_completion_time,
       (SELECT avg(1 - abs(actual_duration - estimated_duration)::numeric
                   / greatest(actual_duration, estimated_duration)) FROM t
         WHERE actual_duration > 0 AND estimated_duration > 0) AS task_estimation_accuracy,
       (SELECT count(DISTINCT d) FROM (
           SELECT (completed_at AT TIME ZONE %(zone)s)::date AS d FROM t
            WHERE completed_at >= %(week_ago)s
           UNION ALL SELECT (start_time AT TIME ZONE %(zone)s)::date FROM aurum.time_entries
            WHERE user_id = %(user)s AND start_time >= %(week_ago)s
           UNION ALL SELECT entry_date FROM aurum.journal_entries
            WHERE user_id = %(user)s AND NOT archived AND created_at >= %(week_ago)s) days
         ) AS weekly_active_days,
       (SELECT count(*) FROM t WHERE completed_at >= %(week_ago)s) AS done_this_week,
       (SELECT count(*) FROM t WHERE completed_at >= %(week_ago)s - interval '7 days'
           AND completed_at < %(week_ago)s) AS done_last_week,
       (SELECT count(*) FROM t WHERE completed_at >= %(month_ago)s) AS done_this_month,
       (SELECT count(*) FROM t WHERE NOT completed AND status <> 'cancelled'
           AND due_date >= %(month_ago)s AND due_date < %(now)s) AS missed_this_month
"""


def _fraction(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def counters_refresh(*, user: AbstractBaseUser) -> UserStats:
    """Recount ``user_stats`` (totals, completion rate, AI use, focus time, momentum …) and
    the profile's ``total_focus_hours``, ``average_daily_completion_rate`` and
    ``longest_streak``; creates either row if missing."""
    clock = clock_of(user=user)
    counts = _rows(COUNTERS_SQL, {
        "user": user.pk, "zone": clock.zone.key, "now": clock.now,
        "week_ago": clock.now - timedelta(days=7), "month_ago": clock.now - timedelta(days=30),
    })[0]  # fmt: skip
    this_week, last_week = counts.pop("done_this_week"), counts.pop("done_last_week")
    done_month, missed_month = counts.pop("done_this_month"), counts.pop("missed_this_month")
    momentum = this_week / (this_week + last_week) if this_week + last_week else 0.5
    total = counts["total_tasks"]
    stats, _ = UserStats.objects.get_or_create(user=user)
    for name, value in counts.items():
        setattr(stats, name, value)
    stats.completion_rate = _fraction(counts["completed_tasks"] / total if total else 0)
    stats.ai_satisfaction_score = _fraction(counts["ai_satisfaction_score"])
    stats.task_estimation_accuracy = _fraction(counts["task_estimation_accuracy"])
    stats.current_momentum_score = _fraction(momentum)
    stats.save()
    profile, _ = UserProfile.objects.get_or_create(user=user)
    decided = done_month + missed_month
    UserProfile.objects.filter(pk=profile.pk).update(
        total_focus_hours=_fraction(counts["total_focus_time_minutes"] / 60),
        average_daily_completion_rate=_fraction(done_month / decided if decided else 0),
        longest_streak=Greatest(F("longest_streak"), F("current_streak")),
    )
    return stats
