"""Progress snapshots: where a dream stands after a batch, and how that moved since the last.

The snapshot averages each active model's latest score; its milestone follows the best
score (≤ 10 highly achievable, ≤ 25 achievable, ≤ 50 challenging, ≤ 75 difficult);
``improvement_trend`` is the % drop of the average since the previous snapshot (positive:
less impossible), null for the first. ``snapshot_data`` holds the per-model detail, the score
distribution over the bands and the confidence-weighted consensus.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dreamshot.choices import TestStatus
from dreamshot.models import AiModel, AiTest, Dream, ProgressLog

CENTS = Decimal("0.01")
TREND_LIMIT = Decimal("999.99")  # numeric(5,2), as the seed declares improvement_trend
BANDS = (
    ("highly_achievable", Decimal(10)),
    ("achievable", Decimal(25)),
    ("challenging", Decimal(50)),
    ("difficult", Decimal(75)),
)
BEYOND_BANDS = "very_difficult"
CONSENSUS_FACTORS = ("comprehension", "quality", "innovation", "feasibility")


def milestone(best_score: Decimal) -> str:
    """The band of ``best_score``; empty above the last band (no milestone reached)."""
    return next((name for name, ceiling in BANDS if best_score <= ceiling), "")


def score_distribution(scores: Sequence[Decimal]) -> dict[str, int]:
    counts = {name: 0 for name, _ in BANDS} | {BEYOND_BANDS: 0}
    for score in scores:
        counts[milestone(score) or BEYOND_BANDS] += 1
    return counts


def consensus(tests: Sequence[AiTest]) -> dict[str, float] | None:
    """Each factor and the confidence as confidence-weighted means over ``tests`` (weight =
    confidence / Σ confidence), rounded to 2 places; None without confident ratings."""
    rated = [t for t in tests if t.confidence and "factors" in (t.metadata or {})]
    total = sum((t.confidence for t in rated), Decimal(0))
    if not total:
        return None
    result = {}
    for name in (*CONSENSUS_FACTORS, "confidence"):
        weighted = sum(
            (
                t.confidence
                / total
                * Decimal(
                    str(t.confidence if name == "confidence" else t.metadata["factors"][name])
                )
                for t in rated
            ),
            Decimal(0),
        )
        result[name] = float(weighted.quantize(CENTS, ROUND_HALF_UP))
    overall = sum(Decimal(str(result[name])) for name in CONSENSUS_FACTORS) / 4
    result["impossibility"] = float((100 - overall).quantize(CENTS, ROUND_HALF_UP))
    return result


def latest_per_model(dream: Dream) -> list[AiTest]:
    """The latest completed test of the dream by each active catalogue model."""
    active = set(AiModel.objects.filter(is_active=True).values_list("provider", "name"))
    tests = (
        AiTest.objects.filter(dream=dream, status=TestStatus.COMPLETED)
        .order_by("provider", "model", "-created_at")
        .distinct("provider", "model")
    )
    return [test for test in tests if (test.provider, test.model) in active]


def improvement_trend(previous: Decimal | None, current: Decimal) -> Decimal | None:
    if not previous:
        return None
    trend = ((previous - current) / previous * 100).quantize(CENTS, ROUND_HALF_UP)
    return max(-TREND_LIMIT, min(TREND_LIMIT, trend))


def progress_log_snapshot(*, dream: Dream, batch_id: str = "") -> ProgressLog | None:
    """Record where ``dream`` stands; None while no active model has a completed test."""
    latest = latest_per_model(dream)
    if not latest:
        return None
    scores = [test.impossibility_score for test in latest]
    average = (sum(scores, Decimal(0)) / len(scores)).quantize(CENTS, ROUND_HALF_UP)
    best = min(scores)
    previous = ProgressLog.objects.filter(dream=dream).order_by("-created_at").first()
    snapshot_data: dict[str, Any] = {
        "batch": batch_id,
        "models": {
            f"{test.provider}/{test.model}": {
                "score": float(test.impossibility_score),
                "confidence": float(test.confidence) if test.confidence is not None else None,
                "test_id": test.pk,
                "tested_at": test.created_at.isoformat(),
            }
            for test in latest
        },
        "distribution": score_distribution(scores),
        "consensus": consensus(latest),
    }
    return ProgressLog.objects.create(
        dream=dream,
        user_id=dream.user_id,
        average_impossibility=average,
        best_score=best,
        test_count=AiTest.objects.filter(dream=dream, status=TestStatus.COMPLETED).count(),
        active_models=sorted(snapshot_data["models"]),
        improvement_trend=improvement_trend(
            previous.average_impossibility if previous else None, average
        ),
        snapshot_data=snapshot_data,
        milestone_reached=milestone(best),
    )
