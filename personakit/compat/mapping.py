"""The product's mapper, persona and feedback routes."""

urlpatterns: list = []
