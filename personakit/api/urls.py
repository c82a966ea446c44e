from config.api.routers import ApiRouter
from personakit.api.views import ApiKeyViewSet

app_name = "personakit"

router = ApiRouter()
router.register("api-keys", ApiKeyViewSet, basename="api-key")

urlpatterns = router.urls
