"""PersonaKit's background entry points, each a thin call of one service.

``mark_expired_personas`` is a Celery task run by beat (schedule in
migrations/0005_periodic_tasks.py). Deriving traits and embedding narratives are outbox
handlers (``config.outbox``; registered in ``registrations.py``): they must run if and only if
the write that asked for them commits. The embedding backfill is the platform's
``lucid.backfill_embeddings`` over the registered column.
"""

from typing import Any

from celery import shared_task

from personakit.models import Narrative, Person
from personakit.services.mindscapes import mindscape_derive
from personakit.services.narratives import narrative_embed
from personakit.services.personas import personas_mark_expired


@shared_task(name="personakit.mark_expired_personas", time_limit=120, soft_time_limit=100)
def mark_expired_personas() -> int:
    """Mark personas past their TTL as expired (kept for analytics); returns how many."""
    return personas_mark_expired()


def handle_derive_traits(payload: dict[str, Any]) -> None:
    """Outbox handler of ``personakit.derive_traits`` ``{"person_id"}``; idempotent."""
    person = Person.objects.filter(pk=payload["person_id"]).first()
    if person is not None:  # a person deleted since has nothing left to derive
        mindscape_derive(person=person)


def handle_embed_narrative(payload: dict[str, Any]) -> None:
    """Outbox handler of ``personakit.embed_narrative`` ``{"narrative_id"}``; idempotent."""
    try:
        narrative_embed(narrative_id=payload["narrative_id"])
    except Narrative.DoesNotExist:
        return  # a narrative deleted since needs no embedding
