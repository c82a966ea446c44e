"""Dreamscape's contributions to the platform registries (imported from ``ready()``)."""

from datetime import timedelta

from config.admin.cards import register_cards
from config.database.health import materialized_views_section
from config.registries import (
    DemoSeeder,
    HealthSection,
    UserEraser,
    database_health,
    demo_seeders,
    user_erasers,
)
from dreamscape import cards, demo
from dreamscape.models.behaviors import ENGAGEMENT_VIEW
from dreamscape.selectors.monitoring import behaviour_coverage_report, table_sizes_report
from dreamscape.services.maintenance import dreamscape_user_erase

user_erasers.register(UserEraser(name="dreamscape", erase=dreamscape_user_erase))
# After the accounts (dreamcatcher.accounts, 10).
demo_seeders.register(DemoSeeder(name="dreamscape.behaviour", seed=demo.seed_behaviour, order=40))

register_cards(
    system="Dreamscape",
    app="dreamscape",
    cards=[
        ("events_per_day", "Events per day", cards.events_per_day, "chart"),
        ("analysis", "Analysis", cards.analysis, "metrics"),
    ],
)

database_health.register(
    materialized_views_section(
        name="dreamscape.materialized_views",
        views=[ENGAGEMENT_VIEW],
        stale_after=timedelta(minutes=45),  # beat refreshes it every 15 minutes
        system="Dreamscape",
    )
)
database_health.register(
    HealthSection(
        name="dreamscape.behaviour_coverage",
        title="Behaviour tracking coverage",
        report=behaviour_coverage_report,
        system="Dreamscape",
    )
)
database_health.register(
    HealthSection(
        name="dreamscape.table_sizes",
        title="Table sizes",
        report=table_sizes_report,
        system="Dreamscape",
    )
)
