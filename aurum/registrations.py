"""Aurum Life's contributions to the platform registries (imported from ``ready()``)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import pre_delete

from aurum import cards, demo
from aurum.services.embeddings import EMBEDDING_COLUMNS
from aurum.services.hierarchy import HIERARCHY_VIEW
from aurum.services.people import audit_erasure_allow, user_erase
from config.admin.cards import register_cards
from config.database.health import materialized_views_section
from config.registries import (
    DemoSeeder,
    UserEraser,
    database_health,
    demo_seeders,
    embedding_columns,
    user_erasers,
)

# After the accounts (dreamcatcher.accounts, 10).
demo_seeders.register(DemoSeeder(name="aurum.life", seed=demo.seed_demo, order=50))

for column in EMBEDDING_COLUMNS:
    embedding_columns.register(column)

user_erasers.register(UserEraser(name="aurum.everything", erase=lambda user: user_erase(user=user)))


def _allow_audit_erasure(sender: type, instance: object, **kwargs: object) -> None:
    """Deleting an account takes its audit trail with it (the log is otherwise append-only)."""
    audit_erasure_allow(user=instance)


pre_delete.connect(
    _allow_audit_erasure, sender=get_user_model(), dispatch_uid="aurum.allow_audit_erasure"
)

database_health.register(
    materialized_views_section(
        name="aurum.materialized_views",
        views=[HIERARCHY_VIEW],
        stale_after=timedelta(minutes=settings.AURUM_HIERARCHY_STALE_MINUTES),
        system="Aurum Life",
    )
)

register_cards(
    system="Aurum Life",
    app="aurum",
    cards=[
        ("overview", "Aurum Life", cards.overview, "metrics"),
        ("time_per_pillar", "Time per pillar", cards.time_per_pillar, "chart"),
        ("mood_over_time", "Mood over time", cards.mood_over_time, "chart"),
        ("completion_trend", "Completion trend", cards.completion_trend, "chart"),
        ("embedding_coverage", "Embedding coverage", cards.embedding_coverage, "chart"),
    ],
)
