"""Mapper configs, shared by every caller.

Everyone authenticated lists, reads and creates versions (``POST`` makes the next version of
``config_id`` as a draft). A version's author (or staff) may edit it while it is a draft and
activate it; an active or deprecated version's configuration is immutable (409).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.fields import JSONField, JSONObjectField
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerViewSet, CreateMixin, UpdateMixin, Writes
from personakit.choices import MapperStatus
from personakit.models import MapperConfig
from personakit.services.mappers import (
    MapperNotDraft,
    mapper_activate,
    mapper_create_version,
    mapper_update_draft,
    mapper_validate,
)


class MapperConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The mapper version is not a draft."


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "metadata": {"type": "object", "additionalProperties": {}},
            "rules": {"type": "array", "minItems": 1, "items": {"type": "object"}},
        },
        "required": ["metadata", "rules"],
        "additionalProperties": False,
    }
)
class MapperConfigurationField(JSONField):
    """The outline ``mapper_validate`` checks first (each rule's shape: its error paths)."""


class MapperConfigSerializer(ModelSerializer):
    created_by = serializers.PrimaryKeyRelatedField(read_only=True)
    configuration = MapperConfigurationField()
    metadata = JSONObjectField(required=False, allow_null=True)

    class Meta:
        model = MapperConfig
        fields = ["id", "config_id", "version", "configuration", "status", "usage_count",
                  "metadata", "created_at", "created_by"]  # fmt: skip
        read_only_fields = ["id", "version", "status", "usage_count", "created_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:  # a version's config_id is its identity
            fields["config_id"].read_only = True
        return fields

    def validate(self, attrs: dict) -> dict:
        # Object-level, so the error paths ("configuration.rules.0.id") are not nested twice.
        if "configuration" in attrs:
            mapper_validate(attrs["configuration"])
        return attrs


class IsAuthorOrStaffForVersionWrites(permissions.BasePermission):
    """Edits and activation of a version belong to its author (or staff)."""

    message = "Only the version's author or staff may change or activate it."

    def has_object_permission(self, request: Request, view: Any, obj: MapperConfig) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.user.is_staff or obj.created_by_id == request.user.pk


def _mapper_update_draft(*, mapper: MapperConfig, user: Any, data: dict) -> MapperConfig:
    try:
        return mapper_update_draft(mapper=mapper, user=user, data=data)
    except MapperNotDraft as error:  # activated since it was read
        raise MapperConflict(str(error)) from error


class MapperConfigViewSet(
    CreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    UpdateMixin,
    CallerViewSet,
):
    """Versioned mapper configurations: rules that turn a mindscape into a persona."""

    queryset = MapperConfig.objects.all()
    owner_field = None
    serializer_class = MapperConfigSerializer
    permission_classes = [permissions.IsAuthenticated, IsAuthorOrStaffForVersionWrites]
    filterset_fields = ["config_id", "status"]
    ordering_fields = ["config_id", "version", "created_at", "usage_count"]
    search_fields = ["config_id"]
    writes = Writes(row="mapper", create=mapper_create_version, update=_mapper_update_draft)

    def get_object(self) -> MapperConfig:
        mapper = super().get_object()
        # A version that is no draft says so before its new content is even looked at.
        if self.action in ("update", "partial_update") and mapper.status != MapperStatus.DRAFT:
            raise MapperConflict(str(MapperNotDraft(mapper)))
        return mapper

    @extend_schema(request=None, responses=MapperConfigSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk: str | None = None) -> Response:
        """Make this version the active one of its config_id; the previous one is deprecated."""
        return self.answer(mapper_activate(mapper=self.get_object()))
