"""PersonaKit's contributions to the platform registries (imported from ``ready()``)."""

from config.admin.cards import register_cards
from config.registries import (
    DemoSeeder,
    OutboxHandler,
    UserEraser,
    demo_seeders,
    embedding_columns,
    outbox_handlers,
    user_erasers,
)
from personakit import cards, demo, tasks
from personakit.services.api_keys import api_key_revoke_all
from personakit.services.mindscapes import DERIVE_TRAITS_TASK
from personakit.services.narratives import EMBED_TASK, EMBEDDING_COLUMN

# After the accounts (dreamcatcher.accounts, 10); personas after the demo API key.
demo_seeders.register(DemoSeeder(name="personakit.api_keys", seed=demo.seed_demo, order=20))
demo_seeders.register(DemoSeeder(name="personakit.personas", seed=demo.seed_personas, order=25))

user_erasers.register(
    UserEraser(name="personakit.api_keys", erase=lambda user: api_key_revoke_all(user=user))
)

outbox_handlers.register(OutboxHandler(name=DERIVE_TRAITS_TASK, handle=tasks.handle_derive_traits))
outbox_handlers.register(OutboxHandler(name=EMBED_TASK, handle=tasks.handle_embed_narrative))
embedding_columns.register(EMBEDDING_COLUMN)

register_cards(
    system="PersonaKit",
    app="personakit",
    cards=[
        ("outbox", "Outbox", cards.outbox, "metrics"),
        ("narrative_embeddings", "Narrative embeddings", cards.narrative_embeddings, "metrics"),
        ("personas", "Personas", cards.personas, "metrics"),
        ("feedback", "Feedback", cards.feedback, "chart"),
    ],
)
