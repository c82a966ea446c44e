"""What Aurum's archivable resources share: soft delete, ``?archived=true`` and restore."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from aurum.services.hierarchy import row_restore
from config.api.filters import FilterSet
from config.api.viewsets import CallerModelViewSet, schema_generation


class ArchivableFilter(FilterSet):
    archived = filters.BooleanFilter(
        method="keep",
        help_text="true: list only archived rows (to restore them); default: live rows only.",
    )

    def keep(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset  # the viewset chose live or archived rows already


class ArchivableViewSet(CallerModelViewSet):
    """CRUD over the caller's rows where DELETE archives and ``POST …/restore`` brings back.

    Archived rows leave lists and reads; ``?archived=true`` lists them, and restore finds
    them. ``selector(user=…, archived=…)`` reads either kind.
    """

    selector: ClassVar[Callable[..., QuerySet]]

    def get_queryset(self) -> QuerySet:
        if schema_generation(self):
            return self.queryset.none()
        archived = self.action == "restore" or (
            self.action == "list" and self.request.query_params.get("archived") in ("true", "1")
        )
        return self.selector(user=self.request.user, archived=archived)

    @extend_schema(request=None, description="Bring back an archived row (live rows: 404).")
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row: Model = row_restore(row=self.get_object())
        return self.answer(self.selector(user=request.user).get(pk=row.pk))
