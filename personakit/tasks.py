"""PersonaKit's scheduled work (beat; schedules in migrations/0005_periodic_tasks.py).

Deriving traits and embedding narratives run through the outbox (``config.outbox``); the
embedding backfill is the platform's ``lucid.backfill_embeddings`` over the registered column.
"""

from celery import shared_task

from personakit.personas import personas_mark_expired


@shared_task(name="personakit.mark_expired_personas", time_limit=120, soft_time_limit=100)
def mark_expired_personas() -> int:
    """Mark personas past their TTL as expired (kept for analytics); returns how many."""
    return personas_mark_expired()
