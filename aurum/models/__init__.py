from aurum.models.audit import AuditLog
from aurum.models.conversations import ConversationMemory
from aurum.models.hierarchy import Area, Pillar, Project
from aurum.models.insights import Insight
from aurum.models.journal import DailyReflection, JournalEntry
from aurum.models.people import UserProfile, UserStats
from aurum.models.statistics import UserStatisticsCache
from aurum.models.tasks import Task, TaskDependency
from aurum.models.tracking import TimeEntry, UserBehaviorPattern
from aurum.models.views import HierarchyView

__all__ = [
    "Area",
    "AuditLog",
    "ConversationMemory",
    "DailyReflection",
    "HierarchyView",
    "Insight",
    "JournalEntry",
    "Pillar",
    "Project",
    "Task",
    "TaskDependency",
    "TimeEntry",
    "UserBehaviorPattern",
    "UserProfile",
    "UserStatisticsCache",
    "UserStats",
]
