"""Factories for the Dreamscape tables."""

import factory
from django.utils import timezone

from dreamscape.models import DreamscapeSuggestion, LearningProfile, TagCluster, UserBehavior
from tests.factories import UserFactory


class BehaviorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserBehavior

    user = factory.SubFactory(UserFactory)
    action_type = "view"
    item_id = factory.Faker("uuid4")
    item_type = "article"
    duration_seconds = 120
    context = factory.LazyFunction(lambda: {"source": "timeline"})
    metadata = factory.LazyFunction(lambda: {"device": "desktop"})
    created_at = factory.LazyFunction(timezone.now)


class LearningProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningProfile

    user = factory.SubFactory(UserFactory)
    skill_area = factory.Sequence(lambda n: f"Skill {n}")
    current_level = "beginner"
    progression_data = factory.LazyFunction(lambda: {"time_invested_hours": 4.5})
    learning_velocity = "0.400"


class TagClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TagCluster

    user = factory.SubFactory(UserFactory)
    cluster_name = factory.Sequence(lambda n: f"cluster {n}")
    tags = factory.LazyFunction(lambda: [{"tag": "python", "weight": 1.0, "frequency": 3}])
    cohesion_score = "0.800"
    cluster_size = 1
    evolution_data = factory.LazyFunction(
        lambda: {"size_history": [{"date": "2025-01-01", "size": 1}]}
    )


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DreamscapeSuggestion

    user = factory.SubFactory(UserFactory)
    suggestion_type = "learning_path"
    title = factory.Sequence(lambda n: f"Suggestion {n}")
    content = "Try something."
    metadata = factory.LazyFunction(dict)
    priority_score = "0.500"
