"""``/api/v1/personakit/``: each domain module brings its own router and paths."""

from config.api.routers import ApiRouter
from personakit.api import (
    feedback,
    mappers,
    mindscapes,
    narratives,
    observations,
    personas,
    persons,
)
from personakit.api.views import ApiKeyViewSet

app_name = "personakit"

DOMAINS = [persons, observations, mindscapes, narratives, mappers, personas, feedback]

router = ApiRouter()
router.register("api-keys", ApiKeyViewSet, basename="api-key")
for domain in DOMAINS:
    router.registry.extend(domain.router.registry)

urlpatterns = [path for domain in DOMAINS for path in domain.urlpatterns] + router.urls
