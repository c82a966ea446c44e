from config.api.routers import ApiRouter

app_name = "dreamcatcher"

router = ApiRouter()

urlpatterns = router.urls
