"""PersonaKit's admin: persons and what is observed about them, mindscapes (a readable trait
tree), narratives and their embeddings, versioned mappers (validated JSON, activation, a
try-out against a person), personas, feedback aggregated per rule, the outbox, API keys.

Writes that carry business rules go through PersonaKit's services (``mapper_create_version``,
``mapper_activate``, ``narrative_embed``, ``mindscape_derive``, the outbox services); rows
those services own are read-only here. Importing this package registers every admin.
"""

from personakit.admin import api_keys, mappers, narratives, outbox, personas, persons

__all__ = ["api_keys", "mappers", "narratives", "outbox", "personas", "persons"]
