"""Base viewsets: apps' viewsets declare ``queryset``, ``serializer_class``, ``filterset_class``."""

from django.db.models import QuerySet
from rest_framework import serializers, viewsets


class OwnerScopedViewSet(viewsets.ModelViewSet):
    """CRUD over the caller's own rows: others' rows do not exist (404), owner set on create."""

    owner_field = "user"

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):  # schema generation has no caller
            return queryset.none()
        return queryset.filter(**{self.owner_field: self.request.user})

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.save(**{self.owner_field: self.request.user})
