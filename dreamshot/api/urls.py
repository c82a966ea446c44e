from config.api.routers import ApiRouter

app_name = "dreamshot"

router = ApiRouter()

urlpatterns = router.urls
