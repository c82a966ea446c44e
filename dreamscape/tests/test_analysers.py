"""The five analysers on crafted behaviour: the issue's formulas, its worked example, and the
persona, learning profiles and suggestions they produce."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from dreamscape.models import DreamscapeSuggestion, LearningProfile, UserPersona
from dreamscape.services import analysers
from dreamscape.services.analysers import Event
from dreamscape.services.personas import persona_analyze
from dreamscape.tests.factories import BehaviorFactory

NOW = datetime(2025, 7, 28, 12, 0, tzinfo=UTC)


def ev(day=0, hour=10, action="view", item=None, kind="article", seconds=150, **metadata):
    moment = NOW - timedelta(days=day, hours=NOW.hour - hour)
    return Event(moment, action, item or uuid.uuid4(), kind, seconds, None, metadata or None)


def worked_example():
    """30 unique items over 10 days, 150 s mean, 3 item types, 45 interactions."""
    items = [uuid.uuid4() for _ in range(30)]
    kinds = ["article", "video", "code"]
    return [
        ev(day=index % 10, item=items[index % 30], kind=kinds[index % 3]) for index in range(45)
    ]


def test_learning_velocity_worked_example():
    velocity = analysers.learning_velocity(worked_example())
    assert (velocity.consumption, velocity.engagement) == (0.6, 0.5)
    assert (velocity.diversity, velocity.intensity) == (0.6, 0.5)
    assert velocity.score == 0.55


def test_learning_velocity_caps_and_empty():
    assert analysers.learning_velocity([]).score == 0
    busy = [ev(item=uuid.uuid4(), seconds=3000, kind=f"k{n}") for n in range(10)]
    assert analysers.learning_velocity(busy).as_dict()["engagement"] == 1.0


def test_engagement_score():
    assert analysers.engagement_score([]) == 0
    events = [ev(day=day) for day in range(15)] * 2  # 15 days, 30 actions, 15 items
    assert analysers.engagement_score(events) == round((0.5 + 0.3 + 0.3) / 3, 2)


@pytest.mark.parametrize(("seconds", "span"), [(301, "long"), (300, "medium"), (121, "medium"),
                                               (120, "short"), (None, "short")])  # fmt: skip
def test_attention_span(seconds, span):
    assert analysers.attention_span([ev(seconds=seconds)]) == span


def test_life_phase_and_confidence():
    phase, sure, reasons = analysers.life_phase(0.9, 120)
    assert phase == "early_career"
    assert sure > 0.9
    assert any("0.9 > 0.7" in reason for reason in reasons)
    assert analysers.life_phase(0.9, 40)[0] == "mid_career"  # fast, but too little evidence
    assert analysers.life_phase(0.55, 100)[0] == "mid_career"
    phase, borderline, _ = analysers.life_phase(0.51, 100)
    assert phase == "mid_career"
    assert borderline < 0.6  # near the threshold: not sure
    assert analysers.life_phase(0.2, 10)[0] == "experienced"


def test_interest_evolution():
    events = [ev(day=80, kind="video")] + [ev(day=day, kind="video") for day in (1, 2, 8, 15)]
    events += [ev(day=day, kind="article") for day in (70, 71, 72, 78, 79, 83)]
    events += [ev(day=5, kind="article")]
    events += [ev(day=d, kind="code") for d in (2, 9, 16, 64, 70, 80)]
    trends = analysers.interest_evolution(events, NOW)["item_types"]
    assert trends["video"]["trend"] == "increasing"
    assert trends["video"]["strength"] == "strong"
    assert trends["article"]["trend"] == "decreasing"
    assert trends["code"]["trend"] == "stable"
    assert sum(trends["video"]["weekly_views"]) == 5


def test_behavioural_insights():
    morning = [ev(hour=9) for _ in range(25)] + [ev(hour=20)]
    insights = analysers.behavioural_insights(morning)
    assert insights["peak_period"] == "morning"
    assert insights["user_type"] == "power_user"
    assert analysers.peak_period(23) == "late"
    assert analysers.peak_period(14) == "afternoon"
    evening = [ev(day=d, hour=19) for d in range(3) for _ in range(11)]
    assert analysers.behavioural_insights(evening)["user_type"] == "regular"


@pytest.mark.django_db
def test_persona_analysis_stores_explained_profiles(user):
    now = timezone.now()
    for day in range(20):
        for skill, kind, language in (("Python", "code", "Python"), ("Music", "video", None)):
            BehaviorFactory(
                user=user,
                created_at=now - timedelta(days=day, minutes=5),
                item_type=kind,
                action_type="edit" if kind == "code" else "view",
                duration_seconds=400,
                metadata={"skill": skill, "language": language, "tags": [skill.lower()]},
            )
    persona = persona_analyze(user=user)
    persona.refresh_from_db()
    assert persona.learning_style["attention_span"] == "long"
    assert persona.technical_profile["primary_languages"] == ["Python"]
    assert {entry["domain"] for entry in persona.technical_profile["learning_velocity"]} == {
        "Python",
        "Music",
    }
    assert persona.lifestyle_profile["content_preferences"] == {"code": 0.5, "video": 0.5}
    link = persona.cross_domain_insights["connections"][0]
    assert {link["domain1"], link["domain2"]} == {"Music", "Python"}
    assert persona.life_phase in {"early_career", "mid_career", "experienced"}
    assert persona.cross_domain_insights["life_phase"]["reasons"]
    assert 0 < persona.phase_confidence <= 1
    profiles = {p.skill_area: p for p in LearningProfile.objects.filter(user=user)}
    assert set(profiles) == {"Python", "Music"}
    assert profiles["Python"].current_level == "intermediate"
    assert profiles["Python"].progression_data["time_invested_hours"] == round(20 * 400 / 3600, 1)
    assert DreamscapeSuggestion.objects.filter(user=user).exists()
    # Analysing again changes no suggestion count: the live ones are not repeated.
    count = DreamscapeSuggestion.objects.count()
    DreamscapeSuggestion.objects.filter(user=user).update(is_dismissed=True)
    persona_analyze(user=user)
    assert DreamscapeSuggestion.objects.count() == count  # dismissed ones do not come back
    assert UserPersona.objects.count() == 1
