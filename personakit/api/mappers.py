"""PersonaKit API: mapper configs, shared by every caller.

Everyone authenticated lists, reads and creates versions (``POST`` makes the next version of
``config_id`` as a draft). A version's author (or staff) may edit it while it is a draft and
activate it; an active or deprecated version's configuration is immutable (409).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.routers import ApiRouter
from personakit.choices import MapperStatus
from personakit.mappers import (
    MapperNotDraft,
    mapper_activate,
    mapper_create_version,
    mapper_update_draft,
    mapper_validate,
)
from personakit.models import MapperConfig

router = ApiRouter()
urlpatterns: list = []  # routes outside the router (e.g. nested paths)

TAGS = ["personakit"]


class MapperConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The mapper version is not a draft."


class MapperConfigSerializer(serializers.ModelSerializer):
    created_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = MapperConfig
        fields = [
            "id",
            "config_id",
            "version",
            "configuration",
            "status",
            "usage_count",
            "metadata",
            "created_at",
            "created_by",
        ]
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

    def validate_metadata(self, metadata: Any) -> Any:
        if metadata is not None and not isinstance(metadata, dict):
            raise serializers.ValidationError("Must be an object.")
        return metadata


class IsAuthorOrStaffForVersionWrites(permissions.BasePermission):
    """Edits and activation of a version belong to its author (or staff)."""

    message = "Only the version's author or staff may change or activate it."

    def has_object_permission(self, request: Request, view: Any, obj: MapperConfig) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.user.is_staff or obj.created_by_id == request.user.pk


@extend_schema(tags=TAGS)
class MapperConfigViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Versioned mapper configurations: rules that turn a mindscape into a persona."""

    queryset = MapperConfig.objects.all()
    serializer_class = MapperConfigSerializer
    permission_classes = [permissions.IsAuthenticated, IsAuthorOrStaffForVersionWrites]
    filterset_fields = ["config_id", "status"]
    ordering_fields = ["config_id", "version", "created_at", "usage_count"]
    search_fields = ["config_id"]

    def perform_create(self, serializer: MapperConfigSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = mapper_create_version(
            user=self.request.user,
            config_id=data["config_id"],
            configuration=data["configuration"],
            metadata=data.get("metadata"),
        )

    def perform_update(self, serializer: MapperConfigSerializer) -> None:
        data = serializer.validated_data
        try:
            serializer.instance = mapper_update_draft(
                mapper=serializer.instance,
                configuration=data.get("configuration"),
                metadata=data.get("metadata"),
            )
        except MapperNotDraft as exc:
            raise MapperConflict(str(exc)) from exc

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        mapper = self.get_object()
        if mapper.status != MapperStatus.DRAFT:
            raise MapperConflict(str(MapperNotDraft(mapper)))
        return super().update(request, *args, **kwargs)

    @extend_schema(request=None, responses=MapperConfigSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk: str | None = None) -> Response:
        """Make this version the active one of its config_id; the previous one is deprecated."""
        mapper = mapper_activate(mapper=self.get_object())
        return Response(self.get_serializer(mapper).data)


router.register("mapper-configs", MapperConfigViewSet, basename="mapper-config")
