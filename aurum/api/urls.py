from django.urls import path

from aurum.api import (
    alignment,
    conversations,
    hierarchy,
    insights,
    journal,
    patterns,
    people,
    search,
    statistics,
    today,
    tracking,
)
from config.api.routers import ApiRouter

app_name = "aurum"

router = ApiRouter()
router.register("pillars", hierarchy.PillarViewSet, basename="pillar")
router.register("areas", hierarchy.AreaViewSet, basename="area")
router.register("projects", hierarchy.ProjectViewSet, basename="project")
router.register("tasks", hierarchy.TaskViewSet, basename="task")
router.register("task-dependencies", hierarchy.TaskDependencyViewSet, basename="task-dependency")
router.register("hierarchy", hierarchy.HierarchyViewSet, basename="hierarchy")
router.register("journal-entries", journal.JournalEntryViewSet, basename="journal-entry")
router.register("reflections", journal.ReflectionViewSet, basename="reflection")
router.register("time-entries", tracking.TimeEntryViewSet, basename="time-entry")
router.register("audit-log", tracking.AuditLogViewSet, basename="audit-log")
router.register("insights", insights.InsightViewSet, basename="insight")
router.register("conversations", conversations.ConversationViewSet, basename="conversation")
router.register("patterns", patterns.BehaviorPatternViewSet, basename="pattern")

urlpatterns = [
    *router.urls,
    path("profile", people.ProfileView.as_view(), name="profile"),
    path("stats", people.StatsView.as_view(), name="stats"),
    path("today", today.TodayView.as_view(), name="today"),
    path("alignment-points", alignment.AlignmentPointsView.as_view(), name="alignment-points"),
    path("search", search.SearchView.as_view(), name="search"),
    path("statistics", statistics.StatisticsView.as_view(), name="statistics"),
]
