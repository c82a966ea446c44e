"""Suggestions from a user's persona, clusters and learning profiles: templates, priorities,
expiry; the owner dismisses them or acts on them. A chat provider may phrase them."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from config.chat import ChatError, phrasing_provider
from dreamscape.choices import SuggestionType
from dreamscape.models import DreamscapeSuggestion, LearningProfile, TagCluster, UserPersona

logger = logging.getLogger(__name__)

LIFETIME = timedelta(days=30)
EXPIRED_KEPT = timedelta(days=30)  # unanswered suggestions stay this long after expiry


@dataclass(frozen=True)
class Draft:
    key: str  # one live suggestion per key and user
    suggestion_type: str
    title: str
    content: str
    priority: float
    metadata: dict[str, Any]


def _drafts(
    persona: UserPersona, profiles: Sequence[LearningProfile], clusters: Sequence[TagCluster]
) -> list[Draft]:
    drafts = []
    ranked = sorted(profiles, key=lambda p: float(p.learning_velocity or 0), reverse=True)
    if ranked:
        best = ranked[0]
        drafts.append(
            Draft(
                key=f"learning_path:{best.skill_area}",
                suggestion_type=SuggestionType.LEARNING_PATH,
                title=f"Take {best.skill_area} to the next level"[:200],
                content=(
                    f"You are moving fastest in {best.skill_area} (velocity "
                    f"{best.learning_velocity}, level {best.current_level}). A structured "
                    "next step would build on that momentum."
                ),
                priority=0.5 + 0.4 * float(best.learning_velocity or 0),
                metadata={"skill_areas": [best.skill_area], "difficulty": best.current_level},
            )
        )
    if len(ranked) > 1 and float(ranked[-1].learning_velocity or 0) < 0.3:
        slow = ranked[-1]
        drafts.append(
            Draft(
                key=f"skill_development:{slow.skill_area}",
                suggestion_type=SuggestionType.SKILL_DEVELOPMENT,
                title=f"Pick {slow.skill_area} back up"[:200],
                content=f"{slow.skill_area} has slowed down; short, regular sessions revive it.",
                priority=0.4,
                metadata={"skill_areas": [slow.skill_area]},
            )
        )
    for link in (persona.cross_domain_insights or {}).get("connections", [])[:2]:
        pair = f"{link['domain1']} and {link['domain2']}"
        drafts.append(
            Draft(
                key=f"project_idea:{link['domain1']}:{link['domain2']}",
                suggestion_type=SuggestionType.PROJECT_IDEA,
                title=f"A project joining {pair}"[:200],
                content=f"You often work on {pair} on the same days: one project could use both.",
                priority=0.4 + 0.5 * float(link["strength"]),
                metadata={"skill_areas": [link["domain1"], link["domain2"]]},
            )
        )
    rising = [
        kind
        for kind, trend in (persona.interests_evolution or {}).get("item_types", {}).items()
        if trend["trend"] == "increasing"
    ]
    for kind in rising[:2]:
        drafts.append(
            Draft(
                key=f"exploration:{kind}",
                suggestion_type=SuggestionType.EXPLORATION,
                title=f"Your interest in {kind} content is growing"[:200],
                content=f"You viewed more {kind} content lately; go deeper while it is fresh.",
                priority=0.6,
                metadata={"item_type": kind},
            )
        )
    for cluster in clusters[:1]:
        drafts.append(
            Draft(
                key=f"exploration:cluster:{cluster.cluster_name}",
                suggestion_type=SuggestionType.EXPLORATION,
                title=f"Explore around “{cluster.cluster_name}”"[:200],
                content=f"Your tags gather around {cluster.cluster_name}: "
                + ", ".join(tag["tag"] for tag in cluster.tags[:5]),
                priority=0.3 + 0.5 * float(cluster.cohesion_score or 0),
                metadata={"related_clusters": [str(cluster.pk)]},
            )
        )
    return drafts


def _phrased(content: str) -> str:
    provider = phrasing_provider()
    if provider is None:
        return content
    chat, model = provider
    try:
        reply = chat.complete(
            [{"role": "user", "content": content}],
            model=model,
            max_tokens=200,
            system="Rephrase this suggestion warmly in at most three sentences; keep its facts.",
        )
    except ChatError as error:
        logger.info("suggestion phrasing skipped (%s)", error.kind)
        return content
    return reply.text.strip() or content


def active_suggestions(*, user: Any):
    """The seed's "active suggestions": not dismissed and not expired, by priority."""
    now = timezone.now()
    return DreamscapeSuggestion.objects.filter(user=user, is_dismissed=False).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def suggestions_generate(
    *, user: Any, persona: UserPersona, profiles: Sequence[LearningProfile]
) -> list[DreamscapeSuggestion]:
    """Make the suggestions the user's data calls for, skipping any whose key already has an
    unexpired suggestion (answered or not)."""
    clusters = list(TagCluster.objects.filter(user=user).order_by("-cohesion_score"))
    # A suggestion not yet expired, whatever its state (a dismissed one stays dismissed).
    live = set(
        DreamscapeSuggestion.objects.filter(user=user)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .values_list("metadata__key", flat=True)
    )
    expires_at = timezone.now() + LIFETIME
    made = []
    for draft in _drafts(persona, profiles, clusters):
        if draft.key in live:
            continue
        made.append(
            DreamscapeSuggestion.objects.create(
                user=user,
                suggestion_type=draft.suggestion_type,
                title=draft.title,
                content=_phrased(draft.content),
                metadata={**draft.metadata, "key": draft.key, "template": draft.suggestion_type},
                priority_score=Decimal(str(round(min(1.0, draft.priority), 3))),
                expires_at=expires_at,
            )
        )
    return made


def suggestion_dismiss(*, suggestion: DreamscapeSuggestion) -> DreamscapeSuggestion:
    suggestion.is_dismissed = True
    suggestion.save(update_fields=["is_dismissed"])
    return suggestion


def suggestion_act(*, suggestion: DreamscapeSuggestion) -> DreamscapeSuggestion:
    suggestion.is_acted_upon = True
    suggestion.save(update_fields=["is_acted_upon"])
    return suggestion


def suggestions_expire() -> dict[str, int]:
    """Delete unanswered suggestions expired over 30 days ago, and (the seed's retention)
    acted-on or dismissed ones older than ``DREAMSCAPE_SUGGESTION_RETENTION_DAYS``."""
    now = timezone.now()
    expired, _ = DreamscapeSuggestion.objects.filter(
        expires_at__lt=now - EXPIRED_KEPT, is_dismissed=False, is_acted_upon=False
    ).delete()
    answered, _ = DreamscapeSuggestion.objects.filter(
        Q(is_acted_upon=True) | Q(is_dismissed=True),
        created_at__lt=now - timedelta(days=settings.DREAMSCAPE_SUGGESTION_RETENTION_DAYS),
    ).delete()
    return {"expired": expired, "answered_past_retention": answered}
