"""Persona generation, TTL and expiry, narrative usage, feedback and per-rule helpfulness."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from config.embeddings import get_provider
from personakit.models import Persona, PersonaNarrativeUsage
from personakit.selectors.feedback import rule_helpfulness
from personakit.selectors.personas import persona_is_expired, personas_visible_to
from personakit.services.feedback import feedback_create
from personakit.services.mappers import mapper_activate, mapper_create_version
from personakit.services.personas import (
    USAGE_RULE_CONTEXT,
    persona_generate,
    personas_mark_expired,
)
from personakit.tests.factories import (
    FeedbackFactory,
    MindscapeFactory,
    NarrativeFactory,
    PersonaFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

MORNING = {"type": "trait_check", "trait": "work.chronotype", "operator": "equals",
           "value": "morning"}  # fmt: skip
LONG_FOCUS = {"type": "trait_check", "trait": "work.focus_minutes", "operator": "gte", "value": 60}
EVENING = {"type": "trait_check", "trait": "work.chronotype", "operator": "equals",
           "value": "evening"}  # fmt: skip


def suggestion(template, priority):
    return [{"type": "suggestion", "template": template, "priority": priority}]


def active_mapper(config_id="focus", **metadata):
    configuration = {
        "metadata": {"name": "Focus", **metadata},
        "rules": [
            {"id": "deep-work", "conditions": {"all": [MORNING]},
             "actions": suggestion("Schedule deep programming work in the morning", "medium")},
            {"id": "protect-focus", "conditions": {"any": [LONG_FOCUS, EVENING]},
             "actions": suggestion("Block long uninterrupted focus time", "critical")},
            {"id": "night-owl", "conditions": {"all": [EVENING]},
             "actions": suggestion("Move meetings to the afternoon", "low")},
        ],
    }  # fmt: skip
    mapper = mapper_create_version(
        user=None, data={"config_id": config_id, "configuration": configuration}
    )
    return mapper_activate(mapper=mapper)


TRAITS = {
    "work": {"chronotype": "morning", "focus_minutes": 90},
    "context": {"current_task": "code review"},
    "state": {"energy": "high"},
}


def embed_narratives(person, texts):
    provider = get_provider()
    vectors = provider.embed(texts)
    return [
        NarrativeFactory(
            person=person,
            raw_text=text,
            embedding=vector.tolist(),
            embedding_model=provider.model_name,
            embedded_at=timezone.now(),
        )
        for text, vector in zip(texts, vectors, strict=True)
    ]


# --- generation ---------------------------------------------------------------------------


def test_generate_splits_core_and_overlay_and_records_metadata():
    mapper = active_mapper()
    person = PersonFactory()
    MindscapeFactory(person=person, traits=TRAITS)
    persona = persona_generate(user=person.owner, data={"person": person, "config_id": "focus"})

    assert persona.core == {"work": {"chronotype": "morning", "focus_minutes": 90}}
    assert persona.overlay == {
        "suggestions": [  # by priority, highest first
            {"rule_id": "protect-focus", "type": "suggestion", "priority": "critical",
             "template": "Block long uninterrupted focus time"},
            {"rule_id": "deep-work", "type": "suggestion", "priority": "medium",
             "template": "Schedule deep programming work in the morning"},
        ],
        "context": {"context": {"current_task": "code review"}, "state": {"energy": "high"}},
    }  # fmt: skip
    assert persona.metadata["rules_fired"] == ["deep-work", "protect-focus"]
    assert persona.metadata["mapper_version"] == mapper.version == persona.mapper_version
    assert persona.metadata["rules_evaluated"] == 3
    assert persona.metadata["duration_ms"] >= 0
    assert (persona.mapper, persona.mapper_config_id) == (mapper, "focus")
    assert persona.created_by == person.owner


def test_usage_count_counts_generations():
    mapper = active_mapper()
    person = PersonFactory()
    for _ in range(3):
        persona_generate(user=None, data={"person": person, "config_id": "focus"})
    mapper.refresh_from_db()
    assert mapper.usage_count == 3


def test_no_mindscape_means_empty_traits():
    active_mapper()
    persona = persona_generate(user=None, data={"person": PersonFactory(), "config_id": "focus"})
    assert persona.core == {}
    assert persona.overlay == {"suggestions": [], "context": {}}
    assert persona.metadata["rules_fired"] == []
    assert not persona.narrative_usage.exists()


def test_needs_an_active_mapper():
    mapper_create_version(
        user=None, data={"config_id": "drafty", "configuration": active_mapper("x").configuration}
    )
    for config_id in ("drafty", "unknown"):
        with pytest.raises(ValidationError) as caught:
            persona_generate(user=None, data={"person": PersonFactory(), "config_id": config_id})
        assert "no active version" in caught.value.message_dict["config_id"][0]
    assert not Persona.objects.exists()


def test_uses_the_active_version():
    first = active_mapper()
    second = mapper_activate(
        mapper=mapper_create_version(
            user=None, data={"config_id": "focus", "configuration": first.configuration}
        )
    )
    persona = persona_generate(user=None, data={"person": PersonFactory(), "config_id": "focus"})
    assert (persona.mapper_id, persona.mapper_version) == (second.pk, 2)


# --- TTL ----------------------------------------------------------------------------------


def test_ttl_defaults_to_24_hours():
    active_mapper()
    before = timezone.now()
    persona = persona_generate(user=None, data={"person": PersonFactory(), "config_id": "focus"})
    after = timezone.now()
    assert before + timedelta(hours=24) <= persona.expires_at <= after + timedelta(hours=24)


def test_ttl_per_mapper():
    active_mapper(ttl_hours=1.5)
    before = timezone.now()
    persona = persona_generate(user=None, data={"person": PersonFactory(), "config_id": "focus"})
    expected = before + timedelta(hours=1.5)
    assert expected <= persona.expires_at <= expected + timedelta(seconds=30)


# --- narrative usage ----------------------------------------------------------------------


def test_records_the_narratives_nearest_the_fired_rules():
    active_mapper()
    person = PersonFactory()
    MindscapeFactory(person=person, traits=TRAITS)
    relevant = embed_narratives(person, [
        "I do my best deep programming work early in the morning",
        "Long uninterrupted focus time blocks help me concentrate",
    ])  # fmt: skip
    filler = embed_narratives(person, [f"My cat likes sardines number {i}" for i in range(6)])
    NarrativeFactory(person=person, raw_text="not embedded yet")
    embed_narratives(PersonFactory(), ["Deep programming work in the morning"])  # someone else
    stale = embed_narratives(person, ["Schedule deep programming work in the morning"])[0]
    stale.embedding_model = "some-older-model"
    stale.save()

    persona = persona_generate(user=None, data={"person": person, "config_id": "focus"})

    usage = list(persona.narrative_usage.order_by("-relevance_score"))
    assert len(usage) == 5
    used = [u.narrative_id for u in usage]
    assert set(used[:2]) == {n.pk for n in relevant}
    assert set(used) <= {n.pk for n in relevant + filler}  # never stale, foreign or unembedded
    assert all(u.usage_type == USAGE_RULE_CONTEXT for u in usage)
    assert all(0 <= u.relevance_score <= 1 for u in usage)
    assert usage[0].relevance_score > usage[-1].relevance_score
    top = next(u for u in usage if u.narrative_id == relevant[0].pk)
    assert top.usage_context["rule_ids"] == ["deep-work"]
    assert persona.metadata["narratives_used"] == 5


def test_no_embedded_narratives_records_nothing():
    active_mapper()
    person = PersonFactory()
    MindscapeFactory(person=person, traits=TRAITS)
    NarrativeFactory(person=person)
    persona = persona_generate(user=None, data={"person": person, "config_id": "focus"})
    assert persona.metadata["rules_fired"]
    assert not PersonaNarrativeUsage.objects.exists()


# --- expiry -------------------------------------------------------------------------------


def test_mark_expired_marks_due_personas_once():
    past = PersonaFactory(expires_at=timezone.now() - timedelta(seconds=1))
    future = PersonaFactory()
    assert personas_mark_expired() == 1
    assert personas_mark_expired() == 0
    past.refresh_from_db()
    future.refresh_from_db()
    assert (past.is_expired, future.is_expired) == (True, False)


def test_reads_hide_expired_unless_asked():
    person = PersonFactory()
    fresh = PersonaFactory(person=person)
    marked = PersonaFactory(person=person, expires_at=timezone.now() - timedelta(hours=1))
    personas_mark_expired()
    unmarked = PersonaFactory(person=person, expires_at=timezone.now() - timedelta(seconds=1))
    PersonaFactory()  # another owner's

    visible = set(personas_visible_to(user=person.owner))
    everything = set(personas_visible_to(user=person.owner, include_expired=True))
    assert visible == {fresh}
    assert everything == {fresh, marked, unmarked}
    assert [persona_is_expired(p) for p in (fresh, unmarked)] == [False, True]


# --- feedback -----------------------------------------------------------------------------


def generated(person=None, config_id="focus"):
    if person is None:
        person = PersonFactory()
        MindscapeFactory(person=person, traits=TRAITS)
    return persona_generate(user=person.owner, data={"person": person, "config_id": config_id})


def test_feedback_on_a_fired_rule():
    active_mapper()
    persona = generated()
    owner = persona.person.owner
    feedback = feedback_create(
        user=owner,
        data={"persona": persona, "rating": 5, "helpful": True, "rule_id": "deep-work",
              "context": {"task": "x"}},
    )  # fmt: skip
    assert (feedback.mapper_version, feedback.created_by) == (persona.mapper_version, owner)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"rule_id": "night-owl"}, "rule_id"),  # did not fire
        ({"mapper_version": 99}, "mapper_version"),
        ({"rating": 6}, "rating"),
        ({"colour": "x"}, "colour"),  # unknown
    ],
)
def test_feedback_rejects(data, field):
    active_mapper()
    persona = generated()
    with pytest.raises(ValidationError) as caught:
        feedback_create(user=persona.person.owner, data={"persona": persona, **data})
    assert field in caught.value.message_dict


def test_feedback_only_by_the_owner():
    active_mapper()
    persona = generated()
    with pytest.raises(ValidationError) as caught:
        feedback_create(user=PersonFactory().owner, data={"persona": persona, "rating": 3})
    assert "persona_id" in caught.value.message_dict


def test_rule_helpfulness_per_rule_and_version():
    active_mapper()
    first, second = generated(), generated()
    for persona, rating, helpful in [(first, 5, True), (second, 2, False), (second, 4, None)]:
        feedback_create(
            user=persona.person.owner,
            data={"persona": persona, "rule_id": "deep-work", "rating": rating, "helpful": helpful},
        )
    feedback_create(
        user=first.person.owner,
        data={"persona": first, "rule_id": "protect-focus", "rating": 3},
    )
    FeedbackFactory(persona=first, rating=1)  # no rule: not counted
    FeedbackFactory(persona=first, rule_id="deep-work", rating=1, helpful=True)  # no version
    active_mapper("other")
    feedback_create(user=first.person.owner, data={"persona": generated(first.person, "other"),
                    "rule_id": "deep-work", "rating": 1, "helpful": False})  # fmt: skip

    rows = rule_helpfulness()
    assert rows == [
        {"config_id": "focus", "rule_id": "deep-work", "mapper_version": 1, "count": 4,
         "helpful_ratio": pytest.approx(2 / 3), "avg_rating": pytest.approx(3.0)},
        {"config_id": "focus", "rule_id": "protect-focus", "mapper_version": 1, "count": 1,
         "helpful_ratio": None, "avg_rating": pytest.approx(3.0)},
        {"config_id": "other", "rule_id": "deep-work", "mapper_version": 1, "count": 1,
         "helpful_ratio": 0.0, "avg_rating": 1.0},
    ]  # fmt: skip
    assert [row["config_id"] for row in rule_helpfulness(config_id="other")] == ["other"]
