"""The seed's performance and cost queries, for a caller or (staff) for everyone.

Each is the seed's query in the ORM, answering the same rows (``tests/test_seed_parity.py``
runs the seed's own SQL; ``bench/dreamshot.py`` compares the two).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Avg, Count, Max, Min, OuterRef, Subquery, Sum
from django.db.models.functions import TruncDay
from django.utils import timezone

from config.cache import remember
from dreamshot.choices import DreamStatus, TestStatus
from dreamshot.models import AiTest, BudgetAlert, Dream, ProgressLog
from dreamshot.selectors import cache
from dreamshot.selectors.budgets import budget_limits, month_start_at, monthly_spend, this_month

DASHBOARD_DREAMS = 20
DECAY_WINDOW_DAYS = 30
COMPARISON_WINDOW_DAYS = 7
DECAY_TESTS = 10
STABLE_RATE = Decimal(5)


def dashboard(*, user: AbstractBaseUser) -> list[dict[str, Any]]:
    """Query 1: the caller's 20 latest active dreams with their latest snapshot's average and
    trend and their test count (cached as ``user:{id}:dreams``)."""

    def compute() -> list[dict[str, Any]]:
        latest = ProgressLog.objects.filter(dream=OuterRef("pk")).order_by("-created_at")
        return list(
            Dream.objects.filter(user=user, status=DreamStatus.ACTIVE)
            .annotate(
                average_impossibility=Subquery(latest.values("average_impossibility")[:1]),
                improvement_trend=Subquery(latest.values("improvement_trend")[:1]),
                test_count=Count("tests"),
            )
            .order_by("-created_at")
            .values(
                "id", "title", "category", "created_at", "average_impossibility",
                "improvement_trend", "test_count",
            )[:DASHBOARD_DREAMS]
        )  # fmt: skip

    rows = remember(cache.user_dreams_key(user.pk), cache.USER_DREAMS_TTL, compute)
    return rows


def decay_series(*, dream: Dream, days: int = DECAY_WINDOW_DAYS) -> list[dict[str, Any]]:
    """Query 2: per day of the last ``days``, the average and best (lowest) impossibility
    and the number of completed tests."""
    return list(
        AiTest.objects.filter(
            dream=dream,
            status=TestStatus.COMPLETED,
            created_at__gte=timezone.now() - timedelta(days=days),
        )
        .annotate(date=TruncDay("created_at"))
        .values("date")
        .annotate(
            avg_score=Avg("impossibility_score"),
            best_score=Min("impossibility_score"),
            test_count=Count("pk"),
        )
        .order_by("date")
    )


def decay_series_by_model(*, dream: Dream, days: int) -> list[dict[str, Any]]:
    """Per day and model, the average score: one line per model on the admin's chart."""
    return list(
        AiTest.objects.filter(
            dream=dream,
            status=TestStatus.COMPLETED,
            created_at__gte=timezone.now() - timedelta(days=days),
        )
        .annotate(date=TruncDay("created_at"))
        .values("date", "provider", "model")
        .annotate(avg_score=Avg("impossibility_score"))
        .order_by("date", "provider", "model")
    )


@dataclass(frozen=True)
class DecayStatus:
    """Where the last 10 completed tests point: rate = (first - last) / first x 100."""

    status: str  # improving, stable, worsening, or insufficient_data
    rate: Decimal | None
    confidence: int
    tests: int


def decay_status(*, dream: Dream) -> DecayStatus:
    scores = list(
        AiTest.objects.filter(dream=dream, status=TestStatus.COMPLETED)
        .order_by("-created_at")
        .values_list("impossibility_score", flat=True)[:DECAY_TESTS]
    )[::-1]
    confidence = min(90, 50 + 10 * len(scores))
    if len(scores) < 2 or not scores[0]:
        return DecayStatus("insufficient_data", None, confidence, len(scores))
    previous, current = scores[0], scores[-1]
    rate = ((previous - current) / previous * 100).quantize(Decimal("0.01"))
    status = "stable" if abs(rate) < STABLE_RATE else "improving" if rate > 0 else "worsening"
    return DecayStatus(status, rate, confidence, len(scores))


def dream_progress(*, dream: Dream) -> dict[str, Any]:
    """The decay series, the decay status and the latest snapshot of ``dream`` (cached as
    ``dream:{id}:progress``)."""

    def compute() -> dict[str, Any]:
        latest = ProgressLog.objects.filter(dream=dream).order_by("-created_at").first()
        status = decay_status(dream=dream)
        return {
            "dream": dream.pk,
            "series": decay_series(dream=dream),
            "decay": {
                "status": status.status,
                "rate": status.rate,
                "confidence": status.confidence,
                "tests": status.tests,
            },
            "latest_snapshot": latest,
        }

    return remember(cache.dream_progress_key(dream.pk), cache.DREAM_PROGRESS_TTL, compute)


def model_comparison(*, days: int = COMPARISON_WINDOW_DAYS) -> list[dict[str, Any]]:
    """Query 3: every model's average impossibility, confidence and duration over the last
    week's completed tests, most optimistic first (cached as ``models:performance:stats``).
    Aggregates over everyone's tests: no owner data."""

    def compute() -> list[dict[str, Any]]:
        return list(
            AiTest.objects.filter(
                status=TestStatus.COMPLETED, created_at__gte=timezone.now() - timedelta(days=days)
            )
            .values("provider", "model")
            .annotate(
                avg_impossibility=Avg("impossibility_score"),
                avg_confidence=Avg("confidence"),
                avg_duration_ms=Avg("duration"),
                test_count=Count("pk"),
            )
            .order_by("avg_impossibility", "provider", "model")
        )

    if days != COMPARISON_WINDOW_DAYS:
        return compute()
    return remember(cache.MODEL_STATS_KEY, cache.MODEL_STATS_TTL, compute)


def category_analysis(*, user: AbstractBaseUser) -> list[dict[str, Any]]:
    """Query 4, for the caller's active dreams: per category, dreams, average impossibility
    and completed tests."""
    return list(
        Dream.objects.filter(
            user=user, status=DreamStatus.ACTIVE, tests__status=TestStatus.COMPLETED
        )
        .values("category")
        .annotate(
            dream_count=Count("pk", distinct=True),
            avg_impossibility=Avg("tests__impossibility_score"),
            total_tests=Count("tests__id"),
        )
        .order_by("avg_impossibility", "category")
    )


def spend(*, user: AbstractBaseUser) -> dict[str, Any]:
    """The caller's spend this month per model, against their budget, and their alerts."""
    limits = budget_limits(user_id=user.pk)
    per_model = list(
        AiTest.objects.filter(user=user, created_at__gte=month_start_at())
        .values("provider", "model")
        .annotate(total_tokens=Sum("tokens_used"), total_cost=Sum("cost"), test_count=Count("pk"))
        .order_by("-total_cost", "provider", "model")
    )
    return {
        "month": this_month(),
        "monthly_spend": monthly_spend(user_id=user.pk),
        "alert_threshold": limits.alert_threshold,
        "hard_cap": limits.hard_cap,
        "models": per_model,
        "alerts": list(BudgetAlert.objects.filter(user=user).order_by("-month")[:12]),
    }


def token_usage(*, days: int = 30) -> list[dict[str, Any]]:
    """The seed's token-usage query (staff): tokens and cost per user and model, 30 days."""
    since = timezone.localdate() - timedelta(days=days)
    return list(
        AiTest.objects.filter(created_at__date__gte=since)
        .values("user__email", "provider", "model")
        .annotate(total_tokens=Sum("tokens_used"), total_cost=Sum("cost"))
        .order_by("-total_cost", "user__email", "provider", "model")
    )


def users_over_budget() -> list[dict[str, Any]]:
    """The seed's budget-alert query (staff): users whose spend this month passed their alert
    threshold (their own, or the default 50.00), with any alert recorded."""
    rows = (
        AiTest.objects.filter(created_at__gte=month_start_at())
        .values("user_id", "user__email")
        .annotate(monthly_spend=Sum("cost"), last_test=Max("created_at"))
        .filter(monthly_spend__gt=0)
        .order_by("-monthly_spend")
    )
    recorded = {alert.user_id: alert for alert in BudgetAlert.objects.filter(month=this_month())}
    result = []
    for row in rows:
        limits = budget_limits(user_id=row["user_id"])
        if row["monthly_spend"] > limits.alert_threshold:
            alert = recorded.get(row["user_id"])
            result.append(
                {
                    "user_id": row["user_id"],
                    "email": row["user__email"],
                    "monthly_spend": row["monthly_spend"],
                    "alert_threshold": limits.alert_threshold,
                    "hard_cap": limits.hard_cap,
                    "alerted_at": alert.created_at if alert else None,
                }
            )
    return result
