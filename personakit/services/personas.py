"""Personas: generation from the active mapper, time to live and expiry.

A persona splits the person's mindscape in two. ``core`` holds the stable traits: the whole
tree except the volatile top-level subtrees ``VOLATILE_TRAIT_ROOTS`` (``context``, ``state``:
what the person is doing now). ``overlay`` holds what changes fast: the fired rules'
suggestions, highest priority first, and those volatile subtrees as ``context``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.utils import timezone
from pgvector.django import CosineDistance

from config.embeddings import EmbeddingError, get_provider
from personakit.models import (
    MapperConfig,
    Mindscape,
    Narrative,
    Person,
    Persona,
    PersonaNarrativeUsage,
)
from personakit.selectors.mappers import mapper_active
from personakit.services.mappers import PRIORITY_RANK, FiredRule, mapper_evaluate

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

DEFAULT_TTL = timedelta(hours=24)
VOLATILE_TRAIT_ROOTS = ("context", "state")
NARRATIVES_PER_PERSONA = 5
USAGE_RULE_CONTEXT = "rule_context"


# --- generation ---------------------------------------------------------------------------


def persona_ttl(mapper: MapperConfig) -> timedelta:
    """The mapper's ``configuration.metadata.ttl_hours``, else 24 hours.

    It lives in the configuration, so it is validated and versioned with the rules.
    """
    hours = (mapper.configuration.get("metadata") or {}).get("ttl_hours")
    return timedelta(hours=hours) if hours else DEFAULT_TTL


def _split_traits(traits: dict) -> tuple[dict, dict]:
    core = {key: value for key, value in traits.items() if key not in VOLATILE_TRAIT_ROOTS}
    context = {key: traits[key] for key in VOLATILE_TRAIT_ROOTS if key in traits}
    return core, context


def _suggestions(fired: list[FiredRule]) -> list[dict[str, Any]]:
    suggestions = [
        {"rule_id": rule.rule_id, "type": a.type, "template": a.template, "priority": a.priority}
        for rule in fired
        for a in rule.actions
    ]
    # Stable sort: equal priorities keep the rules' order in the configuration.
    return sorted(suggestions, key=lambda s: -PRIORITY_RANK[s["priority"]])


def _embed_templates(fired: list[FiredRule]) -> tuple[str, dict[str, list[str]], Any] | None:
    """(model name, template → rule ids, one vector per template), or None if nothing to embed."""
    rules_by_template: dict[str, list[str]] = {}
    for rule in fired:
        for action in rule.actions:
            rules_by_template.setdefault(action.template, []).append(rule.rule_id)
    if not rules_by_template:
        return None
    provider = get_provider()
    try:
        vectors = provider.embed(list(rules_by_template))
    except EmbeddingError:
        # A persona without narrative context beats no persona: generation goes on.
        logger.warning("could not embed rule templates; no narrative usage recorded", exc_info=True)
        return None
    return provider.model_name, rules_by_template, vectors


def _relevant_narratives(person: Person, embedded: tuple | None) -> list[dict[str, Any]]:
    """The person's narratives nearest to any fired rule's template, best first."""
    if embedded is None:
        return []
    model_name, rules_by_template, vectors = embedded
    narratives = Narrative.objects.filter(
        person=person, embedding__isnull=False, embedding_model=model_name
    )
    best: dict[Any, dict[str, Any]] = {}
    for template, vector in zip(rules_by_template, vectors, strict=True):
        # "+ 0" keeps the planner off the HNSW index: one person's narratives are few, and an
        # exact scan of them cannot lose rows to the index's post-filtering.
        nearest = (
            narratives.annotate(distance=CosineDistance("embedding", vector.tolist()) + Value(0.0))
            .order_by("distance", "id")
            .values_list("id", "distance")[:NARRATIVES_PER_PERSONA]
        )
        for narrative_id, distance in nearest:
            if narrative_id not in best or distance < best[narrative_id]["distance"]:
                best[narrative_id] = {
                    "narrative_id": narrative_id,
                    "distance": distance,
                    "template": template,
                    "rule_ids": rules_by_template[template],
                }
    ranked = sorted(best.values(), key=lambda match: match["distance"])
    return ranked[:NARRATIVES_PER_PERSONA]


def persona_generate(*, user: AbstractBaseUser | None, data: Mapping[str, Any]) -> Persona:
    """Evaluate the active mapper of ``data["config_id"]`` against ``data["person"]``'s
    mindscape and store the result.

    Raises ``ValidationError`` on ``config_id`` when that config has no active version. A
    person without a mindscape has empty traits. Counts the generation in the mapper's
    ``usage_count`` and records the narratives most relevant to the fired rules.
    """
    started = time.perf_counter()
    person: Person = data["person"]
    config_id: str = data["config_id"]
    mapper = mapper_active(config_id=config_id)
    if mapper is None:
        raise ValidationError(
            {"config_id": [f"Mapper '{config_id}' has no active version; activate one first."]}
        )
    mindscape = Mindscape.objects.filter(person=person).first()
    traits = mindscape.traits if mindscape else {}
    fired = mapper_evaluate(configuration=mapper.configuration, traits=traits)
    core, context = _split_traits(traits)
    embedded = _embed_templates(fired)  # outside the transaction: it may take a while
    now = timezone.now()
    with transaction.atomic():
        matches = _relevant_narratives(person, embedded)
        persona = Persona(
            person=person,
            mapper=mapper,
            mapper_config_id=mapper.config_id,
            mapper_version=mapper.version,
            core=core,
            overlay={"suggestions": _suggestions(fired), "context": context},
            metadata={
                "rules_fired": [rule.rule_id for rule in fired],
                "rules_evaluated": len(mapper.configuration["rules"]),
                "mapper_version": mapper.version,
                "mindscape_version": mindscape.version if mindscape else None,
                "narratives_used": len(matches),
                "duration_ms": round((time.perf_counter() - started) * 1000, 3),
            },
            expires_at=now + persona_ttl(mapper),
            created_by=user,
        )
        persona.full_clean(exclude=["core"])  # an empty core (no mindscape yet) is a valid one
        persona.save()
        MapperConfig.objects.filter(pk=mapper.pk).update(usage_count=F("usage_count") + 1)
        PersonaNarrativeUsage.objects.bulk_create(
            PersonaNarrativeUsage(
                persona=persona,
                narrative_id=match["narrative_id"],
                usage_type=USAGE_RULE_CONTEXT,
                relevance_score=max(0.0, 1.0 - match["distance"]),
                usage_context={"rule_ids": match["rule_ids"], "template": match["template"]},
            )
            for match in matches
        )
    return persona


# --- expiry -------------------------------------------------------------------------------


def personas_mark_expired() -> int:
    """Mark personas whose ``expires_at`` has passed; returns how many were marked now."""
    return Persona.objects.filter(is_expired=False, expires_at__lte=timezone.now()).update(
        is_expired=True
    )
