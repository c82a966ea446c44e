"""Dreamcatcher's contributions to the platform registries (imported from ``ready()``)."""

from datetime import timedelta

from config.admin.cards import register_cards
from config.database.health import materialized_views_section
from config.registries import DemoSeeder, database_health, demo_seeders
from dreamcatcher import cards, demo
from dreamcatcher.services.maintenance import STATISTICS_VIEW

demo_seeders.register(DemoSeeder(name="dreamcatcher.accounts", seed=demo.seed_demo, order=10))
# After every app's accounts and keys: dreams belong to the demo accounts.
demo_seeders.register(DemoSeeder(name="dreamcatcher.dreams", seed=demo.seed_dreams, order=30))

register_cards(
    system="Dreamcatcher",
    app="dreamcatcher",
    cards=[
        ("dreams_by_status", "Dreams by status", cards.dreams_by_status, "chart"),
        ("dreams_by_brand", "Dreams by brand", cards.dreams_by_brand, "chart"),
        ("todo_completion", "Todo completion", cards.todo_completion, "chart"),
        ("last_sync", "Last sync", cards.last_sync, "metrics"),
    ],
)

database_health.register(
    materialized_views_section(
        name="dreamcatcher.materialized_views",
        views=[STATISTICS_VIEW],
        stale_after=timedelta(minutes=15),  # beat refreshes it every five minutes
        system="Dreamcatcher",
    )
)
