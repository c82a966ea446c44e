from config.api.routers import ApiRouter

app_name = "aurum"

router = ApiRouter()

urlpatterns = router.urls
