from datetime import timedelta

import factory
from django.utils import timezone

from personakit.choices import NarrativeType, ObservationType
from personakit.models import (
    Feedback,
    MapperConfig,
    Mindscape,
    Narrative,
    Observation,
    OutboxTask,
    Person,
    Persona,
)
from tests.factories import UserFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    owner = factory.SubFactory(UserFactory)
    display_name = factory.Faker("first_name")


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    person = factory.SubFactory(PersonFactory)
    observation_type = ObservationType.WORK_SESSION
    content = factory.LazyFunction(
        lambda: {"duration_minutes": 90, "focus_level": "deep", "task_type": "coding",
                 "tools_used": ["vscode"], "started_at": timezone.now().isoformat()}
    )  # fmt: skip
    created_by = factory.LazyAttribute(lambda observation: observation.person.owner)


class MindscapeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mindscape

    person = factory.SubFactory(PersonFactory)
    traits = factory.LazyFunction(lambda: {"work": {"chronotype": "morning"}})


class NarrativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Narrative

    person = factory.SubFactory(PersonFactory)
    narrative_type = NarrativeType.SELF_OBSERVATION
    raw_text = factory.Faker("sentence")
    tags = factory.LazyFunction(lambda: ["work"])
    created_by = factory.LazyAttribute(lambda narrative: narrative.person.owner)


class MapperConfigFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MapperConfig

    config_id = factory.Sequence(lambda n: f"mapper-{n}")
    version = 1
    configuration = factory.LazyAttribute(
        lambda mapper: {
            "metadata": {"id": mapper.config_id, "name": "Test mapper"},
            "rules": [
                {
                    "id": "morning-person-deep-work",
                    "conditions": {"all": [{"type": "trait_check", "trait": "work.chronotype",
                                            "operator": "equals", "value": "morning"}]},
                    "actions": [{"type": "suggestion", "template": "Deep work in the morning",
                                 "priority": "high"}],
                }
            ],
        }
    )  # fmt: skip
    created_by = factory.SubFactory(UserFactory)


class PersonaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Persona

    person = factory.SubFactory(PersonFactory)
    mapper = factory.SubFactory(MapperConfigFactory)
    mapper_config_id = factory.LazyAttribute(lambda persona: persona.mapper.config_id)
    mapper_version = factory.LazyAttribute(lambda persona: persona.mapper.version)
    core = factory.LazyFunction(lambda: {"work": {"chronotype": "morning"}})
    overlay = factory.LazyFunction(dict)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=24))
    created_by = factory.LazyAttribute(lambda persona: persona.person.owner)


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    persona = factory.SubFactory(PersonaFactory)
    rating = 4
    helpful = True
    created_by = factory.LazyAttribute(lambda feedback: feedback.persona.person.owner)


class OutboxTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboxTask

    task_type = "test.noop"
    payload = factory.LazyFunction(dict)
