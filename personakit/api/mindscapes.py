"""PersonaKit API: mindscapes."""

from config.api.routers import ApiRouter

router = ApiRouter()
urlpatterns: list = []  # routes outside the router (e.g. nested paths)
