"""The scoring rules, pure and table-driven: today's priorities, the 0-100 task score,
alignment points and the HRM (Hierarchical Reasoning Model) priority and alignment scores.

Each takes a ``TaskFacts`` and returns numbers with their parts, so every score can be
explained and tested without a database (``services/scoring.py`` stores them).
The HRM scores are sums of factors (weight x value in [0, 1], weights summing to 1), so the
contributions add up exactly to the score that is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

FOUR_PLACES = Decimal("0.0001")
TWO_PLACES = Decimal("0.01")
HIGH_PRIORITIES = {"high", "urgent"}
OPEN_STATUSES = ("todo", "in_progress", "review")


@dataclass(frozen=True)
class TaskFacts:
    """What scoring reads about one task and its place in the hierarchy (None: not known)."""

    status: str = "todo"
    priority: str = "medium"
    due_date: date | None = None
    created_on: date | None = None
    dependencies_met: bool = True
    progress: int | None = None  # percent done
    project_priority: str | None = None
    project_importance: int | None = None
    area_importance: int | None = None
    pillar_weight: Decimal | float | None = None
    # Cosine similarity between the task's embedding and its project's, area's and pillar's.
    similarity_project: float | None = None
    similarity_area: float | None = None
    similarity_pillar: float | None = None


def days_until(due: date | None, today: date) -> int | None:
    return None if due is None else (due - today).days


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --- Today's priorities (the product's main screen) ------------------------------------------


@dataclass(frozen=True)
class Component:
    name: str
    points: float
    reason: str


@dataclass(frozen=True)
class TodayPriority:
    total: float
    components: tuple[Component, ...]

    @property
    def reasons(self) -> list[str]:
        return [component.reason for component in self.components]


def today_priority(facts: TaskFacts, *, today: date) -> TodayPriority:
    """Overdue 100 or due today 80, + high priority 30, + project importance ≥ 4: 50, + area
    importance ≥ 4: 25, + all dependencies done (or none): 60."""
    parts: list[Component] = []
    days = days_until(facts.due_date, today)
    if days is not None and days < 0:
        parts.append(Component("urgency", 100, f"Overdue by {_plural(-days, 'day')}"))
    elif days == 0:
        parts.append(Component("urgency", 80, "Due today"))
    if facts.priority in HIGH_PRIORITIES:
        parts.append(Component("priority", 30, f"{facts.priority.capitalize()} priority"))
    if (facts.project_importance or 0) >= 4:
        parts.append(
            Component("project", 50, f"Project importance {facts.project_importance} of 5")
        )
    if (facts.area_importance or 0) >= 4:
        parts.append(Component("area", 25, f"Area importance {facts.area_importance} of 5"))
    if facts.dependencies_met:
        parts.append(Component("dependencies", 60, "Ready: nothing it depends on is open"))
    return TodayPriority(total=sum(part.points for part in parts), components=tuple(parts))


# --- The task score, 0-100 -------------------------------------------------------------------

PRIORITY_POINTS = {"urgent": 20, "high": 20, "medium": 12, "low": 5}


def urgency_points(days: int | None) -> float:
    if days is None:
        return 5
    for limit, points in ((0, 40), (1, 35), (3, 25), (7, 15), (14, 8)):
        if days <= limit:
            return points
    return max(0.0, 5 - 0.1 * days)


def task_score(facts: TaskFacts, *, today: date) -> tuple[float, dict[str, float]]:
    """The task's score out of 100 and its parts: urgency by days to due, priority, hierarchy
    (area and project importance, pillar weight), dependencies met, progress, age."""
    pillar = float(facts.pillar_weight) if facts.pillar_weight is not None else 0.0
    age = (today - facts.created_on).days if facts.created_on else 0
    parts = {
        "urgency": urgency_points(days_until(facts.due_date, today)),
        "priority": PRIORITY_POINTS.get(facts.priority, 12),
        "hierarchy": (facts.area_importance or 0) / 5 * 10
        + (facts.project_importance or 0) / 5 * 10
        + min(pillar * 2.5, 5),
        "dependencies": 15 if facts.dependencies_met else 2,
        "progress": min((facts.progress or 0) / 10, 10),
        "age": min(0.1 * age, 3) if age > 7 else 0,
    }
    parts = {name: round(value, 2) for name, value in parts.items()}
    return min(100.0, round(sum(parts.values()), 2)), parts


# --- Alignment points ------------------------------------------------------------------------


def project_alignment_points(*, priority: str | None, area_importance: int | None) -> int:
    """A completed project earns 50, +25 if its priority is high, +50 if its area's importance
    is 5 (at most 125)."""
    return 50 + (25 if priority == "high" else 0) + (50 if area_importance == 5 else 0)


# --- HRM scores: factors whose contributions add up to the score -----------------------------


@dataclass(frozen=True)
class Factor:
    name: str
    weight: Decimal
    value: Decimal  # in [0, 1]
    reason: str
    known: bool = True  # False: the data was missing and a neutral value stood in

    @property
    def contribution(self) -> Decimal:
        return (self.weight * self.value).quantize(FOUR_PLACES, ROUND_HALF_UP)

    def as_dict(self) -> dict[str, Any]:
        return {
            "factor": self.name,
            "weight": float(self.weight),
            "value": float(self.value),
            "contribution": float(self.contribution),
            "reason": self.reason,
            "known": self.known,
        }


@dataclass(frozen=True)
class HrmScore:
    """A score in [0, 1] as the sum of its factors' contributions (four places)."""

    factors: tuple[Factor, ...]

    @property
    def score(self) -> Decimal:
        return sum((factor.contribution for factor in self.factors), Decimal(0))

    @property
    def stored(self) -> Decimal:
        """The score as its ``DECIMAL(3,2)`` column holds it."""
        return self.score.quantize(TWO_PLACES, ROUND_HALF_UP)

    @property
    def known_factors(self) -> int:
        return sum(1 for factor in self.factors if factor.known)

    def strongest(self, count: int = 2) -> list[Factor]:
        return sorted(self.factors, key=lambda factor: factor.contribution, reverse=True)[:count]

    def as_path(self) -> list[dict[str, Any]]:
        return [factor.as_dict() for factor in self.factors]


def _unit(value: float) -> Decimal:
    return Decimal(str(round(min(1.0, max(0.0, value)), 4)))


NEUTRAL = Decimal("0.5")
PRIORITY_VALUE = {"urgent": 1.0, "high": 0.8, "medium": 0.5, "low": 0.2}
PROJECT_PRIORITY_VALUE = {"high": 1.0, "medium": 0.6, "low": 0.3}
STATUS_VALUE = {"in_progress": 1.0, "review": 0.8, "todo": 0.5}
PRIORITY_WEIGHTS = {
    "urgency": Decimal("0.30"),
    "task_priority": Decimal("0.20"),
    "project_priority": Decimal("0.10"),
    "project_importance": Decimal("0.10"),
    "area_importance": Decimal("0.10"),
    "pillar_weight": Decimal("0.10"),
    "dependencies": Decimal("0.05"),
    "status": Decimal("0.03"),
    "progress": Decimal("0.02"),
}
ALIGNMENT_WEIGHTS = {
    "semantic_project": Decimal("0.30"),
    "semantic_area": Decimal("0.15"),
    "semantic_pillar": Decimal("0.15"),
    "pillar_weight": Decimal("0.15"),
    "area_importance": Decimal("0.10"),
    "project_importance": Decimal("0.10"),
    "linked_to_pillar": Decimal("0.05"),
}


def urgency_value(days: int | None) -> tuple[Decimal, str]:
    if days is None:
        return Decimal("0.15"), "No due date"
    if days < 0:
        return Decimal(1), f"Overdue by {_plural(-days, 'day')}"
    for limit, value in ((0, "0.9"), (1, "0.8"), (3, "0.65"), (7, "0.45"), (14, "0.3")):
        if days <= limit:
            return Decimal(value), "Due today" if days == 0 else f"Due in {_plural(days, 'day')}"
    return _unit(0.25 - 0.002 * days), f"Due in {_plural(days, 'day')}"


def _importance(name: str, weight: Decimal, importance: int | None, what: str) -> Factor:
    if importance is None:
        return Factor(name, weight, NEUTRAL, f"No {what}", known=False)
    return Factor(name, weight, _unit((importance - 1) / 4), f"{what.capitalize()} {importance}/5")


def _pillar(weight: Decimal, pillar_weight: Decimal | float | None) -> Factor:
    if pillar_weight is None:
        return Factor("pillar_weight", weight, NEUTRAL, "No pillar", known=False)
    # Pillar weights run from 0.1 to 2.0.
    value = _unit((float(pillar_weight) - 0.1) / 1.9)
    return Factor("pillar_weight", weight, value, f"Pillar weight {float(pillar_weight):g}")


def hrm_priority(facts: TaskFacts, *, today: date) -> HrmScore:
    """How much the task should be done next, in [0, 1], from due-date urgency, its priority,
    its project's priority and importance, its area's importance, its pillar's weight, its
    dependencies, status and progress."""
    w = PRIORITY_WEIGHTS
    urgency, urgency_reason = urgency_value(days_until(facts.due_date, today))
    project_priority = PROJECT_PRIORITY_VALUE.get(facts.project_priority or "")
    factors = (
        Factor("urgency", w["urgency"], urgency, urgency_reason),
        Factor(
            "task_priority",
            w["task_priority"],
            _unit(PRIORITY_VALUE.get(facts.priority, 0.5)),
            f"{facts.priority.capitalize()} priority",
        ),
        Factor(
            "project_priority",
            w["project_priority"],
            _unit(project_priority) if project_priority is not None else NEUTRAL,
            f"Project priority {facts.project_priority}"
            if facts.project_priority
            else "No project",
            known=project_priority is not None,
        ),
        _importance(
            "project_importance",
            w["project_importance"],
            facts.project_importance,
            "project importance",
        ),
        _importance(
            "area_importance", w["area_importance"], facts.area_importance, "area importance"
        ),
        _pillar(w["pillar_weight"], facts.pillar_weight),
        Factor(
            "dependencies",
            w["dependencies"],
            Decimal(1) if facts.dependencies_met else Decimal(0),
            "Ready to start" if facts.dependencies_met else "Waiting on open dependencies",
        ),
        Factor(
            "status",
            w["status"],
            _unit(STATUS_VALUE.get(facts.status, 0.5)),
            f"Status {facts.status.replace('_', ' ')}",
        ),
        Factor(
            "progress",
            w["progress"],
            _unit((facts.progress or 0) / 100),
            f"{facts.progress or 0}% done",
            known=facts.progress is not None,
        ),
    )
    return HrmScore(factors)


def _semantic(name: str, weight: Decimal, similarity: float | None, what: str) -> Factor:
    if similarity is None:
        return Factor(name, weight, NEUTRAL, f"No {what} embedding to compare", known=False)
    # Unrelated texts sit near 0 cosine, paraphrases near 1; opposites count as unrelated.
    return Factor(name, weight, _unit(similarity), f"Meaning {similarity:.2f} similar to {what}")


def hrm_alignment(facts: TaskFacts) -> HrmScore:
    """How well the task serves what the user cares about, in [0, 1]: how close its meaning is
    to its project's, area's and pillar's, and how much those matter (pillar weight, area and
    project importance, a complete chain up to a pillar)."""
    w = ALIGNMENT_WEIGHTS
    linked = facts.pillar_weight is not None
    factors = (
        _semantic("semantic_project", w["semantic_project"], facts.similarity_project, "project"),
        _semantic("semantic_area", w["semantic_area"], facts.similarity_area, "area"),
        _semantic("semantic_pillar", w["semantic_pillar"], facts.similarity_pillar, "pillar"),
        _pillar(w["pillar_weight"], facts.pillar_weight),
        _importance(
            "area_importance", w["area_importance"], facts.area_importance, "area importance"
        ),
        _importance(
            "project_importance",
            w["project_importance"],
            facts.project_importance,
            "project importance",
        ),
        Factor(
            "linked_to_pillar",
            w["linked_to_pillar"],
            Decimal(1) if linked else Decimal(0),
            "Serves a pillar" if linked else "Not linked to any pillar",
        ),
    )
    return HrmScore(factors)


def obstacle_risk(facts: TaskFacts, *, today: date) -> str:
    """``low``, ``medium`` or ``high``: overdue, blocked, stale or far from done."""
    days = days_until(facts.due_date, today)
    age = (today - facts.created_on).days if facts.created_on else 0
    points = 0
    points += 2 if days is not None and days < 0 else (1 if days is not None and days <= 2 else 0)
    points += 0 if facts.dependencies_met else 2
    points += 1 if age > 30 and facts.status == "todo" else 0
    points += 1 if facts.priority in HIGH_PRIORITIES and facts.status == "todo" else 0
    return "high" if points >= 3 else "medium" if points >= 1 else "low"


def suggested_timeblock(
    *, priority_score: Decimal, peak_hours: Sequence[int], working_hours: tuple[str, str]
) -> str:
    """A two-hour block: the best peak hour for important work, the next one for the rest; the
    start of the working day when no peak hours are known. Formatted ``HH:MM-HH:MM``."""
    if peak_hours:
        hour = (
            peak_hours[0]
            if priority_score >= Decimal("0.6") or len(peak_hours) == 1
            else (peak_hours[1])
        )
    else:
        start = working_hours[0]
        hour = int(start.split(":")[0]) if start[:2].isdigit() else 9
    return f"{hour % 24:02d}:00-{(hour + 2) % 24:02d}:00"


def reasoning_summary(priority: HrmScore, alignment: HrmScore) -> str:
    """One deterministic sentence naming the strongest reasons."""
    reasons = "; ".join(factor.reason for factor in priority.strongest(2))
    return (
        f"Priority {priority.stored} ({reasons}); alignment {alignment.stored} "
        f"({alignment.strongest(1)[0].reason})."
    )
