from personakit.models.api_keys import ApiKey
from personakit.models.mappers import Feedback, MapperConfig, Persona, PersonaNarrativeUsage
from personakit.models.narratives import Narrative, TraitNarrativeLink
from personakit.models.outbox import OutboxTask
from personakit.models.persons import Mindscape, Observation, Person

__all__ = [
    "ApiKey",
    "Feedback",
    "MapperConfig",
    "Mindscape",
    "Narrative",
    "Observation",
    "OutboxTask",
    "Person",
    "Persona",
    "PersonaNarrativeUsage",
    "TraitNarrativeLink",
]
