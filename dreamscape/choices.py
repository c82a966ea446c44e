"""The enumerations of the Dreamscape seed; each bounded one is also a CHECK in the database."""

from django.db import models


class LifePhase(models.TextChoices):
    EARLY_CAREER = "early_career"
    MID_CAREER = "mid_career"
    EXPERIENCED = "experienced"


class SkillLevel(models.TextChoices):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
    EXPERT = "expert"


class SuggestionType(models.TextChoices):
    LEARNING_PATH = "learning_path"
    PROJECT_IDEA = "project_idea"
    SKILL_DEVELOPMENT = "skill_development"
    HABIT = "habit"
    EXPLORATION = "exploration"
