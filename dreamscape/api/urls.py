from config.api.routers import ApiRouter

app_name = "dreamscape"

router = ApiRouter()

urlpatterns = router.urls
