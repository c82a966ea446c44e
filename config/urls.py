from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from config import health
from config.admin.database_health import database_health_view
from config.views import api_fallback, landing

urlpatterns = [
    path("", landing, name="landing"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(
        "admin/database-health/",
        admin.site.admin_view(database_health_view),
        name="database-health",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    *[path(prefix, include(urlconf)) for prefix, urlconf in settings.LUCID_PRODUCT_APIS.items()],
    # Last: an /api/ path no route matched answers in the API's shape, never an HTML page.
    re_path(r"^api/", api_fallback, name="api-fallback"),
]

handler400 = "config.views.bad_request"
handler404 = "config.views.not_found"
handler500 = "config.views.server_error"
