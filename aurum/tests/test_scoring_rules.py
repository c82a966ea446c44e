"""The pure scoring rules, table by table: today's priorities, the task score, alignment
points, HRM factors, insight confidence/impact/expiry, journal sentiment. No database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from aurum.services.hrm import (
    ALIGNMENT_WEIGHTS,
    PRIORITY_WEIGHTS,
    TaskFacts,
    hrm_alignment,
    hrm_priority,
    obstacle_risk,
    project_alignment_points,
    reasoning_summary,
    suggested_timeblock,
    task_score,
    today_priority,
    urgency_points,
)
from aurum.services.insights import insight_confidence, insight_expiry, insight_impact
from aurum.services.sentiment import journal_sentiment, sentiment_category

TODAY = date(2026, 3, 10)


def due(days: int | None) -> date | None:
    return None if days is None else TODAY + timedelta(days=days)


class TestTodayPriority:
    @pytest.mark.parametrize(
        ("facts", "total", "reasons"),
        [
            (TaskFacts(due_date=due(-3), dependencies_met=False), 100, ["Overdue by 3 days"]),
            (TaskFacts(due_date=due(-1), dependencies_met=False), 100, ["Overdue by 1 day"]),
            (TaskFacts(due_date=due(0), dependencies_met=False), 80, ["Due today"]),
            (TaskFacts(due_date=due(1), dependencies_met=False), 0, []),
            (TaskFacts(priority="high", dependencies_met=False), 30, ["High priority"]),
            (TaskFacts(project_importance=4, dependencies_met=False), 50,
             ["Project importance 4 of 5"]),
            (TaskFacts(project_importance=3, area_importance=3, dependencies_met=False), 0, []),
            (TaskFacts(area_importance=5, dependencies_met=False), 25, ["Area importance 5 of 5"]),
            (TaskFacts(), 60, ["Ready: nothing it depends on is open"]),
            (TaskFacts(due_date=due(-2), priority="high", project_importance=5,
                       area_importance=4), 265, None),
        ],
    )  # fmt: skip
    def test_components_and_reasons(self, facts, total, reasons):
        result = today_priority(facts, today=TODAY)
        assert result.total == total
        assert sum(part.points for part in result.components) == total
        if reasons is not None:
            assert result.reasons == reasons


class TestTaskScore:
    @pytest.mark.parametrize(
        ("days", "points"),
        [(-5, 40), (0, 40), (1, 35), (2, 25), (3, 25), (5, 15), (7, 15), (10, 8), (14, 8),
         (20, 3), (60, 0), (None, 5)],
    )  # fmt: skip
    def test_urgency_by_days_to_due(self, days, points):
        assert urgency_points(days) == pytest.approx(points)

    def test_every_part(self):
        facts = TaskFacts(
            priority="high", due_date=due(1), created_on=TODAY - timedelta(days=20),
            dependencies_met=True, progress=45, project_importance=4, area_importance=5,
            pillar_weight=Decimal("1.5"),
        )  # fmt: skip
        total, parts = task_score(facts, today=TODAY)
        assert parts == {"urgency": 35, "priority": 20, "hierarchy": 10 + 8 + 3.75,
                         "dependencies": 15, "progress": 4.5, "age": 2.0}  # fmt: skip
        assert total == pytest.approx(sum(parts.values()))

    def test_unmet_dependencies_young_task_and_caps(self):
        facts = TaskFacts(priority="low", created_on=TODAY - timedelta(days=7),
                          dependencies_met=False, progress=250, pillar_weight=2.0)  # fmt: skip
        _, parts = task_score(facts, today=TODAY)
        assert parts["dependencies"] == 2
        assert parts["age"] == 0  # not past seven days
        assert parts["progress"] == 10  # capped
        assert parts["hierarchy"] == 5  # pillar part capped at 5

    def test_capped_at_100(self):
        facts = TaskFacts(priority="urgent", due_date=due(-1), created_on=TODAY - timedelta(400),
                          progress=100, project_importance=5, area_importance=5,
                          pillar_weight=2)  # fmt: skip
        total, parts = task_score(facts, today=TODAY)
        assert sum(parts.values()) > 100
        assert total == 100


@pytest.mark.parametrize(
    ("priority", "importance", "points"),
    [("low", 3, 50), ("high", 3, 75), ("medium", 5, 100), ("high", 5, 125), (None, None, 50)],
)
def test_alignment_points(priority, importance, points):
    assert project_alignment_points(priority=priority, area_importance=importance) == points


FULL = TaskFacts(
    status="in_progress", priority="high", due_date=due(2), created_on=TODAY - timedelta(9),
    dependencies_met=True, progress=40, project_priority="high", project_importance=5,
    area_importance=4, pillar_weight=Decimal("1.2"), similarity_project=0.81,
    similarity_area=0.44, similarity_pillar=0.37,
)  # fmt: skip


class TestHrmScores:
    def test_weights_sum_to_one(self):
        assert sum(PRIORITY_WEIGHTS.values()) == 1
        assert sum(ALIGNMENT_WEIGHTS.values()) == 1

    @pytest.mark.parametrize(
        "facts",
        [FULL, TaskFacts(), TaskFacts(priority="low", due_date=due(300), dependencies_met=False),
         TaskFacts(priority="urgent", due_date=due(-9), project_priority="high",
                   project_importance=5, area_importance=5, pillar_weight=2, progress=100,
                   similarity_project=1.0, similarity_area=1.0, similarity_pillar=1.0)],
    )  # fmt: skip
    def test_contributions_sum_to_the_score_in_unit_range(self, facts):
        for result in (hrm_priority(facts, today=TODAY), hrm_alignment(facts)):
            path = result.as_path()
            assert sum(Decimal(str(f["contribution"])) for f in path) == result.score
            assert 0 <= result.score <= 1
            assert 0 <= result.stored <= 1
            assert abs(result.stored - result.score) <= Decimal("0.005")
            for factor in path:
                assert 0 <= factor["value"] <= 1
                assert factor["contribution"] == pytest.approx(
                    factor["weight"] * factor["value"], abs=1e-4
                )

    def test_deterministic(self):
        first = hrm_priority(FULL, today=TODAY), hrm_alignment(FULL)
        again = hrm_priority(FULL, today=TODAY), hrm_alignment(FULL)
        assert [r.as_path() for r in first] == [r.as_path() for r in again]
        assert reasoning_summary(*first) == reasoning_summary(*again)

    def test_urgency_raises_priority(self):
        later = hrm_priority(TaskFacts(due_date=due(30)), today=TODAY).score
        sooner = hrm_priority(TaskFacts(due_date=due(1)), today=TODAY).score
        overdue = hrm_priority(TaskFacts(due_date=due(-1)), today=TODAY).score
        assert later < sooner < overdue

    def test_semantic_closeness_raises_alignment(self):
        far = hrm_alignment(TaskFacts(similarity_project=0.1, similarity_area=0.1,
                                      similarity_pillar=0.1)).score  # fmt: skip
        near = hrm_alignment(TaskFacts(similarity_project=0.9, similarity_area=0.9,
                                       similarity_pillar=0.9)).score  # fmt: skip
        assert far < near
        assert (near - far) == Decimal("0.8") * Decimal("0.60")

    def test_missing_data_is_neutral_and_marked(self):
        result = hrm_alignment(TaskFacts())
        unknown = {f["factor"] for f in result.as_path() if not f["known"]}
        assert {"semantic_project", "semantic_area", "semantic_pillar", "pillar_weight"} <= unknown
        assert result.known_factors == 1  # only "linked to a pillar" is a fact

    @pytest.mark.parametrize(
        ("facts", "risk"),
        [(TaskFacts(due_date=due(10)), "low"),
         (TaskFacts(due_date=due(1)), "medium"),
         (TaskFacts(due_date=due(-1), dependencies_met=False), "high"),
         (TaskFacts(priority="high", created_on=TODAY - timedelta(60), due_date=due(-3)), "high")],
    )  # fmt: skip
    def test_obstacle_risk(self, facts, risk):
        assert obstacle_risk(facts, today=TODAY) == risk

    def test_timeblock_from_peak_hours_else_working_day(self):
        block = suggested_timeblock(priority_score=Decimal("0.8"), peak_hours=[10, 15],
                                    working_hours=("09:00", "17:00"))  # fmt: skip
        assert block == "10:00-12:00"
        block = suggested_timeblock(priority_score=Decimal("0.3"), peak_hours=[10, 15],
                                    working_hours=("09:00", "17:00"))  # fmt: skip
        assert block == "15:00-17:00"
        block = suggested_timeblock(priority_score=Decimal("0.3"), peak_hours=[],
                                    working_hours=("08:30", "17:00"))  # fmt: skip
        assert block == "08:00-10:00"


class TestInsightRules:
    @pytest.mark.parametrize(
        ("rules", "values", "confidence"),
        [(0, [0.5, 0.5], "0.7"), (1, [0.5], "0.75"), (3, [0.2, 0.6], "0.85"),
         (4, [0.4], "0.9"), (9, [0.4], "0.9"), (9, [0.0, 1.0], "0.8"), (2, [0.1, 0.71], "0.7")],
    )  # fmt: skip
    def test_confidence(self, rules, values, confidence):
        assert insight_confidence(rules_applied=rules, component_values=values) == Decimal(
            confidence
        )

    @pytest.mark.parametrize(
        ("level", "strong", "impact"),
        [("pillar", False, "0.9"), ("pillar", True, "1.0"), ("area", False, "0.7"),
         ("project", True, "0.8"), ("task", False, "0.4"), ("task", True, "0.6"),
         ("global", False, "1.0")],
    )  # fmt: skip
    def test_impact(self, level, strong, impact):
        assert insight_impact(entity_type=level, strong=strong) == Decimal(impact)

    @pytest.mark.parametrize(
        ("insight_type", "hours"),
        [("priority_reasoning", 6), ("obstacle_identification", 24),
         ("alignment_analysis", 72), ("pattern_recognition", 168), ("recommendation", 24)],
    )  # fmt: skip
    def test_expiry(self, insight_type, hours):
        now = datetime(2026, 3, 10, 12, tzinfo=UTC)
        assert insight_expiry(insight_type=insight_type, now=now) == now + timedelta(hours=hours)


class TestSentiment:
    @pytest.mark.parametrize(
        ("score", "category"),
        [(1, "very_positive"), (0.6, "very_positive"), (0.59, "positive"), (0.2, "positive"),
         (0.19, "neutral"), (-0.2, "neutral"), (-0.21, "negative"), (-0.6, "negative"),
         (-0.61, "very_negative"), (-1, "very_negative")],
    )  # fmt: skip
    def test_categories(self, score, category):
        assert sentiment_category(score) == category

    @pytest.mark.parametrize(
        ("text", "category"),
        [("Amazing day: finished the draft, felt focused and proud. Grateful!", "very_positive"),
         ("A good walk.", "positive"),
         ("Went to the shop, then cooked dinner.", "neutral"),
         ("", "neutral"),
         ("Tired and a bit stressed.", "negative"),
         ("Awful, miserable day. Overwhelmed, stuck and exhausted.", "very_negative"),
         ("I was not happy with the meeting, and worried.", "negative")],
    )  # fmt: skip
    def test_texts(self, text, category):
        result = journal_sentiment(text)
        assert -1 <= result.score <= 1
        assert result.category == category, result

    def test_negation_flips(self):
        assert journal_sentiment("not happy").score < 0 < journal_sentiment("happy").score
        assert journal_sentiment("never stressed").score > 0

    def test_intensifier_and_length_strengthen(self):
        assert journal_sentiment("very happy").score > journal_sentiment("happy").score
        assert journal_sentiment("happy, grateful, calm").score > journal_sentiment("happy").score
