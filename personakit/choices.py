"""The enumerations of the PersonaKit seed; each is also a CHECK constraint in the database."""

from django.db import models


class ObservationType(models.TextChoices):
    WORK_SESSION = "work_session"
    USER_INPUT = "user_input"
    CALENDAR_EVENT = "calendar_event"


class NarrativeType(models.TextChoices):
    SELF_OBSERVATION = "self_observation"
    CURATION = "curation"


class LinkType(models.TextChoices):
    EXTRACTED_FROM = "extracted_from"
    CURATES = "curates"
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"


class MapperStatus(models.TextChoices):
    DRAFT = "draft"
    ACTIVE = "active"
    DEPRECATED = "deprecated"


class OutboxStatus(models.TextChoices):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    FAILED = "failed"
