"""Re-testing: active dreams not tested for DREAMSHOT_RETEST_DAYS, most impossible first
(≥ 75 high, ≥ 50 medium, else low; never tested counts as medium), within a daily budget
and at most DREAMSHOT_TESTS_PER_USER_PER_DAY tests per user per day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from dreamshot.choices import DreamStatus, TestStatus
from dreamshot.models import AiModel, AiTest, Dream
from dreamshot.services import evaluation
from dreamshot.services.ai_tests import ai_test_batch_create, batch_estimate
from dreamshot.services.budgets import BudgetExceeded

PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def retest_priority(score: Decimal | None) -> str:
    if score is None:
        return "medium"
    return "high" if score >= 75 else "medium" if score >= 50 else "low"


@dataclass
class RetestResult:
    batches: int = 0
    tests: int = 0
    estimated_cost: Decimal = Decimal(0)
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def as_dict(self) -> dict[str, object]:
        return {"batches": self.batches, "tests": self.tests,
                "estimated_cost": str(self.estimated_cost), "skipped": self.skipped}  # fmt: skip


def due_dreams() -> list[tuple[Dream, str]]:
    """Active dreams whose last test is older than the cadence (or that have none), with their
    priority, most urgent first."""
    cutoff = timezone.now() - timedelta(days=settings.DREAMSHOT_RETEST_DAYS)
    latest = AiTest.objects.filter(dream=OuterRef("pk"), status=TestStatus.COMPLETED).order_by(
        "-created_at"
    )
    dreams = (
        Dream.objects.filter(status=DreamStatus.ACTIVE)
        .annotate(last_tested=Max("tests__created_at"))
        .filter(Q(last_tested__isnull=True) | Q(last_tested__lt=cutoff))
        .annotate(last_score=Subquery(latest.values("impossibility_score")[:1]))
        .select_related("user")
    )
    ranked = [(dream, retest_priority(dream.last_score)) for dream in dreams]
    ranked.sort(
        key=lambda pair: (PRIORITY_ORDER[pair[1]], -(pair[0].last_score or 0), pair[0].created_at)
    )
    return ranked


def dreams_retest() -> RetestResult:
    """Queue re-tests of due dreams with every active, runnable model, until the day's budget
    or a user's daily count would be passed."""
    models = [
        model for model in AiModel.objects.filter(is_active=True) if evaluation.runnable(model)
    ]
    result = RetestResult()
    if not models:
        return result
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    spent_today = AiTest.objects.filter(created_at__gte=today, metadata__origin="retest").aggregate(
        total=Sum("cost")
    )["total"] or Decimal(0)
    budget = Decimal(settings.DREAMSHOT_RETEST_DAILY_BUDGET) - spent_today
    per_user = dict(
        AiTest.objects.filter(created_at__gte=today)
        .values_list("user_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for dream, _priority in due_dreams():
        tested = per_user.get(dream.user_id, 0)
        if tested + len(models) > settings.DREAMSHOT_TESTS_PER_USER_PER_DAY:
            result.skip("user_daily_limit")
            continue
        prompt = evaluation.evaluation_prompt(
            title=dream.title, prompt=dream.original_prompt, category=dream.category
        )
        estimate = batch_estimate(models, prompt)
        if result.estimated_cost + estimate > budget:
            result.skip("daily_budget")
            continue
        try:
            ai_test_batch_create(dream=dream, user=dream.user, models=models, origin="retest")
        except BudgetExceeded:
            result.skip("user_budget")
            continue
        per_user[dream.user_id] = tested + len(models)
        result.batches += 1
        result.tests += len(models)
        result.estimated_cost += estimate
    return result
