"""The enumerations of the Aurum Life seed; each is also a CHECK constraint in the database."""

from django.db import models


class TaskStatus(models.TextChoices):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    REVIEW = "review"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class TaskPriority(models.TextChoices):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"


class ProjectStatus(models.TextChoices):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"


class ProjectPriority(models.TextChoices):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ObstacleRisk(models.TextChoices):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class EnergyLevel(models.TextChoices):
    VERY_LOW = "very_low"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    VERY_HIGH = "very_high"


class Mood(models.TextChoices):
    EXCITED = "excited"
    HAPPY = "happy"
    CONTENT = "content"
    NEUTRAL = "neutral"
    FRUSTRATED = "frustrated"
    SAD = "sad"
    ANXIOUS = "anxious"
    OVERWHELMED = "overwhelmed"


class UserTier(models.TextChoices):
    STANDARD = "standard"
    PREMIUM = "premium"
    ENTERPRISE = "enterprise"


class InsightEntityType(models.TextChoices):
    PILLAR = "pillar"
    AREA = "area"
    PROJECT = "project"
    TASK = "task"
    GLOBAL = "global"


class InsightType(models.TextChoices):
    PRIORITY_REASONING = "priority_reasoning"
    ALIGNMENT_ANALYSIS = "alignment_analysis"
    PATTERN_RECOGNITION = "pattern_recognition"
    RECOMMENDATION = "recommendation"
    GOAL_COHERENCE = "goal_coherence"
    TIME_ALLOCATION = "time_allocation"
    PROGRESS_PREDICTION = "progress_prediction"
    OBSTACLE_IDENTIFICATION = "obstacle_identification"
    OPTIMIZATION_SUGGESTION = "optimization_suggestion"


class InsightFeedback(models.TextChoices):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    MODIFIED = "modified"
    IGNORED = "ignored"


class MessageRole(models.TextChoices):
    USER = "user"
    ASSISTANT = "assistant"
    SYSTEM = "system"


class TimeEntityType(models.TextChoices):
    TASK = "task"
    PROJECT = "project"
    AREA = "area"
    PILLAR = "pillar"


class ActivityType(models.TextChoices):
    FOCUSED = "focused"
    COLLABORATIVE = "collaborative"
    MEETING = "meeting"
    BREAK = "break"
    PLANNING = "planning"


class PatternType(models.TextChoices):
    PEAK_PRODUCTIVITY_HOURS = "peak_productivity_hours"
    TASK_COMPLETION_TIME = "task_completion_time"
    PROCRASTINATION_TRIGGERS = "procrastination_triggers"
    ENERGY_PATTERNS = "energy_patterns"
    FOCUS_DURATION = "focus_duration"
    BREAK_FREQUENCY = "break_frequency"


class StatType(models.TextChoices):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class AuditAction(models.TextChoices):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    ARCHIVE = "archive"
    RESTORE = "restore"
