"""The product's health, observation and narrative routes."""

urlpatterns: list = []
