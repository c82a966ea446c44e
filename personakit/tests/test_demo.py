"""``seed_demo`` loads PersonaKit's demo data through the services, and a second run adds
nothing."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from config.embeddings import get_provider
from config.registries import DemoSeeder, demo_seeders
from personakit import demo
from personakit.choices import MapperStatus, NarrativeType
from personakit.models import (
    ApiKey,
    Feedback,
    MapperConfig,
    Mindscape,
    Narrative,
    Observation,
    OutboxTask,
    Person,
    Persona,
    PersonaNarrativeUsage,
    TraitNarrativeLink,
)
from personakit.selectors.narratives import narratives_search
from personakit.tests.test_admin import outbox_handlers_registered  # noqa: F401  (autouse)

TABLES = [
    ApiKey,
    Person,
    Observation,
    Mindscape,
    Narrative,
    TraitNarrativeLink,
    MapperConfig,
    Persona,
    PersonaNarrativeUsage,
    Feedback,
    OutboxTask,
]


@pytest.fixture
def personas_seeder():
    """The persons-and-personas seeder, registered as ``registrations.py`` does (unless it has)."""
    name = "personakit.personas"
    if any(seeder.name == name for seeder in demo_seeders):
        yield
        return
    demo_seeders.register(DemoSeeder(name=name, seed=demo.seed_personas, order=25))
    yield
    demo_seeders.unregister(name)


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def test_seed_demo_loads_personakit_and_a_second_run_adds_nothing(db, personas_seeder):
    first_log = seed()
    after_first = counts()

    second_log = seed()

    assert counts() == after_first
    assert "persona generated" in first_log
    assert "persona generated" not in second_log
    assert after_first["Observation"] == 4 * demo.DEMO_DAYS * 2  # 2 accounts x 2 persons
    assert after_first["OutboxTask"] >= 4  # derivations and embeddings, queued as by the API


def test_seeded_data_has_an_active_mapper_personas_feedback_and_embedded_narratives(
    db, personas_seeder
):
    seed()
    ada = get_user_model().objects.get(username="ada")
    own = Person.objects.get(pk=ada.pk)

    active = MapperConfig.objects.get(config_id=demo.DEMO_MAPPER_ID, status=MapperStatus.ACTIVE)
    assert len(active.configuration["rules"]) >= 3
    persona = Persona.objects.get(person=own)
    assert "morning-deep-work" in persona.metadata["rules_fired"]
    assert persona.overlay["suggestions"]
    assert Feedback.objects.filter(persona=persona, rule_id__isnull=False).exists()
    assert Person.objects.filter(owner=ada).count() == 2
    traits = Mindscape.objects.get(person=own).traits
    assert traits["work"]["chronotype"] == "morning"
    assert traits["communication"]["style"] == "direct"  # the curation
    narratives = Narrative.objects.filter(person__owner=ada)
    assert {n.narrative_type for n in narratives} == set(NarrativeType)
    model_name = get_provider().model_name
    assert all(n.embedding_model == model_name for n in narratives)
    found = narratives_search(person=own, query="when do I think best", k=2)
    assert len(found.items) == 2
