from django.urls import path

from config.api.routers import ApiRouter
from dreamshot.api import ai_tests, catalogue, dreams, reports

app_name = "dreamshot"

router = ApiRouter()
router.register("dreams", dreams.DreamViewSet, basename="dream")
router.register("tests", ai_tests.AiTestViewSet, basename="ai-test")
router.register("progress-logs", ai_tests.ProgressLogViewSet, basename="progress-log")
router.register("models", catalogue.AiModelViewSet, basename="ai-model")
router.register("public-dreams", catalogue.PublicDreamViewSet, basename="public-dream")

urlpatterns = [
    *router.urls,
    path("dashboard", reports.DashboardView.as_view(), name="dashboard"),
    path("model-comparison", reports.ModelComparisonView.as_view(), name="model-comparison"),
    path("categories", reports.CategoryAnalysisView.as_view(), name="categories"),
    path("spend", reports.SpendView.as_view(), name="spend"),
    path("staff/token-usage", reports.TokenUsageView.as_view(), name="token-usage"),
    path("staff/budget-alerts", reports.BudgetAlertsView.as_view(), name="budget-alerts"),
]
