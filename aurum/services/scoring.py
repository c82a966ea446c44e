"""HRM analysis over the database: scores, explains and versions the insights of a user's
open tasks and projects (the rules themselves are pure, in ``services/hrm.py``).

Each task analysis stores ``hrm_priority_score``, ``hrm_alignment_score``,
``hrm_reasoning_summary``, ``hrm_last_analyzed``, ``obstacle_risk`` and
``ai_suggested_timeblock``, and adds a ``priority_reasoning`` insight whose
``reasoning_path`` lists every factor of both scores with its weight, value and contribution.
"""

from __future__ import annotations

import statistics
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Avg, Count, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from pgvector.django import CosineDistance

from aurum.models import Project, Task
from aurum.selectors.patterns import peak_hours
from aurum.selectors.scoring import Clock, clock_of, open_tasks, task_facts
from aurum.services.hrm import (
    TWO_PLACES,
    HrmScore,
    hrm_alignment,
    hrm_priority,
    obstacle_risk,
    reasoning_summary,
    suggested_timeblock,
)
from aurum.services.insights import (
    InsightDraft,
    analysis_lock,
    insight_confidence,
    insight_impact,
    insights_record,
    phrase,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

TASK_FIELDS = ["hrm_priority_score", "hrm_alignment_score", "hrm_reasoning_summary",
               "hrm_last_analyzed", "obstacle_risk", "ai_suggested_timeblock"]  # fmt: skip
PROJECT_FIELDS = ["hrm_coherence_score", "hrm_health_score", "hrm_risk_assessment",
                  "hrm_suggested_adjustments"]  # fmt: skip
STRONG = Decimal("0.7")
# Phrasing is a remote call per row: only small, user-started analyses get it.
PHRASE_AT_MOST = 5
PHRASING = "Rewrite this task analysis as one friendly sentence; keep every number."


def _task_draft(task: Task, priority: HrmScore, alignment: HrmScore, summary: str) -> InsightDraft:
    values = [float(f.value) for f in (*priority.factors, *alignment.factors) if f.known]
    return InsightDraft(
        entity_type="task",
        entity_id=task.pk,
        insight_type="priority_reasoning",
        title=f"Why “{task.name[:200]}” ranks where it does",
        summary=summary,
        detailed_reasoning={
            "priority_score": str(priority.score),
            "alignment_score": str(alignment.score),
            "stored_priority_score": str(priority.stored),
            "stored_alignment_score": str(alignment.stored),
        },
        reasoning_path=[{"score": "priority", **f.as_dict()} for f in priority.factors]
        + [{"score": "alignment", **f.as_dict()} for f in alignment.factors],
        confidence=insight_confidence(
            rules_applied=priority.known_factors + alignment.known_factors,
            component_values=values,
        ),
        impact=insight_impact(entity_type="task", strong=priority.stored >= STRONG),
        supporting_data={"task_id": str(task.pk), "project_id": str(task.project_id)},
        tags=["hrm", "priority"],
    )


def tasks_rescore(*, user: AbstractBaseUser, task_ids: list[Any] | None = None) -> int:
    """Analyse the user's open tasks (or those of ``task_ids`` that are open): store their HRM
    scores and add a new ``priority_reasoning`` insight version each. Returns how many."""
    clock = clock_of(user=user)
    peaks = peak_hours(user=user)
    with transaction.atomic():
        analysis_lock(user=user)
        tasks = list(open_tasks(user=user, task_ids=task_ids))
        phrased = task_ids is not None and len(tasks) <= PHRASE_AT_MOST
        drafts = [_analyse_task(task, clock, peaks, phrased=phrased) for task in tasks]
        Task.objects.bulk_update(tasks, TASK_FIELDS, batch_size=500)
        insights_record(user=user, drafts=drafts, now=clock.now)
    return len(tasks)


def _analyse_task(task: Task, clock: Clock, peaks: list[int], *, phrased: bool) -> InsightDraft:
    facts = task_facts(task, clock=clock)
    priority = hrm_priority(facts, today=clock.today)
    alignment = hrm_alignment(facts)
    summary, model = reasoning_summary(priority, alignment), None
    if phrased:
        summary, model = phrase(summary, instruction=PHRASING)
    task.hrm_priority_score = priority.stored
    task.hrm_alignment_score = alignment.stored
    task.hrm_reasoning_summary = summary
    task.hrm_last_analyzed = clock.now
    task.obstacle_risk = obstacle_risk(facts, today=clock.today)
    task.ai_suggested_timeblock = suggested_timeblock(
        priority_score=priority.stored, peak_hours=peaks, working_hours=clock.working_hours
    )
    draft = _task_draft(task, priority, alignment, summary)
    return draft if model is None else replace(draft, model_used=model)


# --- Projects --------------------------------------------------------------------------------


def _project_rows(user: AbstractBaseUser, project_ids: list[Any] | None) -> list[Project]:
    today = timezone.now()
    live = Q(tasks__archived=False) & ~Q(tasks__status="cancelled")
    projects = (
        Project.objects.filter(user=user, archived=False)
        .exclude(status__in=["completed", "cancelled"])
        .defer("combined_embedding")
        .annotate(
            live_tasks=Count("tasks", filter=live),
            done_tasks=Count("tasks", filter=live & Q(tasks__completed=True)),
            overdue_tasks=Count(
                "tasks", filter=live & Q(tasks__completed=False, tasks__due_date__lt=today)
            ),
            mean_similarity=Avg(
                Value(1.0)
                - CosineDistance(
                    Coalesce("tasks__description_embedding", "tasks__name_embedding"),
                    F("combined_embedding"),
                ),
                filter=live & Q(tasks__embedding_model=F("embedding_model")),
            ),
        )
        .order_by("id")
    )
    return list(projects if project_ids is None else projects.filter(pk__in=project_ids))


def _coherence(project: Project) -> Decimal:
    """How close in meaning the project's live tasks are to it: their mean cosine similarity to
    the project's embedding (neutral 0.5 while nothing is embedded)."""
    if project.mean_similarity is None:
        return Decimal("0.50")
    return Decimal(str(min(1.0, max(0.0, project.mean_similarity)))).quantize(TWO_PLACES)


def _health(project: Project, clock: Clock) -> tuple[Decimal, list[str], list[dict[str, str]]]:
    live = project.live_tasks or 0
    done_share = project.done_tasks / live if live else 0.0
    overdue_share = project.overdue_tasks / live if live else 0.0
    risks: list[str] = []
    adjustments: list[dict[str, str]] = []
    schedule = 1.0
    if project.due_date:
        days_left = (clock.local_date(project.due_date) - clock.today).days
        if days_left < 0:
            schedule = 0.0
            risks.append(f"past its due date by {-days_left} days")
            adjustments.append({"action": "reschedule", "reason": "The due date has passed."})
        elif days_left <= 7 and done_share < 0.8:
            schedule = 0.4
            risks.append(f"due in {days_left} days at {round(done_share * 100)}% done")
            adjustments.append({"action": "cut_scope", "reason": "Little time, much left."})
    if overdue_share:
        risks.append(f"{project.overdue_tasks} of {live} tasks overdue")
        adjustments.append({"action": "replan_overdue_tasks", "reason": "Overdue tasks pile up."})
    if not live:
        risks.append("no tasks yet")
        adjustments.append({"action": "add_tasks", "reason": "Break the project into tasks."})
    parts = [done_share, 1 - overdue_share, schedule]
    health = Decimal(str(statistics.fmean(parts))).quantize(TWO_PLACES)
    return health, risks, adjustments


def projects_analyze(*, user: AbstractBaseUser, project_ids: list[Any] | None = None) -> int:
    """Fill each open project's coherence and health scores, risk assessment and suggested
    adjustments, and add a ``goal_coherence`` insight version each. Returns how many."""
    clock = clock_of(user=user)
    with transaction.atomic():
        analysis_lock(user=user)
        projects = _project_rows(user, project_ids)
        drafts = []
        for project in projects:
            project.hrm_coherence_score = _coherence(project)
            project.hrm_health_score, risks, adjustments = _health(project, clock)
            level = "medium" if risks else "low"
            if project.hrm_health_score < Decimal("0.4"):
                level = "high"
            project.hrm_risk_assessment = f"{level}: {'; '.join(risks) or 'on track'}"
            project.hrm_suggested_adjustments = adjustments
            drafts.append(_project_draft(project))
        Project.objects.bulk_update(projects, PROJECT_FIELDS, batch_size=500)
        insights_record(user=user, drafts=drafts, now=clock.now)
    return len(projects)


def _project_draft(project: Project) -> InsightDraft:
    path = [
        {"factor": "completion", "value": project.done_tasks, "of": project.live_tasks},
        {"factor": "overdue_tasks", "value": project.overdue_tasks, "of": project.live_tasks},
        {"factor": "coherence", "value": float(project.hrm_coherence_score)},
    ]
    values = [float(project.hrm_coherence_score), float(project.hrm_health_score)]
    return InsightDraft(
        entity_type="project",
        entity_id=project.pk,
        insight_type="goal_coherence",
        title=f"Health of “{project.name[:200]}”",
        summary=f"Health {project.hrm_health_score}, coherence {project.hrm_coherence_score}; "
        f"risk {project.hrm_risk_assessment}.",
        detailed_reasoning={"adjustments": project.hrm_suggested_adjustments},
        reasoning_path=path,
        confidence=insight_confidence(rules_applied=len(path), component_values=values),
        impact=insight_impact(entity_type="project", strong=project.hrm_health_score < 0.4),
        supporting_data={"project_id": str(project.pk)},
        tags=["hrm", "project"],
    )
