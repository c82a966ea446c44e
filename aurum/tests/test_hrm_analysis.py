"""HRM analysis on the real database: scores stored and explained, determinism, contributions
summing to the score, insight versions, feedback, pins, expiry, project analysis, today's
order and alignment points."""

from __future__ import annotations

import threading
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.db import close_old_connections
from django.utils import timezone

from aurum.models import Insight, Project, Task, UserBehaviorPattern, UserProfile, UserStats
from aurum.selectors.scoring import alignment_points, today_priorities
from aurum.services.insights import insight_feedback, insight_pin, insights_expire
from aurum.services.scoring import projects_analyze, tasks_rescore
from aurum.tests.factories import (
    AreaFactory,
    PillarFactory,
    ProjectFactory,
    TaskDependencyFactory,
    TaskFactory,
)
from config.embeddings import get_provider

pytestmark = pytest.mark.django_db


def embed(row, field, text):
    provider = get_provider()
    setattr(row, field, provider.embed_one(text))
    row.embedding_model = provider.model_name
    row.save(update_fields=[field, "embedding_model"])


@pytest.fixture
def hierarchy(user):
    pillar = PillarFactory(user=user, name="Health", weight=Decimal("1.8"))
    area = AreaFactory(user=user, pillar=pillar, name="Fitness", importance=5)
    project = ProjectFactory(user=user, area=area, name="Half marathon", priority="high",
                             importance=4)  # fmt: skip
    embed(pillar, "combined_embedding", "health, fitness and strength")
    embed(area, "combined_embedding", "running and fitness training")
    embed(project, "combined_embedding", "train for a half marathon run in spring")
    return pillar, area, project


def test_rescore_stores_scores_and_an_insight_whose_contributions_add_up(user, hierarchy):
    _, _, project = hierarchy
    task = TaskFactory(user=user, project=project, name="Long run of 15 km", priority="high",
                       due_date=timezone.now() + timedelta(days=1))  # fmt: skip
    embed(task, "name_embedding", "long 15 km training run")
    assert tasks_rescore(user=user) == 1
    task.refresh_from_db()
    assert task.hrm_last_analyzed is not None
    assert task.obstacle_risk in {"low", "medium", "high"}
    assert task.ai_suggested_timeblock == "09:00-11:00"  # no peak hours known: the day's start
    insight = Insight.objects.get(entity_id=task.pk, is_active=True)
    assert insight.insight_type == "priority_reasoning"
    assert insight.entity_type == "task"
    for score, stored in (("priority", task.hrm_priority_score),
                          ("alignment", task.hrm_alignment_score)):  # fmt: skip
        factors = [f for f in insight.reasoning_path if f["score"] == score]
        total = sum(Decimal(str(f["contribution"])) for f in factors)
        assert total == Decimal(insight.detailed_reasoning[f"{score}_score"])
        assert total.quantize(Decimal("0.01"), ROUND_HALF_UP) == stored
        assert sum(f["weight"] for f in factors) == pytest.approx(1)
    semantic = {f["factor"]: f for f in insight.reasoning_path if f["score"] == "alignment"}
    assert semantic["semantic_project"]["known"] is True  # the embeddings were compared
    assert 0 < semantic["semantic_project"]["value"] <= 1
    assert task.hrm_reasoning_summary == insight.summary
    assert 0 <= insight.confidence_score <= 1
    assert insight.impact_score == Decimal("0.60")  # task 0.4 + strong 0.2
    assert insight.expires_at == insight.created_at + timedelta(hours=6)
    assert UserStats.objects.get(user=user).insights_generated == 1


def test_rescoring_is_deterministic_and_versions_the_insight(user, hierarchy):
    task = TaskFactory(user=user, project=hierarchy[2], due_date=timezone.now())
    tasks_rescore(user=user)
    first = Insight.objects.get(entity_id=task.pk)
    scores = Task.objects.values_list("hrm_priority_score", "hrm_alignment_score").get()
    tasks_rescore(user=user, task_ids=[task.pk])
    assert Task.objects.values_list("hrm_priority_score", "hrm_alignment_score").get() == scores
    second = Insight.objects.get(entity_id=task.pk, is_active=True)
    assert second.pk != first.pk
    assert second.previous_version_id == first.pk
    assert second.version == 2
    assert second.reasoning_path == first.reasoning_path
    first.refresh_from_db()
    assert first.is_active is False


def test_only_open_tasks_of_the_caller_are_scored(user, other_user, hierarchy):
    open_task = TaskFactory(user=user, project=hierarchy[2])
    TaskFactory(user=user, project=hierarchy[2], status="completed")
    TaskFactory(user=user, project=hierarchy[2], status="cancelled")
    archived = TaskFactory(user=user, project=hierarchy[2])
    Task.objects.filter(pk=archived.pk).update(archived=True)
    someone_elses = TaskFactory(user=other_user)
    assert tasks_rescore(user=user) == 1
    assert set(Insight.objects.values_list("entity_id", flat=True)) == {open_task.pk}
    assert Task.objects.get(pk=someone_elses.pk).hrm_last_analyzed is None


def test_open_dependency_lowers_priority_and_raises_risk(user, hierarchy):
    blocked = TaskFactory(user=user, project=hierarchy[2])
    blocker = TaskFactory(user=user, project=hierarchy[2])
    TaskDependencyFactory(task=blocked, depends_on=blocker)
    tasks_rescore(user=user)
    blocked.refresh_from_db()
    path = Insight.objects.get(entity_id=blocked.pk, is_active=True).reasoning_path
    dependencies = next(f for f in path if f["factor"] == "dependencies")
    assert dependencies["value"] == 0
    Task.objects.filter(pk=blocker.pk).update(status="completed")
    tasks_rescore(user=user, task_ids=[blocked.pk])
    after = Task.objects.get(pk=blocked.pk)
    assert after.hrm_priority_score > blocked.hrm_priority_score


def test_peak_hours_pattern_sets_the_timeblock(user, hierarchy):
    UserBehaviorPattern.objects.create(
        user=user, pattern_type="peak_productivity_hours", pattern_data={"peak_hours": [7, 14]},
        sample_size=20, confidence_score=Decimal("0.8"),
        valid_until=timezone.now() + timedelta(days=3),
    )  # fmt: skip
    task = TaskFactory(user=user, project=hierarchy[2], priority="urgent",
                       due_date=timezone.now() - timedelta(days=1))  # fmt: skip
    tasks_rescore(user=user)
    task.refresh_from_db()
    assert task.ai_suggested_timeblock == "07:00-09:00"


@pytest.mark.django_db(transaction=True)
def test_concurrent_rescores_never_fork_the_versions(user, hierarchy):
    task = TaskFactory(user=user, project=hierarchy[2])
    tasks_rescore(user=user)
    errors = []

    def run():
        try:
            tasks_rescore(user=user)
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Insight.objects.filter(entity_id=task.pk, is_active=True).count() == 1
    assert sorted(Insight.objects.filter(entity_id=task.pk).values_list("version", flat=True)) == [
        1, 2, 3, 4]  # fmt: skip


class TestInsightLifecycle:
    @pytest.fixture
    def insight(self, user, hierarchy):
        TaskFactory(user=user, project=hierarchy[2])
        tasks_rescore(user=user)
        return Insight.objects.get()

    def test_feedback_counts_applications(self, user, insight):
        insight_feedback(insight=insight, feedback="accepted", details={"note": "did it"})
        insight_feedback(insight=insight, feedback="modified")
        insight_feedback(insight=insight, feedback="ignored")
        insight.refresh_from_db()
        assert insight.user_feedback == "ignored"
        assert insight.application_count == 2
        assert UserStats.objects.get(user=user).insights_applied == 2

    def test_expiry_spares_pinned(self, user, hierarchy, insight):
        insight_pin(insight=insight, pinned=True)
        later = timezone.now() + timedelta(hours=7)
        assert insights_expire(now=later) == 0
        insight_pin(insight=insight, pinned=False)
        assert insights_expire(now=later) == 1
        insight.refresh_from_db()
        assert insight.is_active is False

    def test_a_pin_carries_over_to_the_next_version(self, user, insight):
        insight_pin(insight=insight, pinned=True)
        tasks_rescore(user=user)
        assert Insight.objects.get(is_active=True).is_pinned is True


def test_project_analysis(user, hierarchy):
    _, _, project = hierarchy
    Project.objects.filter(pk=project.pk).update(due_date=timezone.now() - timedelta(days=2))
    for index in range(4):
        task = TaskFactory(user=user, project=project, name=f"Run {index}",
                           due_date=timezone.now() - timedelta(days=1))  # fmt: skip
        embed(task, "name_embedding", f"training run number {index} for the marathon")
    TaskFactory(user=user, project=project, status="completed")
    assert projects_analyze(user=user) == 1
    project.refresh_from_db()
    assert project.hrm_risk_assessment.startswith("high")
    assert "4 of 5 tasks overdue" in project.hrm_risk_assessment
    assert {a["action"] for a in project.hrm_suggested_adjustments} >= {"reschedule"}
    assert Decimal(0) <= project.hrm_health_score < Decimal("0.4")
    assert project.hrm_coherence_score != Decimal("0.50")  # measured from the embeddings
    insight = Insight.objects.get(entity_id=project.pk)
    assert insight.insight_type == "goal_coherence"
    projects_analyze(user=user)
    assert Insight.objects.get(entity_id=project.pk, is_active=True).previous_version_id == (
        insight.pk
    )


def test_today_orders_by_total_with_reasons(user, hierarchy):
    project = hierarchy[2]
    quiet = ProjectFactory(user=user, area=AreaFactory(user=user, pillar=None, importance=1),
                           importance=1)  # fmt: skip
    overdue = TaskFactory(user=user, project=project, name="Overdue",
                          due_date=timezone.now() - timedelta(days=3))  # fmt: skip
    someday = TaskFactory(user=user, project=quiet, name="Someday", priority="low")
    blocked = TaskFactory(user=user, project=quiet, name="Blocked")
    TaskDependencyFactory(task=blocked, depends_on=TaskFactory(user=user, project=quiet))
    ranked = today_priorities(user=user)
    assert ranked[0].task.pk == overdue.pk
    assert ranked[-1].task.pk == blocked.pk
    first = ranked[0].priority
    assert first.total == 100 + 50 + 25 + 60
    assert "Overdue by 3 days" in first.reasons
    assert all(p.task.today_total == p.priority.total for p in ranked)  # SQL mirrors Python
    totals = {p.task.pk: p.priority.total for p in ranked}
    assert totals[someday.pk] == 60
    assert totals[blocked.pk] == 0


def test_alignment_points(user, hierarchy):
    project = hierarchy[2]  # area importance 5, project priority high: 125
    Project.objects.filter(pk=project.pk).update(status="completed")
    other = ProjectFactory(user=user, area=AreaFactory(user=user, importance=3), priority="low")
    Project.objects.filter(pk=other.pk).update(status="completed")
    ProjectFactory(user=user, area=AreaFactory(user=user, importance=3), status="completed",
                   completed_at=timezone.now() - timedelta(days=70))  # fmt: skip
    ProjectFactory(user=user, area=AreaFactory(user=user, importance=5))  # not completed
    points = alignment_points(user=user)
    assert points["weekly_points"] == points["monthly_points"] == 125 + 50
    assert points["total_points"] == 125 + 50 + 50
    assert points["monthly_goal_progress"] == 0.175
    assert points["monthly_goal"] == 1000
    assert {p["points"] for p in points["projects_this_month"]} <= {125, 50}


def test_semantic_alignment_prefers_the_fitting_task(user, hierarchy):
    project = hierarchy[2]
    fitting = TaskFactory(user=user, project=project, name="Interval training run")
    stray = TaskFactory(user=user, project=project, name="File the tax return")
    embed(fitting, "name_embedding", "interval training run for the half marathon")
    embed(stray, "name_embedding", "file the annual tax return paperwork")
    tasks_rescore(user=user)
    fitting.refresh_from_db()
    stray.refresh_from_db()
    assert fitting.hrm_alignment_score > stray.hrm_alignment_score
    assert np.isfinite(float(fitting.hrm_alignment_score))


def test_today_is_the_persons_own_day(user):
    zone = ZoneInfo("Pacific/Auckland")
    UserProfile.objects.create(user=user, timezone=zone.key)
    local_today = timezone.now().astimezone(zone).date()
    early = datetime.combine(local_today, time(0, 30), tzinfo=zone)  # yesterday in UTC
    task = TaskFactory(user=user, due_date=early)
    (ranked,) = today_priorities(user=user)
    assert ranked.task.pk == task.pk
    assert "Due today" in ranked.priority.reasons
    assert ranked.task.today_total == ranked.priority.total
