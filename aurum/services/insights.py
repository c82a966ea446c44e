"""Insights: how sure and how weighty each is, how long it holds, and its versions.

Confidence starts at 0.7, gains 0.05 per rule applied (at most 0.2) and loses 0.1 when the
components disagree widely; impact goes by the level it is about (+0.2 when strong); expiry
by type. A new analysis of the same thing is a new version: ``previous_version_id`` points
at the one it replaces, which becomes inactive.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from aurum.models import Insight, UserStats
from config.chat import ChatError, phrasing_provider

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

BASE_CONFIDENCE = Decimal("0.7")
PER_RULE = Decimal("0.05")
MAX_RULE_BONUS = Decimal("0.2")
DISAGREEMENT_PENALTY = Decimal("0.1")
# Component values (each in [0, 1]) this far apart say opposite things.
WIDE_DISAGREEMENT = 0.6
STRONG_BONUS = Decimal("0.2")
IMPACT_BY_LEVEL = {
    "pillar": Decimal("0.9"),
    "area": Decimal("0.7"),
    "project": Decimal("0.6"),
    "task": Decimal("0.4"),
    "global": Decimal("1.0"),
}
EXPIRY_BY_TYPE = {
    "priority_reasoning": timedelta(hours=6),
    "obstacle_identification": timedelta(days=1),
    "alignment_analysis": timedelta(days=3),
    "goal_coherence": timedelta(days=3),
    "time_allocation": timedelta(days=3),
    "pattern_recognition": timedelta(days=7),
    "recommendation": timedelta(days=1),
    "optimization_suggestion": timedelta(days=1),
    "progress_prediction": timedelta(days=1),
}


def insight_confidence(*, rules_applied: int, component_values: Sequence[float]) -> Decimal:
    """0.7 + min(0.05 x rules applied, 0.2), - 0.1 when the components' values span more than
    ``WIDE_DISAGREEMENT``; within [0, 1]."""
    confidence = BASE_CONFIDENCE + min(PER_RULE * max(rules_applied, 0), MAX_RULE_BONUS)
    values = list(component_values)
    if values and max(values) - min(values) > WIDE_DISAGREEMENT:
        confidence -= DISAGREEMENT_PENALTY
    return min(Decimal(1), max(Decimal(0), confidence))


def insight_impact(*, entity_type: str, strong: bool) -> Decimal:
    """Pillar 0.9, area 0.7, project 0.6, task 0.4, global 1.0; + 0.2 when strong; at most 1."""
    impact = IMPACT_BY_LEVEL[entity_type] + (STRONG_BONUS if strong else Decimal(0))
    return min(Decimal(1), impact)


def insight_expiry(*, insight_type: str, now: datetime) -> datetime:
    """Priority reasoning 6 h, obstacles 1 day, alignment 3 days, patterns 7 days,
    recommendations 1 day."""
    return now + EXPIRY_BY_TYPE[insight_type]


# --- Storing insights: versions, feedback, pins, expiry --------------------------------------

LOCAL_MODEL = "aurum-hrm-local"  # llm_model_used when the text is our own, deterministic


@dataclass(frozen=True)
class InsightDraft:
    """A new analysis of one entity, before it is stored as the next version."""

    entity_type: str
    entity_id: Any
    insight_type: str
    title: str
    summary: str
    detailed_reasoning: dict[str, Any]
    reasoning_path: list[dict[str, Any]]
    confidence: Decimal
    impact: Decimal
    supporting_data: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    model_used: str = LOCAL_MODEL


def _key(row: Any) -> tuple[str, str, str]:
    return row.entity_type, str(row.entity_id), row.insight_type


def insights_record(
    *, user: AbstractBaseUser, drafts: Sequence[InsightDraft], now: datetime | None = None
) -> list[Insight]:
    """Store each draft as the next version of its (entity, insight type): the active version
    before it becomes inactive and is named by ``previous_version_id``; a pin carries over.
    Callers hold the user's analysis lock (``analysis_lock``), so versions never fork."""
    now = now or timezone.now()
    types = {draft.insight_type for draft in drafts}
    ids = {draft.entity_id for draft in drafts}
    current = {
        _key(row): row
        for row in Insight.objects.filter(
            user=user, is_active=True, insight_type__in=types, entity_id__in=ids
        ).only("id", "entity_type", "entity_id", "insight_type", "version", "is_pinned")
    }
    rows = []
    for draft in drafts:
        previous = current.get(_key(draft))
        rows.append(
            Insight(
                user=user,
                entity_type=draft.entity_type,
                entity_id=draft.entity_id,
                insight_type=draft.insight_type,
                title=draft.title,
                summary=draft.summary,
                detailed_reasoning=draft.detailed_reasoning,
                reasoning_path=draft.reasoning_path,
                supporting_data=draft.supporting_data,
                confidence_score=draft.confidence,
                impact_score=draft.impact,
                llm_model_used=draft.model_used,
                expires_at=insight_expiry(insight_type=draft.insight_type, now=now),
                tags=draft.tags,
                version=(previous.version or 1) + 1 if previous else 1,
                previous_version=previous,
                is_pinned=bool(previous and previous.is_pinned),
                created_at=now,
                updated_at=now,
            )
        )
    Insight.objects.filter(pk__in=[row.pk for row in current.values()]).update(is_active=False)
    Insight.objects.bulk_create(rows, batch_size=500)
    stats, _ = UserStats.objects.get_or_create(user=user)
    UserStats.objects.filter(pk=stats.pk).update(
        insights_generated=Coalesce(F("insights_generated"), 0) + len(rows)
    )
    return rows


def analysis_lock(*, user: AbstractBaseUser) -> None:
    """Serialise analyses of one user until the transaction ends (two re-scores at once would
    each make a "next" version of the same insight)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('aurum.analysis:' || %s, 0))",
            [str(user.pk)],
        )


APPLIED = {"accepted", "modified"}


@transaction.atomic
def insight_feedback(
    *, insight: Insight, feedback: str, details: dict[str, Any] | None = None
) -> Insight:
    """Record the user's verdict; an accepted or modified insight counts as applied once more
    (``application_count``, and ``user_stats.insights_applied``)."""
    applied = feedback in APPLIED
    Insight.objects.filter(pk=insight.pk).update(
        user_feedback=feedback,
        feedback_details=details,
        application_count=Coalesce(F("application_count"), 0) + (1 if applied else 0),
        last_accessed_at=timezone.now(),
    )
    if applied:
        stats, _ = UserStats.objects.get_or_create(user_id=insight.user_id)
        UserStats.objects.filter(pk=stats.pk).update(
            insights_applied=Coalesce(F("insights_applied"), 0) + 1
        )
    insight.refresh_from_db()
    return insight


def insight_pin(*, insight: Insight, pinned: bool) -> Insight:
    """Pin (kept past its expiry, listed first) or unpin an insight."""
    Insight.objects.filter(pk=insight.pk).update(is_pinned=pinned)
    insight.refresh_from_db()
    return insight


def insights_expire(*, now: datetime | None = None) -> int:
    """Deactivate every active, unpinned insight past its ``expires_at``; returns how many."""
    expired = Insight.objects.filter(is_active=True, expires_at__lte=now or timezone.now())
    return expired.exclude(is_pinned=True).update(is_active=False)


def phrase(text: str, *, instruction: str) -> tuple[str, str | None]:
    """``text`` rephrased by the configured phrasing provider, and its model; ``(text, None)``
    when none is configured or it fails (the local text is always a complete answer)."""
    configured = phrasing_provider()
    if configured is None:
        return text, None
    provider, model = configured
    try:
        reply = provider.complete(
            [{"role": "user", "content": text}], model=model, max_tokens=300, system=instruction
        )
    except ChatError as exc:
        logger.warning("phrasing failed (%s); keeping the local text", exc.kind)
        return text, None
    return (reply.text.strip() or text), reply.model
