"""Dreamshot's contributions to the platform registries (imported from ``ready()``)."""

from config.admin.cards import register_cards
from config.registries import (
    DemoSeeder,
    HealthSection,
    UserEraser,
    database_health,
    demo_seeders,
    user_erasers,
)
from dreamshot import cards, demo
from dreamshot.selectors import monitoring
from dreamshot.services.dreams import dreams_erase_user

# After the accounts (dreamcatcher.accounts, 10).
demo_seeders.register(DemoSeeder(name="dreamshot.dreams", seed=demo.seed_dreams, order=40))

user_erasers.register(UserEraser(name="dreamshot.dreams", erase=dreams_erase_user))

register_cards(
    system="Dreamshot",
    app="dreamshot",
    cards=[
        ("impossibility_decay", "Impossibility decay", cards.impossibility_decay, "chart"),
        ("spend", "Spend this month", cards.spend_this_month, "metrics"),
        ("model_comparison", "Model comparison", cards.model_comparison_chart, "chart"),
        ("cost_per_user", "Cost per user and model", cards.cost_per_user_and_model, "metrics"),
    ],
)

for order, (name, title, report) in enumerate(
    [
        ("slow_queries", "Slow queries (pg_stat_statements)", monitoring.slow_queries_report),
        ("index_usage", "Index usage", monitoring.index_usage_report),
        ("cache_hit_ratio", "Cache hit ratio", monitoring.cache_hit_ratio_report),
    ],
    start=1,
):
    database_health.register(
        HealthSection(
            name=f"dreamshot.{name}",
            title=title,
            report=report,
            system="Dreamshot",
            order=200 + order,
        )
    )
