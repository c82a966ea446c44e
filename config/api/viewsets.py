"""Base viewsets: apps' viewsets declare ``queryset``, ``serializer_class``, ``filterset_class``."""

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from config import rls


class RowLevelSecurityMixin:
    """Runs the request as the database role the tables' RLS policies bind (``config.rls``).

    Set ``row_level_security = True`` on viewsets over tables with such policies.
    """

    row_level_security = False

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authenticated, permitted, not throttled
        if self.row_level_security and request.user.is_authenticated:
            rls.enter(request.user)
            self._acting_as_caller = True

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        if getattr(self, "_acting_as_caller", False):
            rls.leave()
            self._acting_as_caller = False
        return super().finalize_response(request, response, *args, **kwargs)


class OwnerScopedViewSet(RowLevelSecurityMixin, viewsets.ModelViewSet):
    """CRUD over the caller's own rows: others' rows do not exist (404), owner set on create."""

    owner_field = "user"

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):  # schema generation has no caller
            return queryset.none()
        return queryset.filter(**{self.owner_field: self.request.user})

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.save(**{self.owner_field: self.request.user})
