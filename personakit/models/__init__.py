from personakit.models.api_keys import ApiKey
from personakit.models.feedback import Feedback
from personakit.models.mappers import MapperConfig
from personakit.models.mindscapes import Mindscape
from personakit.models.narratives import Narrative, TraitNarrativeLink
from personakit.models.observations import Observation
from personakit.models.outbox import OutboxTask
from personakit.models.personas import Persona, PersonaNarrativeUsage
from personakit.models.persons import Person

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
