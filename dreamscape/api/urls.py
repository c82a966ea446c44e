from django.urls import path

from config.api.routers import ApiRouter
from dreamscape.api import behaviors, clusters, learning, personas, reports, suggestions

app_name = "dreamscape"

router = ApiRouter()
router.register("behaviors", behaviors.BehaviorViewSet, basename="behavior")
router.register("learning-profiles", learning.LearningProfileViewSet, basename="learning-profile")
router.register("tag-clusters", clusters.TagClusterViewSet, basename="tag-cluster")
router.register("suggestions", suggestions.SuggestionViewSet, basename="suggestion")

urlpatterns = [
    *router.urls,
    path("persona", personas.PersonaView.as_view(), name="persona"),
    path("persona/analyze", personas.PersonaAnalyzeView.as_view(), name="persona-analyze"),
    path("behavior-summary", reports.BehaviorSummaryView.as_view(), name="behavior-summary"),
    path("engagement", reports.EngagementView.as_view(), name="engagement"),
]
