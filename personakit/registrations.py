"""PersonaKit's contributions to the platform registries (imported from ``ready()``)."""

from config.registries import (
    DashboardCard,
    DemoSeeder,
    OutboxHandler,
    UserEraser,
    dashboard_cards,
    demo_seeders,
    embedding_columns,
    outbox_handlers,
    user_erasers,
)
from personakit import cards, demo, mindscapes, narratives
from personakit.services import api_key_revoke_all

# After the accounts (dreamcatcher.accounts, 10); personas after the demo API key.
demo_seeders.register(DemoSeeder(name="personakit.api_keys", seed=demo.seed_demo, order=20))
demo_seeders.register(DemoSeeder(name="personakit.personas", seed=demo.seed_personas, order=25))

user_erasers.register(
    UserEraser(name="personakit.api_keys", erase=lambda user: api_key_revoke_all(user=user))
)

outbox_handlers.register(
    OutboxHandler(name=mindscapes.DERIVE_TRAITS_TASK, handle=mindscapes.handle_derive_traits)
)
outbox_handlers.register(
    OutboxHandler(name=narratives.EMBED_TASK, handle=narratives.handle_embed_narrative)
)
embedding_columns.register(narratives.EMBEDDING_COLUMN)

for order, (name, title, render, template) in enumerate(
    [
        ("outbox", "Outbox", cards.outbox, "metrics"),
        ("narrative_embeddings", "Narrative embeddings", cards.narrative_embeddings, "metrics"),
        ("personas", "Personas", cards.personas, "metrics"),
        ("feedback", "Feedback", cards.feedback, "chart"),
    ],
    start=1,
):
    dashboard_cards.register(
        DashboardCard(
            name=f"personakit.{name}",
            title=title,
            render=render,
            template=f"admin/cards/{template}.html",
            system="PersonaKit",
            order=order * 10,
        )
    )
