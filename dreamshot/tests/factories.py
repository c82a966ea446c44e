from decimal import Decimal

import factory
from django.utils import timezone

from dreamshot.choices import AiProvider, DreamCategory, TestStatus
from dreamshot.models import AiModel, AiTest, Dream, ProgressLog
from tests.factories import UserFactory


class DreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dream

    user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Dream {n}")
    description = "A house on Mars, with a garden."
    original_prompt = factory.LazyAttribute(lambda dream: f"{dream.title}: {dream.description}")
    category = DreamCategory.TECHNOLOGY
    tags = ["space"]


class AiTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AiTest

    dream = factory.SubFactory(DreamFactory)
    user = factory.LazyAttribute(lambda test: test.dream.user)
    provider = AiProvider.OPENAI
    model = "gpt-4o"
    impossibility_score = Decimal("60.00")
    confidence = Decimal("80.00")
    reasoning = "Hard, but engineering is catching up."
    duration = 1200
    tokens_used = 700
    cost = Decimal("0.003000")
    status = TestStatus.COMPLETED
    created_at = factory.LazyFunction(timezone.now)


class ProgressLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressLog

    dream = factory.SubFactory(DreamFactory)
    user = factory.LazyAttribute(lambda log: log.dream.user)
    average_impossibility = Decimal("60.00")
    best_score = Decimal("55.00")
    test_count = 2
    active_models = ["OPENAI/gpt-4o"]


def heuristic_model() -> AiModel:
    return AiModel.objects.get(provider=AiProvider.LOCAL, name="local-heuristic")
