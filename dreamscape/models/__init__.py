from dreamscape.models.behaviors import UserBehavior, UserEngagementSummary
from dreamscape.models.clusters import TagCluster
from dreamscape.models.learning import LearningProfile
from dreamscape.models.personas import UserPersona
from dreamscape.models.suggestions import DreamscapeSuggestion

__all__ = [
    "DreamscapeSuggestion",
    "LearningProfile",
    "TagCluster",
    "UserBehavior",
    "UserEngagementSummary",
    "UserPersona",
]
