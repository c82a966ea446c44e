"""``/api/v1/``: the API root, the account endpoint and each app's ``<app>/api/urls.py``."""

from django.conf import settings
from django.urls import include, path

from config.api.views import ApiRootView, MeView

app_name = "api"

urlpatterns = [
    path("", ApiRootView.as_view(), name="root"),
    path("me", MeView.as_view(), name="me"),
    *[path(f"{app}/", include(f"{app}.api.urls")) for app in settings.LUCID_APPS],
]
