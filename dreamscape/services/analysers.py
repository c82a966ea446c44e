"""The five persona analysers: deterministic, explainable figures over a user's behaviour.

They carry the formulas of the seed's source product (its five-agent crew computed these
before any language model spoke), each over plain ``Event`` tuples so they are tested without
a database. Windows: the last 30 days, and 12 weeks for interest evolution.

Events may say more in their JSON: ``metadata.skill`` (or ``context.topic``) names a skill
area, ``metadata.language`` and ``metadata.tool`` what was used, ``metadata.tags`` (or
``context.tags``) a list of tags.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import mean
from typing import Any, NamedTuple

from dreamscape.choices import LifePhase

WINDOW_DAYS = 30
EVOLUTION_WEEKS = 12
PRACTICE_ACTIONS = frozenset({"create", "edit", "practice", "run", "complete"})
FORMATS = {"video": "visual", "image": "visual", "code": "hands-on", "exercise": "hands-on"}


class Event(NamedTuple):
    created_at: datetime
    action_type: str
    item_id: Any
    item_type: str | None
    duration_seconds: int | None
    context: dict[str, Any] | None
    metadata: dict[str, Any] | None


def skill_of(event: Event) -> str | None:
    return (event.metadata or {}).get("skill") or (event.context or {}).get("topic")


def tags_of(event: Event) -> list[str]:
    tags = (event.metadata or {}).get("tags") or (event.context or {}).get("tags") or []
    return (
        [tag for tag in tags if isinstance(tag, str) and tag.strip()]
        if isinstance(tags, list)
        else []
    )


def _within(events: Sequence[Event], now: datetime, days: int) -> list[Event]:
    since = now - timedelta(days=days)
    return [event for event in events if event.created_at >= since]


@dataclass(frozen=True)
class Velocity:
    consumption: float
    engagement: float
    diversity: float
    intensity: float

    @property
    def score(self) -> float:
        return round(
            0.3 * self.consumption + 0.3 * self.engagement + 0.2 * self.diversity
            + 0.2 * self.intensity,
            2,
        )  # fmt: skip

    def as_dict(self) -> dict[str, float]:
        parts = ("consumption", "engagement", "diversity", "intensity")
        return {"score": self.score, **{part: round(getattr(self, part), 3) for part in parts}}


def learning_velocity(events: Sequence[Event]) -> Velocity:
    """0.3·consumption + 0.3·engagement + 0.2·diversity + 0.2·intensity (the caller picks the
    window). Days spanned count the first and last day (events on one day span 1)."""
    if not events:
        return Velocity(0.0, 0.0, 0.0, 0.0)
    items = {event.item_id for event in events if event.item_id is not None}
    days = max(e.created_at for e in events).date() - min(e.created_at for e in events).date()
    durations = [event.duration_seconds for event in events if event.duration_seconds is not None]
    types = {event.item_type for event in events if event.item_type}
    return Velocity(
        consumption=min(1.0, len(items) / (days.days + 1) / 5),
        engagement=min(1.0, mean(durations) / 300) if durations else 0.0,
        diversity=min(1.0, len(types) / 5),
        intensity=min(1.0, len(events) / len(items) / 3) if items else 0.0,
    )


def engagement_score(events: Sequence[Event]) -> float:
    """mean(min(1, active days ÷ 30), min(1, actions ÷ 100), min(1, unique items ÷ 50))."""
    active_days = {event.created_at.date() for event in events}
    if not active_days:
        return 0.0
    items = {event.item_id for event in events if event.item_id is not None}
    parts = (min(1, len(active_days) / 30), min(1, len(events) / 100), min(1, len(items) / 50))
    return round(mean(parts), 2)


def attention_span(events: Sequence[Event]) -> str:
    """Mean session (an event's duration) over 300 s: long; over 120 s: medium; else short."""
    durations = [event.duration_seconds for event in events if event.duration_seconds is not None]
    seconds = mean(durations) if durations else 0
    return "long" if seconds > 300 else "medium" if seconds > 120 else "short"


def life_phase(velocity: float, actions: int) -> tuple[str, float, list[str]]:
    """The phase, how sure (0.5 at a threshold, towards 1 far from it and with plenty of
    evidence) and why."""
    if velocity > 0.7 and actions > 50:
        phase = LifePhase.EARLY_CAREER
        margin = min(velocity - 0.7, (actions - 50) / 100)
        reasons = [f"learning velocity {velocity} > 0.7", f"{actions} actions > 50"]
    elif velocity > 0.5:
        phase = LifePhase.MID_CAREER
        margin = velocity - 0.5 if actions > 50 else min(velocity - 0.5, 0.7 - velocity)
        reasons = [f"learning velocity {velocity} > 0.5"]
        if velocity > 0.7:
            reasons.append(f"only {actions} actions (early career needs more than 50)")
    else:
        phase = LifePhase.EXPERIENCED
        margin = 0.5 - velocity
        reasons = [f"learning velocity {velocity} ≤ 0.5"]
    evidence = min(1.0, actions / 100)
    confidence = round(min(0.99, 0.5 + 0.5 * min(1.0, margin / 0.2) * (0.5 + 0.5 * evidence)), 2)
    reasons.append(f"{actions} actions of evidence; {margin:.2f} from the nearest threshold")
    return phase, confidence, reasons


def interest_evolution(events: Sequence[Event], now: datetime) -> dict[str, Any]:
    """Weekly views per item type over 12 weeks (oldest first); the last 3 weeks' mean above
    1.5 times the first 3 weeks' is increasing (above 2 times: strong), below half: decreasing."""
    start = now - timedelta(weeks=EVOLUTION_WEEKS)
    weekly: dict[str, list[int]] = defaultdict(lambda: [0] * EVOLUTION_WEEKS)
    for event in events:
        if event.action_type != "view" or not event.item_type or event.created_at < start:
            continue
        week = min(EVOLUTION_WEEKS - 1, (event.created_at - start).days // 7)
        weekly[event.item_type][week] += 1
    trends = {}
    for item_type, counts in sorted(weekly.items()):
        first, last = mean(counts[:3]), mean(counts[-3:])
        ratio = None if first == 0 else round(last / first, 2)
        if (first == 0 and last > 0) or (ratio is not None and ratio > 1.5):
            trend = "increasing"
            strength = "strong" if ratio is None or ratio > 2 else "moderate"
        elif ratio is not None and ratio < 0.5:
            trend, strength = "decreasing", "moderate"
        else:
            trend, strength = "stable", None
        trends[item_type] = {
            "weekly_views": counts,
            "trend": trend,
            "strength": strength,
            "ratio": ratio,
        }
    return {"weeks": EVOLUTION_WEEKS, "item_types": trends}


def peak_period(hour: int) -> str:
    if 6 <= hour <= 11:
        return "morning"
    if 12 <= hour <= 17:
        return "afternoon"
    if 18 <= hour <= 22:
        return "evening"
    return "late"


def behavioural_insights(events: Sequence[Event]) -> dict[str, Any]:
    """Peak period of the day, and power user (> 20 actions per active day), regular (> 10)
    or casual."""
    if not events:
        return {"peak_period": None, "user_type": "casual", "actions_per_active_day": 0}
    hours = Counter(event.created_at.hour for event in events)
    peak_hour = max(sorted(hours), key=lambda hour: hours[hour])
    per_day = len(events) / len({event.created_at.date() for event in events})
    user_type = "power_user" if per_day > 20 else "regular" if per_day > 10 else "casual"
    return {
        "peak_hour": peak_hour,
        "peak_period": peak_period(peak_hour),
        "user_type": user_type,
        "actions_per_active_day": round(per_day, 1),
    }


def _shares(counter: Counter) -> dict[str, float]:
    total = sum(counter.values())
    return {key: round(count / total, 2) for key, count in counter.most_common()} if total else {}


def technical_profile(events: Sequence[Event], trends: dict[str, Any]) -> dict[str, Any]:
    """Languages, tools and skill areas used, with a learning velocity per skill area."""
    languages = Counter((e.metadata or {}).get("language") for e in events)
    languages.pop(None, None)
    tools = Counter((e.metadata or {}).get("tool") for e in events)
    tools.pop(None, None)
    by_skill: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if (skill := skill_of(event)) is not None:
            by_skill[skill].append(event)
    velocities = []
    for skill, skill_events in sorted(by_skill.items(), key=lambda pair: -len(pair[1])):
        kinds = {e.item_type for e in skill_events if e.item_type}
        rising = [trends.get(kind, {}).get("trend") for kind in kinds]
        trend = "increasing" if "increasing" in rising else "stable"
        velocities.append(
            {"domain": skill, "velocity": learning_velocity(skill_events).score, "trend": trend}
        )
    return {
        "primary_languages": [name for name, _ in languages.most_common(3)],
        "skill_levels": {name: skill_level(count) for name, count in languages.items()},
        "domains": [entry["domain"] for entry in velocities[:5]],
        "tools": [name for name, _ in tools.most_common()],
        "learning_velocity": velocities,
    }


def skill_level(actions: int) -> str:
    """A level from how much was done in an area: a rough, stated rule."""
    if actions >= 100:
        return "expert"
    if actions >= 40:
        return "advanced"
    return "intermediate" if actions >= 10 else "beginner"


def lifestyle_profile(events: Sequence[Event], insights: dict[str, Any]) -> dict[str, Any]:
    periods = Counter(peak_period(event.created_at.hour) for event in events)
    tags = Counter(tag for event in events for tag in tags_of(event))
    return {
        "interests": [tag for tag, _ in tags.most_common(5)],
        "activity_patterns": {
            period: round(periods[period] / len(events), 2) if events else 0.0
            for period in ("morning", "afternoon", "evening", "late")
        },
        "content_preferences": _shares(Counter(e.item_type for e in events if e.item_type)),
        "interaction_style": insights["user_type"],
        "peak_period": insights["peak_period"],
    }


def learning_style(events: Sequence[Event]) -> dict[str, Any]:
    kinds = Counter(FORMATS.get(e.item_type or "", "text") for e in events if e.item_type)
    practice = sum(1 for event in events if event.action_type in PRACTICE_ACTIONS)
    span = attention_span(events)
    return {
        "preferred_formats": [name for name, _ in kinds.most_common()],
        "attention_span": span,
        "complexity_preference": {"long": "high", "medium": "moderate", "short": "low"}[span],
        "practice_theory_ratio": round(practice / len(events), 2) if events else 0.0,
    }


def cross_domain_insights(events: Sequence[Event]) -> dict[str, Any]:
    """Skill areas worked on the same days: the more shared days, the stronger the link."""
    days: dict[str, set] = defaultdict(set)
    for event in events:
        if (skill := skill_of(event)) is not None:
            days[skill].add(event.created_at.date())
    names = sorted(days)
    connections = []
    for index, first in enumerate(names):
        for second in names[index + 1 :]:
            shared = days[first] & days[second]
            strength = round(len(shared) / len(days[first] | days[second]), 2)
            if strength >= 0.2:
                connections.append(
                    {
                        "domain1": first,
                        "domain2": second,
                        "connection_type": "shared_sessions",
                        "strength": strength,
                        "insights": [f"Worked on together on {len(shared)} day(s)"],
                    }
                )
    connections.sort(key=lambda link: -link["strength"])
    return {
        "connections": connections,
        "project_potential": [
            f"A project joining {link['domain1']} and {link['domain2']}" for link in connections[:3]
        ],
        "innovation_opportunities": [
            f"Use {link['domain1']} skills in {link['domain2']}" for link in connections[:3]
        ],
    }


def analyse(events: Sequence[Event], now: datetime) -> dict[str, Any]:
    """Every persona field from the events (12 weeks of them; most figures use the last 30
    days)."""
    recent = _within(events, now, WINDOW_DAYS)
    velocity = learning_velocity(recent)
    insights = behavioural_insights(recent)
    evolution = interest_evolution(events, now)
    phase, confidence, reasons = life_phase(velocity.score, len(recent))
    technical = technical_profile(recent, evolution["item_types"])
    technical["velocity"] = velocity.as_dict()
    lifestyle = lifestyle_profile(recent, insights)
    lifestyle["engagement_score"] = engagement_score(recent)
    cross = cross_domain_insights(recent)
    cross["life_phase"] = {"phase": phase, "confidence": confidence, "reasons": reasons}
    cross["behaviour"] = insights
    return {
        "technical_profile": technical,
        "lifestyle_profile": lifestyle,
        "learning_style": learning_style(recent),
        "life_phase": phase,
        "phase_confidence": confidence,
        "interests_evolution": evolution,
        "cross_domain_insights": cross,
    }
