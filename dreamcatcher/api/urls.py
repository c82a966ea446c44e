from django.urls import path

from config.api.routers import ApiRouter
from dreamcatcher.api import documents, sync, views

app_name = "dreamcatcher"

router = ApiRouter()
router.register("dreams", views.DreamViewSet, basename="dream")
router.register("fragments", views.FragmentViewSet, basename="fragment")
router.register("implementations", views.ImplementationViewSet, basename="implementation")
router.register("todos", views.TodoViewSet, basename="todo")
router.register("documents", documents.DocumentViewSet, basename="document")
router.register("sync-sessions", sync.SyncSessionViewSet, basename="sync-session")
router.register("brands", views.BrandViewSet, basename="brand")
router.register("tags", views.TagViewSet, basename="tag")
router.register("dream-summary", views.DreamSummaryViewSet, basename="dream-summary")

urlpatterns = [
    *router.urls,
    path("sync-status", views.SyncStatusView.as_view(), name="sync-status"),
    path("activity", views.ActivityView.as_view(), name="activity"),
    path("sync", sync.SyncView.as_view(), name="sync"),
]
