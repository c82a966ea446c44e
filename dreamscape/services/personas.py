"""Persona analysis: the five analysers over a user's behaviour, stored with their evidence."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from config.celery_app import app
from dreamscape.models import UserBehavior, UserPersona
from dreamscape.services import analysers, suggestions
from dreamscape.services.learning import learning_profiles_derive

ANALYSE_TASK = "dreamscape.analyze_persona"
PERSONA_FIELDS = (
    "technical_profile",
    "lifestyle_profile",
    "learning_style",
    "life_phase",
    "interests_evolution",
    "cross_domain_insights",
)


def behaviour_events(*, user: Any, weeks: int = analysers.EVOLUTION_WEEKS) -> list[analysers.Event]:
    """The user's events of the last ``weeks`` weeks as the analysers read them."""
    since = timezone.now() - timedelta(weeks=weeks)
    rows = UserBehavior.objects.filter(user=user, created_at__gte=since).values_list(
        *analysers.Event._fields
    )
    return [analysers.Event(*row) for row in rows]


def persona_analyze(*, user: Any) -> UserPersona:
    """Analyse ``user``'s behaviour: the persona, learning profiles and suggestions, at once."""
    now = timezone.now()
    events = behaviour_events(user=user)
    result = analysers.analyse(events, now)
    with transaction.atomic():
        persona, _ = UserPersona.objects.select_for_update().get_or_create(user=user)
        for field in PERSONA_FIELDS:
            setattr(persona, field, result[field])
        persona.phase_confidence = Decimal(str(result["phase_confidence"]))
        persona.last_analyzed_at = now
        persona.save()
        recent = [e for e in events if e.created_at >= now - timedelta(days=analysers.WINDOW_DAYS)]
        profiles = learning_profiles_derive(user=user, events=recent)
        suggestions.suggestions_generate(user=user, persona=persona, profiles=profiles)
    return persona


def persona_queue_analysis(*, user: Any) -> None:
    """Queue ``persona_analyze`` for ``user`` once the current transaction commits."""
    user_id = str(user.pk)
    transaction.on_commit(lambda: app.send_task(ANALYSE_TASK, kwargs={"user_id": user_id}))


def users_with_new_behaviour() -> list[Any]:
    """Ids of users with events of the last 30 days newer than their last analysis (or never
    analysed): one query over the recent partitions."""
    since = timezone.now() - timedelta(days=analysers.WINDOW_DAYS)
    persona = "user__dreamscape_persona"
    return list(
        UserBehavior.objects.filter(created_at__gte=since)
        .filter(
            Q(**{f"{persona}__last_analyzed_at__isnull": True})
            | Q(created_at__gt=F(f"{persona}__last_analyzed_at"))
        )
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )
