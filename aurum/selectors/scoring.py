"""Reads behind scoring: the caller's open tasks with what scoring needs, today's priorities,
alignment points, and the person's clock (time zone, working hours)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Case, Exists, F, FloatField, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from pgvector.django import CosineDistance

from aurum.models import JournalEntry, Project, Task, TaskDependency, TimeEntry, UserProfile
from aurum.services.hrm import HIGH_PRIORITIES, TaskFacts, TodayPriority, today_priority

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

UTC = ZoneInfo("UTC")
VECTORS = ("description_embedding", "name_embedding")
PARENT_VECTORS = ("project__combined_embedding", "area__combined_embedding",
                  "pillar__combined_embedding")  # fmt: skip
DEFAULT_WORKING_HOURS = ("09:00", "17:00")


@dataclass(frozen=True)
class Clock:
    """The person's time zone and working hours, and what day it is for them."""

    zone: ZoneInfo
    working_hours: tuple[str, str]
    now: datetime

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()

    def local_date(self, moment: datetime | None) -> date | None:
        return moment.astimezone(self.zone).date() if moment else None


def clock_of(*, user: AbstractBaseUser, now: datetime | None = None) -> Clock:
    """The person's clock from their profile (UTC and 09:00-17:00 without one)."""
    profile = UserProfile.objects.filter(user=user).only("timezone", "preferred_working_hours")
    profile = profile.first()
    try:
        zone = ZoneInfo(profile.timezone) if profile and profile.timezone else UTC
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    hours = (profile.preferred_working_hours if profile else None) or {}
    working = (str(hours.get("start", "09:00")), str(hours.get("end", "17:00")))
    return Clock(zone=zone, working_hours=working, now=now or timezone.now())


def _similarity(parent: str) -> Case:
    """Cosine similarity of the task's vector (description, else name) and ``parent``'s, when
    both exist and were made by the same model."""
    task_vector = Coalesce("description_embedding", "name_embedding")
    return Case(
        When(
            Q(**{f"{parent}__embedding_model": F("embedding_model")}),
            then=Value(1.0) - CosineDistance(task_vector, F(f"{parent}__combined_embedding")),
        ),
        default=None,
        output_field=FloatField(),
    )


def open_tasks(
    *, user: AbstractBaseUser, task_ids: list[Any] | None = None, similarity: bool = True
) -> QuerySet[Task]:
    """The user's open tasks (not done, cancelled or archived) with their project, area and
    pillar, whether anything they depend on is still open, and (unless ``similarity`` is
    off) their similarity in meaning to each parent; vectors left unread."""
    blocking = TaskDependency.objects.filter(
        task=OuterRef("pk"), depends_on__completed=False, depends_on__archived=False
    ).exclude(depends_on__status="cancelled")
    tasks = (
        Task.objects.filter(user=user, completed=False, archived=False)
        .exclude(status="cancelled")
        .select_related("project", "area", "pillar")
        .defer(*VECTORS, *PARENT_VECTORS)
        .annotate(blocked=Exists(blocking))
        .order_by("id")
    )
    if similarity:
        tasks = tasks.annotate(
            similarity_project=_similarity("project"),
            similarity_area=_similarity("area"),
            similarity_pillar=_similarity("pillar"),
        )
    return tasks if task_ids is None else tasks.filter(pk__in=task_ids)


def task_facts(task: Task, *, clock: Clock) -> TaskFacts:
    """What scoring reads about ``task`` (from ``open_tasks``)."""
    project, area, pillar = task.project, task.area, task.pillar
    return TaskFacts(
        status=task.status,
        priority=task.priority,
        due_date=clock.local_date(task.due_date),
        created_on=clock.local_date(task.created_at),
        dependencies_met=not getattr(task, "blocked", False),
        progress=task.progress,
        project_priority=project.priority if project else None,
        project_importance=project.importance if project else None,
        area_importance=area.importance if area else None,
        pillar_weight=pillar.weight if pillar else None,
        similarity_project=getattr(task, "similarity_project", None),
        similarity_area=getattr(task, "similarity_area", None),
        similarity_pillar=getattr(task, "similarity_pillar", None),
    )


@dataclass(frozen=True)
class Priority:
    task: Task
    priority: TodayPriority


def _today_total(clock: Clock) -> Any:
    """``today_priority``'s total in SQL, so the database ranks and only a page is read."""
    today = clock.today
    return (
        Case(
            When(local_due__lt=today, then=Value(100)),
            When(local_due=today, then=Value(80)),
            default=Value(0),
        )
        + Case(When(priority__in=HIGH_PRIORITIES, then=Value(30)), default=Value(0))
        + Case(When(project__importance__gte=4, then=Value(50)), default=Value(0))
        + Case(When(area__importance__gte=4, then=Value(25)), default=Value(0))
        + Case(When(blocked=False, then=Value(60)), default=Value(0))
    )


def today_priorities(*, user: AbstractBaseUser, limit: int = 50) -> list[Priority]:
    """The open tasks in today's order: highest total first, then soonest due, then name;
    each with its breakdown (``today_priority``, which the SQL ranking mirrors)."""
    clock = clock_of(user=user)
    ranked = (
        open_tasks(user=user, similarity=False)
        .annotate(local_due=TruncDate("due_date", tzinfo=clock.zone))
        .annotate(today_total=_today_total(clock))
        .order_by("-today_total", F("due_date").asc(nulls_last=True), "name", "id")[:limit]
    )
    return [
        Priority(task, today_priority(task_facts(task, clock=clock), today=clock.today))
        for task in ranked
    ]


def _points() -> Any:
    """Alignment points of a completed project (``project_alignment_points`` in SQL)."""
    return (
        Value(50)
        + Case(When(priority="high", then=Value(25)), default=Value(0))
        + Case(When(area__importance=5, then=Value(50)), default=Value(0))
    )


def alignment_points(*, user: AbstractBaseUser) -> dict[str, Any]:
    """Points earned by completed projects this week (from Monday), this month and ever,
    against the monthly goal of the user's profile."""
    clock = clock_of(user=user)
    today = clock.today
    midnight = datetime.min.time().replace(tzinfo=clock.zone)
    week_start = datetime.combine(today - timedelta(days=today.weekday()), midnight)
    month_start = datetime.combine(today.replace(day=1), midnight)
    done = Project.objects.filter(user=user, status="completed", completed_at__isnull=False)
    totals = done.annotate(points=_points()).aggregate(
        weekly=Sum("points", filter=Q(completed_at__gte=week_start), default=0),
        monthly=Sum("points", filter=Q(completed_at__gte=month_start), default=0),
        total=Sum("points", default=0),
    )
    goal = UserProfile.objects.filter(user=user).values_list("monthly_alignment_goal", flat=True)
    monthly_goal = goal.first() or UserProfile._meta.get_field("monthly_alignment_goal").default
    recent = (
        done.filter(completed_at__gte=month_start)
        .annotate(points=_points())
        .order_by("-completed_at")
        .values("id", "name", "completed_at", "points")[:20]
    )
    return {
        "weekly_points": totals["weekly"],
        "monthly_points": totals["monthly"],
        "total_points": totals["total"],
        "monthly_goal": monthly_goal,
        "monthly_goal_progress": round(min(1.0, totals["monthly"] / monthly_goal), 3),
        "week_start": week_start.date(),
        "month_start": month_start.date(),
        "projects_this_month": list(recent),
    }


def users_with_open_tasks() -> list[Any]:
    """Ids of the people with open tasks to score."""
    open_ones = Task.objects.filter(completed=False, archived=False).exclude(status="cancelled")
    return list(open_ones.values_list("user_id", flat=True).distinct().order_by("user_id"))


def users_of_aurum() -> list[Any]:
    """Ids of the people with anything in Aurum (a profile, a task, a journal entry or a
    time entry)."""
    ids: set[Any] = set()
    for model in (UserProfile, Task, JournalEntry, TimeEntry):
        ids |= set(model.objects.values_list("user_id", flat=True).distinct().order_by())
    return sorted(ids, key=str)
