"""Dreamcatcher's contributions to the platform registries (imported from ``ready()``)."""

from config.registries import DashboardCard, DemoSeeder, dashboard_cards, demo_seeders
from dreamcatcher import cards, demo

SYSTEM = "Dreamcatcher"

demo_seeders.register(DemoSeeder(name="dreamcatcher.accounts", seed=demo.seed_demo, order=10))
# After every app's accounts and keys: dreams belong to the demo accounts.
demo_seeders.register(DemoSeeder(name="dreamcatcher.dreams", seed=demo.seed_dreams, order=30))

for order, (name, title, render, template) in enumerate(
    [
        ("dreams_by_status", "Dreams by status", cards.dreams_by_status, "chart"),
        ("dreams_by_brand", "Dreams by brand", cards.dreams_by_brand, "chart"),
        ("todo_completion", "Todo completion", cards.todo_completion, "chart"),
        ("last_sync", "Last sync", cards.last_sync, "metrics"),
    ],
    start=1,
):
    dashboard_cards.register(
        DashboardCard(
            name=f"dreamcatcher.{name}",
            title=title,
            render=render,
            template=f"admin/cards/{template}.html",
            system=SYSTEM,
            order=order * 10,
        )
    )
