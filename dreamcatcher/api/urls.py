from django.urls import path

from config.api.routers import ApiRouter
from dreamcatcher.api import (
    documents,
    dreams,
    fragments,
    implementations,
    reports,
    sync,
    todos,
    vocabulary,
)

app_name = "dreamcatcher"

router = ApiRouter()
router.register("dreams", dreams.DreamViewSet, basename="dream")
router.register("fragments", fragments.FragmentViewSet, basename="fragment")
router.register("implementations", implementations.ImplementationViewSet, basename="implementation")
router.register("todos", todos.TodoViewSet, basename="todo")
router.register("documents", documents.DocumentViewSet, basename="document")
router.register("sync-sessions", sync.SyncSessionViewSet, basename="sync-session")
router.register("brands", vocabulary.BrandViewSet, basename="brand")
router.register("tags", vocabulary.TagViewSet, basename="tag")
router.register("dream-summary", reports.DreamSummaryViewSet, basename="dream-summary")

urlpatterns = [
    *router.urls,
    path("sync-status", sync.SyncStatusView.as_view(), name="sync-status"),
    path("activity", reports.ActivityView.as_view(), name="activity"),
    path("sync", sync.SyncView.as_view(), name="sync"),
]
