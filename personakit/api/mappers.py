"""PersonaKit API: mappers."""

from config.api.routers import ApiRouter

router = ApiRouter()
urlpatterns: list = []  # routes outside the router (e.g. nested paths)
