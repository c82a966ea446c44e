"""The enumerations of the Dreamcatcher seed; each is also a CHECK constraint in the database."""

from django.db import models


class DreamStatus(models.TextChoices):
    IDEA = "idea"
    PLANNING = "planning"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    ARCHIVED = "archived"


class TodoPriority(models.TextChoices):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"


class TodoStatus(models.TextChoices):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


# Allowed moves of a todo's status (the database refuses any other): work can start, finish or
# be dropped; finished work can be reopened, dropped work restored.
TODO_TRANSITIONS = [
    (TodoStatus.PENDING, TodoStatus.IN_PROGRESS),
    (TodoStatus.PENDING, TodoStatus.COMPLETED),
    (TodoStatus.PENDING, TodoStatus.CANCELLED),
    (TodoStatus.IN_PROGRESS, TodoStatus.PENDING),
    (TodoStatus.IN_PROGRESS, TodoStatus.COMPLETED),
    (TodoStatus.IN_PROGRESS, TodoStatus.CANCELLED),
    (TodoStatus.COMPLETED, TodoStatus.IN_PROGRESS),
    (TodoStatus.CANCELLED, TodoStatus.PENDING),
]


class TodoSource(models.TextChoices):
    MANUAL = "manual"
    AI_GENERATED = "ai_generated"
    DOCUMENT_PARSED = "document_parsed"


class ImplementationStatus(models.TextChoices):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class SyncSessionType(models.TextChoices):
    PIPELINEOS = "pipelineos"
    STANDALONE = "standalone"
    MANUAL = "manual"


class SyncSessionStatus(models.TextChoices):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    PARTIAL = "partial"  # finished, some dreams failed
    FAILED = "failed"
